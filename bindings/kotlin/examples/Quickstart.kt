// Quick start: an urgent passport from quote to a signed, offline-verifiable approval letter.
//
// Quote the fee from the shipped Lesotho catalogue, apply (an invalid phone number is refused
// with its field error), pay by M-Pesa in two parts (a retried callback counts once), get
// signed receipts, approve with a second officer, issue the approval letter through a signer
// written in Kotlin (an Ed25519 key of the JDK, as an app would use the Android Keystore), and
// verify it from JSON and from its QR text; a tampered copy and a revoked letter fail.
//
// Run: bash bindings/kotlin/test.sh example
import java.security.KeyPairGenerator
import java.security.Signature
import kotlin.system.exitProcess
import ls.gov.eservices.Actor
import ls.gov.eservices.Alg
import ls.gov.eservices.Application
import ls.gov.eservices.AuditLog
import ls.gov.eservices.Catalogue
import ls.gov.eservices.GovException
import ls.gov.eservices.Issuer
import ls.gov.eservices.NewApplication
import ls.gov.eservices.PaymentInput
import ls.gov.eservices.PaymentLedger
import ls.gov.eservices.Role
import ls.gov.eservices.Signer
import ls.gov.eservices.StatusListManager
import ls.gov.eservices.TimeSource
import ls.gov.eservices.TrustListKey
import ls.gov.eservices.VerificationResult
import ls.gov.eservices.Verifier
import ls.gov.eservices.applicationFee
import ls.gov.eservices.formatApplicationReference
import ls.gov.eservices.libraryVersion
import ls.gov.eservices.softwareSignerFromSeed

private const val NOW = "2026-03-02T08:00:00Z" // the story's clock; use TimeSource.system() in production
private const val PASSPORT = "home-affairs.passport.ordinary"

/** A signer written in Kotlin: a fresh Ed25519 key of the JDK (java.security). */
private class JdkSigner : Signer {
    private val pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair()
    override fun alg(): Alg = Alg.ED25519
    // The X.509 encoding of an Ed25519 public key ends with its 32 raw bytes.
    override fun publicKey(): ByteArray = pair.public.encoded.takeLast(32).toByteArray()
    override fun sign(message: ByteArray): ByteArray =
        Signature.getInstance("Ed25519").run { initSign(pair.private); update(message); sign() }
}

private fun trusted(name: String, signer: Signer, docTypes: List<String>) =
    TrustListKey(name, signer.alg(), signer.publicKey(), "2026-01-01T00:00:00Z", "2028-01-01T00:00:00Z", docTypes)

private fun describe(r: VerificationResult) = if (r.valid) "VALID" else "INVALID ${r.reasonCode}"

private fun run() {
    println("eservices ${libraryVersion()}")
    val clock = TimeSource.fixed(NOW)
    val citizen = Actor("citizen-1", Role.APPLICANT, "online")
    val clerk = Actor("officer-17", Role.CLERK, "MSU")
    val cashier = Actor("officer-30", Role.CASHIER, "MSU")
    val approver = Actor("officer-99", Role.APPROVER, "MSU")

    val catalogue = Catalogue.lesotho()
    val quote = catalogue.quote(PASSPORT, mapOf("pages" to "64", "urgent" to "true"), "general", "2026-03-02")
    for (line in quote.lines) println("  %-40s M %8s".format(line.description, line.amount))
    println("  %-40s M %8s".format("TOTAL", quote.total))

    val answers = mutableMapOf(
        "surname" to "Mokoena", "given_names" to "Lineo", "date_of_birth" to "1990-05-17",
        "national_id" to "012345678901", "phone" to "12345", "pages" to "64", "urgent" to "true",
        "photo" to """{"name":"photo.jpg","media_type":"image/jpeg","size":48213,""" +
            """"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}""",
    )
    val log = AuditLog.withFixedTime("MSU-2026", NOW)
    val reference = formatApplicationReference("MSU", "PSP", 2026u, 123u)
    val app = Application.create(
        NewApplication(reference, PASSPORT, citizen.id, applicationFee(quote), answers, emptyList()), citizen, log,
    )
    try {
        app.submit(citizen, catalogue, log)
    } catch (e: GovException.InvalidInput) {
        for (f in e.fieldErrors) println("refused: ${f.field}: ${f.reason}")
    }
    answers["phone"] = "5881 2345"
    app.saveDraft(citizen, answers, emptyList(), log)
    println("$reference: ${app.submit(citizen, catalogue, log)}")

    val till = JdkSigner()
    val ledger = PaymentLedger(clock, null)
    ledger.openSeries("MSU", "2026", till)
    ledger.registerQuote(reference, quote.json)
    for ((code, amount) in listOf("QK71H2XY9A" to "300.00", "QK71H2XY9P" to "500.00")) {
        val request = PaymentInput("mpesa:$code", "MSU", reference, quote.quoteId, "mpesa", code, amount, "LSL", cashier.id)
        val paid = ledger.pay(request)
        ledger.pay(request) // M-Pesa retries its callback: the same receipt, counted once
        app.recordPayment(cashier, paid.receipt.id, paid.amount, paid.currency, log)
        println("paid M ${paid.amount} by ${paid.channel}: receipt ${paid.receipt.id}")
    }
    println("outstanding: M ${ledger.balance(reference).outstanding}")

    app.takeIntoReview(clerk, log)
    try {
        app.approve(Actor(clerk.id, Role.APPROVER, "MSU"), log)
    } catch (e: GovException.Refused) {
        println("the same officer may not approve: ${e.code}")
    }
    println("a second officer approves: ${app.approve(approver, log)}")

    val root = Issuer(softwareSignerFromSeed(ByteArray(32) { 1 }), clock) // demo seed: never in production
    val ministrySigner = JdkSigner()
    val ministry = Issuer(ministrySigner, clock)
    val trust = root.signTrustList(
        "Government of Lesotho", 1uL,
        listOf(
            trusted("Ministry of Home Affairs", ministrySigner, listOf("ls.gov.home-affairs.*", "ls.gov.eservices.status-list")),
            trusted("Maseru passport office till", till, listOf("ls.gov.eservices.receipt")),
        ),
        null,
    )
    val verifier = Verifier(root.publicKeyText(), trust.json, clock) // what a bank clerk's app holds
    val status = StatusListManager("home-affairs-2026-1", 131072uL)
    val entry = status.allocate()
    val payload = """{"application":"$reference","surname":"Mokoena","given_names":"Lineo"}"""
    val letter = ministry.issue("ls.gov.home-affairs.passport-approval", "PSP-APPROVAL-2026-000123", payload, null, entry)
    verifier.addStatusList(status.publish(ministry, "2026-03-09T08:00:00Z").json)
    val copies = listOf(
        "receipt MSU/2026/2 (QR)" to ledger.receipts("MSU")[1].qr!!,
        "approval letter (JSON)" to letter.json,
        "approval letter (QR)" to letter.qr!!,
        "tampered letter" to letter.json.replace("Lineo", "Palesa"),
    )
    for ((name, text) in copies) println("  %-28s %s".format(name, describe(verifier.verify(text))))
    status.revoke(entry.index)
    verifier.addStatusList(status.publish(ministry, "2026-03-09T08:00:00Z").json)
    println("  %-28s %s".format("revoked letter", describe(verifier.verify(letter.qr!!))))
}

fun main() {
    try {
        run()
    } catch (e: GovException) { // every failure of the library is a GovException with a stable code
        System.err.println("error ${e.message}")
        exitProcess(1)
    }
}
