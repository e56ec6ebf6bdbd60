// Signed documents, payments and receipts from Swift: a Swift Signer, a signer that throws,
// trust and status lists, the ledger, refunds, audit, and hostile input.
import EServices
import Foundation
import XCTest

/// A signer implemented in Swift: it wraps a built-in key, as an app would wrap the Secure
/// Enclave, and counts its signatures.
final class SwiftSigner: Signer, @unchecked Sendable {
    private let key: Signer
    private(set) var signatures = 0

    init(seed: UInt8) throws { key = try softwareSignerFromSeed(seed: Data(repeating: seed, count: 32)) }
    func alg() throws -> Alg { try key.alg() }
    func publicKey() throws -> Data { try key.publicKey() }
    func sign(message: Data) throws -> Data {
        signatures += 1
        return try key.sign(message: message)
    }
}

private struct DeviceFailure: Error {}

/// A Swift signer whose device fails with `error`.
private final class ThrowingSigner: Signer, @unchecked Sendable {
    private let key: Signer
    private let error: Error
    init(_ error: Error) throws {
        key = try softwareSignerFromSeed(seed: Data(repeating: 5, count: 32))
        self.error = error
    }
    func alg() throws -> Alg { .ed25519 }
    func publicKey() throws -> Data { try key.publicKey() }
    func sign(message: Data) throws -> Data { throw error }
}

/// The code of the GovError `body` throws ("" and a test failure otherwise).
func govErrorCode(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) -> String {
    do {
        try body()
        XCTFail("expected a GovError but nothing was thrown", file: file, line: line)
    } catch let error as GovError {
        switch error {
        case .InvalidInput(let code, _, _), .NotFound(let code, _), .Conflict(let code, _),
            .Refused(let code, _), .Integrity(let code, _), .Internal(let code, _):
            return code
        }
    } catch {
        XCTFail("not a GovError: \(error)", file: file, line: line)
    }
    return ""
}

func trustListKey(_ name: String, _ signer: Signer, _ docTypes: [String]) throws -> TrustListKey {
    TrustListKey(
        name: name, alg: try signer.alg(), publicKey: try signer.publicKey(),
        notBefore: "2026-01-01T00:00:00Z", notAfter: "2028-01-01T00:00:00Z", docTypes: docTypes)
}

