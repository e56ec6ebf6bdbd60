// The durable store from Kotlin: payments, receipts, refunds and applications kept in an SQLite
// file, closed and opened again; paths and files that cannot hold a store.
package ls.gov.eservices.tests

import java.io.File
import java.nio.file.Files
import ls.gov.eservices.Action
import ls.gov.eservices.Actor
import ls.gov.eservices.Application
import ls.gov.eservices.ApplicationFee
import ls.gov.eservices.Catalogue
import ls.gov.eservices.Correction
import ls.gov.eservices.GovException
import ls.gov.eservices.NewApplication
import ls.gov.eservices.PaymentDue
import ls.gov.eservices.RecordStore
import ls.gov.eservices.Role
import ls.gov.eservices.State
import ls.gov.eservices.TimeSource
import ls.gov.eservices.formatApplicationReference

private fun openStore(path: File): RecordStore {
    val store = RecordStore.open(path.path, "MSU-2026", TimeSource.fixed(NOW), null)
    store.openSeries("MSU", "2026", tillKey())
    return store
}

private fun stateOf(json: String) = Application.fromJson(json).state()

/** Rewrites a big-endian 32-bit field of a closed store file's SQLite header (offset 60:
 *  user_version, the schema version; 68: application_id); returns the old value. */
private fun patchHeader(path: File, offset: Int, change: (Int) -> Int): Int {
    check(!File(path.path + "-wal").exists()) { "the store was not closed" }
    val bytes = path.readBytes()
    val old = java.nio.ByteBuffer.wrap(bytes, offset, 4).int
    java.nio.ByteBuffer.wrap(bytes).putInt(offset, change(old))
    path.writeBytes(bytes)
    return old
}

private fun <T> withTempDir(body: (File) -> T): T {
    val dir = Files.createTempDirectory("eservices-store").toFile()
    try {
        return body(dir)
    } finally {
        dir.deleteRecursively()
    }
}

