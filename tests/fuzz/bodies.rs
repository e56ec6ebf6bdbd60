//! The bodies of the fuzz targets, one function per target, shared by the cargo-fuzz targets
//! (`tests/fuzz/fuzz_targets/*.rs`, nightly flags, coverage-guided) and by the normal test
//! `tests/fuzz_corpus.rs`, which replays the committed corpus and every regression input
//! through the very same functions on stable `cargo test`.
//!
//! Each body feeds the input to public entry points and asserts what must hold for *any*
//! input: nothing panics (a panic is the crash libFuzzer reports), and where an input is
//! accepted, what is accepted reads back the same (round trips). Fixtures (keys, trust and
//! status lists, a valid receipt series) are built once per process; the clocks are fixed, so
//! a run is deterministic. The code only uses what the crate offers with and without its
//! default features.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use eservices::application::reference::mod37_2_check;
use eservices::application::ApplicationRef;
use eservices::catalogue::form::{normalise_phone, AttachmentRef, BasicNationalIdValidator};
use eservices::catalogue::{Answers, Catalogue};
use eservices::document::{
    format_time, parse_time, qr, Issuer, PublicKey, SignedEnvelope, SoftwareSigner,
};
use eservices::money::{parse_decimal, Currency, Money};
use eservices::payment::Channel;
use eservices::receipt::audit::{audit_series, AuditOptions};
use eservices::receipt::report::{reconcile, StatementLine, ZReport};
use eservices::receipt::{
    ChainPoint, CreditNoteBody, IssuedReceipt, ReceiptBody, ReceiptSeries, VoidBody,
};
use eservices::status::StatusList;
use eservices::trust::{TrustList, TrustedKey};
use eservices::vc::{self, did_key, VcVerifier};
use eservices::verify::Verifier;
use eservices::FixedClock;
use serde_json::{Map, Value};

/// The golden vectors (tests/data/golden), verified at their `verify_at`.
const ROOT_PUB: &str = include_str!("../data/golden/root.pub");
const TRUST_LIST: &str = include_str!("../data/golden/trust-list.json");
const STATUS_LIST: &str = include_str!("../data/golden/status-list.json");
const VERIFY_AT: &str = "2026-03-01T09:30:00Z";
/// The receipt vector (tests/data/receipts): three entries of MSU/2026, key seed 0x09.
const SERIES: &str = include_str!("../data/receipts/series.jsonl");
const RECEIPTS_AT: &str = "2026-03-02T09:00:00Z";

struct Fixtures {
    root: PublicKey,
    clock: Arc<FixedClock>,
    /// A verifier holding the golden trust list and status list.
    documents: Verifier,
    /// A credential verifier over the same trust list.
    credentials: VcVerifier,
    /// Receipts: a verifier trusting the till key (seed 0x09) for receipts in 2026.
    receipt_clock: Arc<FixedClock>,
    receipts: Verifier,
    /// Signed receipts the receipt_audit input may name by index (`@k`): MSU/2026 numbers
    /// 1 to 6, then TY/2026 numbers 1 and 2 (same key), then MSU/2026 number 1 signed by an
    /// untrusted key.
    entries: Vec<IssuedReceipt>,
}

fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(build_fixtures)
}

fn golden_verifier(f_root: &PublicKey, clock: &Arc<FixedClock>) -> Verifier {
    Verifier::new(f_root.clone(), TRUST_LIST, clock.clone()).expect("golden trust list")
}