final class SigningPaymentTests: XCTestCase {
    func testASwiftSignerIssuesDocumentsThatVerifyAndRevoke() throws {
        let clock = TimeSource.fixed(at: now)
        let (root, signer, ministry, trust) = try ministryWorld(clock)
        let verifier = try Verifier(rootPublicKey: root.publicKeyText(), trustListJson: trust.json, clock: clock)
        let lists = try StatusListManager(listId: "home-affairs-1", size: 131072)
        let entry = try lists.allocate()
        let doc = try ministry.issue(
            typ: "ls.gov.home-affairs.permit", id: "P-1", payloadJson: #"{"holder": "Lineo"}"#, exp: nil, status: entry)
        XCTAssertEqual(signer.signatures, 1)
        try verifier.addStatusList(json: try lists.publish(issuer: ministry, validUntil: "2026-03-09T08:00:00Z").json)
        for text in [doc.json, doc.qr!] {
            let result = try verifier.verify(text: text)
            XCTAssertTrue(result.valid, result.detail)
            XCTAssertEqual(result.document?.issuer, "Ministry of Home Affairs")
        }
        let forged = try verifier.verify(text: doc.json.replacingOccurrences(of: "Lineo", with: "Palesa"))
        XCTAssertEqual(forged.reason, .badSignature)
        XCTAssertEqual(forged.reasonCode, "bad_signature")
        try lists.revoke(index: entry.index)
        try verifier.addStatusList(json: try lists.publish(issuer: ministry, validUntil: "2026-03-09T08:00:00Z").json)
        XCTAssertEqual(try verifier.verify(text: doc.qr!).reasonCode, "revoked")
        // In bulk: one call, each result the one-at-a-time result, in order.
        let plain = try ministry.issue(
            typ: "ls.gov.home-affairs.permit", id: "P-3", payloadJson: "{}", exp: nil, status: nil)
        let texts = [plain.json, doc.qr!, "not a document", plain.json.replacingOccurrences(of: "P-3", with: "P-4")]
        let results = try verifier.verifyAll(texts: texts)
        XCTAssertEqual(results, try texts.map { try verifier.verify(text: $0) })
        XCTAssertEqual(results.map { $0.reasonCode }, [nil, "revoked", "malformed", "bad_signature"])
    }

    func testGeneratedKeysRoundTripThroughPkcs8() throws {
        for alg in [Alg.ed25519, Alg.es256] {
            let pkcs8 = try generatePkcs8(alg: alg)
            let a = try softwareSignerFromPkcs8(alg: alg, pkcs8: pkcs8)
            let b = try softwareSignerFromPkcs8(alg: alg, pkcs8: pkcs8)
            XCTAssertEqual(try a.publicKey(), try b.publicKey())
            XCTAssertEqual(try a.sign(message: Data("m".utf8)).count, 64)
        }
    }

    func testASignerThatThrowsIsATypedError() throws {
        let errors: [Error] = [
            DeviceFailure(), GovError.Refused(code: "pin_locked", detail: "too many attempts"),
        ]
        for error in errors {
            let issuer = try Issuer(signer: try ThrowingSigner(error), clock: TimeSource.fixed(at: now))
            XCTAssertEqual(
                govErrorCode { _ = try issuer.issue(typ: "ls.gov.t", id: "1", payloadJson: "{}", exp: nil, status: nil) },
                "signer_failed")
        }
    }

    func testHostileSigningInputIsTypedErrors() throws {
        let clock = TimeSource.fixed(at: now)
        let root = try Issuer(signer: try softwareSignerFromSeed(seed: Data(repeating: 1, count: 32)), clock: clock)
        let huge = String(repeating: "x", count: 2 * 1024 * 1024)
        XCTAssertEqual(govErrorCode { _ = try root.issue(typ: "ls.gov.t", id: "1", payloadJson: #"{"a": "#, exp: nil, status: nil) }, "invalid_json")
        XCTAssertEqual(govErrorCode { _ = try root.issue(typ: "ls.gov.t", id: "1", payloadJson: huge, exp: nil, status: nil) }, "invalid_json")
        XCTAssertEqual(govErrorCode { _ = try root.issue(typ: "Not A Type", id: "1", payloadJson: "{}", exp: nil, status: nil) }, "malformed_envelope")
        XCTAssertEqual(govErrorCode { _ = try root.issue(typ: "ls.gov.t", id: "1", payloadJson: "{}", exp: "yesterday", status: nil) }, "invalid_time")
        XCTAssertEqual(govErrorCode { _ = try softwareSignerFromSeed(seed: Data(count: 5)) }, "invalid_key")
        XCTAssertEqual(govErrorCode { _ = try Verifier(rootPublicKey: "RSA abc", trustListJson: "{}", clock: clock) }, "unsupported_alg")
        XCTAssertEqual(govErrorCode { _ = try Verifier(rootPublicKey: huge, trustListJson: "{}", clock: clock) }, "invalid_key")
        XCTAssertEqual(govErrorCode { _ = try Verifier(rootPublicKey: root.publicKeyText(), trustListJson: "{", clock: clock) }, "rejected")
        XCTAssertEqual(govErrorCode { _ = try StatusListManager(listId: "l", size: 1000) }, "invalid_status_list_size")
    }

    func testPaymentsReceiptsRefundsAndHostileAmounts() throws {
        let quote = try quoteJson()
        let id = try quoteId()
        let ledger = PaymentLedger(clock: TimeSource.fixed(at: now), quoteValidityDays: nil)
        let till = try SwiftSigner(seed: 9)
        try ledger.openSeries(office: "MSU", series: "2026", signer: till)
        try ledger.registerQuote(application: "APP-1", quoteJson: quote)
        func input(_ key: String, _ amount: String, _ channel: String = "mpesa", currency: String = "LSL") -> PaymentInput {
            PaymentInput(
                idempotencyKey: key, office: "MSU", application: "APP-1", quoteId: id, channel: channel,
                externalReference: key, amount: amount, currency: currency, cashier: "cashier-7")
        }
        let first = try ledger.pay(payment: input("QK1", "300"))
        XCTAssertEqual(try ledger.pay(payment: input("QK1", "300")), first)
        XCTAssertEqual(govErrorCode { _ = try ledger.pay(payment: input("QK1", "200")) }, "idempotency_conflict")
        XCTAssertEqual(try ledger.balance(application: "APP-1").outstanding, "500.00")
        let request = try ledger.requestRefund(
            receipt: first.receipt.id, amount: "100", currency: "LSL", reason: "typo", actor: "cashier-7")
        XCTAssertEqual(govErrorCode { _ = try ledger.approveRefund(requestId: request.id, approver: "cashier-7") }, "same_actor_approval")
        let note = try ledger.approveRefund(requestId: request.id, approver: "supervisor-2")
        XCTAssertEqual(note.amount, "-100.00")
        _ = try ledger.voidNumber(office: "MSU", actor: "cashier-7", reason: "printer jam")
        XCTAssertEqual(try ledger.receipts(office: "MSU").map { $0.kind }, ["payment", "credit_note", "void"])

        for (amount, currency, code) in [
            ("1.5.5", "LSL", "invalid_amount"), ("abc", "LSL", "invalid_amount"), ("1e3", "LSL", "invalid_amount"),
            ("12.345", "LSL", "invalid_amount"), ("", "LSL", "invalid_amount"),
            (String(repeating: "9", count: 1 << 20), "LSL", "invalid_amount"),
            ("-10", "LSL", "invalid_payment_request"), ("10", "XYZ", "unknown_currency"),
        ] {
            XCTAssertEqual(govErrorCode { _ = try ledger.pay(payment: input("K2", amount, currency: currency)) }, code)
        }
        for channel in ["BITCOIN", "bitcoin", "mpessa", "M-Pesa", "", "a/b"] {
            XCTAssertEqual(govErrorCode { _ = try ledger.pay(payment: input("K3", "10", channel)) }, "invalid_payment_request")
        }
        XCTAssertEqual(govErrorCode { try ledger.registerQuote(application: "APP-2", quoteJson: "{") }, "invalid_json")
        XCTAssertEqual(
            govErrorCode { try ledger.registerQuote(application: "APP-2", quoteJson: quote.replacingOccurrences(of: "\"800.00\"", with: "\"8.00\"")) },
            "quote_id_mismatch")
        XCTAssertEqual(try ledger.receipts(office: "MSU").count, 3)  // refused requests changed nothing
    }
}
