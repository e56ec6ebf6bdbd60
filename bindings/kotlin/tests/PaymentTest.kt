// Payments and receipts from Kotlin: the ledger, receipts, refunds, audit, Z-report,
// reconciliation, hostile amounts and channels.
package ls.gov.eservices.tests

import ls.gov.eservices.Catalogue
import ls.gov.eservices.GovException
import ls.gov.eservices.PaymentLedger
import ls.gov.eservices.StatementEntry
import ls.gov.eservices.TimeSource
import ls.gov.eservices.auditReceipts

private fun newLedger(): PaymentLedger {
    val ledger = PaymentLedger(TimeSource.fixed(NOW), null)
    ledger.openSeries("MSU", "2026", TillSigner())
    ledger.registerQuote(APP, quoteJson())
    return ledger
}

fun paymentTests(t: TestRun) {
    t.test("two-part M-Pesa payment with a retried idempotency key counts once") {
        val ledger = newLedger()
        val verifier = receiptVerifier()
        val first = ledger.pay(payment("mpesa:QK71H2XY9A", "300.00", "mpesa", "QK71H2XY9A"))
        val second = ledger.pay(payment("mpesa:QK71H2XY9P", "500", "mpesa", "QK71H2XY9P"))
        val retried = ledger.pay(payment("mpesa:QK71H2XY9P", "500", "mpesa", "QK71H2XY9P"))
        assertEq(retried, second)
        assertEq(listOf(first.receipt.number, second.receipt.number), listOf(1uL, 2uL))
        assertEq(second.receipt.id, "MSU/2026/2")
        val b = ledger.balance(APP)
        assertEq(listOf(b.owed, b.paid, b.outstanding, b.credit), listOf("800.00", "800.00", "0.00", "0.00"))
        for (r in ledger.receipts("MSU")) {
            check(verifier.verify(r.json).valid && verifier.verify(r.qr!!).valid) { "receipt ${r.id}" }
        }
        check(ledger.auditSeries("MSU", verifier).ok) { "audit" }
        val e = assertThrows<GovException.Conflict> { ledger.pay(payment("mpesa:QK71H2XY9P", "400", "mpesa", "QK71H2XY9P")) }
        assertEq(e.code, "idempotency_conflict")
    }

    t.test("refund (maker-checker), void, audit, Z-report and reconciliation") {
        val ledger = newLedger()
        val verifier = receiptVerifier()
        val paid = ledger.pay(payment("k1", "800", "mpesa", "QK1"))
        val request = ledger.requestRefund(paid.receipt.id, "100.00", "LSL", "charged twice", "cashier-7")
        assertEq(assertThrows<GovException.Refused> { ledger.approveRefund(request.id, "cashier-7") }.code, "same_actor_approval")
        val note = ledger.approveRefund(request.id, "supervisor-2")
        assertEq(Triple(note.kind, note.amount, note.number), Triple("credit_note", "-100.00", 2uL))
        assertEq(ledger.refundable(paid.receipt.id), "700.00")
        val void = ledger.voidNumber("MSU", "cashier-7", "printer jam")
        assertEq(Pair(void.kind, void.amount), Pair("void", null))
        val texts = ledger.receipts("MSU").map { it.json }
        check(auditReceipts(texts, verifier, "MSU", "2026", null, null).ok) { "audit" }
        val gap = auditReceipts(listOf(texts[0], texts[2]), verifier, null, null, null, null)
        assertEq(Pair(gap.problem?.kind, gap.problem?.index), Pair("gap", 1uL))
        val z = ledger.zReportJson("MSU", "2026-03-02", Catalogue.lesotho())
        check(z.contains(""""by_channel":{"mpesa":{"LSL":"800.00"}}""")) { z }
        val rec = ledger.reconcile(
            "MSU", "mpesa",
            listOf(
                StatementEntry("QK1", "800.00", "LSL", "2026-03-02T08:00:05Z"),
                StatementEntry("QK9", "50.00", "LSL", "2026-03-02T09:00:00Z"),
            ),
        )
        assertEq(rec.lines.map { it.kind to it.externalReference }, listOf("matched" to "QK1", "missing_in_ledger" to "QK9"))
        check(!rec.balanced) { "not balanced" }
    }

    val badAmounts = listOf(
        Triple("1.5.5", "LSL", "invalid_amount"),
        Triple("abc", "LSL", "invalid_amount"),
        Triple("1e3", "LSL", "invalid_amount"),
        Triple("12.345", "LSL", "invalid_amount"),
        Triple("", "LSL", "invalid_amount"),
        Triple("9".repeat(1 shl 20), "LSL", "invalid_amount"),
        Triple("0", "LSL", "invalid_payment_request"),
        Triple("-10", "LSL", "invalid_payment_request"),
        Triple("10", "XYZ", "unknown_currency"),
        Triple("10", "", "unknown_currency"),
    )
    for ((amount, currency, code) in badAmounts) {
        t.test("a bad amount is GovException $code: ${amount.take(12)} $currency") {
            val ledger = newLedger()
            val e = assertThrows<GovException> { ledger.pay(payment("k", amount, "cash", null, currency)) }
            assertEq(e.govCode(), code)
            check(e.message!!.length < 1000) { "message is ${e.message!!.length} chars" }
            assertEq(ledger.receipts("MSU"), emptyList())
        }
    }

    for (channel in listOf("BITCOIN", "bitcoin", "mpessa", "M-Pesa", "m pesa", "", "a/b", "x".repeat(40))) {
        t.test("a bad channel is invalid_payment_request: '${channel.take(12)}'") {
            val e = assertThrows<GovException.InvalidInput> { newLedger().pay(payment("k", "10", channel, "REF1")) }
            assertEq(e.code, "invalid_payment_request")
        }
    }

    t.test("other bad requests are typed errors") {
        val ledger = newLedger()
        val quote = quoteJson()
        val cases = listOf<Pair<String, () -> Unit>>(
            "invalid_payment_request" to { ledger.pay(payment("", "10")) },
            "invalid_payment_request" to { ledger.pay(payment("k".repeat(200_000), "10")) },
            "invalid_payment_request" to { ledger.pay(payment("k", "10", "mpesa", null)) },
            "invalid_json" to { ledger.registerQuote("APP-2", "{") },
            "invalid_json" to { ledger.registerQuote("APP-2", """{"quote_id": "x"}""") },
            "quote_id_mismatch" to { ledger.registerQuote("APP-2", quote.replace("\"800.00\"", "\"8.00\"")) },
            "unknown_application" to { ledger.balance("nobody") },
            "unknown_office" to { ledger.receipts("ZZZ") },
            "series_already_open" to { ledger.openSeries("MSU", "2026", TillSigner()) },
            "invalid_time" to { ledger.zReportJson("MSU", "2026-02-30", Catalogue.lesotho()) },
            "unknown_refund_request" to { ledger.approveRefund("RF-99", "supervisor-2") },
        )
        for ((code, call) in cases) {
            assertEq(assertThrows<GovException> { call() }.govCode(), code)
        }
    }
}