fn build_fixtures() -> Fixtures {
    let root: PublicKey = ROOT_PUB.trim().parse().expect("root.pub");
    let clock = Arc::new(FixedClock::parse(VERIFY_AT).expect("time"));
    let mut documents = golden_verifier(&root, &clock);
    documents
        .add_status_list(STATUS_LIST)
        .expect("golden status list");
    let mut trust = golden_verifier(&root, &clock);
    trust.add_status_list(STATUS_LIST).expect("status list");
    let mut credentials = VcVerifier::with_trust_list(trust, clock.clone());
    credentials
        .add_status_list(STATUS_LIST)
        .expect("status list for credentials");

    let receipt_clock = Arc::new(FixedClock::parse(RECEIPTS_AT).expect("time"));
    let seed = |b: u8| Arc::new(SoftwareSigner::ed25519_from_seed(&[b; 32]).expect("seed"));
    let till = seed(9);
    let root_issuer = Issuer::new(seed(1), receipt_clock.clone()).expect("root issuer");
    let till_key = Issuer::new(till.clone(), receipt_clock.clone())
        .expect("till issuer")
        .public_key()
        .clone();
    let list = TrustList {
        issuer: "Government of Lesotho".into(),
        seq: 1,
        keys: vec![TrustedKey {
            name: "till key".into(),
            public_key: till_key,
            not_before: parse_time("2026-01-01T00:00:00Z").expect("time"),
            not_after: parse_time("2027-01-01T00:00:00Z").expect("time"),
            doc_types: vec!["ls.gov.eservices.receipt".into()],
        }],
    }
    .sign(&root_issuer, None)
    .expect("receipt trust list");
    let receipts = Verifier::new(
        root_issuer.public_key().clone(),
        &list.json,
        receipt_clock.clone(),
    )
    .expect("receipt verifier");

    // MSU/2026 1-3 are the stored vector; 4-6 continue it.
    let mut entries: Vec<IssuedReceipt> = SERIES
        .lines()
        .map(|l| IssuedReceipt::parse(l).expect("series.jsonl"))
        .collect();
    let last = entries.last().expect("three entries");
    let mut msu = ReceiptSeries::resume(
        "MSU",
        "2026",
        till.clone(),
        ChainPoint {
            number: last.receipt.number,
            hash: last.hash.clone(),
        },
    )
    .expect("resume");
    let t = |s: &str| parse_time(s).expect("time");
    let void = |reason: &str| {
        ReceiptBody::Void(VoidBody {
            reason: reason.into(),
        })
    };
    let note = match &entries[1].receipt.body {
        ReceiptBody::CreditNote(c) => CreditNoteBody {
            amount: "-30.00".into(),
            ..c.clone()
        },
        _ => panic!("entry 2 of series.jsonl is a credit note"),
    };
    let first = entries[0].receipt.body.clone();
    for (time, body) in [
        ("2026-03-02T08:40:00Z", first.clone()),
        ("2026-03-02T08:41:00Z", ReceiptBody::CreditNote(note)),
        ("2026-03-02T08:42:00Z", void("paper out")),
    ] {
        entries.push(msu.issue("cashier-7", t(time), body).expect("issue"));
    }
    let mut ty = ReceiptSeries::new("TY", "2026", till).expect("series");
    entries.push(
        ty.issue("cashier-1", t("2026-03-02T08:10:00Z"), first)
            .expect("issue"),
    );
    entries.push(
        ty.issue("cashier-1", t("2026-03-02T08:11:00Z"), void("jam"))
            .expect("issue"),
    );
    let mut rogue = ReceiptSeries::new("MSU", "2026", seed(6)).expect("series");
    entries.push(
        rogue
            .issue("cashier-7", t("2026-03-02T08:00:00Z"), void("forged"))
            .expect("issue"),
    );

    Fixtures {
        root,
        clock,
        documents,
        credentials,
        receipt_clock,
        receipts,
        entries,
    }
}

thread_local! {
    /// A verifier holding the golden trust list (no status list), for inputs offered as an
    /// update or a status list. It is rebuilt after any input changed it, so every input
    /// starts from the same state.
    static HELD: RefCell<Option<Verifier>> = const { RefCell::new(None) };
}

fn with_held(f: impl FnOnce(&mut Verifier) -> bool) {
    HELD.with(|cell| {
        let mut cell = cell.borrow_mut();
        let fx = fixtures();
        let v = cell.get_or_insert_with(|| golden_verifier(&fx.root, &fx.clock));
        if f(v) {
            *cell = None;
        }
    });
}

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// The input as a JSON object, and its `payload` member when that is an object.
fn objects(text: &str) -> Vec<Map<String, Value>> {
    let mut out = Vec::new();
    if let Ok(Value::Object(m)) = eservices::json::parse_strict(text) {
        if let Some(Value::Object(p)) = m.get("payload") {
            out.push(p.clone());
        }
        out.push(m);
    }
    out
}

