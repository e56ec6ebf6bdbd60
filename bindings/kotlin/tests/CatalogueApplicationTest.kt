// The catalogue, fee quotes, forms, applications, the audit log and reference numbers from Kotlin.
package ls.gov.eservices.tests

import java.math.BigDecimal
import ls.gov.eservices.Action
import ls.gov.eservices.Actor
import ls.gov.eservices.Application
import ls.gov.eservices.AuditLog
import ls.gov.eservices.Catalogue
import ls.gov.eservices.Correction
import ls.gov.eservices.FieldErrorCode
import ls.gov.eservices.FieldType
import ls.gov.eservices.GovException
import ls.gov.eservices.NewApplication
import ls.gov.eservices.PaymentDue
import ls.gov.eservices.Role
import ls.gov.eservices.State
import ls.gov.eservices.applicationFee
import ls.gov.eservices.formatApplicationReference
import ls.gov.eservices.isValidApplicationReference
import ls.gov.eservices.parseApplicationReference
import ls.gov.eservices.quoteFromJson

private const val DAY = "2026-03-01"

private fun newApplication(
    lesotho: Catalogue,
    log: AuditLog,
    answers: Map<String, String>,
    sequence: UInt = 123u,
): Application {
    val quote = lesotho.quote(PASSPORT, mapOf("pages" to "64", "urgent" to "true"), "general", "2026-03-02")
    return Application.create(
        NewApplication(
            reference = formatApplicationReference("MSU", "PSP", 2026u, sequence),
            serviceId = PASSPORT,
            applicantId = citizen.id,
            fee = applicationFee(quote),
            answers = answers,
            attachments = emptyList(),
        ),
        citizen,
        log,
    )
}

fun catalogueApplicationTests(t: TestRun) {
    val lesotho = Catalogue.lesotho()
    catalogueTests(t, lesotho)
    applicationTests(t, lesotho)
    auditTests(t, lesotho)
}

