// A minimal test harness for the Kotlin binding tests (plain JVM: no JUnit to install).
// Each suite is a function taking a TestRun; Main.kt runs every suite and prints
// "N passed, N failed" as its last line, exiting 1 if anything failed.
package ls.gov.eservices.tests

class TestRun {
    var passed = 0
        private set
    var failed = 0
        private set

    /** Runs one named test; any exception or failed check counts as a failure. */
    fun test(name: String, body: () -> Unit) {
        try {
            body()
            passed++
            println("PASS $name")
        } catch (e: Throwable) {
            failed++
            println("FAIL $name: $e")
        }
    }
}

class CheckFailed(what: String) : AssertionError(what)

fun check(cond: Boolean, what: () -> String) {
    if (!cond) throw CheckFailed(what())
}

fun <T> assertEq(actual: T, expected: T) {
    if (actual != expected) throw CheckFailed("expected <$expected> but was <$actual>")
}

/** Runs `body`, which must throw an E; returns it. */
inline fun <reified E : Throwable> assertThrows(body: () -> Unit): E {
    try {
        body()
    } catch (e: Throwable) {
        if (e is E) return e
        throw CheckFailed("expected ${E::class.simpleName} but got $e")
    }
    throw CheckFailed("expected ${E::class.simpleName} but nothing was thrown")
}
