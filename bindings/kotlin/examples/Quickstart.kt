// Quick start: the library version and the canonical form of a JSON document.
// Run: bash bindings/kotlin/test.sh example
import ls.gov.eservices.GovException
import ls.gov.eservices.canonicalJson
import ls.gov.eservices.libraryVersion

fun main() {
    println("eservices ${libraryVersion()}")
    println(canonicalJson("""{"service": "passport", "pages": 64, "urgent": true}"""))
    try {
        canonicalJson("""{"fee": 800.00}""") // money is never a float
    } catch (e: GovException.InvalidInput) {
        println("refused as expected: ${e.code}: ${e.detail}")
    }
}
