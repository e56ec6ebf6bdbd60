// The durable store from Kotlin: payments, receipts and applications kept in an SQLite file,
// closed and opened again; paths that cannot hold a store.
package ls.gov.eservices.tests

import java.io.File
import java.nio.file.Files
import ls.gov.eservices.Actor
import ls.gov.eservices.ApplicationFee
import ls.gov.eservices.Catalogue
import ls.gov.eservices.GovException
import ls.gov.eservices.Issuer
import ls.gov.eservices.NewApplication
import ls.gov.eservices.PaymentDue
import ls.gov.eservices.PaymentInput
import ls.gov.eservices.RecordStore
import ls.gov.eservices.Role
import ls.gov.eservices.State
import ls.gov.eservices.TimeSource
import ls.gov.eservices.TrustListKey
import ls.gov.eservices.Verifier
import ls.gov.eservices.formatApplicationReference
import ls.gov.eservices.softwareSignerFromSeed

private const val STORE_NOW = "2026-03-02T08:00:00Z"
private const val STORE_APP = "MSU-PSP-2026-000123-U"

private fun storeQuoteJson(): String {
    val repo = System.getProperty("eservices.repo") ?: error("run with -Deservices.repo=<repo>")
    return File(repo, "bindings/testdata/quote-passport-64-urgent.json").readText().trim()
}

private fun storeTill() = softwareSignerFromSeed(ByteArray(32) { 9 })

private fun openStore(path: File): RecordStore {
    val store = RecordStore.open(path.path, "MSU-2026", TimeSource.fixed(STORE_NOW), null)
    store.openSeries("MSU", "2026", storeTill())
    return store
}

private fun mpesa(key: String, amount: String, reference: String) =
    PaymentInput(
        idempotencyKey = key, office = "MSU", application = STORE_APP,
        quoteId = Regex("\"quote_id\":\"([^\"]+)\"").find(storeQuoteJson())!!.groupValues[1],
        channel = "mpesa", externalReference = reference, amount = amount, currency = "LSL",
        cashier = "cashier-7",
    )

private fun storeVerifier(): Verifier {
    val clock = TimeSource.fixed(STORE_NOW)
    val root = Issuer(softwareSignerFromSeed(ByteArray(32) { 1 }), clock)
    val till = storeTill()
    val trust = root.signTrustList(
        "Government of Lesotho", 1uL,
        listOf(TrustListKey("Maseru till", till.alg(), till.publicKey(), "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", listOf("ls.gov.eservices.receipt"))),
        null,
    )
    return Verifier(root.publicKeyText(), trust.json, clock)
}

fun storeTests(t: TestRun) {
    t.test("store: payments and applications survive closing and reopening") {
        val dir = Files.createTempDirectory("eservices-store").toFile()
        try {
            val path = File(dir, "msu.db")
            val (second, created) = openStore(path).use { store ->
                store.registerQuote(STORE_APP, storeQuoteJson())
                store.pay(mpesa("mpesa:QK71H2XY9A", "300.00", "QK71H2XY9A"))
                val paid = store.pay(mpesa("mpesa:QK71H2XY9P", "500", "QK71H2XY9P"))
                assertEq(store.pay(mpesa("mpesa:QK71H2XY9P", "500", "QK71H2XY9P")), paid)
                paid to store.createApplication(
                    NewApplication(
                        STORE_APP, "home-affairs.passport.ordinary", "citizen-1",
                        ApplicationFee(PaymentDue.UPFRONT, "800.00", "LSL"), emptyMap(), emptyList(),
                    ),
                    Actor("officer-17", Role.CLERK, "MSU"),
                )
            } // closed: the power goes off
            openStore(path).use { store ->
                assertEq(store.pay(mpesa("mpesa:QK71H2XY9P", "500", "QK71H2XY9P")), second)
                val b = store.balance(STORE_APP)
                assertEq(listOf(b.paid, b.outstanding), listOf("800.00", "0.00"))
                assertEq(store.receipts("MSU").map { it.id }, listOf("MSU/2026/1", "MSU/2026/2"))
                assertEq(store.receiptsOfDay("MSU", "2026-03-02").map { it.number }, listOf(1uL, 2uL))
                check(store.zReportJson("MSU", null, Catalogue.lesotho()).contains("\"mpesa\":{\"LSL\":\"800.00\"}")) { "z-report" }
                val report = store.auditSeries("MSU", storeVerifier())
                check(report.ok && report.checked == 2uL) { "audit: $report" }
                store.verifyAudit()
                assertEq(store.applicationJson(STORE_APP), created)
                assertEq(store.applicationsIn("MSU", State.DRAFT), listOf(STORE_APP))
                assertEq(store.applicationsIn("MSU", State.SUBMITTED), emptyList<String>())
                assertEq(assertThrows<GovException.NotFound> { store.applicationJson(formatApplicationReference("MSU", "PSP", 2026u, 124u)) }.code, "application_not_found")
            }
        } finally {
            dir.deleteRecursively()
        }
    }

    t.test("store: a path that cannot hold a store is a typed error") {
        val dir = Files.createTempDirectory("eservices-store").toFile()
        try {
            val clock = TimeSource.fixed(STORE_NOW)
            val missing = assertThrows<GovException.Internal> { RecordStore.open(File(dir, "no-such-dir/msu.db").path, "MSU-2026", clock, null) }
            assertEq(missing.code, "store_failed")
            val notes = File(dir, "notes.txt")
            notes.writeText("not a database, just some notes\n".repeat(200))
            assertEq(assertThrows<GovException.Integrity> { RecordStore.open(notes.path, "MSU-2026", clock, null) }.code, "store_corrupt")
        } finally {
            dir.deleteRecursively()
        }
    }
}
