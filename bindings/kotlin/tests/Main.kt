// Runs every Kotlin test suite; the last line is "N passed, N failed".
package ls.gov.eservices.tests

import kotlin.system.exitProcess

fun main() {
    val run = TestRun()
    basicsTests(run)
    catalogueApplicationTests(run)
    signingTests(run)
    paymentTests(run)
    flowTests(run)
    storeTests(run)
    vcTests(run)
    // New suites: add a file with `fun fooTests(t: TestRun)` and call it here.
    println("${run.passed} passed, ${run.failed} failed")
    exitProcess(if (run.failed == 0 && run.passed > 0) 0 else 1)
}
