// The full flow from Kotlin (issue 7): catalogue, quote, application, payments, receipts, a
// signed approval through a Kotlin signer (the JDK's Ed25519), verification from JSON and QR,
// tampering, revocation.
package ls.gov.eservices.tests

import ls.gov.eservices.Actor
import ls.gov.eservices.Application
import ls.gov.eservices.AuditLog
import ls.gov.eservices.Catalogue
import ls.gov.eservices.FieldErrorCode
import ls.gov.eservices.GovException
import ls.gov.eservices.Issuer
import ls.gov.eservices.NewApplication
import ls.gov.eservices.PaymentInput
import ls.gov.eservices.PaymentLedger
import ls.gov.eservices.Reason
import ls.gov.eservices.Role
import ls.gov.eservices.Signer
import ls.gov.eservices.State
import ls.gov.eservices.StatusListManager
import ls.gov.eservices.TimeSource
import ls.gov.eservices.TrustListKey
import ls.gov.eservices.Verifier
import ls.gov.eservices.applicationFee
import ls.gov.eservices.formatApplicationReference
import ls.gov.eservices.softwareSignerFromSeed

private fun trusted(name: String, signer: Signer, docTypes: List<String>) =
    TrustListKey(name, signer.alg(), signer.publicKey(), "2026-01-01T00:00:00Z", "2028-01-01T00:00:00Z", docTypes)

fun flowTests(t: TestRun) {
    t.test("the full flow: quote, application, M-Pesa in two parts, approval, signed letter, tamper, revoke") {
        val clock = TimeSource.fixed(NOW)

        // The catalogue and the quote: a 64-page urgent passport is M 800.00.
        val catalogue = Catalogue.lesotho()
        val quote = catalogue.quote(PASSPORT, mapOf("pages" to "64", "urgent" to "true"), "general", "2026-03-02")
        assertEq(Pair(quote.total, quote.currency), Pair("800.00", "LSL"))

        // The application, submitted with one invalid field, then fixed.
        val log = AuditLog.withFixedTime("MSU-2026", NOW)
        val app = Application.create(
            NewApplication(
                reference = formatApplicationReference("MSU", "PSP", 2026u, 123u),
                serviceId = PASSPORT,
                applicantId = citizen.id,
                fee = applicationFee(quote),
                answers = ANSWERS + ("phone" to "12345"),
                attachments = emptyList(),
            ),
            citizen, log,
        )
        val invalid = assertThrows<GovException.InvalidInput> { app.submit(citizen, catalogue, log) }
        assertEq(invalid.code, "invalid_answers")
        assertEq(invalid.fieldErrors.map { it.field to it.code }, listOf("phone" to FieldErrorCode.INVALID_PHONE))
        app.saveDraft(citizen, ANSWERS, emptyList(), log)
        assertEq(app.submit(citizen, catalogue, log), State.SUBMITTED)

        // M-Pesa in two parts; each callback arrives twice and counts once.
        val till = TillSigner()
        val ledger = PaymentLedger(clock, null)
        ledger.openSeries("MSU", "2026", till)
        ledger.registerQuote(app.reference(), quote.json)
        for ((code, amount) in listOf("QK71H2XY9A" to "300.00", "QK71H2XY9P" to "500.00")) {
            val input = PaymentInput("mpesa:$code", "MSU", app.reference(), quote.quoteId, "mpesa", code, amount, "LSL", cashier.id)
            val paid = ledger.pay(input)
            assertEq(ledger.pay(input), paid)
            app.recordPayment(cashier, paid.receipt.id, paid.amount, paid.currency, log)
        }
        assertEq(ledger.balance(app.reference()).outstanding, "0.00")
        assertEq(app.outstanding(), "0.00")
        val receipts = ledger.receipts("MSU")
        assertEq(receipts.map { it.id to it.amount }, listOf("MSU/2026/1" to "300.00", "MSU/2026/2" to "500.00"))

        // Review, and approval by a second officer.
        assertEq(app.takeIntoReview(clerk, log), State.UNDER_REVIEW)
        val refused = assertThrows<GovException.Refused> { app.approve(Actor(clerk.id, Role.APPROVER, "MSU"), log) }
        assertEq(refused.code, "maker_checker")
        assertEq(app.approve(approver, log), State.APPROVED)

        // The trust list names the ministry's Kotlin signer and the till.
        val root = Issuer(softwareSignerFromSeed(ByteArray(32) { 1 }), clock)
        val ministrySigner = JdkEd25519Signer()
        val ministry = Issuer(ministrySigner, clock)
        val trust = root.signTrustList(
            "Government of Lesotho", 1uL,
            listOf(
                trusted("Ministry of Home Affairs", ministrySigner, listOf("ls.gov.home-affairs.*", "ls.gov.eservices.status-list")),
                trusted("Maseru passport office till", till, listOf("ls.gov.eservices.receipt")),
            ),
            null,
        )
        val verifier = Verifier(root.publicKeyText(), trust.json, clock)
        for (r in receipts) check(verifier.verify(r.json).valid && verifier.verify(r.qr!!).valid) { r.id }
        check(ledger.auditSeries("MSU", verifier).ok) { "series audit" }

        // The approval letter, signed by the Kotlin signer, with a revocation entry.
        val status = StatusListManager("home-affairs-2026-1", 131072uL)
        val entry = status.allocate()
        val payload = """{"application":"${app.reference()}","service":"$PASSPORT","surname":"Mokoena",""" +
            """"given_names":"Lineo","fee":{"amount":"${quote.total}","currency":"${quote.currency}"}}"""
        val letter = ministry.issue("ls.gov.home-affairs.passport-approval", "PSP-APPROVAL-2026-000123", payload, null, entry)
        assertEq(ministrySigner.calls, 1)
        verifier.addStatusList(status.publish(ministry, "2026-03-09T08:00:00Z").json)
        for (text in listOf(letter.json, letter.qr!!)) {
            val r = verifier.verify(text)
            check(r.valid) { r.detail }
            assertEq(r.document!!.issuer, "Ministry of Home Affairs")
            check(r.document!!.payload.contains("MSU-PSP-2026-000123-U")) { r.document!!.payload }
        }
        assertEq(app.issue(issuer, letter.id, log), State.ISSUED)

        // Tampered: bad_signature. Revoked: revoked.
        val tampered = verifier.verify(letter.json.replace("Lineo", "Palesa"))
        assertEq(Triple(tampered.valid, tampered.reason, tampered.reasonCode), Triple(false, Reason.BAD_SIGNATURE, "bad_signature"))
        status.revoke(entry.index)
        verifier.addStatusList(status.publish(ministry, "2026-03-09T08:00:00Z").json)
        assertEq(verifier.verify(letter.qr!!).reasonCode, "revoked")
        assertEq(app.revoke(admin, "passport reported stolen", log), State.REVOKED)

        val z = ledger.zReportJson("MSU", null, catalogue)
        check(z.contains(""""by_channel":{"mpesa":{"LSL":"800.00"}}""")) { z }
        log.verify()
        app.checkRecordedIn(log)
    }
}