private fun catalogueTests(t: TestRun, lesotho: Catalogue) {
    t.test("the Lesotho catalogue lists services with their forms") {
        check(lesotho.notice().contains("illustrative")) { lesotho.notice() }
        val passport = lesotho.services().first { it.id == PASSPORT }
        assertEq(lesotho.service(PASSPORT), passport)
        assertEq(passport.name.en, "Ordinary passport")
        assertEq(passport.paymentDue, PaymentDue.UPFRONT)
        assertEq(passport.feeSchedules[0].legalReference, "Legal Notice No. 95 of 2019")
        val pages = passport.fields.first { it.id == "pages" }
        assertEq(pages.kind, FieldType.CHOICE)
        assertEq(pages.required, true)
        assertEq(pages.choices.map { it.id }, listOf("32", "64"))
        assertEq(passport.fields.first { it.id == "photo" }.limits.mediaTypes, listOf("image/jpeg", "image/png"))
        assertEq(passport.fields.first { it.id == "previous_passport_number" }.requiredWhen?.field, "replacement")
    }

    t.test("a 64-page urgent passport costs M800.00") {
        val q = lesotho.quote(PASSPORT, mapOf("pages" to "64", "urgent" to "true"), "general", DAY)
        assertEq(listOf(q.total, q.subtotal, q.taxTotal, q.currency), listOf("800.00", "800.00", "0.00", "LSL"))
        assertEq(q.lines.map { it.ruleId to it.amount }, listOf("booklet" to "300.00", "urgent" to "500.00"))
        assertEq(q.legalReference, "Legal Notice No. 95 of 2019")
        check(q.json.contains(""""total":{"amount":"800.00","currency":"LSL"}""")) { q.json }
        assertEq(quoteFromJson(q.json), q)
        val e = assertThrows<GovException.Integrity> { quoteFromJson(q.json.replace("300.00", "30.00")) }
        assertEq(e.code, "quote_id_mismatch")
    }

    t.test("exemptions and taxes add up exactly") {
        val relief = lesotho.quote("home-affairs.national-id.replacement", mapOf(), "pensioner", DAY)
        val vat = lesotho.quote(
            "finance.tax-clearance-certificate",
            mapOf("courier_delivery" to "true", "purpose" to "tender"),
            "general",
            DAY,
        )
        check(relief.exemptions.isNotEmpty() && BigDecimal(relief.exemptions[0].amount).signum() < 0) { "$relief" }
        assertEq(vat.taxes[0].percent, "15")
        for (q in listOf(relief, vat)) {
            val sum = (q.lines.map { it.amount } + q.exemptions.map { it.amount } + q.taxes.map { it.amount })
                .map(::BigDecimal).fold(BigDecimal.ZERO, BigDecimal::add)
            assertEq(sum.compareTo(BigDecimal(q.total)), 0)
        }
    }

    t.test("form validation returns every field error") {
        val answers = mapOf("pages" to "63", "phone" to "12345", "date_of_birth" to "2999-01-01", "colour" to "red")
        val byField = lesotho.validateAnswers(PASSPORT, answers, DAY).associate { it.field to it.code }
        assertEq(byField["pages"], FieldErrorCode.NOT_A_CHOICE)
        assertEq(byField["phone"], FieldErrorCode.INVALID_PHONE)
        assertEq(byField["date_of_birth"], FieldErrorCode.IN_FUTURE)
        assertEq(byField["surname"], FieldErrorCode.REQUIRED)
        assertEq(byField["colour"], FieldErrorCode.UNKNOWN_FIELD)
    }

    t.test("a quote with bad answers carries field errors") {
        val e = assertThrows<GovException.InvalidInput> {
            lesotho.quote(PASSPORT, mapOf("pages" to "63", "urgent" to "maybe"), "general", DAY)
        }
        assertEq(e.code, "invalid_answers")
        assertEq(
            e.fieldErrors.map { it.field to it.code },
            listOf("pages" to FieldErrorCode.NOT_A_CHOICE, "urgent" to FieldErrorCode.INVALID_TYPE),
        )
    }

    t.test("unknown services are NotFound") {
        assertEq(assertThrows<GovException.NotFound> { lesotho.service("nope") }.code, "unknown_service")
        assertEq(assertThrows<GovException.NotFound> { lesotho.quote("", mapOf(), "general", DAY) }.code, "unknown_service")
        val e = assertThrows<GovException.NotFound> { lesotho.quote(PASSPORT, mapOf("pages" to "32"), "general", "1990-01-01") }
        assertEq(e.code, "no_schedule_in_force")
    }

    for (day in listOf("", "2026-02-30", "01/03/2026", "2026-03-01T00:00:00Z", "x".repeat(1 shl 20))) {
        t.test("a bad date is invalid_time: ${day.take(20)}") {
            val e = assertThrows<GovException.InvalidInput> { lesotho.quote(PASSPORT, mapOf("pages" to "32"), "general", day) }
            assertEq(e.code, "invalid_time")
            check(e.detail.length < 1000) { "detail is ${e.detail.length} chars" }
        }
    }

    t.test("bad catalogue JSON is invalid_catalogue with the path") {
        val e = assertThrows<GovException.InvalidInput> { Catalogue.fromJson("""{"format": 1}""") }
        assertEq(e.code, "invalid_catalogue")
        check(e.detail.contains("at $")) { e.detail }
        val negative = lesotho.toJson().replaceFirst("\"amount\": \"300.00\"", "\"amount\": \"-300.00\"")
        val n = assertThrows<GovException.InvalidInput> { Catalogue.fromJson(negative) }
        assertEq(n.code, "negative_amount")
        check(n.detail.contains("\$.services[0].fee_schedules[0].rules[0]")) { n.detail }
        for (text in listOf("", "{", """{"format": 1.0}""", "x".repeat(4 shl 20))) {
            val m = assertThrows<GovException.InvalidInput> { Catalogue.fromJson(text) }
            check(m.code == "invalid_json" || m.code == "invalid_catalogue") { m.code }
            check(m.detail.length < 1000) { "detail is ${m.detail.length} chars" }
        }
    }

    t.test("huge strings are refused, not crashed") {
        val huge = "x".repeat(1 shl 20)
        assertThrows<GovException.NotFound> { lesotho.quote(huge, mapOf(), "general", DAY) }
        val e = assertThrows<GovException.InvalidInput> { lesotho.quote(PASSPORT, mapOf("pages" to "32"), huge, DAY) }
        assertEq(e.code, "unknown_applicant_category")
        val errors = lesotho.validateAnswers(PASSPORT, mapOf("surname" to huge, "pages" to huge), DAY)
        check(errors.any { it.field == "surname" && it.code == FieldErrorCode.TOO_LONG }) { "$errors".take(300) }
        check(errors.all { it.reason.length < 300 }) { "long reason" }
    }
}

