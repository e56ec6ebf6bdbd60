//! RFC 8785 test data (tests/data/rfc8785) through the crate's canonicaliser, which produces
//! every signing input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

#[test]
fn official_rfc8785_vectors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rfc8785");
    let mut count = 0;
    for entry in std::fs::read_dir(dir.join("input")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        let input: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let expected = std::fs::read(dir.join("output").join(name)).unwrap();
        let got = eservices::json::canonical(&input).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&expected),
            "{}",
            path.display()
        );
        count += 1;
    }
    assert_eq!(count, 6);
}
