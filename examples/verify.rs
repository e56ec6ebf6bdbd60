//! Verifies a signed document offline, for interoperability tests.
//!
//! ```sh
//! cargo run --example verify -- DOC TRUST_LIST ROOT_PUB [--status-list FILE] [--at RFC3339]
//! ```
//!
//! `DOC` is a JSON envelope, a text file holding the QR form, or a W3C Verifiable Credential
//! with an `eddsa-jcs-2022` proof (recognised by its `@context` and `proof` members), which is
//! verified against the same trust list. `ROOT_PUB` holds one line
//! `<alg> <base64url raw public key>`. Prints `VALID <typ> <id>` or
//! `INVALID <code>: <message>`; exit status 0 valid, 1 invalid, 2 usage or I/O error.

use std::process::ExitCode;
use std::sync::Arc;

use eservices::document::PublicKey;
use eservices::vc::VcVerifier;
use eservices::verify::{Reason, Verifier};
use eservices::{Clock, Error, FixedClock, SystemClock};

const USAGE: &str = "usage: verify DOC TRUST_LIST ROOT_PUB [--status-list FILE] [--at RFC3339]";

struct Args {
    doc: String,
    trust_list: String,
    root_pub: String,
    status_lists: Vec<String>,
    at: Option<String>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut status_lists = Vec::new();
    let mut at = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--status-list" => {
                status_lists.push(it.next().ok_or("--status-list needs a file")?.clone())
            }
            "--at" => at = Some(it.next().ok_or("--at needs an RFC 3339 time")?.clone()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag:?}")),
            _ => positional.push(arg.clone()),
        }
    }
    match <[String; 3]>::try_from(positional) {
        Ok([doc, trust_list, root_pub]) => Ok(Args {
            doc,
            trust_list,
            root_pub,
            status_lists,
            at,
        }),
        Err(_) => Err("expected DOC, TRUST_LIST and ROOT_PUB".into()),
    }
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{path}: {e}"))
}

fn read_text(path: &str) -> Result<String, String> {
    String::from_utf8(read(path)?).map_err(|_| format!("{path}: not UTF-8"))
}

/// Prints an invalid verdict and gives exit status 1.
fn invalid(reason: Reason, detail: &str) -> ExitCode {
    println!("INVALID {reason}: {detail}");
    ExitCode::from(1)
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(&argv) {
        Ok(a) => a,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<ExitCode, String> {
    let clock: Arc<dyn Clock> = match &args.at {
        Some(at) => Arc::new(FixedClock::parse(at).map_err(|e| format!("--at: {e}"))?),
        None => Arc::new(SystemClock),
    };
    let root: PublicKey = read_text(&args.root_pub)?
        .trim()
        .parse()
        .map_err(|e: Error| format!("{}: {e}", args.root_pub))?;
    let trust_list = read(&args.trust_list)?;
    let Ok(trust_list) = std::str::from_utf8(&trust_list) else {
        return Ok(invalid(Reason::TrustListInvalid, "trust list is not UTF-8"));
    };
    let mut verifier = match Verifier::new(root, trust_list, clock.clone()) {
        Ok(v) => v,
        Err(Error::Rejected { reason, detail, .. }) => return Ok(invalid(reason, &detail)),
        Err(other) => return Ok(invalid(Reason::TrustListInvalid, &other.to_string())),
    };
    let status_lists = args
        .status_lists
        .iter()
        .map(|path| Ok((path, read_text(path)?)))
        .collect::<Result<Vec<_>, String>>()?;
    for (path, text) in &status_lists {
        if let Err(e) = verifier.add_status_list(text) {
            return Ok(invalid(
                Reason::StatusUnknown,
                &format!("status list {path} refused: {e}"),
            ));
        }
    }
    let doc = read(&args.doc)?;
    let (valid, line) = if is_credential(&doc) {
        let mut vc_verifier = VcVerifier::with_trust_list(verifier, clock);
        for (path, text) in &status_lists {
            if let Err(e) = vc_verifier.add_status_list(text) {
                return Ok(invalid(
                    Reason::StatusUnknown,
                    &format!("status list {path} refused: {e}"),
                ));
            }
        }
        let verdict = vc_verifier.verify_bytes(&doc);
        (verdict.is_valid(), verdict.to_string())
    } else {
        let verdict = verifier.verify_bytes(&doc);
        (verdict.is_valid(), verdict.to_string())
    };
    println!("{line}");
    Ok(if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A W3C credential is a JSON object with `@context` and `proof` members (an envelope has
/// neither; a QR text is not JSON).
fn is_credential(doc: &[u8]) -> bool {
    match serde_json::from_slice::<serde_json::Value>(doc) {
        Ok(serde_json::Value::Object(m)) => m.contains_key("@context") && m.contains_key("proof"),
        _ => false,
    }
}
