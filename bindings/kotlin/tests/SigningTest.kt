// Signed documents from Kotlin: a Kotlin Signer on the JDK's own Ed25519, built-in keys,
// trust and status lists, verification, hostile input, a signer that throws.
package ls.gov.eservices.tests

import java.security.KeyPairGenerator
import java.security.PrivateKey
import java.security.Signature
import ls.gov.eservices.Alg
import ls.gov.eservices.GovException
import ls.gov.eservices.Issuer
import ls.gov.eservices.Reason
import ls.gov.eservices.Signer
import ls.gov.eservices.StatusListManager
import ls.gov.eservices.TimeSource
import ls.gov.eservices.TrustListKey
import ls.gov.eservices.Verifier
import ls.gov.eservices.generatePkcs8
import ls.gov.eservices.publicKeyText
import ls.gov.eservices.reasonCode
import ls.gov.eservices.softwareSignerFromPkcs8
import ls.gov.eservices.softwareSignerFromSeed

/** A signer implemented in Kotlin with the JDK's Ed25519 (java.security), as an app would use its keystore
 *  (also the ministry's signer in the flow test). */
class JdkEd25519Signer : Signer {
    private val pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair()
    private val private: PrivateKey = pair.private
    var calls = 0
        private set

    override fun alg(): Alg = Alg.ED25519

    // The X.509 SubjectPublicKeyInfo of an Ed25519 key ends with the 32 raw key bytes.
    override fun publicKey(): ByteArray = pair.public.encoded.takeLast(32).toByteArray()

    override fun sign(message: ByteArray): ByteArray {
        calls++
        return Signature.getInstance("Ed25519").run {
            initSign(private)
            update(message)
            sign()
        }
    }
}

/** A Kotlin signer whose device fails. */
private class ThrowingSigner(private val error: Throwable) : Signer {
    private val key = softwareSignerFromSeed(ByteArray(32) { 5 })
    override fun alg(): Alg = Alg.ED25519
    override fun publicKey(): ByteArray = key.publicKey()
    override fun sign(message: ByteArray): ByteArray = throw error
}

private fun trustKey(issuer: Issuer, name: String, docTypes: List<String>) = TrustListKey(
    name = name,
    alg = issuer.alg(),
    publicKey = issuer.publicKey(),
    notBefore = "2026-01-01T00:00:00Z",
    notAfter = "2028-01-01T00:00:00Z",
    docTypes = docTypes,
)