/// `envelope`: a signed envelope (JSON bytes, or anything) through the verifier, and its
/// W3C credential form through the credential verifier.
pub fn envelope(data: &[u8]) {
    let f = fixtures();
    let verdict = f.documents.verify_bytes(data);
    let _ = verdict.to_string();
    let parsed = SignedEnvelope::parse_bytes(data);
    // Canonical text is read without a JSON tree for the header: the same envelope, or the
    // same refusal, as reading it through the tree.
    let through_tree =
        eservices::json::parse_strict_bytes(data).and_then(SignedEnvelope::from_value);
    match (&parsed, &through_tree) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "both readings give the same envelope");
            // The canonical reading keeps the payload as text and makes its tree on demand.
            assert_eq!(a.payload(), b.payload(), "and the same payload tree");
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "the same refusal"),
        _ => panic!("one reading accepts what the other refuses: {parsed:?} vs {through_tree:?}"),
    }
    // Any text as a payload: the one-pass rewrite into canonical form gives exactly what the
    // strict parser and the canonical writer give, or leaves the text to them.
    if let Ok(text) = std::str::from_utf8(data) {
        let general =
            eservices::json::parse_strict(text).and_then(|v| eservices::json::canonical_value(&v));
        match (eservices::json::canonicalise(text), general) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "one-pass and tree canonical forms agree"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "the same refusal"),
            (a, b) => panic!("canonicalise {a:?} vs the general path {b:?}"),
        }
    }
    if let Ok(env) = parsed {
        // What parses reads back the same from its canonical JSON and from its QR form, and
        // verifies the same: equivalent JSON is the same document.
        let json = env.to_json().expect("a parsed envelope serialises");
        let back = SignedEnvelope::parse(&json).expect("its canonical JSON parses");
        assert_eq!(back, env, "canonical JSON round trip");
        // The verifier reads canonical text without a JSON tree and anything else through the
        // general parser: the two must agree exactly, verdict and detail.
        let general = f.documents.verify_envelope(&env);
        assert_eq!(
            verdict, general,
            "the text verifies as its parsed envelope does"
        );
        assert_eq!(
            f.documents.verify_json(&json),
            general,
            "the canonical form verifies the same"
        );
        if let Ok(qr) = env.to_qr() {
            let from_qr = SignedEnvelope::from_qr(&qr).expect("its QR form reads back");
            assert_eq!(from_qr, env, "QR round trip");
        }
    }
    let credential = f.credentials.verify_bytes(data);
    let _ = credential.to_string();
}

/// `qr`: a QR text through the decoder, the envelope parser and the verifier.
pub fn qr(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let f = fixtures();
    if let Ok(bytes) = qr::decode(text) {
        // Whatever decodes re-encodes (within the limits) to a text that decodes the same.
        if let Ok(again) = qr::encode(&bytes) {
            assert_eq!(qr::decode(&again).expect("re-encoded QR decodes"), bytes);
        }
    }
    let parsed = SignedEnvelope::from_qr(text);
    let verdict = f.documents.verify(text);
    if let Ok(env) = &parsed {
        assert_eq!(
            f.documents.verify_qr(text),
            f.documents.verify_envelope(env),
            "a QR text verifies as its parsed envelope does"
        );
    }
    if parsed.is_err() && text.trim() == text {
        assert!(
            !verdict.is_valid(),
            "a QR text that does not parse is valid"
        );
    }
}

/// `trust_list`: a text offered as the first trust list, as an update to the golden one, and
/// (unsigned) as trust-list content.
pub fn trust_list(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let f = fixtures();
    if let Ok(v) = Verifier::new(f.root.clone(), text, f.clock.clone()) {
        let held = v.trust_list();
        held.validate().expect("a verified trust list is valid");
    }
    with_held(|v| v.update_trust_list(text).is_ok());
    for payload in objects(text) {
        if let Ok(list) = TrustList::from_payload(&payload) {
            let again = TrustList::from_payload(&list.to_payload().expect("serialises"))
                .expect("trust list content round trip");
            assert_eq!(again, list);
            for key in &list.keys {
                let _ = key.authorises("ls.gov.home-affairs.birth-certificate");
                let _ = key.valid_at(f.clock.0);
            }
        }
    }
}

/// `status_list`: a text offered as a status list to a verifier holding the golden trust
/// list, and (unsigned) as status-list content.
pub fn status_list(data: &[u8]) {
    let Some(text) = text(data) else { return };
    with_held(|v| v.add_status_list(text).is_ok());
    for payload in objects(text) {
        if let Ok(list) = StatusList::from_payload(&payload) {
            let size = list.size();
            assert!(list.is_revoked(size - 1).is_some());
            assert!(list.is_revoked(size).is_none());
            let _ = list.is_revoked(48_213);
            let again = StatusList::from_payload(&list.to_payload().expect("serialises"))
                .expect("status list content round trip");
            assert_eq!(again, list);
        }
    }
}