fun storeTests(t: TestRun) {
    t.test("store: a refund needs a second officer; a void keeps its number; across reopens") {
        withTempDir { dir ->
            val path = File(dir, "msu.db")
            val (receipt, request) = openStore(path).use { store ->
                store.registerQuote(APP, quoteJson())
                val receipt = store.pay(payment("mpesa:QK71H2XY9A", "300.00", "mpesa", "QK71H2XY9A")).receipt.id
                val over = assertThrows<GovException.Refused> { store.requestRefund(receipt, "300.01", "LSL", "paid twice", "cashier-7") }
                assertEq(over.code, "refund_exceeds_refundable")
                receipt to store.requestRefund(receipt, "100", "LSL", "paid twice", "cashier-7")
            }
            assertEq(request.state, "pending")
            val (note, void) = openStore(path).use { store ->
                val same = assertThrows<GovException.Refused> { store.approveRefund(request.id, "cashier-7") }
                assertEq(same.code, "same_actor_approval")
                val note = store.approveRefund(request.id, "supervisor-2")
                assertEq(listOf(note.kind, note.amount), listOf("credit_note", "-100.00"))
                assertEq(store.refundable(receipt), "200.00")
                store.declineRefund(store.requestRefund(receipt, "50", "LSL", "typo", "cashier-7").id, "supervisor-2")
                note to store.voidNumber("MSU", "cashier-7", "printer jam")
            }
            assertEq(listOf(void.kind, void.number, void.amount), listOf("void", 3uL, null))
            openStore(path).use { store ->
                assertEq(store.refundRequests().map { listOf(it.state, it.decidedBy, it.creditNote) },
                    listOf(listOf("approved", "supervisor-2", note.id), listOf("declined", "supervisor-2", null)))
                val head = store.head("MSU")!!
                assertEq(listOf(head.number, head.hash), listOf(3uL, void.hash))
                assertEq(store.receipts("MSU").map { it.kind }, listOf("payment", "credit_note", "void"))
                check(store.auditSeries("MSU", receiptVerifier()).ok) { "series audit" }
                store.verifyAudit()
            }
        }
    }

    t.test("store: an application walks to issued through the store, reopened") {
        withTempDir { dir ->
            val path = File(dir, "msu.db")
            val lesotho = Catalogue.lesotho()
            val tillCashier = Actor("cashier-7", Role.CASHIER, "MSU") // who took the payment
            openStore(path).use { store ->
                store.registerQuote(APP, quoteJson())
                store.createApplication(
                    NewApplication(APP, PASSPORT, "citizen-1",
                        ApplicationFee(PaymentDue.ON_APPROVAL, "800.00", "LSL"), ANSWERS, emptyList()),
                    citizen,
                )
                assertEq(stateOf(store.submit(APP, citizen, lesotho)), State.SUBMITTED)
                assertEq(stateOf(store.takeIntoReview(APP, clerk)), State.UNDER_REVIEW)
                val corrections = listOf(Correction("surname", "does not match the ID"))
                assertEq(stateOf(store.returnForCorrection(APP, reviewer, corrections)), State.RETURNED_FOR_CORRECTION)
            }
            openStore(path).use { store ->
                val fixed = ANSWERS + ("surname" to "Mokoena-Thabo")
                assertEq(stateOf(store.resubmit(APP, citizen, fixed, emptyList(), lesotho)), State.SUBMITTED)
                assertEq(stateOf(store.takeIntoReview(APP, clerk)), State.UNDER_REVIEW)
                val before = store.applicationJson(APP)
                val own = assertThrows<GovException.Refused> { store.approve(APP, Actor(clerk.id, Role.APPROVER, "MSU")) }
                assertEq(own.code, "maker_checker")
                assertEq(store.applicationJson(APP), before)
                assertEq(stateOf(store.approve(APP, approver)), State.AWAITING_PAYMENT)
            }
            val issued = openStore(path).use { store ->
                val paid = store.pay(payment("mpesa:QK71H2XY9P", "800", "mpesa", "QK71H2XY9P"))
                assertEq(stateOf(store.recordPayment(APP, tillCashier, paid.receipt.id, "800.00", "LSL")), State.APPROVED)
                store.issue(APP, issuer, "PSP-RA0012345")
            }
            openStore(path).use { store ->
                assertEq(store.applicationJson(APP), issued)
                val app = Application.fromJson(issued)
                assertEq(app.state(), State.ISSUED)
                assertEq(app.history().map { it.action }, listOf(
                    Action.CREATE, Action.SUBMIT, Action.TAKE_INTO_REVIEW, Action.RETURN_FOR_CORRECTION,
                    Action.RESUBMIT, Action.TAKE_INTO_REVIEW, Action.APPROVE, Action.RECORD_PAYMENT, Action.ISSUE,
                ))
                assertEq(store.applicationsIn("MSU", State.ISSUED), listOf(APP))
                store.verifyAudit()
            }
        }
    }

    t.test("store: another application's file and a newer schema are refused") {
        withTempDir { dir ->
            val clock = TimeSource.fixed(NOW)
            val newer = File(dir, "newer.db")
            openStore(newer).close()
            val version = patchHeader(newer, 60) { it + 1 }
            assertEq(assertThrows<GovException.Refused> { RecordStore.open(newer.path, "MSU-2026", clock, null) }.code, "store_too_new")
            assertEq(patchHeader(newer, 60) { it }, version + 1) // left as it was
            val foreign = File(dir, "foreign.db")
            openStore(foreign).close()
            patchHeader(foreign, 68) { 0x4E4F5445 } // "NOTE": another application's id
            assertEq(assertThrows<GovException.InvalidInput> { RecordStore.open(foreign.path, "MSU-2026", clock, null) }.code, "store_foreign")
        }
    }

    t.test("store: payments and applications survive closing and reopening") {
        val dir = Files.createTempDirectory("eservices-store").toFile()
        try {
            val path = File(dir, "msu.db")
            val (second, created) = openStore(path).use { store ->
                store.registerQuote(APP, quoteJson())
                store.pay(payment("mpesa:QK71H2XY9A", "300.00", "mpesa", "QK71H2XY9A"))
                val paid = store.pay(payment("mpesa:QK71H2XY9P", "500", "mpesa", "QK71H2XY9P"))
                assertEq(store.pay(payment("mpesa:QK71H2XY9P", "500", "mpesa", "QK71H2XY9P")), paid)
                paid to store.createApplication(
                    NewApplication(
                        APP, PASSPORT, "citizen-1",
                        ApplicationFee(PaymentDue.UPFRONT, "800.00", "LSL"), emptyMap(), emptyList(),
                    ),
                    clerk,
                )
            } // closed: the power goes off
            openStore(path).use { store ->
                assertEq(store.pay(payment("mpesa:QK71H2XY9P", "500", "mpesa", "QK71H2XY9P")), second)
                val b = store.balance(APP)
                assertEq(listOf(b.paid, b.outstanding), listOf("800.00", "0.00"))
                assertEq(store.receipts("MSU").map { it.id }, listOf("MSU/2026/1", "MSU/2026/2"))
                assertEq(store.receiptsOfDay("MSU", "2026-03-02").map { it.number }, listOf(1uL, 2uL))
                check(store.zReportJson("MSU", null, Catalogue.lesotho()).contains("\"mpesa\":{\"LSL\":\"800.00\"}")) { "z-report" }
                val report = store.auditSeries("MSU", receiptVerifier())
                check(report.ok && report.checked == 2uL) { "audit: $report" }
                store.verifyAudit()
                assertEq(store.applicationJson(APP), created)
                assertEq(store.applicationsIn("MSU", State.DRAFT), listOf(APP))
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
            val clock = TimeSource.fixed(NOW)
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
