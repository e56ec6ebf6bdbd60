// Quick start: an urgent passport from quote to a signed, offline-verifiable approval letter.
//
// Quote the fee from the shipped Lesotho catalogue, apply (an invalid phone number is refused
// with its field error), pay by M-Pesa in two parts (a retried callback counts once), get
// signed receipts, approve with a second officer, issue the approval letter through a signer
// written in Swift, and verify it from JSON and from its QR text; a tampered copy and a
// revoked letter fail.
//
// Run: bash bindings/swift/test.sh example      (or `swift run Quickstart` in bindings/swift)
// The keys come from fixed demo seeds: never use them in production.
import EServices
import Foundation

let now = "2026-03-02T08:00:00Z"  // the story's clock; use TimeSource.system() in production
let passport = "home-affairs.passport.ordinary"

/// A signer written in Swift. On iOS, sign with the Secure Enclave here; this demo wraps a
/// built-in key made from a public demo seed.
final class SwiftSigner: Signer, @unchecked Sendable {
    private let key: Signer
    init(seed: UInt8) throws { key = try softwareSignerFromSeed(seed: Data(repeating: seed, count: 32)) }
    func alg() throws -> Alg { try key.alg() }
    func publicKey() throws -> Data { try key.publicKey() }
    func sign(message: Data) throws -> Data { try key.sign(message: message) }
}

func trusted(_ name: String, _ signer: Signer, _ docTypes: [String]) throws -> TrustListKey {
    TrustListKey(
        name: name, alg: try signer.alg(), publicKey: try signer.publicKey(),
        notBefore: "2026-01-01T00:00:00Z", notAfter: "2028-01-01T00:00:00Z", docTypes: docTypes)
}

func describe(_ r: VerificationResult) -> String { r.valid ? "VALID" : "INVALID \(r.reasonCode ?? "")" }

func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }

func run() throws {
    print("eservices \(libraryVersion())")
    let clock = TimeSource.fixed(at: now)
    let citizen = Actor(id: "citizen-1", role: .applicant, office: "online")
    let clerk = Actor(id: "officer-17", role: .clerk, office: "MSU")
    let cashier = Actor(id: "officer-30", role: .cashier, office: "MSU")
    let approver = Actor(id: "officer-99", role: .approver, office: "MSU")

    let catalogue = try Catalogue.lesotho()
    let quote = try catalogue.quote(
        serviceId: passport, answers: ["pages": "64", "urgent": "true"], applicantCategory: "general", date: "2026-03-02")
    for line in quote.lines { print("  \(pad(line.description, 40)) M \(line.amount)") }
    print("  \(pad("TOTAL", 40)) M \(quote.total)")

    var answers = [
        "surname": "Mokoena", "given_names": "Lineo", "date_of_birth": "1990-05-17",
        "national_id": "012345678901", "phone": "12345", "pages": "64", "urgent": "true",
        "photo": #"{"name":"photo.jpg","media_type":"image/jpeg","size":48213,"#
            + #""sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}"#,
    ]
    let log = try AuditLog.withFixedTime(logId: "MSU-2026", time: now)
    let reference = try formatApplicationReference(office: "MSU", service: "PSP", year: 2026, sequence: 123)
    let app = try Application.create(
        new: NewApplication(
            reference: reference, serviceId: passport, applicantId: citizen.id, fee: applicationFee(quote: quote),
            answers: answers, attachments: []),
        by: citizen, log: log)
    do {
        _ = try app.submit(by: citizen, catalogue: catalogue, log: log)
    } catch GovError.InvalidInput(_, _, let fieldErrors) {
        for e in fieldErrors { print("refused: \(e.field): \(e.reason)") }
    }
    answers["phone"] = "5881 2345"
    _ = try app.saveDraft(by: citizen, answers: answers, attachments: [], log: log)
    print("\(reference): \(try app.submit(by: citizen, catalogue: catalogue, log: log))")

    let till = try SwiftSigner(seed: 9)
    let ledger = PaymentLedger(clock: clock, quoteValidityDays: nil)
    try ledger.openSeries(office: "MSU", series: "2026", signer: till)
    try ledger.registerQuote(application: reference, quoteJson: quote.json)
    for (code, amount) in [("QK71H2XY9A", "300.00"), ("QK71H2XY9P", "500.00")] {
        let request = PaymentInput(
            idempotencyKey: "mpesa:\(code)", office: "MSU", application: reference, quoteId: quote.quoteId,
            channel: "mpesa", externalReference: code, amount: amount, currency: "LSL", cashier: cashier.id)
        let paid = try ledger.pay(payment: request)
        _ = try ledger.pay(payment: request)  // M-Pesa retries its callback: the same receipt, counted once
        _ = try app.recordPayment(
            by: cashier, paymentReference: paid.receipt.id, amount: paid.amount, currency: paid.currency, log: log)
        print("paid M \(paid.amount) by \(paid.channel): receipt \(paid.receipt.id)")
    }
    print("outstanding: M \(try ledger.balance(application: reference).outstanding)")

    _ = try app.takeIntoReview(by: clerk, log: log)
    do {
        _ = try app.approve(by: Actor(id: clerk.id, role: .approver, office: "MSU"), log: log)
    } catch GovError.Refused(let code, _) {
        print("the same officer may not approve: \(code)")
    }
    print("a second officer approves: \(try app.approve(by: approver, log: log))")

    let root = try Issuer(signer: try softwareSignerFromSeed(seed: Data(repeating: 1, count: 32)), clock: clock)
    let ministrySigner = try SwiftSigner(seed: 2)
    let ministry = try Issuer(signer: ministrySigner, clock: clock)
    let trust = try root.signTrustList(
        issuerName: "Government of Lesotho", seq: 1,
        keys: [
            try trusted("Ministry of Home Affairs", ministrySigner, ["ls.gov.home-affairs.*", "ls.gov.eservices.status-list"]),
            try trusted("Maseru passport office till", till, ["ls.gov.eservices.receipt"]),
        ],
        exp: nil)
    let verifier = try Verifier(rootPublicKey: root.publicKeyText(), trustListJson: trust.json, clock: clock)
    let status = try StatusListManager(listId: "home-affairs-2026-1", size: 131072)
    let entry = try status.allocate()
    let payload = #"{"application":"\#(reference)","surname":"Mokoena","given_names":"Lineo"}"#
    let letter = try ministry.issue(
        typ: "ls.gov.home-affairs.passport-approval", id: "PSP-APPROVAL-2026-000123", payloadJson: payload,
        exp: nil, status: entry)
    try verifier.addStatusList(json: try status.publish(issuer: ministry, validUntil: "2026-03-09T08:00:00Z").json)
    let copies = [
        ("receipt MSU/2026/2 (QR)", try ledger.receipts(office: "MSU")[1].qr ?? ""),
        ("approval letter (JSON)", letter.json),
        ("approval letter (QR)", letter.qr ?? ""),
        ("tampered letter", letter.json.replacingOccurrences(of: "Lineo", with: "Palesa")),
    ]
    for (name, text) in copies { print("  \(pad(name, 28)) \(describe(try verifier.verify(text: text)))") }
    try status.revoke(index: entry.index)
    try verifier.addStatusList(json: try status.publish(issuer: ministry, validUntil: "2026-03-09T08:00:00Z").json)
    print("  \(pad("revoked letter", 28)) \(describe(try verifier.verify(text: letter.qr ?? "")))")
}

do {
    try run()
} catch {
    // Every failure of the library is a GovError with a stable code.
    print("error \(error)")
    exit(1)
}