/// The line that separates a catalogue from the answers quoted against it (`field=value`
/// lines; `_category=` and `_date=` choose the applicant category and the date).
pub const ANSWERS_MARK: &str = "\n#answers\n";

/// `catalogue`: a catalogue loaded, round-tripped, every service's form validated and
/// quoted on the dates its schedules start (and on given answers, after [`ANSWERS_MARK`]).
pub fn catalogue(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let (json, answer_text) = match text.split_once(ANSWERS_MARK) {
        Some((c, a)) => (c, Some(a)),
        None => (text, None),
    };
    let Ok(catalogue) = Catalogue::from_json(json) else {
        return;
    };
    let round = Catalogue::from_json(&catalogue.to_json().expect("serialises"))
        .expect("a loaded catalogue reloads from its JSON");
    assert_eq!(round, catalogue, "catalogue round trip");

    let mut answers = Answers::new();
    let mut category = catalogue
        .applicant_categories
        .first()
        .map(|c| c.id.clone())
        .unwrap_or_default();
    let mut dates = Vec::new();
    for line in answer_text.unwrap_or_default().lines() {
        if let Some((k, v)) = line.split_once('=') {
            match k {
                "_category" => category = v.to_string(),
                "_date" => dates.extend(NaiveDate::parse_from_str(v, "%Y-%m-%d").ok()),
                _ => {
                    answers.insert(k.to_string(), v.to_string());
                }
            }
        }
    }
    let fallback = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
    for service in catalogue.services.iter().take(16) {
        let mut on: Vec<NaiveDate> = dates.clone();
        on.extend(
            service
                .fee_schedules
                .iter()
                .take(3)
                .map(|s| s.effective_from),
        );
        on.push(fallback);
        for date in on {
            let _ = service.validate_answers(&answers, date, &BasicNationalIdValidator);
            if let Ok(quote) = catalogue.quote(&service.id, &answers, &category, date) {
                quote
                    .verify_id()
                    .expect("a fresh quote's id is its content's");
                let _ = quote.canonical_json().expect("a quote serialises");
            }
        }
    }
}

/// `reference`: the parsers of short texts — application references and their check
/// character, amounts and currencies, channel codes, times, phone numbers, e-mail addresses,
/// attachment references, credential ids, `did:key` and public-key lines. What parses must
/// print back to something that parses to the same.
pub fn reference(data: &[u8]) {
    let Some(text) = text(data) else { return };
    if let Ok(r) = ApplicationRef::parse(text) {
        let printed = r.to_string();
        assert_eq!(ApplicationRef::parse(&printed).expect("reparses"), r);
        let built = ApplicationRef::new(r.office(), r.service(), r.year(), r.sequence())
            .expect("its parts make a reference");
        assert_eq!(built, r);
        assert_eq!(built.check_char(), r.check_char());
    }
    let _ = mod37_2_check(text);
    for currency in [Currency::Lsl, Currency::Zar] {
        if let Ok(m) = Money::parse(text, currency) {
            let again = Money::parse(&m.to_string_amount(), currency).expect("amount reparses");
            assert_eq!(again, m);
            let _ = m.to_string();
        }
    }
    let _ = parse_decimal(text);
    if let Ok(c) = Currency::from_code(text) {
        assert_eq!(Currency::from_code(c.code()).expect("code reparses"), c);
    }
    if let Ok(c) = Channel::parse(text) {
        assert_eq!(Channel::parse(c.code()).expect("channel reparses"), c);
    }
    if let Ok(t) = parse_time(text) {
        assert_eq!(parse_time(&format_time(&t)).expect("time reparses"), t);
    }
    let _ = FixedClock::parse(text);
    if let Some(phone) = normalise_phone(text) {
        assert_eq!(
            normalise_phone(&phone).as_deref(),
            Some(phone.as_str()),
            "a normalised phone number is normal"
        );
    }
    let _ = eservices::catalogue::form::is_valid_email(text);
    let _ = AttachmentRef::parse(text);
    if let Some((typ, id)) = vc::parse_credential_id(text) {
        assert_eq!(
            vc::credential_id(&typ, &id),
            text,
            "credential ids are canonical"
        );
    }
    if let Ok(key) = did_key::resolve(text) {
        let _ = did_key::did(&key).expect("a resolved key has a did");
    }
    if let Ok(bytes) = did_key::multibase_decode(text) {
        assert_eq!(
            did_key::multibase_decode(&did_key::multibase_encode(&bytes)).expect("reparses"),
            bytes
        );
    }
    if let Ok(key) = text.parse::<PublicKey>() {
        assert_eq!(
            key.to_string()
                .parse::<PublicKey>()
                .expect("key line reparses"),
            key
        );
    }
}

