//! The `rust-version` of Cargo.toml holds for what a consumer builds. Only one toolchain is at
//! hand, so this checks declarations: every package that `Cargo.lock` puts into the library's
//! dependency graph (normal and build dependencies, every target platform) must declare a
//! `rust-version` of at most ours, for the default features (`ffi`, `sqlite`) and for
//! `--no-default-features`. So must the graphs of the tests, benches and examples, and the
//! `bindgen` feature (uniffi's CLI) must stay within [`BINDGEN_RUST`].
//!
//! A package that declares no `rust-version` is judged by its edition alone (2024 needs 1.85);
//! uniffi 0.32, rusqlite 0.37 and libsqlite3-sys 0.35 are among those (Cargo.toml says what is
//! known of them). `cargo tree` resolves features as a build of those targets would, unlike
//! `cargo metadata`'s graph, which also holds optional dependencies named by weak features
//! (`dep?/feature`) that are never built. Both run `--locked`; they download any package of
//! another platform that is not in cargo's cache yet.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::OnceLock;

/// What the `bindgen` feature needs: askama 0.16 (uniffi_bindgen's templates) and
/// cargo-platform 0.3.2 (through cargo_metadata 0.23) declare 1.88.
const BINDGEN_RUST: &str = "1.88";

/// A Rust version as (major, minor, patch); "1.82" is 1.82.0.
type Version = (u64, u64, u64);

fn parse_version(text: &str) -> Version {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().unwrap());
    let major = parts.next().unwrap();
    let minor = parts.next().unwrap_or(0);
    let patch = parts.next().unwrap_or(0);
    (major, minor, patch)
}

/// The oldest Rust that knows an edition.
fn edition_rust(edition: &str) -> Version {
    match edition {
        "2015" => (1, 0, 0),
        "2018" => (1, 31, 0),
        "2021" => (1, 56, 0),
        "2024" => (1, 85, 0),
        other => panic!("unknown edition {other}"),
    }
}

fn cargo(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo {} failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A package of the lock file, as `cargo metadata` describes it.
struct Package {
    rust_version: Option<String>,
    edition: String,
}

impl Package {
    /// The Rust this package needs by its own declarations.
    fn needs(&self) -> Version {
        let edition = edition_rust(&self.edition);
        match &self.rust_version {
            Some(v) => parse_version(v).max(edition),
            None => edition,
        }
    }
}

/// Our rust-version and every package of the lock file (all features), by (name, version).
struct Metadata {
    ours: String,
    packages: BTreeMap<(String, String), Package>,
}

fn metadata() -> &'static Metadata {
    static METADATA: OnceLock<Metadata> = OnceLock::new();
    METADATA.get_or_init(|| {
        let json = cargo(&[
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--all-features",
        ]);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let root = value["resolve"]["root"].as_str().unwrap();
        let mut ours = None;
        let mut packages = BTreeMap::new();
        for p in value["packages"].as_array().unwrap() {
            let rust_version = p["rust_version"].as_str().map(str::to_owned);
            if p["id"].as_str() == Some(root) {
                ours = rust_version.clone();
            }
            packages.insert(
                (
                    p["name"].as_str().unwrap().to_owned(),
                    p["version"].as_str().unwrap().to_owned(),
                ),
                Package {
                    rust_version,
                    edition: p["edition"].as_str().unwrap().to_owned(),
                },
            );
        }
        Metadata {
            ours: ours.expect("Cargo.toml declares rust-version"),
            packages,
        }
    })
}

/// The packages (name, version) of one `cargo tree` graph.
fn graph(edges: &str, features: &[&str]) -> BTreeSet<(String, String)> {
    let mut args = vec![
        "tree", "--locked", "--edges", edges, "--target", "all", "--prefix", "none", "--format",
        "{p}",
    ];
    args.extend_from_slice(features);
    let out = cargo(&args);
    let mut set = BTreeSet::new();
    for line in out.lines().filter(|l| !l.trim().is_empty()) {
        let mut words = line.split_whitespace();
        let name = words.next().unwrap();
        let version = words.next().unwrap().trim_start_matches('v');
        set.insert((name.to_owned(), version.to_owned()));
    }
    set
}

/// Asserts that every package of the graph needs at most `limit`, listing every offender.
fn assert_graph_within(what: &str, edges: &str, features: &[&str], limit: &str) {
    let meta = metadata();
    let max = parse_version(limit);
    let packages = graph(edges, features);
    assert!(packages.len() > 10, "{what}: only {packages:?}");
    let mut offenders = Vec::new();
    for key in &packages {
        let package = meta
            .packages
            .get(key)
            .unwrap_or_else(|| panic!("{what}: {} {} not in cargo metadata", key.0, key.1));
        if package.needs() > max {
            offenders.push(format!(
                "{} {} (rust-version {}, edition {})",
                key.0,
                key.1,
                package.rust_version.as_deref().unwrap_or("none"),
                package.edition
            ));
        }
    }
    assert!(
        offenders.is_empty(),
        "{what} ({} packages) needs more than Rust {limit}:\n  {}\n\
         (lock an older release: `cargo update -p NAME --precise VERSION`, or raise the limit \
         and say why)",
        packages.len(),
        offenders.join("\n  ")
    );
}

#[test]
fn rust_version_is_declared_and_below_what_bindgen_needs() {
    let ours = parse_version(&metadata().ours);
    assert!(ours <= parse_version(BINDGEN_RUST));
}

#[test]
fn library_with_default_features_builds_on_rust_version() {
    let ours = &metadata().ours;
    assert_graph_within("the library (default features)", "normal,build", &[], ours);
}

#[test]
fn library_without_default_features_builds_on_rust_version() {
    let ours = &metadata().ours;
    assert_graph_within(
        "the library (--no-default-features)",
        "normal,build",
        &["--no-default-features"],
        ours,
    );
}

#[test]
fn tests_benches_and_examples_build_on_rust_version() {
    let ours = &metadata().ours;
    assert_graph_within(
        "tests, benches and examples (default features)",
        "normal,build,dev",
        &[],
        ours,
    );
    assert_graph_within(
        "tests, benches and examples (--no-default-features)",
        "normal,build,dev",
        &["--no-default-features"],
        ours,
    );
}

#[test]
fn bindgen_feature_builds_on_its_documented_rust() {
    assert_graph_within(
        "the bindgen feature (uniffi-bindgen bin)",
        "normal,build",
        &["--features", "bindgen"],
        BINDGEN_RUST,
    );
}
