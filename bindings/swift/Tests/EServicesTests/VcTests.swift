// W3C Verifiable Credentials from Swift: export with a Swift signer, verify, tamper,
// trust-list mode with revocation, an ES256 signer, hostile input.
import EServices
import Foundation
import XCTest

private func reason(_ verdict: VcVerdict) -> VcReason? {
    if case .invalid(let reason, _) = verdict { return reason }
    return nil
}

private func credential(_ verdict: VcVerdict, file: StaticString = #filePath, line: UInt = #line) -> VerifiedCredential? {
    if case .valid(let credential) = verdict { return credential }
    XCTFail("not valid: \(verdict)", file: file, line: line)
    return nil
}

final class VcTests: XCTestCase {
    func testExportVerifyTamperAndRevoke() throws {
        let clock = TimeSource.fixed(at: now)
        let (root, signer, ministry, trust) = try ministryWorld(clock)

        let doc = try ministry.issue(
            typ: "ls.gov.home-affairs.permit", id: "P-1", payloadJson: #"{"holder": "Palesa"}"#, exp: nil, status: nil)
        let vc = try vcExport(document: doc.json, signer: signer, clock: clock)
        XCTAssertEqual(try vcExport(document: doc.qr ?? "", signer: signer, clock: clock), vc)
        let plain = VcVerifier(clock: clock)
        let c = credential(try plain.verify(json: vc))
        XCTAssertEqual(c?.documentId, "P-1")
        XCTAssertEqual(c?.subject, #"{"holder":"Palesa"}"#)
        XCTAssertNil(c?.trustedKeyName)
        let forged = try plain.verify(json: vc.replacingOccurrences(of: "Palesa", with: "Mpho"))
        XCTAssertEqual(reason(forged), .badSignature)
        XCTAssertEqual(vcReasonCode(reason: .badSignature), "bad_signature")

        let lists = try StatusListManager(listId: "home-affairs-1", size: 131072)
        let entry = try lists.allocate()
        let letter = try ministry.issue(typ: "ls.gov.home-affairs.letter", id: "L-1", payloadJson: "{}", exp: nil, status: entry)
        let letterVc = try vcExport(document: letter.json, signer: signer, clock: clock)
        let trusted = try VcVerifier.withTrustList(rootPublicKey: root.publicKeyText(), trustListJson: trust.json, clock: clock)
        XCTAssertEqual(reason(try trusted.verify(json: letterVc)), .statusUnknown)
        try trusted.addStatusList(json: try lists.publish(issuer: ministry, validUntil: "2026-03-09T08:00:00Z").json)
        XCTAssertEqual(credential(try trusted.verify(json: letterVc))?.trustedKeyName, "Ministry of Home Affairs")
        try lists.revoke(index: entry.index)
        try trusted.addStatusList(json: try lists.publish(issuer: ministry, validUntil: "2026-03-09T08:00:00Z").json)
        XCTAssertEqual(reason(try trusted.verify(json: letterVc)), .revoked)
    }

    func testEs256SignerAndHostileInputAreTypedErrors() throws {
        let clock = TimeSource.fixed(at: now)
        let es256 = try softwareSignerFromPkcs8(alg: .es256, pkcs8: try generatePkcs8(alg: .es256))
        let doc = try Issuer(signer: es256, clock: clock).issue(typ: "ls.gov.t.permit", id: "E-1", payloadJson: "{}", exp: nil, status: nil)
        XCTAssertEqual(govErrorCode { _ = try vcExport(document: doc.json, signer: es256, clock: clock) }, "vc_unsupported_alg")

        let signer = try softwareSignerFromSeed(seed: Data(repeating: 2, count: 32))
        for text in ["", "{", "LS1:!!", #"{"v": 1}"#] {
            XCTAssertNotEqual(govErrorCode { _ = try vcExport(document: text, signer: signer, clock: clock) }, "")
        }
        let verifier = VcVerifier(clock: clock)
        for text in ["", "{", "[]", "null", #"{"a": 1.5}"#, #"{"a":1,"a":2}"#, String(repeating: "x", count: 2 << 20)] {
            XCTAssertEqual(reason(try verifier.verify(json: text)), .malformed)
        }
    }
}
