// The full flow from Swift (issue 7): catalogue, quote, application, payments, receipts, a
// signed approval through a Swift signer, verification from JSON and QR, tampering, revocation.
import EServices
import Foundation
import XCTest

final class FlowTests: XCTestCase {
    func testFullFlow() throws {
        let clock = TimeSource.fixed(at: now)

        // The catalogue and the quote: a 64-page urgent passport is M 800.00.
        let catalogue = try Catalogue.lesotho()
        let quote = try catalogue.quote(
            serviceId: passportId, answers: ["pages": "64", "urgent": "true"], applicantCategory: "general", date: "2026-03-02")
        XCTAssertEqual(quote.total, "800.00")

        // The application, submitted with one invalid field, then fixed.
        let log = try AuditLog.withFixedTime(logId: "MSU-2026", time: now)
        var wrong = passportAnswers
        wrong["phone"] = "12345"
        let app = try Application.create(
            new: NewApplication(
                reference: try formatApplicationReference(office: "MSU", service: "PSP", year: 2026, sequence: 123),
                serviceId: passportId, applicantId: citizen.id, fee: applicationFee(quote: quote),
                answers: wrong, attachments: []),
            by: citizen, log: log)
        do {
            _ = try app.submit(by: citizen, catalogue: catalogue, log: log)
            XCTFail("an invalid phone number was accepted")
        } catch GovError.InvalidInput(let code, _, let fieldErrors) {
            XCTAssertEqual(code, "invalid_answers")
            XCTAssertEqual(fieldErrors.map { $0.field }, ["phone"])
            XCTAssertEqual(fieldErrors.map { $0.code }, [.invalidPhone])
        }
        _ = try app.saveDraft(by: citizen, answers: passportAnswers, attachments: [], log: log)
        XCTAssertEqual(try app.submit(by: citizen, catalogue: catalogue, log: log), .submitted)

        // M-Pesa in two parts; each callback arrives twice and counts once.
        let till = try SwiftSigner(seed: 9)
        let ledger = PaymentLedger(clock: clock, quoteValidityDays: nil)
        try ledger.openSeries(office: "MSU", series: "2026", signer: till)
        try ledger.registerQuote(application: app.reference(), quoteJson: quote.json)
        for (code, amount) in [("QK71H2XY9A", "300.00"), ("QK71H2XY9P", "500.00")] {
            let input = PaymentInput(
                idempotencyKey: "mpesa:\(code)", office: "MSU", application: app.reference(), quoteId: quote.quoteId,
                channel: "mpesa", externalReference: code, amount: amount, currency: "LSL", cashier: cashier.id)
            let paid = try ledger.pay(payment: input)
            XCTAssertEqual(try ledger.pay(payment: input), paid)
            _ = try app.recordPayment(
                by: cashier, paymentReference: paid.receipt.id, amount: paid.amount, currency: paid.currency, log: log)
        }
        XCTAssertEqual(try ledger.balance(application: app.reference()).outstanding, "0.00")
        XCTAssertEqual(app.outstanding(), "0.00")
        let receipts = try ledger.receipts(office: "MSU")
        XCTAssertEqual(receipts.map { $0.id }, ["MSU/2026/1", "MSU/2026/2"])

        // Review, and approval by a second officer.
        XCTAssertEqual(try app.takeIntoReview(by: clerk, log: log), .underReview)
        XCTAssertEqual(
            govErrorCode { _ = try app.approve(by: Actor(id: clerk.id, role: .approver, office: "MSU"), log: log) },
            "maker_checker")
        XCTAssertEqual(try app.approve(by: approver, log: log), .approved)

        // The trust list names the ministry's Swift signer and the till.
        let root = try Issuer(signer: try softwareSignerFromSeed(seed: Data(repeating: 1, count: 32)), clock: clock)
        let ministrySigner = try SwiftSigner(seed: 2)
        let ministry = try Issuer(signer: ministrySigner, clock: clock)
        let trust = try root.signTrustList(
            issuerName: "Government of Lesotho", seq: 1,
            keys: [
                try trustListKey("Ministry of Home Affairs", ministrySigner, ["ls.gov.home-affairs.*", "ls.gov.eservices.status-list"]),
                try trustListKey("Maseru passport office till", till, ["ls.gov.eservices.receipt"]),
            ],
            exp: nil)
        let verifier = try Verifier(rootPublicKey: root.publicKeyText(), trustListJson: trust.json, clock: clock)
        for r in receipts {
            XCTAssertTrue(try verifier.verify(text: r.json).valid)
            XCTAssertTrue(try verifier.verify(text: r.qr!).valid)
        }
        XCTAssertTrue(try ledger.auditSeries(office: "MSU", verifier: verifier).ok)

        // The approval letter, signed by the Swift signer, with a revocation entry.
        let status = try StatusListManager(listId: "home-affairs-2026-1", size: 131072)
        let entry = try status.allocate()
        let payload = #"{"application":"\#(app.reference())","service":"\#(passportId)","surname":"Mokoena","given_names":"Lineo"}"#
        let letter = try ministry.issue(
            typ: "ls.gov.home-affairs.passport-approval", id: "PSP-APPROVAL-2026-000123", payloadJson: payload,
            exp: nil, status: entry)
        XCTAssertEqual(ministrySigner.signatures, 1)
        try verifier.addStatusList(json: try status.publish(issuer: ministry, validUntil: "2026-03-09T08:00:00Z").json)
        for text in [letter.json, letter.qr!] {
            let result = try verifier.verify(text: text)
            XCTAssertTrue(result.valid, result.detail)
            XCTAssertEqual(result.document?.issuer, "Ministry of Home Affairs")
        }
        XCTAssertEqual(
            try app.issue(by: issuingOfficer, documentId: letter.id, log: log),
            .issued)

        // Tampered: bad_signature. Revoked: revoked.
        let tampered = try verifier.verify(text: letter.json.replacingOccurrences(of: "Lineo", with: "Palesa"))
        XCTAssertEqual(tampered.reasonCode, "bad_signature")
        try status.revoke(index: entry.index)
        try verifier.addStatusList(json: try status.publish(issuer: ministry, validUntil: "2026-03-09T08:00:00Z").json)
        XCTAssertEqual(try verifier.verify(text: letter.qr!).reasonCode, "revoked")
        XCTAssertEqual(
            try app.revoke(by: admin, reason: "reported stolen", log: log),
            .revoked)

        let z = try ledger.zReportJson(office: "MSU", day: nil, catalogue: catalogue)
        XCTAssertTrue(z.contains(#""by_channel":{"mpesa":{"LSL":"800.00"}}"#), z)
        try log.verify()
        try app.checkRecordedIn(log: log)
    }
}
