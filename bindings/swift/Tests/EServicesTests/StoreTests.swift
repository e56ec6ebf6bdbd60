// The durable store from Swift: payments, receipts, refunds and applications kept in an SQLite
// file, released and opened again; paths and files that cannot hold a store.
import EServices
import Foundation
import XCTest

private let storeApp = "MSU-PSP-2026-000123-U"

private func openStore(_ path: String) throws -> RecordStore {
    let store = try RecordStore.open(path: path, logId: "MSU-2026", clock: TimeSource.fixed(at: now), quoteValidityDays: nil)
    try store.openSeries(office: "MSU", series: "2026", signer: try SwiftSigner(seed: 9))
    return store
}

private func mpesa(_ key: String, _ amount: String, _ reference: String) throws -> PaymentInput {
    PaymentInput(
        idempotencyKey: key, office: "MSU", application: storeApp, quoteId: try quoteId(),
        channel: "mpesa", externalReference: reference, amount: amount, currency: "LSL", cashier: "cashier-7")
}

private func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eservices-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

private func stateOf(_ json: String) throws -> State { try Application.fromJson(json: json).state() }

/// Rewrites a big-endian 32-bit field of a released store file's SQLite header (offset 60:
/// user_version, the schema version; 68: application_id); returns the old value.
private func patchHeader(_ path: String, _ offset: Int, _ change: (UInt32) -> UInt32) throws -> UInt32 {
    XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"), "the store was not released")
    let url = URL(fileURLWithPath: path)
    var bytes = [UInt8](try Data(contentsOf: url))
    let old = bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    let new = change(old)
    for i in 0..<4 { bytes[offset + i] = UInt8((new >> (24 - 8 * UInt32(i))) & 0xFF) }
    try Data(bytes).write(to: url)
    return old
}

final class StoreTests: XCTestCase {
    func testARefundNeedsASecondOfficerAndAVoidKeepsItsNumber() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("msu.db").path
        var store: RecordStore? = try openStore(path)
        try store!.registerQuote(application: storeApp, quoteJson: try quoteJson())
        let receipt = try store!.pay(payment: try mpesa("mpesa:QK71H2XY9A", "300.00", "QK71H2XY9A")).receipt.id
        XCTAssertEqual(
            govErrorCode { _ = try store!.requestRefund(receipt: receipt, amount: "300.01", currency: "LSL", reason: "paid twice", actor: "cashier-7") },
            "refund_exceeds_refundable")
        let request = try store!.requestRefund(receipt: receipt, amount: "100", currency: "LSL", reason: "paid twice", actor: "cashier-7")
        XCTAssertEqual(request.state, "pending")
        store = nil  // released: the power goes off

        store = try openStore(path)
        XCTAssertEqual(govErrorCode { _ = try store!.approveRefund(requestId: request.id, approver: "cashier-7") }, "same_actor_approval")
        let note = try store!.approveRefund(requestId: request.id, approver: "supervisor-2")
        XCTAssertEqual([note.kind, note.amount], ["credit_note", "-100.00"])
        XCTAssertEqual(try store!.refundable(receipt: receipt), "200.00")
        let declined = try store!.requestRefund(receipt: receipt, amount: "50", currency: "LSL", reason: "typo", actor: "cashier-7")
        try store!.declineRefund(requestId: declined.id, actor: "supervisor-2")
        let void = try store!.voidNumber(office: "MSU", actor: "cashier-7", reason: "printer jam")
        XCTAssertEqual(void.kind, "void")
        XCTAssertEqual(void.number, 3)
        XCTAssertNil(void.amount)
        store = nil

