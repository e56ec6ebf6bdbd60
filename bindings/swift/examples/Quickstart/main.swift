// Quick start: the library version and the canonical form of a JSON document.
// Run: bash bindings/swift/test.sh example      (or `swift run Quickstart` in bindings/swift)
import EServices
import Foundation

print("eservices \(libraryVersion())")
do {
    print(try canonicalJson(json: #"{"service": "passport", "pages": 64, "urgent": true}"#))
    _ = try canonicalJson(json: #"{"fee": 800.00}"#)  // money is never a float
} catch GovError.InvalidInput(let code, let detail, _) {
    print("refused as expected: \(code): \(detail)")
} catch {
    print("unexpected error: \(error)")
    exit(1)
}
