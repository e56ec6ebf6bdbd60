// The bindings' basics: version, canonical JSON, GovException, hostile input.
package ls.gov.eservices.tests

import java.io.File
import ls.gov.eservices.GovException
import ls.gov.eservices.canonicalJson
import ls.gov.eservices.libraryVersion

/** The version in the crate's Cargo.toml ([package] section); the repo path comes from test.sh. */
fun cargoVersion(): String {
    val repo = System.getProperty("eservices.repo") ?: error("run with -Deservices.repo=<repo>")
    val pkg = File(repo, "Cargo.toml").readText().substringAfter("[package]").substringBefore("\n[")
    return Regex("""(?m)^version\s*=\s*"([^"]+)"""").find(pkg)?.groupValues?.get(1)
        ?: error("no version in Cargo.toml")
}

fun basicsTests(t: TestRun) {
    t.test("libraryVersion is the Cargo version") {
        assertEq(libraryVersion(), cargoVersion())
    }

    t.test("canonicalJson sorts members and normalises") {
        val text = """{ "b": "\u00e9", "a": {"d": 1, "c": [true, null, 10]} }"""
        assertEq(canonicalJson(text), """{"a":{"c":[true,null,10],"d":1},"b":"é"}""")
    }

    t.test("canonicalJson is idempotent") {
        val once = canonicalJson("""{"z": [3, 2, 1], "y": {"x": "w"}}""")
        assertEq(canonicalJson(once), once)
    }

    val loose = mapOf(
        "malformed" to """{"a": """,
        "duplicate member name" to """{"a": 1, "a": 2}""",
        "float" to """{"amount": 1.5}""",
        "beyond 2^53 - 1" to "9007199254740993",
        "too deep" to "[".repeat(40) + "]".repeat(40),
        "empty string" to "",
        "trailing text" to """{"a": 1} trailing""",
    )
    for ((what, text) in loose) {
        t.test("loose JSON is refused with invalid_json: $what") {
            val e = assertThrows<GovException.InvalidInput> { canonicalJson(text) }
            assertEq(e.code, "invalid_json")
            check(e.detail.startsWith("invalid JSON at $")) { "detail: ${e.detail}" }
            assertEq(e.fieldErrors, emptyList()) // only invalid_answers lists refused answers
        }
    }

    t.test("the error names the JSON path") {
        val e = assertThrows<GovException> { canonicalJson("""{"fees": [{"amount": 1.5}]}""") }
        check(e is GovException.InvalidInput) { "category: $e" }
        check(e.message!!.contains("\$.fees[0].amount")) { "message: ${e.message}" }
    }

    t.test("huge input (2 MiB) is refused, not crashed") {
        val huge = "\"" + "x".repeat(2 * 1024 * 1024) + "\""
        val e = assertThrows<GovException.InvalidInput> { canonicalJson(huge) }
        assertEq(e.code, "invalid_json")
        check(e.detail.length < 1000) { "detail is ${e.detail.length} chars" }
    }

    t.test("large valid input round-trips") {
        val big = "[\"" + "é".repeat(200_000) + "\"]"
        assertEq(canonicalJson(big), big)
    }

    t.test("non-ASCII and NUL survive the boundary") {
        assertEq(canonicalJson("[\"\\u0000\", \"ü😀\"]"), "[\"\\u0000\",\"ü😀\"]")
    }
}
