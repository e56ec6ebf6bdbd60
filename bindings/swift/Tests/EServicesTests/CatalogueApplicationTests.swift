// The catalogue, fee quotes, forms, applications, the audit log and reference numbers from Swift.
import EServices
import Foundation
import XCTest

private let day = "2026-03-01"

/// A caught GovError taken apart: its category (the case name), code, detail and field errors.
private struct Caught {
    let category: String
    let code: String
    let detail: String
    let fieldErrors: [FieldError]
}

/// Runs `body`, which must throw a GovError; returns it taken apart (or fails the test).
private func caught(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) -> Caught {
    do {
        try body()
    } catch let error as GovError {
        switch error {
        case .InvalidInput(let code, let detail, let fieldErrors):
            return Caught(category: "InvalidInput", code: code, detail: detail, fieldErrors: fieldErrors)
        case .NotFound(let code, let detail):
            return Caught(category: "NotFound", code: code, detail: detail, fieldErrors: [])
        case .Conflict(let code, let detail):
            return Caught(category: "Conflict", code: code, detail: detail, fieldErrors: [])
        case .Refused(let code, let detail):
            return Caught(category: "Refused", code: code, detail: detail, fieldErrors: [])
        case .Integrity(let code, let detail):
            return Caught(category: "Integrity", code: code, detail: detail, fieldErrors: [])
        case .Internal(let code, let detail):
            return Caught(category: "Internal", code: code, detail: detail, fieldErrors: [])
        }
    } catch {
        XCTFail("not a GovError: \(error)", file: file, line: line)
        return Caught(category: "", code: "", detail: "", fieldErrors: [])
    }
    XCTFail("expected a GovError but nothing was thrown", file: file, line: line)
    return Caught(category: "", code: "", detail: "", fieldErrors: [])
}

final class CatalogueApplicationTests: XCTestCase {
    var lesotho: Catalogue!

    override func setUpWithError() throws {
        lesotho = try Catalogue.lesotho()
    }

    private func newApplication(
        _ log: AuditLog, _ answers: [String: String], sequence: UInt32 = 123
    ) throws -> Application {
        let quote = try lesotho.quote(
            serviceId: passportId, answers: ["pages": "64", "urgent": "true"],
            applicantCategory: "general", date: "2026-03-02")
        return try Application.create(
            new: NewApplication(
                reference: try formatApplicationReference(
                    office: "MSU", service: "PSP", year: 2026, sequence: sequence),
                serviceId: passportId, applicantId: citizen.id, fee: applicationFee(quote: quote),
                answers: answers, attachments: []),
            by: citizen, log: log)
    }

    func testTheLesothoCatalogueListsServicesWithTheirForms() throws {
        XCTAssertTrue(lesotho.notice().contains("illustrative"))
        let passport = try XCTUnwrap(lesotho.services().first { $0.id == passportId })
        XCTAssertEqual(try lesotho.service(serviceId: passportId), passport)
        XCTAssertEqual(passport.name.en, "Ordinary passport")
        XCTAssertEqual(passport.paymentDue, .upfront)
        XCTAssertEqual(passport.feeSchedules[0].legalReference, "Legal Notice No. 95 of 2019")
        let pages = try XCTUnwrap(passport.fields.first { $0.id == "pages" })
        XCTAssertEqual(pages.kind, .choice)
        XCTAssertTrue(pages.required)
        XCTAssertEqual(pages.choices.map(\.id), ["32", "64"])
        XCTAssertEqual(passport.fields.first { $0.id == "photo" }?.limits.mediaTypes, ["image/jpeg", "image/png"])
        XCTAssertEqual(passport.fields.first { $0.id == "previous_passport_number" }?.requiredWhen?.field, "replacement")
    }