fun signingTests(t: TestRun) {
    val clock = TimeSource.fixed(NOW)
    val root = Issuer(softwareSignerFromSeed(ByteArray(32) { 1 }), clock)
    val signer = JdkEd25519Signer()
    val ministry = Issuer(signer, clock)
    val trust = root.signTrustList(
        "Government of Lesotho", 1uL,
        listOf(trustKey(ministry, "Ministry of Home Affairs", listOf("ls.gov.home-affairs.*", "ls.gov.eservices.status-list"))),
        null,
    )
    val verifier = Verifier(root.publicKeyText(), trust.json, clock)

    t.test("a Kotlin (JDK Ed25519) signer issues documents that verify from JSON and QR") {
        val doc = ministry.issue("ls.gov.home-affairs.permit", "P-1", """{"holder": "Palesa"}""", null, null)
        assertEq(signer.calls, 1)
        assertEq(doc.iat, NOW)
        for (text in listOf(doc.json, doc.qr!!)) {
            val r = verifier.verify(text)
            check(r.valid) { r.detail }
            assertEq(r.document!!.issuer, "Ministry of Home Affairs")
            assertEq(r.document!!.payload, """{"holder":"Palesa"}""")
        }
    }

    t.test("tampering is bad_signature; revocation through a status list is revoked") {
        val lists = StatusListManager("home-affairs-1", 131072uL)
        val entry = lists.allocate()
        val doc = ministry.issue("ls.gov.home-affairs.permit", "P-2", """{"holder": "Lineo"}""", null, entry)
        val forged = verifier.verify(doc.json.replace("Lineo", "Palesa"))
        assertEq(Triple(forged.valid, forged.reason, forged.reasonCode), Triple(false, Reason.BAD_SIGNATURE, "bad_signature"))
        assertEq(verifier.verify(doc.json).reasonCode, "status_unknown")
        verifier.addStatusList(lists.publish(ministry, "2026-03-09T08:00:00Z").json)
        check(verifier.verify(doc.qr!!).valid) { "valid before revocation" }
        lists.revoke(entry.index)
        verifier.addStatusList(lists.publish(ministry, "2026-03-09T08:00:00Z").json)
        assertEq(verifier.verify(doc.qr!!).reasonCode, "revoked")
        assertEq(reasonCode(Reason.REVOKED), "revoked")
        // In bulk: one call, each result the one-at-a-time result, in order.
        val plain = ministry.issue("ls.gov.home-affairs.permit", "P-3", "{}", null, null)
        val texts = listOf(plain.json, doc.qr!!, "not a document", plain.json.replace("P-3", "P-4"))
        val results = verifier.verifyAll(texts)
        assertEq(results, texts.map { verifier.verify(it) })
        assertEq(results.map { it.reasonCode }, listOf(null, "revoked", "malformed", "bad_signature"))
        val again = StatusListManager.restore("home-affairs-1", 131072uL, lists.allocatedBits(), lists.revokedBits())
        check(again.isRevoked(entry.index)) { "restored" }
    }

    t.test("generated keys round-trip through PKCS#8") {
        for (alg in listOf(Alg.ED25519, Alg.ES256)) {
            val pkcs8 = generatePkcs8(alg)
            val a = softwareSignerFromPkcs8(alg, pkcs8)
            val b = softwareSignerFromPkcs8(alg, pkcs8)
            check(a.publicKey().contentEquals(b.publicKey())) { "same key" }
            check(publicKeyText(alg, a.publicKey()).startsWith(if (alg == Alg.ED25519) "Ed25519 " else "ES256 ")) { "text" }
            assertEq(a.sign("m".toByteArray()).size, 64)
        }
    }

    val failures = listOf(
        RuntimeException("HSM offline"),
        IllegalStateException("keystore locked"),
        GovException.Refused("pin_locked", "too many attempts"),
    )
    for (error in failures) {
        t.test("a Kotlin signer that throws ${error::class.simpleName} is GovException.Internal signer_failed") {
            val issuer = Issuer(ThrowingSigner(error), clock)
            val e = assertThrows<GovException.Internal> { issuer.issue("ls.gov.t", "1", "{}", null, null) }
            assertEq(e.code, "signer_failed")
        }
    }

    t.test("a signer returning garbage is caught") {
        val garbage = object : Signer {
            override fun alg() = Alg.ED25519
            override fun publicKey() = signer.publicKey()
            override fun sign(message: ByteArray) = ByteArray(64)
        }
        val e = assertThrows<GovException.Internal> { Issuer(garbage, clock).issue("ls.gov.t", "1", "{}", null, null) }
        assertEq(e.code, "signer_failed")
    }

    val huge = "x".repeat(2 * 1024 * 1024)
    val hostile = listOf<Triple<String, String, () -> Unit>>(
        Triple("malformed payload", "invalid_json") { ministry.issue("ls.gov.t", "1", """{"a": """, null, null) },
        Triple("float payload", "invalid_json") { ministry.issue("ls.gov.t", "1", """{"a": 1.5}""", null, null) },
        Triple("huge payload", "invalid_json") { ministry.issue("ls.gov.t", "1", huge, null, null) },
        Triple("bad type", "malformed_envelope") { ministry.issue("Not A Type", "1", "{}", null, null) },
        Triple("empty id", "malformed_envelope") { ministry.issue("ls.gov.t", "", "{}", null, null) },
        Triple("bad expiry", "invalid_time") { ministry.issue("ls.gov.t", "1", "{}", "yesterday", null) },
        Triple("short seed", "invalid_key") { softwareSignerFromSeed(ByteArray(5)) },
        Triple("bad PKCS#8", "invalid_key") { softwareSignerFromPkcs8(Alg.ES256, ByteArray(2)) },
        Triple("unknown root alg", "unsupported_alg") { Verifier("RSA abc", "{}", clock) },
        Triple("huge root key", "invalid_key") { Verifier(huge, "{}", clock) },
        Triple("bad trust list", "rejected") { Verifier(root.publicKeyText(), "{", clock) },
        Triple("bad status list size", "invalid_status_list_size") { StatusListManager("l", 1000uL) },
        Triple("bad status list", "rejected") { verifier.addStatusList("[]") },
    )
    for ((what, code, call) in hostile) {
        t.test("hostile signing input is GovException $code: $what") {
            val e = assertThrows<GovException> { call() }
            assertEq(e.govCode(), code)
            check(e.message!!.length < 1000) { "message is ${e.message!!.length} chars" }
        }
    }

    t.test("hostile documents are invalid (malformed), not crashes") {
        for (text in listOf("", "{}", "LS1:", "LS1:%%%", huge, "LS1:" + "A".repeat(9000))) {
            val r = verifier.verify(text)
            assertEq(Pair(r.valid, r.reasonCode), Pair(false, "malformed"))
        }
    }
}
