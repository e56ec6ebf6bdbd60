//! Crash safety: a child process writing payments, voids and refunds in a loop is killed with
//! SIGKILL at random moments, again and again. After every kill the database opens, the
//! receipt series audits clean with no gap, no payment is half-written, the audit log
//! verifies, and every payment the child reported committed is there.
//!
//! The child is this test binary run again with `ESERVICES_CRASH_DB` set (see
//! [`crash_child`]); it prints `committed <key> ok` after each payment returns.
#![cfg(all(feature = "sqlite", unix))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod ledger_fixture;
mod store_fixture;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use eservices::money::Money;
use eservices::payment::{Channel, PaymentRequest};
use eservices::receipt::ReceiptBody;
use eservices::store::{Registry, SqliteStore};
use ledger_fixture::{lsl, signer, verifier, TestClock, OFFICE};
use store_fixture::*;

const DB_ENV: &str = "ESERVICES_CRASH_DB";
const RUN_ENV: &str = "ESERVICES_CRASH_RUN";
const QUOTE_ENV: &str = "ESERVICES_CRASH_QUOTE";
const RUNS: u32 = 60;
const APP: &str = "APP-CRASH";

fn payment(run: &str, i: u64, quote_id: &str) -> PaymentRequest {
    let key = format!("r{run}-{i}");
    let (channel, reference) = if i % 2 == 0 {
        (Channel::Cash, None)
    } else {
        (Channel::Mpesa, Some(format!("MP{key}")))
    };
    PaymentRequest {
        idempotency_key: key,
        office: OFFICE.into(),
        application: APP.into(),
        quote_id: quote_id.into(),
        channel,
        external_reference: reference,
        amount: lsl(&format!("{}.50", i % 5 + 1)),
        actor: "cashier-7".into(),
    }
}

/// The child's loop; does nothing unless run as the child.
#[test]
fn crash_child() {
    let (Ok(path), Ok(run), Ok(quote_id)) = (
        std::env::var(DB_ENV),
        std::env::var(RUN_ENV),
        std::env::var(QUOTE_ENV),
    ) else {
        return;
    };
    let r = open(std::path::Path::new(&path));
    let mut out = std::io::stdout().lock();
    writeln!(out, "ready").unwrap();
    out.flush().unwrap();
    for i in 0.. {
        let request = payment(&run, i, &quote_id);
        let paid = r.pay(&request).unwrap();
        writeln!(out, "committed {} ok", request.idempotency_key).unwrap();
        out.flush().unwrap();
        if i % 3 == 1 {
            // A retry is the original, and writes nothing.
            assert_eq!(r.pay(&request).unwrap(), paid);
        }
        if i % 4 == 2 {
            r.void_number(OFFICE, "cashier-7", "printer jam").unwrap();
        }
        if i % 5 == 3 {
            let rf = r
                .request_refund(&paid.payment.receipt, lsl("0.50"), "overpaid", "cashier-7")
                .unwrap();
            r.approve_refund(&rf.id, "supervisor-2").unwrap();
        }
    }
}

/// A small xorshift generator, seeded from the clock (the seed is printed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Everything that must hold after a kill.
fn check(r: &Registry<SqliteStore>, committed: &BTreeSet<String>) -> usize {
    let clock = TestClock::at(NOW);
    let report = r
        .audit_series(OFFICE, &verifier(clock, &[&signer(9)]))
        .unwrap();
    assert!(report.is_ok(), "{report:?}");
    let receipts = r.receipts(OFFICE).unwrap();
    for (i, x) in receipts.iter().enumerate() {
        assert_eq!(x.receipt.number, i as u64 + 1, "gapless");
    }
    let payments = r.payments().unwrap();
    let keys: BTreeSet<String> = payments
        .iter()
        .map(|p| p.request.idempotency_key.clone())
        .collect();
    assert_eq!(keys.len(), payments.len(), "each key once");
    let missing: Vec<&String> = committed.difference(&keys).collect();
    assert!(missing.is_empty(), "committed but lost: {missing:?}");
    let kinds = |kind: &str| {
        receipts
            .iter()
            .filter(|x| x.receipt.body.kind() == kind)
            .count()
    };
    assert_eq!(
        kinds("payment"),
        payments.len(),
        "a receipt for every payment, no more"
    );
    let refunds = r.refund_requests().unwrap();
    let approved = refunds
        .iter()
        .filter(|x| matches!(x.state, eservices::payment::RefundState::Approved { .. }))
        .count();
    assert_eq!(
        kinds("credit_note"),
        approved,
        "a credit note for every approval"
    );
    // Every change has exactly its audit entry.
    r.verify_audit().unwrap();
    let log = r.audit_log().unwrap();
    assert_eq!(log.len(), receipts.len() + refunds.len());
    // What is paid is what the receipts say.
    let mut sum = Money::zero(eservices::money::Currency::Lsl);
    for x in &receipts {
        if let ReceiptBody::Payment(_) | ReceiptBody::CreditNote(_) = x.receipt.body {
            sum = sum
                .checked_add(&x.receipt.body.money().unwrap().unwrap())
                .unwrap();
        }
    }
    assert_eq!(r.balance(APP).unwrap().paid, sum);
    payments.len()
}

#[test]
fn killed_writers_lose_nothing() {
    if std::env::var(DB_ENV).is_ok() {
        return;
    }
    let db = TempDb::new("crash");
    let quote = passport();
    open(db.path()).register_quote(APP, quote.clone()).unwrap();
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("seed {seed}");
    let mut rng = Rng(seed);
    let mut committed = BTreeSet::new();
    let exe = std::env::current_exe().unwrap();
    let started = Instant::now();
    for run in 0..RUNS {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env(DB_ENV, db.path())
            .env(RUN_ENV, run.to_string())
            .env(QUOTE_ENV, &quote.quote_id)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let line = rx.recv_timeout(Duration::from_secs(60)).unwrap();
            // libtest may have begun the line ("test crash_child ... ").
            if line.ends_with("ready") {
                break;
            }
            assert!(Instant::now() < deadline, "the child never got ready");
        }
        // Kill it somewhere in its loop: between, or in the middle of, transactions.
        std::thread::sleep(Duration::from_micros(rng.next() % 40_000));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        assert!(!status.success(), "run {run}: the child ended on its own");
        reader.join().unwrap();
        for line in rx.try_iter() {
            // Only whole lines: a line cut by the kill does not end in " ok".
            if let Some(key) = line
                .strip_prefix("committed ")
                .and_then(|l| l.strip_suffix(" ok"))
            {
                committed.insert(key.to_string());
            }
        }
        let r = open(db.path());
        check(&r, &committed);
    }
    println!(
        "{RUNS} kills, {} payments reported committed, {:?}",
        committed.len(),
        started.elapsed()
    );
    assert!(
        committed.len() >= RUNS as usize / 2,
        "the children wrote too little"
    );
}