    func testA64PageUrgentPassportCostsM800() throws {
        let q = try lesotho.quote(
            serviceId: passportId, answers: ["pages": "64", "urgent": "true"],
            applicantCategory: "general", date: day)
        XCTAssertEqual([q.total, q.subtotal, q.taxTotal, q.currency], ["800.00", "800.00", "0.00", "LSL"])
        XCTAssertEqual(q.lines.map(\.ruleId), ["booklet", "urgent"])
        XCTAssertEqual(q.lines.map(\.amount), ["300.00", "500.00"])
        XCTAssertEqual(q.legalReference, "Legal Notice No. 95 of 2019")
        XCTAssertTrue(q.json.contains(#""total":{"amount":"800.00","currency":"LSL"}"#))
        XCTAssertEqual(try quoteFromJson(json: q.json), q)
        let altered = caught { _ = try quoteFromJson(json: q.json.replacingOccurrences(of: "300.00", with: "30.00")) }
        XCTAssertEqual([altered.category, altered.code], ["Integrity", "quote_id_mismatch"])
    }

    func testExemptionsAndTaxesAddUpExactly() throws {
        let relief = try lesotho.quote(
            serviceId: "home-affairs.national-id.replacement", answers: [:],
            applicantCategory: "pensioner", date: day)
        let vat = try lesotho.quote(
            serviceId: "finance.tax-clearance-certificate",
            answers: ["courier_delivery": "true", "purpose": "tender"], applicantCategory: "general", date: day)
        XCTAssertTrue(relief.exemptions[0].amount.hasPrefix("-"))
        XCTAssertEqual(vat.taxes[0].percent, "15")
        for q in [relief, vat] {
            let parts = q.lines.map(\.amount) + q.exemptions.map(\.amount) + q.taxes.map(\.amount)
            let sum = parts.map { Decimal(string: $0)! }.reduce(Decimal(0), +)
            XCTAssertEqual(sum, Decimal(string: q.total)!)
        }
    }

    func testFormValidationReturnsEveryFieldError() throws {
        let bad = ["pages": "63", "phone": "12345", "date_of_birth": "2999-01-01", "colour": "red"]
        let errors = try lesotho.validateAnswers(serviceId: passportId, answers: bad, today: day)
        let byField = Dictionary(errors.map { ($0.field, $0.code) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(byField["pages"], .notAChoice)
        XCTAssertEqual(byField["phone"], .invalidPhone)
        XCTAssertEqual(byField["date_of_birth"], .inFuture)
        XCTAssertEqual(byField["surname"], .required)
        XCTAssertEqual(byField["colour"], .unknownField)
    }

    func testAQuoteWithBadAnswersCarriesFieldErrors() {
        let e = caught {
            _ = try self.lesotho.quote(
                serviceId: passportId, answers: ["pages": "63", "urgent": "maybe"],
                applicantCategory: "general", date: day)
        }
        XCTAssertEqual([e.category, e.code], ["InvalidInput", "invalid_answers"])
        XCTAssertEqual(e.fieldErrors.map(\.field), ["pages", "urgent"])
        XCTAssertEqual(e.fieldErrors.map(\.code), [.notAChoice, .invalidType])
    }

    func testUnknownThingsAreNotFoundAndBadDatesInvalidTime() {
        XCTAssertEqual(caught { _ = try self.lesotho.service(serviceId: "nope") }.code, "unknown_service")
        let old = caught {
            _ = try self.lesotho.quote(
                serviceId: passportId, answers: ["pages": "32"], applicantCategory: "general", date: "1990-01-01")
        }
        XCTAssertEqual([old.category, old.code], ["NotFound", "no_schedule_in_force"])
        for bad in ["", "2026-02-30", "01/03/2026", "2026-03-01T00:00:00Z", String(repeating: "x", count: 1 << 20)] {
            let e = caught {
                _ = try self.lesotho.quote(
                    serviceId: passportId, answers: ["pages": "32"], applicantCategory: "general", date: bad)
            }
            XCTAssertEqual([e.category, e.code], ["InvalidInput", "invalid_time"])
            XCTAssertLessThan(e.detail.count, 1000)
        }
    }

    func testBadCatalogueJsonIsInvalidCatalogueWithThePath() throws {
        let e = caught { _ = try Catalogue.fromJson(json: #"{"format": 1}"#) }
        XCTAssertEqual([e.category, e.code], ["InvalidInput", "invalid_catalogue"])
        XCTAssertTrue(e.detail.contains("at $"), e.detail)
        let json = try lesotho.toJson()
        let range = try XCTUnwrap(json.range(of: #""amount": "300.00""#))
        let negative = json.replacingCharacters(in: range, with: #""amount": "-300.00""#)
        let n = caught { _ = try Catalogue.fromJson(json: negative) }
        XCTAssertEqual(n.code, "negative_amount")
        XCTAssertTrue(n.detail.contains("$.services[0].fee_schedules[0].rules[0]"), n.detail)
        for text in ["", "{", #"{"format": 1.0}"#, String(repeating: "x", count: 4 << 20)] {
            let m = caught { _ = try Catalogue.fromJson(json: text) }
            XCTAssertTrue(["invalid_json", "invalid_catalogue"].contains(m.code), m.code)
            XCTAssertLessThan(m.detail.count, 1000)
        }
    }

    func testHugeStringsAreRefusedNotCrashed() throws {
        let huge = String(repeating: "x", count: 1 << 20)
        XCTAssertEqual(caught {
            _ = try self.lesotho.quote(serviceId: huge, answers: [:], applicantCategory: "general", date: day)
        }.category, "NotFound")
        XCTAssertEqual(caught {
            _ = try self.lesotho.quote(serviceId: passportId, answers: ["pages": "32"], applicantCategory: huge, date: day)
        }.code, "unknown_applicant_category")
        let errors = try lesotho.validateAnswers(
            serviceId: passportId, answers: ["surname": huge, "pages": huge], today: day)
        XCTAssertTrue(errors.contains { $0.field == "surname" && $0.code == .tooLong })
        XCTAssertTrue(errors.allSatisfy { $0.reason.count < 300 })
    }

    func testAnApplicationGoesThroughEveryStepWithItsAuditTrail() throws {
        let log = try AuditLog.withFixedTime(logId: "MSU-2026", time: now)
        var withBadPhone = passportAnswers
        withBadPhone["phone"] = "12345"
        let app = try newApplication(log, withBadPhone)
        XCTAssertEqual(app.state(), .draft)
        XCTAssertEqual(app.reference(), "MSU-PSP-2026-000123-U")
        XCTAssertEqual(app.fee().amount, "800.00")

        let invalid = caught { _ = try app.submit(by: citizen, catalogue: self.lesotho, log: log) }
        XCTAssertEqual([invalid.category, invalid.code], ["InvalidInput", "invalid_answers"])
        XCTAssertEqual(invalid.fieldErrors.map(\.field), ["phone"])
        XCTAssertEqual(invalid.fieldErrors.map(\.code), [.invalidPhone])
        XCTAssertEqual(app.state(), .draft)
        XCTAssertEqual(log.len(), 1)

        XCTAssertEqual(try app.saveDraft(by: citizen, answers: passportAnswers, attachments: [], log: log), .draft)
        XCTAssertEqual(try app.submit(by: citizen, catalogue: lesotho, log: log), .submitted)
        XCTAssertEqual(app.revisionCount(), 1)

        XCTAssertEqual(caught { _ = try app.takeIntoReview(by: clerk, log: log) }.code, "payment_outstanding")
        _ = try app.recordPayment(by: cashier, paymentReference: "RCPT-1", amount: "300.00", currency: "LSL", log: log)
        XCTAssertEqual(app.outstanding(), "500.00")
        let over = caught {
            _ = try app.recordPayment(by: cashier, paymentReference: "RCPT-2", amount: "600.00", currency: "LSL", log: log)
        }
        XCTAssertEqual([over.category, over.code], ["Refused", "overpayment"])
        _ = try app.recordPayment(by: cashier, paymentReference: "RCPT-2", amount: "500.00", currency: "LSL", log: log)
        XCTAssertEqual(app.outstanding(), "0.00")
        XCTAssertEqual(try app.takeIntoReview(by: clerk, log: log), .underReview)

        let corrections = [Correction(field: "surname", reason: "does not match the ID")]
        XCTAssertEqual(
            try app.returnForCorrection(by: reviewer, corrections: corrections, log: log), .returnedForCorrection)
        var fixed = passportAnswers
        fixed["surname"] = "Mokoena-Thabo"
        XCTAssertEqual(
            try app.resubmit(by: citizen, answers: fixed, attachments: [], catalogue: lesotho, log: log), .submitted)
        XCTAssertEqual(app.revisionCount(), 2)
        XCTAssertEqual(app.revisions()[1].answeredCorrections, corrections)
        _ = try app.takeIntoReview(by: clerk, log: log)

        // Maker-checker: the clerk who took it into review may not approve it.
        let entries = log.len()
        let makerChecker = caught {
            _ = try app.approve(by: Actor(id: clerk.id, role: .approver, office: "MSU"), log: log)
        }
        XCTAssertEqual([makerChecker.category, makerChecker.code], ["Refused", "maker_checker"])
        let wrongRole = caught { _ = try app.approve(by: reviewer, log: log) }
        XCTAssertEqual([wrongRole.category, wrongRole.code], ["Conflict", "transition_refused"])
        XCTAssertEqual(app.state(), .underReview)
        XCTAssertEqual(log.len(), entries)

        XCTAssertEqual(try app.approve(by: approver, log: log), .approved)
        XCTAssertEqual(try app.issue(by: issuingOfficer, documentId: "PSP-DOC-2026-000123", log: log), .issued)
        XCTAssertEqual(try app.revoke(by: admin, reason: "reported stolen", log: log), .revoked)

        let history = try app.history()
        XCTAssertEqual(history.first?.action, .create)
        XCTAssertEqual(history.last?.toState, .revoked)
        XCTAssertEqual(history.map(\.auditHash), try log.entries().map(\.hash))
        try log.verify()
        try app.checkRecordedIn(log: log)
        XCTAssertEqual(try Application.fromJson(json: try app.toJson()).history(), history)
    }

    func testWithdrawAndReject() throws {
        let log = try AuditLog(logId: "MSU-2026")
        let app = try newApplication(log, passportAnswers)
        XCTAssertEqual(try app.withdraw(by: citizen, reason: nil, log: log), .withdrawn)
        XCTAssertEqual(caught { _ = try app.submit(by: citizen, catalogue: self.lesotho, log: log) }.code, "transition_refused")
        let other = try newApplication(log, passportAnswers, sequence: 124)
        _ = try other.submit(by: citizen, catalogue: lesotho, log: log)
        _ = try other.recordPayment(by: cashier, paymentReference: "RCPT-9", amount: "800.00", currency: "LSL", log: log)
        _ = try other.takeIntoReview(by: clerk, log: log)
        XCTAssertEqual(try other.reject(by: reviewer, reason: "photo is not a likeness", log: log), .rejected)
        XCTAssertEqual(other.rejectionReason(), "photo is not a likeness")
    }

    func testHostileInputsAreRefusedWithCodesAndChangeNothing() throws {
        let log = try AuditLog(logId: "MSU-2026")
        let app = try newApplication(log, passportAnswers)
        _ = try app.submit(by: citizen, catalogue: lesotho, log: log)
        let huge = String(repeating: "x", count: 1 << 20)
        let pay = { (ref: String, amount: String, currency: String) in
            _ = try app.recordPayment(by: cashier, paymentReference: ref, amount: amount, currency: currency, log: log)
        }
        let cases: [(String, () throws -> Void)] = [
            ("invalid_amount", { try pay("R", "1.5.5", "LSL") }),
            ("invalid_amount", { try pay("R", "abc", "LSL") }),
            ("invalid_amount", { try pay("R", "1e3", "LSL") }),
            ("invalid_amount", { try pay("R", "12.345", "LSL") }),
            ("unknown_currency", { try pay("R", "5.00", "USD") }),
            ("input_required", { try pay("", "5.00", "LSL") }),
            ("input_required", { try pay(huge, "5.00", "LSL") }),
            ("invalid_actor", {
                _ = try app.recordPayment(
                    by: Actor(id: huge, role: .cashier, office: "MSU"), paymentReference: "R", amount: "5.00",
                    currency: "LSL", log: log)
            }),
            ("invalid_json", { _ = try Application.fromJson(json: "{") }),
            ("invalid_json", { _ = try Application.fromJson(json: huge) }),
            ("invalid_audit_input", { _ = try AuditLog(logId: "") }),
            ("invalid_time", { _ = try AuditLog.withFixedTime(logId: "L", time: "yesterday") }),
        ]
        for (code, body) in cases {
            let e = caught(body)
            XCTAssertEqual([e.category, e.code], ["InvalidInput", code])
            XCTAssertLessThan(e.detail.count, 1000)
        }
        XCTAssertEqual(app.state(), .submitted)
        XCTAssertEqual(app.paid(), "0")
        XCTAssertEqual(log.len(), 2)
    }

    func testReferenceNumbers() throws {
        XCTAssertEqual(
            try formatApplicationReference(office: "MSU", service: "PSP", year: 2026, sequence: 123),
            "MSU-PSP-2026-000123-U")
        let r = try parseApplicationReference(text: " msu-psp-2026-000123-u ")
        XCTAssertEqual([r.text, r.office, r.service, r.checkChar], ["MSU-PSP-2026-000123-U", "MSU", "PSP", "U"])
        XCTAssertEqual(r.year, 2026)
        XCTAssertEqual(r.sequence, 123)
        XCTAssertTrue(isValidApplicationReference(text: "MSU-PSP-2026-000123-U"))
        XCTAssertFalse(isValidApplicationReference(text: "MSU-PSP-2026-000132-U"))
        XCTAssertEqual(caught { _ = try parseApplicationReference(text: "MSU-PSP-2026-000132-U") }.code, "reference_check_failed")
        for bad in ["", "MSU", String(repeating: "x", count: 100_000)] {
            XCTAssertEqual(caught { _ = try parseApplicationReference(text: bad) }.code, "invalid_reference")
        }
    }

    func testATamperedAuditLogIsRefusedWithTheIndexAndKind() throws {
        let log = try AuditLog.withFixedTime(logId: "MSU-2026", time: now)
        _ = try newApplication(log, passportAnswers).submit(by: citizen, catalogue: lesotho, log: log)
        let stored = try log.toJson()
        XCTAssertTrue(stored.contains(#""action":"submit""#))
        let e = caught {
            _ = try AuditLog.fromJson(
                json: stored.replacingOccurrences(of: #""action":"submit""#, with: #""action":"approve""#))
        }
        XCTAssertEqual([e.category, e.code], ["Integrity", "audit_log_tampered"])
        XCTAssertTrue(e.detail.contains("entry 1 edited"), e.detail)
        try AuditLog.fromJson(json: stored).verify()
    }

    func testACheckpointRevealsATruncatedLog() throws {
        let log = try AuditLog.withFixedTime(logId: "MSU-2026", time: now)
        _ = try newApplication(log, passportAnswers).submit(by: citizen, catalogue: lesotho, log: log)
        let checkpoint = try log.checkpointJson()
        let head = try log.headHash()
        XCTAssertEqual(checkpoint, #"{"head_hash":"\#(head)","log_id":"MSU-2026","seq":2,"time":"\#(now)"}"#)
        try log.verifyAgainstCheckpoint(checkpointJson: checkpoint)
        let stored = try log.toJson()
        let cut = try XCTUnwrap(stored.range(of: #",{"seq":"#, options: .backwards))
        let truncated = try AuditLog.fromJson(json: String(stored[..<cut.lowerBound]) + "]}")
        let e = caught { try truncated.verifyAgainstCheckpoint(checkpointJson: checkpoint) }
        XCTAssertEqual([e.category, e.code], ["Integrity", "audit_log_tampered"])
        XCTAssertTrue(e.detail.contains("entry 1 truncated"), e.detail)
        XCTAssertEqual(caught { try AuditLog(logId: "OTHER").verifyAgainstCheckpoint(checkpointJson: checkpoint) }.code, "checkpoint_mismatch")
        XCTAssertEqual(caught { try log.verifyAgainstCheckpoint(checkpointJson: "{}") }.code, "invalid_json")
    }
}