private fun applicationTests(t: TestRun, lesotho: Catalogue) {
    t.test("an application goes through every step, with its audit trail") {
        val log = AuditLog.withFixedTime("MSU-2026", NOW)
        val app = newApplication(lesotho, log, ANSWERS + ("phone" to "12345"))
        assertEq(app.state(), State.DRAFT)
        assertEq(app.reference(), "MSU-PSP-2026-000123-U")
        assertEq(app.fee().amount, "800.00")

        val invalid = assertThrows<GovException.InvalidInput> { app.submit(citizen, lesotho, log) }
        assertEq(invalid.code, "invalid_answers")
        assertEq(invalid.fieldErrors.map { it.field to it.code }, listOf("phone" to FieldErrorCode.INVALID_PHONE))
        assertEq(app.state() to log.len(), State.DRAFT to 1uL)

        assertEq(app.saveDraft(citizen, ANSWERS, emptyList(), log), State.DRAFT)
        assertEq(app.submit(citizen, lesotho, log), State.SUBMITTED)
        assertEq(app.revisionCount(), 1u)

        assertEq(assertThrows<GovException.Conflict> { app.takeIntoReview(clerk, log) }.code, "payment_outstanding")
        app.recordPayment(cashier, "RCPT-1", "300.00", "LSL", log)
        assertEq(app.outstanding(), "500.00")
        assertEq(assertThrows<GovException.Refused> { app.recordPayment(cashier, "RCPT-2", "600.00", "LSL", log) }.code, "overpayment")
        app.recordPayment(cashier, "RCPT-2", "500.00", "LSL", log)
        assertEq(app.outstanding(), "0.00")
        assertEq(app.takeIntoReview(clerk, log), State.UNDER_REVIEW)

        val corrections = listOf(Correction("surname", "does not match the ID"))
        assertEq(app.returnForCorrection(reviewer, corrections, log), State.RETURNED_FOR_CORRECTION)
        assertEq(app.resubmit(citizen, ANSWERS + ("surname" to "Mokoena-Thabo"), emptyList(), lesotho, log), State.SUBMITTED)
        assertEq(app.revisionCount(), 2u)
        assertEq(app.revisions()[1].answeredCorrections, corrections)
        app.takeIntoReview(clerk, log)

        // Maker-checker: the clerk who took it into review may not approve it.
        val entries = log.len()
        val mc = assertThrows<GovException.Refused> { app.approve(Actor(clerk.id, Role.APPROVER, "MSU"), log) }
        assertEq(mc.code, "maker_checker")
        val wrongRole = assertThrows<GovException.Conflict> { app.approve(reviewer, log) }
        assertEq(wrongRole.code, "transition_refused")
        assertEq(app.state() to log.len(), State.UNDER_REVIEW to entries)

        assertEq(app.approve(approver, log), State.APPROVED)
        assertEq(app.issue(issuer, "PSP-DOC-2026-000123", log), State.ISSUED)
        assertEq(app.revoke(admin, "reported stolen", log), State.REVOKED)

        val history = app.history()
        assertEq(history.first().action, Action.CREATE)
        assertEq(history.last().toState, State.REVOKED)
        assertEq(history.map { it.auditHash }, log.entries().map { it.hash })
        log.verify()
        app.checkRecordedIn(log)
        assertEq(Application.fromJson(app.toJson()).history(), history)
    }

    t.test("withdraw and reject") {
        val log = AuditLog("MSU-2026")
        val app = newApplication(lesotho, log, ANSWERS)
        assertEq(app.withdraw(citizen, null, log), State.WITHDRAWN)
        assertEq(assertThrows<GovException.Conflict> { app.submit(citizen, lesotho, log) }.code, "transition_refused")
        val other = newApplication(lesotho, log, ANSWERS, 124u)
        other.submit(citizen, lesotho, log)
        other.recordPayment(cashier, "RCPT-9", "800.00", "LSL", log)
        other.takeIntoReview(clerk, log)
        assertEq(other.reject(reviewer, "photo is not a likeness", log), State.REJECTED)
        assertEq(other.rejectionReason(), "photo is not a likeness")
    }

    t.test("hostile inputs are refused with codes and change nothing") {
        val log = AuditLog("MSU-2026")
        val app = newApplication(lesotho, log, ANSWERS)
        app.submit(citizen, lesotho, log)
        val huge = "x".repeat(1 shl 20)
        val cases = listOf<Pair<() -> Unit, String>>(
            { app.recordPayment(cashier, "R", "1.5.5", "LSL", log); Unit } to "invalid_amount",
            { app.recordPayment(cashier, "R", "abc", "LSL", log); Unit } to "invalid_amount",
            { app.recordPayment(cashier, "R", "1e3", "LSL", log); Unit } to "invalid_amount",
            { app.recordPayment(cashier, "R", "12.345", "LSL", log); Unit } to "invalid_amount",
            { app.recordPayment(cashier, "R", "5.00", "USD", log); Unit } to "unknown_currency",
            { app.recordPayment(cashier, "", "5.00", "LSL", log); Unit } to "input_required",
            { app.recordPayment(cashier, huge, "5.00", "LSL", log); Unit } to "input_required",
            { app.recordPayment(Actor(huge, Role.CASHIER, "MSU"), "R", "5.00", "LSL", log); Unit } to "invalid_actor",
            { app.reject(reviewer, "", log); Unit } to "transition_refused",
            { Application.fromJson("{"); Unit } to "invalid_json",
            { Application.fromJson(huge); Unit } to "invalid_json",
            { AuditLog(""); Unit } to "invalid_audit_input",
            { AuditLog.withFixedTime("L", "yesterday"); Unit } to "invalid_time",
        )
        for ((call, code) in cases) {
            val e = assertThrows<GovException> { call() }
            assertEq(e.govCode(), code)
            check(e.message!!.length < 1000) { "message is ${e.message!!.length} chars" }
        }
        assertEq(Triple(app.state(), app.paid(), log.len()), Triple(State.SUBMITTED, "0", 2uL))
    }

    t.test("reference numbers: format, parse, check") {
        assertEq(formatApplicationReference("MSU", "PSP", 2026u, 123u), "MSU-PSP-2026-000123-U")
        val r = parseApplicationReference(" msu-psp-2026-000123-u ")
        assertEq(listOf(r.text, r.office, r.service, r.checkChar), listOf("MSU-PSP-2026-000123-U", "MSU", "PSP", "U"))
        assertEq(r.year to r.sequence, 2026.toUShort() to 123u)
        check(isValidApplicationReference("MSU-PSP-2026-000123-U")) { "valid" }
        check(!isValidApplicationReference("MSU-PSP-2026-000132-U")) { "typo" }
        assertEq(assertThrows<GovException.InvalidInput> { parseApplicationReference("MSU-PSP-2026-000132-U") }.code, "reference_check_failed")
        for (bad in listOf("", "MSU", "x".repeat(100_000))) {
            assertEq(assertThrows<GovException.InvalidInput> { parseApplicationReference(bad) }.code, "invalid_reference")
        }
    }
}

