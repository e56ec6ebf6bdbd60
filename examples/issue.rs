//! Issues a sample set of signed documents, for interoperability tests.
//!
//! ```sh
//! cargo run --example issue -- --out DIR [--alg Ed25519|ES256]
//! ```
//!
//! Creates a root key and an issuing key (both `--alg`, default Ed25519) and writes:
//! `DIR/root.pub` (`<alg> <base64url raw public key>`), `DIR/trust-list.json`,
//! `DIR/certificate.json` and `DIR/certificate.qr.txt` (a sample birth certificate with a
//! status entry), `DIR/revoked-certificate.json` (revoked in the list) and
//! `DIR/status-list.json`. With Ed25519 it also writes `DIR/certificate.vc.json`: the sample
//! certificate as a W3C Verifiable Credential 2.0 with an `eddsa-jcs-2022` proof (ES256 keys
//! cannot make that proof: a note on stderr says it was skipped). Exit status 0 on success, 2
//! on a usage or I/O error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use chrono::Duration;
use eservices::document::{Alg, Issuer, SoftwareSigner};
use eservices::status::{StatusListManager, MIN_SIZE, STATUS_LIST_TYPE};
use eservices::trust::{TrustList, TrustedKey};
use eservices::{vc, SystemClock};

const USAGE: &str = "usage: issue --out DIR [--alg Ed25519|ES256]";
const BIRTH_CERTIFICATE: &str = "ls.gov.home-affairs.birth-certificate";
const SAMPLE: &str = include_str!("../tests/data/golden/birth-certificate.payload.json");

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (out, alg) = match parse_args(&args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&out, alg) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn parse_args(args: &[String]) -> Result<(PathBuf, Alg), String> {
    let mut out = None;
    let mut alg = Alg::Ed25519;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(it.next().ok_or("--out needs a directory")?)),
            "--alg" => {
                let name = it.next().ok_or("--alg needs Ed25519 or ES256")?;
                alg = name.parse().map_err(|e| format!("--alg: {e}"))?;
            }
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    Ok((out.ok_or("--out is required")?, alg))
}

fn write(dir: &Path, name: &str, text: &str) -> Result<(), String> {
    let path = dir.join(name);
    std::fs::write(&path, format!("{text}\n")).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

fn run(out: &Path, alg: Alg) -> Result<(), String> {
    let e = |e: eservices::Error| e.to_string();
    std::fs::create_dir_all(out).map_err(|err| format!("{}: {err}", out.display()))?;
    let clock = Arc::new(SystemClock);

    let (root_signer, _root_private) = SoftwareSigner::generate(alg).map_err(e)?;
    let root = Issuer::new(Arc::new(root_signer), clock.clone()).map_err(e)?;
    let (ministry_signer, _ministry_private) = SoftwareSigner::generate(alg).map_err(e)?;
    let ministry_signer = Arc::new(ministry_signer);
    let ministry = Issuer::new(ministry_signer.clone(), clock.clone()).map_err(e)?;
    let now = ministry.now();

    let trust = TrustList {
        issuer: "Government of Lesotho, eServices trust root".into(),
        seq: 1,
        keys: vec![TrustedKey {
            name: "Ministry of Home Affairs, civil registration".into(),
            public_key: ministry.public_key().clone(),
            not_before: now,
            not_after: now + Duration::days(5 * 365),
            doc_types: vec!["ls.gov.home-affairs.*".into(), STATUS_LIST_TYPE.into()],
        }],
    };

    let mut status = StatusListManager::new("home-affairs-2026-1", MIN_SIZE).map_err(e)?;
    let entry = status.allocate().map_err(e)?;
    let certificate = ministry
        .issue(
            BIRTH_CERTIFICATE,
            "BC-MSU-2026-004211",
            SAMPLE,
            None,
            Some(entry),
        )
        .map_err(e)?;

    let revoked_entry = status.allocate().map_err(e)?;
    status.revoke(revoked_entry.index).map_err(e)?;
    let revoked_payload = SAMPLE
        .replace("BC-MSU-2026-004211", "BC-MSU-2026-004212")
        .replace("Lineo Palesa", "Neo");
    let revoked = ministry
        .issue(
            BIRTH_CERTIFICATE,
            "BC-MSU-2026-004212",
            &revoked_payload,
            None,
            Some(revoked_entry),
        )
        .map_err(e)?;

    let status_list = status
        .publish(&ministry, now + Duration::days(30))
        .map_err(e)?;

    write(out, "root.pub", &root.public_key().to_string())?;
    write(
        out,
        "trust-list.json",
        &trust.sign(&root, None).map_err(e)?.json,
    )?;
    write(out, "certificate.json", &certificate.json)?;
    write(out, "certificate.qr.txt", &certificate.qr().map_err(e)?)?;
    write(out, "revoked-certificate.json", &revoked.json)?;
    write(out, "status-list.json", &status_list.json)?;
    match alg {
        Alg::Ed25519 => {
            let credential = vc::export_value(
                &certificate.envelope,
                ministry_signer.as_ref(),
                clock.as_ref(),
            )
            .map_err(e)?;
            let pretty = serde_json::to_string_pretty(&credential).map_err(|err| err.to_string())?;
            write(out, "certificate.vc.json", &pretty)?;
        }
        Alg::Es256 => eprintln!(
            "note: certificate.vc.json skipped: W3C eddsa-jcs-2022 proofs need an Ed25519 key, not ES256"
        ),
    }
    Ok(())
}