/// `receipt_audit`: a series audit over the input's lines. A line `@k` stands for fixture
/// entry `k` (validly signed: see [`Fixtures::entries`]), so the fuzzer can reorder, drop
/// and repeat real entries as well as mangle them; any other line is a receipt text. A first
/// line starting with `#` sets the options: `office=X`, `series=Y`, `after=k`, `head=k`
/// (the chain point of fixture entry `k`). The entries the audit passed then go through the
/// Z-report and a reconciliation against a statement made of their own lines. Only the first
/// 16 lines are read.
pub fn receipt_audit(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let f = fixtures();
    let point = |k: &str| -> Option<ChainPoint> {
        let i: usize = k.parse().ok()?;
        let e = f.entries.get(i % f.entries.len())?;
        Some(ChainPoint {
            number: e.receipt.number,
            hash: e.hash.clone(),
        })
    };
    let mut options = AuditOptions::default();
    let mut lines: Vec<&str> = text.split('\n').collect();
    if let Some(first) = lines.first().copied() {
        if let Some(opts) = first.strip_prefix('#') {
            lines.remove(0);
            for token in opts.split_whitespace() {
                match token.split_once('=') {
                    Some(("office", v)) => options.office = Some(v.into()),
                    Some(("series", v)) => options.series = Some(v.into()),
                    Some(("after", k)) => options.after = point(k),
                    Some(("head", k)) => options.expected_head = point(k),
                    _ => {}
                }
            }
        }
    }
    // At most 16 entries: every check of the audit shows in a few, and an `@k` line expands
    // to a whole receipt, so more would only slow the fuzzer down.
    let entries: Vec<&str> = lines
        .iter()
        .take(16)
        .map(
            |l| match l.strip_prefix('@').and_then(|k| k.parse::<usize>().ok()) {
                Some(i) => f.entries[i % f.entries.len()].json.as_str(),
                None => l,
            },
        )
        .collect();
    let report = audit_series(&entries, &f.receipts, &options);
    match &report.problem {
        None => assert_eq!(report.checked, entries.len(), "no problem: all checked"),
        Some(p) => {
            assert!(p.index <= entries.len());
            assert!(report.checked <= p.index);
        }
    }

    // The entries the audit passed go on to the Z-report and reconciliation, as in a ledger.
    // (Parsing is most of the cost, so the others are not read again.)
    let readable: Vec<IssuedReceipt> = entries[..report.checked]
        .iter()
        .filter_map(|e| IssuedReceipt::parse(e).ok())
        .collect();
    if readable.is_empty() {
        return;
    }
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    let catalogue = CATALOGUE.get_or_init(|| Catalogue::lesotho().expect("shipped catalogue"));
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    let _ = ZReport::build("MSU", day, &readable, catalogue);
    let mut channels: BTreeMap<String, (Channel, Vec<StatementLine>)> = BTreeMap::new();
    for r in &readable {
        if let ReceiptBody::Payment(p) = &r.receipt.body {
            if let (Some(reference), Ok(Some(amount))) =
                (&p.external_reference, r.receipt.body.money())
            {
                let entry = channels
                    .entry(p.channel.code().to_string())
                    .or_insert_with(|| (p.channel.clone(), Vec::new()));
                entry.1.push(StatementLine {
                    external_reference: reference.clone(),
                    amount,
                    time: r.receipt.time,
                });
            }
        }
    }
    channels
        .entry("cash".into())
        .or_insert_with(|| (Channel::Cash, Vec::new()));
    for (channel, statement) in channels.values() {
        if let Ok(rec) = reconcile(channel, &readable, statement) {
            let _ = rec.is_balanced();
        }
    }
}