        let reopened = try openStore(path)
        let requests = try reopened.refundRequests()
        XCTAssertEqual(requests.map { $0.state }, ["approved", "declined"])
        XCTAssertEqual(requests.map { $0.decidedBy }, ["supervisor-2", "supervisor-2"])
        XCTAssertEqual(requests[0].creditNote, note.id)
        let head = try XCTUnwrap(try reopened.head(office: "MSU"))
        XCTAssertEqual(head.number, 3)
        XCTAssertEqual(head.hash, void.hash)
        XCTAssertEqual(try reopened.receipts(office: "MSU").map { $0.kind }, ["payment", "credit_note", "void"])
        try reopened.verifyAudit()
    }

    func testAnApplicationWalksToIssuedThroughTheStore() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("msu.db").path
        let lesotho = try Catalogue.lesotho()
        let tillCashier = Actor(id: "cashier-7", role: .cashier, office: "MSU")  // who took the payment

        var store: RecordStore? = try openStore(path)
        try store!.registerQuote(application: storeApp, quoteJson: try quoteJson())
        _ = try store!.createApplication(
            new: NewApplication(
                reference: storeApp, serviceId: passportId, applicantId: "citizen-1",
                fee: ApplicationFee(due: .onApproval, amount: "800.00", currency: "LSL"), answers: passportAnswers,
                attachments: []),
            by: citizen)
        XCTAssertEqual(try stateOf(try store!.submit(reference: storeApp, by: citizen, catalogue: lesotho)), .submitted)
        XCTAssertEqual(try stateOf(try store!.takeIntoReview(reference: storeApp, by: clerk)), .underReview)
        let corrections = [Correction(field: "surname", reason: "does not match the ID")]
        XCTAssertEqual(
            try stateOf(try store!.returnForCorrection(reference: storeApp, by: reviewer, corrections: corrections)),
            .returnedForCorrection)
        store = nil

        store = try openStore(path)
        var fixed = passportAnswers
        fixed["surname"] = "Mokoena-Thabo"
        XCTAssertEqual(
            try stateOf(try store!.resubmit(reference: storeApp, by: citizen, answers: fixed, attachments: [], catalogue: lesotho)),
            .submitted)
        XCTAssertEqual(try stateOf(try store!.takeIntoReview(reference: storeApp, by: clerk)), .underReview)
        let before = try store!.applicationJson(reference: storeApp)
        XCTAssertEqual(
            govErrorCode { _ = try store!.approve(reference: storeApp, by: Actor(id: clerk.id, role: .approver, office: "MSU")) },
            "maker_checker")
        XCTAssertEqual(try store!.applicationJson(reference: storeApp), before)
        XCTAssertEqual(try stateOf(try store!.approve(reference: storeApp, by: approver)), .awaitingPayment)
        store = nil

        store = try openStore(path)
        let paid = try store!.pay(payment: try mpesa("mpesa:QK71H2XY9P", "800", "QK71H2XY9P"))
        XCTAssertEqual(
            try stateOf(try store!.recordPayment(
                reference: storeApp, by: tillCashier, paymentReference: paid.receipt.id, amount: "800.00", currency: "LSL")),
            .approved)
        let issued = try store!.issue(reference: storeApp, by: issuingOfficer, documentId: "PSP-RA0012345")
        store = nil

        let reopened = try openStore(path)
        XCTAssertEqual(try reopened.applicationJson(reference: storeApp), issued)
        let app = try Application.fromJson(json: issued)
        XCTAssertEqual(app.state(), .issued)
        XCTAssertEqual(
            try app.history().map { $0.action },
            [.create, .submit, .takeIntoReview, .returnForCorrection, .resubmit, .takeIntoReview, .approve, .recordPayment, .issue])
        XCTAssertEqual(try reopened.applicationsIn(office: "MSU", state: .issued), [storeApp])
        try reopened.verifyAudit()
    }

    func testAnotherApplicationsFileAndANewerSchemaAreRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = TimeSource.fixed(at: now)
        let newer = dir.appendingPathComponent("newer.db").path
        _ = try openStore(newer)  // created and released at once
        let version = try patchHeader(newer, 60) { $0 + 1 }
        XCTAssertThrowsError(try RecordStore.open(path: newer, logId: "MSU-2026", clock: clock, quoteValidityDays: nil)) {
            guard case GovError.Refused(let code, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(code, "store_too_new")
        }
        XCTAssertEqual(try patchHeader(newer, 60) { $0 }, version + 1)  // left as it was
        let foreign = dir.appendingPathComponent("foreign.db").path
        _ = try openStore(foreign)
        _ = try patchHeader(foreign, 68) { _ in 0x4E4F_5445 }  // "NOTE": another application's id
        XCTAssertThrowsError(try RecordStore.open(path: foreign, logId: "MSU-2026", clock: clock, quoteValidityDays: nil)) {
            guard case GovError.InvalidInput(let code, _, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(code, "store_foreign")
        }
    }

    func testPaymentsAndApplicationsSurviveAReopen() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("msu.db").path
        var store: RecordStore? = try openStore(path)
        try store!.registerQuote(application: storeApp, quoteJson: try quoteJson())
        _ = try store!.pay(payment: try mpesa("mpesa:QK71H2XY9A", "300.00", "QK71H2XY9A"))
        let second = try store!.pay(payment: try mpesa("mpesa:QK71H2XY9P", "500", "QK71H2XY9P"))
        XCTAssertEqual(try store!.pay(payment: try mpesa("mpesa:QK71H2XY9P", "500", "QK71H2XY9P")), second)
        let created = try store!.createApplication(
            new: NewApplication(
                reference: storeApp, serviceId: passportId, applicantId: "citizen-1",
                fee: ApplicationFee(due: .upfront, amount: "800.00", currency: "LSL"), answers: [:], attachments: []),
            by: clerk)
        store = nil  // released: the power goes off

        let reopened = try openStore(path)
        XCTAssertEqual(try reopened.pay(payment: try mpesa("mpesa:QK71H2XY9P", "500", "QK71H2XY9P")), second)
        let balance = try reopened.balance(application: storeApp)
        XCTAssertEqual([balance.paid, balance.outstanding], ["800.00", "0.00"])
        XCTAssertEqual(try reopened.receipts(office: "MSU").map { $0.id }, ["MSU/2026/1", "MSU/2026/2"])
        XCTAssertEqual(try reopened.receiptsOfDay(office: "MSU", day: "2026-03-02").map { $0.number }, [1, 2])
        XCTAssertTrue(
            try reopened.zReportJson(office: "MSU", day: nil, catalogue: try Catalogue.lesotho())
                .contains(#""mpesa":{"LSL":"800.00"}"#))
        let clock = TimeSource.fixed(at: now)
        let root = try Issuer(signer: try softwareSignerFromSeed(seed: Data(repeating: 1, count: 32)), clock: clock)
        let trust = try root.signTrustList(
            issuerName: "Government of Lesotho", seq: 1,
            keys: [try trustListKey("Maseru till", try SwiftSigner(seed: 9), ["ls.gov.eservices.receipt"])], exp: nil)
        let verifier = try Verifier(rootPublicKey: root.publicKeyText(), trustListJson: trust.json, clock: clock)
        let report = try reopened.auditSeries(office: "MSU", verifier: verifier)
        XCTAssertTrue(report.ok)
        XCTAssertEqual(report.checked, 2)
        try reopened.verifyAudit()
        XCTAssertEqual(try reopened.applicationJson(reference: storeApp), created)
        XCTAssertEqual(try reopened.applicationsIn(office: "MSU", state: .draft), [storeApp])
        XCTAssertEqual(try reopened.applicationsIn(office: "MSU", state: .submitted), [])
        XCTAssertEqual(
            govErrorCode { _ = try reopened.applicationJson(
                    reference: try formatApplicationReference(office: "MSU", service: "PSP", year: 2026, sequence: 124)) }, "application_not_found")
    }

    func testAPathThatCannotHoldAStoreIsATypedError() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = TimeSource.fixed(at: now)
        let missing = dir.appendingPathComponent("no-such-dir/msu.db").path
        XCTAssertEqual(
            govErrorCode { _ = try RecordStore.open(path: missing, logId: "MSU-2026", clock: clock, quoteValidityDays: nil) },
            "store_failed")
        let notes = dir.appendingPathComponent("notes.txt")
        try String(repeating: "not a database, just some notes\n", count: 200).write(to: notes, atomically: true, encoding: .utf8)
        XCTAssertEqual(
            govErrorCode { _ = try RecordStore.open(path: notes.path, logId: "MSU-2026", clock: clock, quoteValidityDays: nil) },
            "store_corrupt")
    }
}
