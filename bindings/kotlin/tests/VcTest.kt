// W3C Verifiable Credentials from Kotlin: export with a Kotlin-side signer, verify, tamper,
// trust-list mode with revocation, an ES256 signer, hostile input.
package ls.gov.eservices.tests

import ls.gov.eservices.Alg
import ls.gov.eservices.GovException
import ls.gov.eservices.Issuer
import ls.gov.eservices.StatusListManager
import ls.gov.eservices.TimeSource
import ls.gov.eservices.TrustListKey
import ls.gov.eservices.VcReason
import ls.gov.eservices.VcVerdict
import ls.gov.eservices.VcVerifier
import ls.gov.eservices.generatePkcs8
import ls.gov.eservices.softwareSignerFromPkcs8
import ls.gov.eservices.softwareSignerFromSeed
import ls.gov.eservices.vcExport
import ls.gov.eservices.vcReasonCode

private fun VcVerdict.reason(): VcReason? = (this as? VcVerdict.Invalid)?.reason

fun vcTests(t: TestRun) {
    val clock = TimeSource.fixed("2026-03-02T08:00:00Z")
    val root = Issuer(softwareSignerFromSeed(ByteArray(32) { 1 }), clock)
    val signer = softwareSignerFromSeed(ByteArray(32) { 2 })
    val ministry = Issuer(signer, clock)
    val trust = root.signTrustList(
        "Government of Lesotho", 1uL,
        listOf(
            TrustListKey(
                name = "Ministry of Home Affairs",
                alg = ministry.alg(),
                publicKey = ministry.publicKey(),
                notBefore = "2026-01-01T00:00:00Z",
                notAfter = "2028-01-01T00:00:00Z",
                docTypes = listOf("ls.gov.home-affairs.*", "ls.gov.eservices.status-list"),
            ),
        ),
        null,
    )

    t.test("an Ed25519 document exports as a VC that verifies; tampering is bad_signature") {
        val doc = ministry.issue("ls.gov.home-affairs.permit", "P-1", """{"holder": "Palesa"}""", null, null)
        val credential = vcExport(doc.json, signer, clock)
        assertEq(vcExport(doc.qr!!, signer, clock), credential)
        val verifier = VcVerifier(clock)
        val verdict = verifier.verify(credential)
        check(verdict is VcVerdict.Valid) { verdict.toString() }
        val c = (verdict as VcVerdict.Valid).credential
        assertEq(Triple(c.documentType, c.documentId, c.subject), Triple("ls.gov.home-affairs.permit", "P-1", """{"holder":"Palesa"}"""))
        assertEq(c.trustedKeyName, null)
        val forged = verifier.verify(credential.replace("Palesa", "Mpho"))
        assertEq(forged.reason(), VcReason.BAD_SIGNATURE)
        assertEq(vcReasonCode(VcReason.BAD_SIGNATURE), "bad_signature")
    }

    t.test("trust-list mode names the key; a status list makes a credential valid, then revoked") {
        val lists = StatusListManager("home-affairs-1", 131072uL)
        val entry = lists.allocate()
        val doc = ministry.issue("ls.gov.home-affairs.letter", "L-1", "{}", null, entry)
        val credential = vcExport(doc.json, signer, clock)
        val verifier = VcVerifier.withTrustList(root.publicKeyText(), trust.json, clock)
        assertEq(verifier.verify(credential).reason(), VcReason.STATUS_UNKNOWN)
        verifier.addStatusList(lists.publish(ministry, "2026-03-09T08:00:00Z").json)
        val verdict = verifier.verify(credential)
        check(verdict is VcVerdict.Valid) { verdict.toString() }
        assertEq((verdict as VcVerdict.Valid).credential.trustedKeyName, "Ministry of Home Affairs")
        lists.revoke(entry.index)
        verifier.addStatusList(lists.publish(ministry, "2026-03-09T08:00:00Z").json)
        assertEq(verifier.verify(credential).reason(), VcReason.REVOKED)
    }

    t.test("an ES256 signer is GovException vc_unsupported_alg") {
        val es256 = softwareSignerFromPkcs8(Alg.ES256, generatePkcs8(Alg.ES256))
        val doc = Issuer(es256, clock).issue("ls.gov.t.permit", "E-1", "{}", null, null)
        val e = assertThrows<GovException> { vcExport(doc.json, es256, clock) }
        assertEq(e.govCode(), "vc_unsupported_alg")
    }

    t.test("hostile credentials are malformed and hostile documents GovException, never a crash") {
        val verifier = VcVerifier(clock)
        for (text in listOf("", "{", "[]", "null", """{"a": 1.5}""", """{"a":1,"a":2}""", "x".repeat(2 shl 20))) {
            assertEq(verifier.verify(text).reason(), VcReason.MALFORMED)
        }
        for (text in listOf("", "{", "LS1:!!", """{"v": 1}""")) {
            val e = assertThrows<GovException.InvalidInput> { vcExport(text, signer, clock) }
            check(e.govCode().isNotEmpty()) { "code" }
        }
    }
}
