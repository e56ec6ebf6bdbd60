// What the Swift binding tests share: the clock's time, the passport service with answers its
// form accepts and the officers who handle it, the bindings' quote fixture, and a ministry
// issuing through a Swift signer with the root's trust list naming it.
import EServices
import Foundation
import XCTest

let now = "2026-03-02T08:00:00Z"
let passportId = "home-affairs.passport.ordinary"

/// Answers the shipped catalogue's passport form accepts (64 pages, urgent: M 800.00).
let passportAnswers: [String: String] = [
    "surname": "Mokoena", "given_names": "Lineo", "date_of_birth": "1990-05-17",
    "national_id": "012345678901", "phone": "5881 2345", "pages": "64", "urgent": "true",
    "photo": #"{"name":"photo.jpg","media_type":"image/jpeg","size":48213,"#
        + #""sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}"#,
]

let citizen = Actor(id: "citizen-1", role: .applicant, office: "online")
let clerk = Actor(id: "officer-17", role: .clerk, office: "MSU")
let cashier = Actor(id: "officer-30", role: .cashier, office: "MSU")
let reviewer = Actor(id: "officer-21", role: .reviewer, office: "MSU")
let approver = Actor(id: "officer-99", role: .approver, office: "MSU")
let issuingOfficer = Actor(id: "officer-40", role: .issuingOfficer, office: "MSU")
let admin = Actor(id: "admin-1", role: .administrator, office: "HQ")

/// The bindings' quote fixture (a 64-page urgent passport, quoted 2026-03-02) as canonical JSON.
func quoteJson() throws -> String {
    var repo = URL(fileURLWithPath: #filePath)
    for _ in 0..<5 { repo.deleteLastPathComponent() }
    let url = repo.appendingPathComponent("bindings/testdata/quote-passport-64-urgent.json")
    return try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// The fixture quote's id.
func quoteId() throws -> String {
    let object = try JSONSerialization.jsonObject(with: Data(try quoteJson().utf8))
    return try XCTUnwrap((object as? [String: Any])?["quote_id"] as? String)
}

/// A government root key, the Ministry of Home Affairs issuing through a Swift signer, and the
/// root's trust list naming the ministry.
func ministryWorld(_ clock: TimeSource) throws -> (root: Issuer, signer: SwiftSigner, ministry: Issuer, trust: SignedDocument) {
    let root = try Issuer(signer: try softwareSignerFromSeed(seed: Data(repeating: 1, count: 32)), clock: clock)
    let signer = try SwiftSigner(seed: 2)
    let ministry = try Issuer(signer: signer, clock: clock)
    let trust = try root.signTrustList(
        issuerName: "Government of Lesotho", seq: 1,
        keys: [try trustListKey("Ministry of Home Affairs", signer, ["ls.gov.home-affairs.*", "ls.gov.eservices.status-list"])],
        exp: nil)
    return (root, signer, ministry, trust)
}