private fun auditTests(t: TestRun, lesotho: Catalogue) {
    t.test("a tampered audit log is refused with the index and kind") {
        val log = AuditLog.withFixedTime("MSU-2026", NOW)
        newApplication(lesotho, log, ANSWERS).submit(citizen, lesotho, log)
        val stored = log.toJson()
        check(stored.contains("\"action\":\"submit\"")) { stored }
        val e = assertThrows<GovException.Integrity> { AuditLog.fromJson(stored.replace("\"action\":\"submit\"", "\"action\":\"approve\"")) }
        assertEq(e.code, "audit_log_tampered")
        check(e.detail.contains("entry 1 edited")) { e.detail }
        AuditLog.fromJson(stored).verify()
    }

    t.test("a checkpoint reveals a truncated log") {
        val log = AuditLog.withFixedTime("MSU-2026", NOW)
        newApplication(lesotho, log, ANSWERS).submit(citizen, lesotho, log)
        val checkpoint = log.checkpointJson()
        assertEq(checkpoint, """{"head_hash":"${log.headHash()}","log_id":"MSU-2026","seq":2,"time":"$NOW"}""")
        log.verifyAgainstCheckpoint(checkpoint)
        val stored = log.toJson()
        val truncated = AuditLog.fromJson(stored.substring(0, stored.lastIndexOf(",{\"seq\":")) + "]}")
        val e = assertThrows<GovException.Integrity> { truncated.verifyAgainstCheckpoint(checkpoint) }
        assertEq(e.code, "audit_log_tampered")
        check(e.detail.contains("entry 1 truncated")) { e.detail }
        assertEq(assertThrows<GovException.Integrity> { AuditLog("OTHER").verifyAgainstCheckpoint(checkpoint) }.code, "checkpoint_mismatch")
        assertEq(assertThrows<GovException.InvalidInput> { log.verifyAgainstCheckpoint("{}") }.code, "invalid_json")
    }
}
