// The durable store from Swift: payments, receipts and applications kept in an SQLite file,
// released and opened again; paths that cannot hold a store.
import EServices
import Foundation
import XCTest

private let storeNow = "2026-03-02T08:00:00Z"
private let storeApp = "MSU-PSP-2026-000123-U"

private func storeQuoteJson() throws -> String {
    var repo = URL(fileURLWithPath: #filePath)
    for _ in 0..<5 { repo.deleteLastPathComponent() }
    let url = repo.appendingPathComponent("bindings/testdata/quote-passport-64-urgent.json")
    return try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
}

private func storeQuoteId() throws -> String {
    let object = try JSONSerialization.jsonObject(with: Data(try storeQuoteJson().utf8))
    return try XCTUnwrap((object as? [String: Any])?["quote_id"] as? String)
}

private func openStore(_ path: String) throws -> RecordStore {
    let store = try RecordStore.open(path: path, logId: "MSU-2026", clock: TimeSource.fixed(at: storeNow), quoteValidityDays: nil)
    try store.openSeries(office: "MSU", series: "2026", signer: try SwiftSigner(seed: 9))
    return store
}

private func mpesa(_ key: String, _ amount: String, _ reference: String) throws -> PaymentInput {
    PaymentInput(
        idempotencyKey: key, office: "MSU", application: storeApp, quoteId: try storeQuoteId(),
        channel: "mpesa", externalReference: reference, amount: amount, currency: "LSL", cashier: "cashier-7")
}

private func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eservices-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

final class StoreTests: XCTestCase {
    func testPaymentsAndApplicationsSurviveAReopen() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("msu.db").path
        var store: RecordStore? = try openStore(path)
        try store!.registerQuote(application: storeApp, quoteJson: try storeQuoteJson())
        _ = try store!.pay(payment: try mpesa("mpesa:QK71H2XY9A", "300.00", "QK71H2XY9A"))
        let second = try store!.pay(payment: try mpesa("mpesa:QK71H2XY9P", "500", "QK71H2XY9P"))
        XCTAssertEqual(try store!.pay(payment: try mpesa("mpesa:QK71H2XY9P", "500", "QK71H2XY9P")), second)
        let created = try store!.createApplication(
            new: NewApplication(
                reference: storeApp, serviceId: "home-affairs.passport.ordinary", applicantId: "citizen-1",
                fee: ApplicationFee(due: .upfront, amount: "800.00", currency: "LSL"), answers: [:], attachments: []),
            by: Actor(id: "officer-17", role: .clerk, office: "MSU"))
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
        let clock = TimeSource.fixed(at: storeNow)
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
        let clock = TimeSource.fixed(at: storeNow)
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
