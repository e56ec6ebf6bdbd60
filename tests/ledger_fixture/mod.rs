//! Shared fixtures for the payment and receipt tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use eservices::catalogue::{Answers, Catalogue};
use eservices::document::{parse_time, Issuer, PublicKey, Signer, SoftwareSigner};
use eservices::fees::Quote;
use eservices::money::{Currency, Money};
use eservices::payment::{Channel, LedgerPolicy, PaymentLedger, PaymentRequest};
use eservices::receipt::ReceiptSeries;
use eservices::trust::{TrustList, TrustedKey};
use eservices::verify::Verifier;
use eservices::Clock;

/// A clock the test can move.
#[derive(Debug)]
pub struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    pub fn at(t: &str) -> Arc<TestClock> {
        Arc::new(TestClock(Mutex::new(parse_time(t).unwrap())))
    }
    pub fn advance(&self, d: Duration) {
        let mut t = self.0.lock().unwrap();
        *t += d;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

pub const OFFICE: &str = "MSU";
pub const SERIES: &str = "2026";

pub fn signer(seed: u8) -> Arc<SoftwareSigner> {
    Arc::new(SoftwareSigner::ed25519_from_seed(&[seed; 32]).unwrap())
}

pub fn public_key(s: &SoftwareSigner) -> PublicKey {
    PublicKey::from_raw(s.alg(), &s.public_key()).unwrap()
}

pub struct Fixture {
    pub clock: Arc<TestClock>,
    pub ledger: PaymentLedger,
    pub signer: Arc<SoftwareSigner>,
    pub catalogue: Catalogue,
    pub verifier: Verifier,
}

/// A verifier that trusts `keys` for receipts in 2026.
pub fn verifier(clock: Arc<TestClock>, keys: &[&SoftwareSigner]) -> Verifier {
    let root = Issuer::new(signer(1), clock.clone()).unwrap();
    let keys = keys
        .iter()
        .enumerate()
        .map(|(i, k)| TrustedKey {
            name: format!("till key {i}"),
            public_key: public_key(k),
            not_before: parse_time("2026-01-01T00:00:00Z").unwrap(),
            not_after: parse_time("2027-01-01T00:00:00Z").unwrap(),
            doc_types: vec!["ls.gov.eservices.receipt".into()],
        })
        .collect();
    let list = TrustList {
        issuer: "Government of Lesotho".into(),
        seq: 1,
        keys,
    }
    .sign(&root, None)
    .unwrap();
    Verifier::new(root.public_key().clone(), &list.json, clock).unwrap()
}

pub fn fixture() -> Fixture {
    fixture_with(LedgerPolicy::default())
}

pub fn fixture_with(policy: LedgerPolicy) -> Fixture {
    // 10:00 in Maseru.
    let clock = TestClock::at("2026-03-02T08:00:00Z");
    let ledger = PaymentLedger::new(clock.clone(), policy);
    let signer = signer(9);
    ledger
        .open_series(ReceiptSeries::new(OFFICE, SERIES, signer.clone()).unwrap())
        .unwrap();
    let verifier = verifier(clock.clone(), &[&signer]);
    Fixture {
        clock,
        ledger,
        signer,
        catalogue: Catalogue::lesotho().unwrap(),
        verifier,
    }
}

impl Fixture {
    /// The ordinary passport: 32 pages M 130.00, 64 pages M 300.00 (+ urgent M 500.00).
    pub fn passport(&self, pages: &str, urgent: bool) -> Quote {
        let mut a = Answers::new();
        a.insert("pages".into(), pages.into());
        if urgent {
            a.insert("urgent".into(), "true".into());
        }
        self.catalogue
            .quote(
                "home-affairs.passport.ordinary",
                &a,
                "general",
                self.clock.today(),
            )
            .unwrap()
    }

    pub fn register(&self, app: &str, q: &Quote) {
        self.ledger.register_quote(app, q.clone()).unwrap();
    }
}

pub fn lsl(s: &str) -> Money {
    Money::parse(s, Currency::Lsl).unwrap()
}

pub fn zar(s: &str) -> Money {
    Money::parse(s, Currency::Zar).unwrap()
}

pub fn request(
    key: &str,
    app: &str,
    q: &Quote,
    channel: Channel,
    reference: Option<&str>,
    amount: Money,
) -> PaymentRequest {
    PaymentRequest {
        idempotency_key: key.into(),
        office: OFFICE.into(),
        application: app.into(),
        quote_id: q.quote_id.clone(),
        channel,
        external_reference: reference.map(Into::into),
        amount,
        actor: "cashier-7".into(),
    }
}
