// The bindings' basics: version, canonical JSON, GovError, hostile input.
import EServices
import Foundation
import XCTest

/// The version in the crate's Cargo.toml ([package] section), found from this file's path.
func cargoVersion() throws -> String {
    var repo = URL(fileURLWithPath: #filePath)
    for _ in 0..<5 { repo.deleteLastPathComponent() }  // Tests/EServicesTests/x -> repo root
    let toml = try String(contentsOf: repo.appendingPathComponent("Cargo.toml"), encoding: .utf8)
    let package = toml.components(separatedBy: "[package]")[1].components(separatedBy: "\n[")[0]
    for line in package.split(separator: "\n") where line.hasPrefix("version") {
        return line.split(separator: "\"")[1].description
    }
    throw NSError(domain: "no version in Cargo.toml", code: 1)
}

/// Asserts that `body` throws GovError.InvalidInput with `code`; returns its detail.
@discardableResult
func assertInvalidInput(
    _ code: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void
) -> String {
    do {
        try body()
        XCTFail("expected GovError.InvalidInput(\(code)) but nothing was thrown", file: file, line: line)
    } catch GovError.InvalidInput(let got, let detail, let fieldErrors) {
        XCTAssertEqual(fieldErrors, [], file: file, line: line)
        XCTAssertEqual(got, code, file: file, line: line)
        return detail
    } catch {
        XCTFail("expected GovError.InvalidInput(\(code)) but got \(error)", file: file, line: line)
    }
    return ""
}

final class BasicsTests: XCTestCase {
    func testLibraryVersionIsTheCargoVersion() throws {
        XCTAssertEqual(libraryVersion(), try cargoVersion())
    }

    func testCanonicalJsonSortsMembersAndNormalises() throws {
        let text = #"{ "b": "\u00e9", "a": {"d": 1, "c": [true, null, 10]} }"#
        XCTAssertEqual(try canonicalJson(json: text), #"{"a":{"c":[true,null,10],"d":1},"b":"é"}"#)
    }

    func testCanonicalJsonIsIdempotent() throws {
        let once = try canonicalJson(json: #"{"z": [3, 2, 1], "y": {"x": "w"}}"#)
        XCTAssertEqual(try canonicalJson(json: once), once)
    }

    func testLooseJsonIsRefusedWithInvalidJson() {
        let loose = [
            "malformed": #"{"a": "#,
            "duplicate member name": #"{"a": 1, "a": 2}"#,
            "float": #"{"amount": 1.5}"#,
            "beyond 2^53 - 1": "9007199254740993",
            "too deep": String(repeating: "[", count: 40) + String(repeating: "]", count: 40),
            "empty string": "",
            "trailing text": #"{"a": 1} trailing"#,
        ]
        for (what, text) in loose {
            let detail = assertInvalidInput("invalid_json") { _ = try canonicalJson(json: text) }
            XCTAssertTrue(detail.hasPrefix("invalid JSON at $"), "\(what): \(detail)")
        }
    }

    func testTheErrorNamesTheJsonPath() {
        let detail = assertInvalidInput("invalid_json") {
            _ = try canonicalJson(json: #"{"fees": [{"amount": 1.5}]}"#)
        }
        XCTAssertTrue(detail.contains("$.fees[0].amount"), detail)
    }

    func testHugeInputIsRefusedNotCrashed() {
        let huge = "\"" + String(repeating: "x", count: 2 * 1024 * 1024) + "\""
        let detail = assertInvalidInput("invalid_json") { _ = try canonicalJson(json: huge) }
        XCTAssertLessThan(detail.count, 1000)
    }

    func testLargeValidInputRoundTrips() throws {
        let big = "[\"" + String(repeating: "é", count: 200_000) + "\"]"
        XCTAssertEqual(try canonicalJson(json: big), big)
    }

    func testNonAsciiAndNulSurviveTheBoundary() throws {
        XCTAssertEqual(try canonicalJson(json: #"["\u0000", "ü😀"]"#), #"["\u0000","ü😀"]"#)
    }

    func testGovErrorIsASwiftErrorWithADescription() {
        do {
            _ = try canonicalJson(json: "{")
            XCTFail("expected an error")
        } catch let error as GovError {
            XCTAssertFalse(error.localizedDescription.isEmpty)
        } catch {
            XCTFail("not a GovError: \(error)")
        }
    }
}
