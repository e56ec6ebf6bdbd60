// What the Kotlin binding tests share: the clock's time, the passport service with answers its
// form accepts and the officers who handle it, the bindings' quote fixture with a payment of
// it, the till's key with a verifier that trusts it, and the code of any GovException.
package ls.gov.eservices.tests

import java.io.File
import ls.gov.eservices.Actor
import ls.gov.eservices.Alg
import ls.gov.eservices.GovException
import ls.gov.eservices.Issuer
import ls.gov.eservices.PaymentInput
import ls.gov.eservices.Role
import ls.gov.eservices.Signer
import ls.gov.eservices.TimeSource
import ls.gov.eservices.TrustListKey
import ls.gov.eservices.Verifier
import ls.gov.eservices.softwareSignerFromSeed

const val NOW = "2026-03-02T08:00:00Z"
const val PASSPORT = "home-affairs.passport.ordinary"
const val APP = "MSU-PSP-2026-000123-U"

/** Answers the shipped catalogue's passport form accepts (64 pages, urgent: M 800.00). */
val ANSWERS = mapOf(
    "surname" to "Mokoena",
    "given_names" to "Lineo",
    "date_of_birth" to "1990-05-17",
    "national_id" to "012345678901",
    "phone" to "5881 2345",
    "pages" to "64",
    "urgent" to "true",
    "photo" to """{"name":"photo.jpg","media_type":"image/jpeg","size":48213,""" +
        """"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}""",
)

val citizen = Actor("citizen-1", Role.APPLICANT, "online")
val clerk = Actor("officer-17", Role.CLERK, "MSU")
val cashier = Actor("officer-30", Role.CASHIER, "MSU")
val reviewer = Actor("officer-21", Role.REVIEWER, "MSU")
val approver = Actor("officer-99", Role.APPROVER, "MSU")
val issuer = Actor("officer-40", Role.ISSUING_OFFICER, "MSU")
val admin = Actor("admin-1", Role.ADMINISTRATOR, "HQ")

/** The bindings' quote fixture (a 64-page urgent passport, quoted 2026-03-02) as canonical JSON. */
fun quoteJson(): String {
    val repo = System.getProperty("eservices.repo") ?: error("run with -Deservices.repo=<repo>")
    return File(repo, "bindings/testdata/quote-passport-64-urgent.json").readText().trim()
}

/** The fixture quote's id. */
fun quoteId(): String =
    Regex("\"quote_id\":\"([^\"]+)\"").find(quoteJson())?.groupValues?.get(1) ?: error("no quote_id")

/** A payment of the fixture quote for [APP], at MSU by cashier-7. */
fun payment(key: String, amount: String, channel: String = "cash", reference: String? = null, currency: String = "LSL") =
    PaymentInput(
        idempotencyKey = key, office = "MSU", application = APP, quoteId = quoteId(),
        channel = channel, externalReference = reference, amount = amount, currency = currency,
        cashier = "cashier-7",
    )

/** The MSU till's signer, in Kotlin (wrapping [tillKey]). */
class TillSigner : Signer {
    private val key = tillKey()
    override fun alg(): Alg = key.alg()
    override fun publicKey(): ByteArray = key.publicKey()
    override fun sign(message: ByteArray): ByteArray = key.sign(message)
}

/** The MSU till's key. */
fun tillKey(): Signer = softwareSignerFromSeed(ByteArray(32) { 9 })

/** A verifier whose trust list holds the till's key for receipts. */
fun receiptVerifier(): Verifier {
    val clock = TimeSource.fixed(NOW)
    val root = Issuer(softwareSignerFromSeed(ByteArray(32) { 1 }), clock)
    val till = tillKey()
    val trust = root.signTrustList(
        "Government of Lesotho", 1uL,
        listOf(TrustListKey("Maseru till", till.alg(), till.publicKey(), "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", listOf("ls.gov.eservices.receipt"))),
        null,
    )
    return Verifier(root.publicKeyText(), trust.json, clock)
}

/** The code of any GovException category. */
fun GovException.govCode(): String = when (this) {
    is GovException.InvalidInput -> code
    is GovException.NotFound -> code
    is GovException.Conflict -> code
    is GovException.Refused -> code
    is GovException.Integrity -> code
    is GovException.Internal -> code
}
