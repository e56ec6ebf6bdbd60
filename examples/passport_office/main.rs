//! The main job: a day at the Maseru passport office, end to end.
//!
//! ```sh
//! cargo run --example passport_office -- [--out DIR]
//! ```
//!
//! An applicant applies for an urgent 64-page passport (M 800.00 under Legal Notice No. 95 of
//! 2019) and pays in two parts, cash then M-Pesa (the M-Pesa callback arrives twice and counts
//! once); the receipts are audited; the application is returned for a wrong date of birth,
//! resubmitted, and approved by a second officer after the reviewer is refused
//! (maker-checker); the approval letter is issued as a signed document with a status entry,
//! drawn as a printable SVG certificate with its QR code, and verified from JSON and from the
//! QR text; a tampered copy and a revoked letter fail with their reason codes; the day ends
//! with the Z-report and a verified, signed audit log. Every artifact goes to `DIR` (default
//! `target/passport-office/`).
//!
//! Times come from a clock the story moves forward, so the output is the same on every run
//! except the status-list indexes (random by design). The keys come from fixed **demo seeds**
//! so that the printed key ids are stable: they are public and must never sign anything real.
//!
//! Exit status 0 on success, 2 on a usage, I/O or unexpected library error.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod qr;
mod svg;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use serde_json::{json, Map, Value};

use eservices::application::{
    Actor, Application, ApplicationRef, Correction, Fee, NewApplication, Payment, Role,
};
use eservices::audit::{AuditLog, Checkpoint, CHECKPOINT_DOC_TYPE};
use eservices::catalogue::form::AttachmentRef;
use eservices::catalogue::{Answers, Catalogue};
use eservices::clock::lesotho_offset;
use eservices::document::{parse_time, IssuedDocument, Issuer, SoftwareSigner};
use eservices::fees::Quote;
use eservices::money::{Currency, Money};
use eservices::payment::{Channel, LedgerPolicy, PaymentLedger, PaymentRequest};
use eservices::receipt::audit::{audit_series, AuditOptions};
use eservices::receipt::report::ZReport;
use eservices::receipt::{ChainPoint, ReceiptSeries, RECEIPT_TYPE};
use eservices::status::{StatusListManager, MIN_SIZE, STATUS_LIST_TYPE};
use eservices::trust::{TrustList, TrustedKey};
use eservices::verify::{Verdict, Verifier};
use eservices::Clock;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const USAGE: &str = "usage: passport_office [--out DIR]   (default DIR: target/passport-office)";
const DEFAULT_OUT: &str = "target/passport-office";

// DEMO KEYS. These seeds are printed in the source: anyone can sign with them. They exist so
// that the example's key ids and signatures are the same on every run. Never use them (or any
// key derived from a constant) for a real document.
const DEMO_ROOT_SEED: [u8; 32] = *b"DEMO ONLY: root key, not secret!";
const DEMO_MINISTRY_SEED: [u8; 32] = *b"DEMO ONLY: ministry, not secret!";
const DEMO_TILL_SEED: [u8; 32] = *b"DEMO ONLY: till 3, not secret!!!";

const OFFICE: &str = "MSU";
const OFFICE_NAME: &str = "Maseru passport office";
const SERIES: &str = "2026";
const SERVICE: &str = "home-affairs.passport.ordinary";
const LETTER_TYPE: &str = "ls.gov.home-affairs.passport.approval-letter";
const LETTER_TITLE: &str = "Passport approval letter";
const STATUS_LIST: &str = "home-affairs-msu-2026-1";
/// How long an approval letter may be presented.
const LETTER_VALID_DAYS: i64 = 90;
/// Width of a quote's description column.
const WIDTH: usize = 58;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = match parse_args(&args) {
        Ok(Some(out)) => out,
        Ok(None) => {
            println!("A day at the Maseru passport office.\n{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    match run(&out, &mut w) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// The output directory, or `None` when help was asked for.
fn parse_args(args: &[String]) -> Result<Option<PathBuf>, String> {
    let mut out = PathBuf::from(DEFAULT_OUT);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--out" => out = PathBuf::from(it.next().ok_or("--out needs a directory")?),
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    Ok(Some(out))
}

// ---- the office's clock ------------------------------------------------------------------------

/// The office's clock: a fixed instant that the story moves forward, never back.
struct OfficeClock(Mutex<DateTime<Utc>>);

impl OfficeClock {
    fn new(start: DateTime<Utc>) -> OfficeClock {
        OfficeClock(Mutex::new(start))
    }

    /// Moves to `hh:mm` Lesotho time on `date`; returns `hh:mm` for the heading.
    fn at(&self, date: NaiveDate, hhmm: &str) -> Res<String> {
        let time = NaiveTime::parse_from_str(hhmm, "%H:%M")?;
        let t = lesotho_offset()
            .from_local_datetime(&date.and_time(time))
            .single()
            .ok_or("ambiguous local time")?
            .with_timezone(&Utc);
        let mut now = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if t < *now {
            return Err(format!("the story's clock may not go back to {date} {hhmm}").into());
        }
        *now = t;
        Ok(hhmm.to_string())
    }
}

impl Clock for OfficeClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `hh:mm`, Lesotho time.
fn hm(t: DateTime<Utc>) -> String {
    t.with_timezone(&lesotho_offset())
        .format("%H:%M")
        .to_string()
}

/// `2 March 2026, 11:30`, Lesotho time.
fn long_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&lesotho_offset())
        .format("%-d %B %Y, %H:%M")
        .to_string()
}

fn date(y: i32, m: u32, d: u32) -> Res<NaiveDate> {
    Ok(NaiveDate::from_ymd_opt(y, m, d).ok_or("invalid date")?)
}

// ---- output ------------------------------------------------------------------------------------

/// Where the day's text goes and which files it wrote.
struct Out<'a> {
    w: &'a mut dyn Write,
    dir: PathBuf,
    written: Vec<String>,
}

impl Out<'_> {
    fn line(&mut self, text: &str) -> Res<()> {
        writeln!(self.w, "{text}")?;
        Ok(())
    }

    fn heading(&mut self, time: &str, title: &str) -> Res<()> {
        let used = time.len() + title.chars().count() + 3;
        let rule = "-".repeat((WIDTH + 17).saturating_sub(used).max(3));
        writeln!(self.w, "\n{time}  {title} {rule}")?;
        Ok(())
    }

    /// Writes `text` (with a final newline) to `name` under the output directory.
    fn save(&mut self, name: &str, text: &str) -> Res<()> {
        let path = self.dir.join(name);
        let mut text = text.to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        self.written.push(name.to_string());
        Ok(())
    }
}

fn money_row(label: &str, amount: &Money) -> String {
    format!("  {label:<WIDTH$} {:>14}", amount.to_string())
}

/// The quote as a counter clerk prints it.
fn print_quote(out: &mut Out, catalogue: &Catalogue, q: &Quote) -> Res<()> {
    let service = catalogue.service(&q.service_id)?;
    let rule = format!("  {}", "-".repeat(WIDTH + 15));
    out.line(&format!("  {} ({})", service.name.en, q.service_id))?;
    out.line(&format!(
        "  Fee schedule: {}, in force from {}",
        q.schedule.legal_reference, q.schedule.effective_from
    ))?;
    let inputs: Vec<String> = q.inputs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    out.line(&format!("  Answers used: {}", inputs.join(", ")))?;
    out.line(&rule)?;
    for line in &q.lines {
        let label = if line.quantity == 1 {
            line.description.clone()
        } else {
            format!(
                "{} ({} x {})",
                line.description, line.quantity, line.unit_amount
            )
        };
        out.line(&money_row(&label, &line.amount))?;
    }
    for e in &q.exemptions {
        out.line(&money_row(
            &format!("{} [{}]", e.description, e.category),
            &e.amount,
        ))?;
    }
    for t in &q.taxes {
        out.line(&money_row(
            &format!("{} {}% of {}", t.description, t.percent, t.base),
            &t.amount,
        ))?;
    }
    out.line(&rule)?;
    out.line(&money_row("TOTAL", &q.total))?;
    let pay_in = if q.accepts_zar_at_par {
        "LSL, or ZAR at par"
    } else {
        q.currency.code()
    };
    out.line(&format!(
        "  Pay in {pay_in}; payment due {}",
        q.payment_due.as_str()
    ))?;
    out.line(&format!("  Quote id {}", q.quote_id))
}

/// `VALID` or `INVALID <code>`.
fn short(verdict: &Verdict) -> String {
    match verdict.reason() {
        None => "VALID".into(),
        Some(reason) => format!("INVALID {reason}"),
    }
}

// ---- the letter ----------------------------------------------------------------------------------

/// An approval letter's payload.
fn letter_payload(
    ministry: &str,
    reference: &str,
    answers: &Answers,
    quote: &Quote,
    receipts: &[String],
    approved_by: &str,
) -> Res<Map<String, Value>> {
    let answer = |field: &str| -> Res<String> {
        Ok(answers
            .get(field)
            .ok_or_else(|| format!("no answer for {field}"))?
            .clone())
    };
    let urgent = answers.get("urgent").is_some_and(|v| v == "true");
    let value = json!({
        "title": LETTER_TITLE,
        "ministry": ministry,
        "office": OFFICE_NAME,
        "reference": reference,
        "service": quote.service_id,
        "booklet": format!("{} pages", answer("pages")?),
        "processing": if urgent { "urgent" } else { "normal" },
        "applicant": {
            "surname": answer("surname")?,
            "given_names": answer("given_names")?,
            "date_of_birth": answer("date_of_birth")?,
        },
        "decision": "approved",
        "approved_by": approved_by,
        "fee_paid": serde_json::to_value(quote.total)?,
        "receipts": receipts,
    });
    match value {
        Value::Object(map) => Ok(map),
        _ => Err("the letter payload is not an object".into()),
    }
}

/// A string member of a payload, at a path of object members.
fn text_at(payload: &Map<String, Value>, path: &[&str]) -> Res<String> {
    let mut node: Option<&Value> = None;
    let mut object = Some(payload);
    for key in path {
        node = object.and_then(|o| o.get(*key));
        object = node.and_then(Value::as_object);
    }
    match node {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(format!("the letter has no text at {}", path.join(".")).into()),
    }
}

/// `17 May 1990` from `1990-05-17`.
fn long_date(iso: &str) -> Res<String> {
    Ok(NaiveDate::parse_from_str(iso, "%Y-%m-%d")?
        .format("%-d %B %Y")
        .to_string())
}

/// What the certificate shows, read from the signed envelope itself: the printed fields are
/// exactly the signed ones.
fn certificate_of(letter: &IssuedDocument) -> Res<svg::Certificate> {
    let env = &letter.envelope;
    let p = env.payload();
    let fee: Money = serde_json::from_value(p.get("fee_paid").cloned().unwrap_or(Value::Null))?;
    let receipts: Vec<String> = match p.get("receipts") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    };
    let mut fields = vec![
        (
            "Applicant".to_string(),
            format!(
                "{} {}",
                text_at(p, &["applicant", "given_names"])?,
                text_at(p, &["applicant", "surname"])?.to_uppercase()
            ),
        ),
        (
            "Date of birth".into(),
            long_date(&text_at(p, &["applicant", "date_of_birth"])?)?,
        ),
        (
            "Passport".into(),
            format!(
                "Ordinary, {}, {} processing",
                text_at(p, &["booklet"])?,
                text_at(p, &["processing"])?
            ),
        ),
        ("Decision".into(), text_at(p, &["decision"])?.to_uppercase()),
        ("Fee paid".into(), fee.to_string()),
        ("Receipts".into(), receipts.join(", ")),
        ("Reference".into(), text_at(p, &["reference"])?),
        (
            "Issued".into(),
            format!("{} (Lesotho time)", long_time(env.iat())),
        ),
    ];
    if let Some(exp) = env.exp() {
        fields.push((
            "Valid until".into(),
            format!("{} (Lesotho time)", long_time(exp)),
        ));
    }
    fields.push(("Document".into(), env.id().to_string()));
    Ok(svg::Certificate {
        authority: "KINGDOM OF LESOTHO".into(),
        ministry: text_at(p, &["ministry"])?,
        office: text_at(p, &["office"])?,
        title: text_at(p, &["title"])?,
        statement: "The passport application below has been approved.".into(),
        fields,
        qr_caption: vec![
            "Scan to verify offline: the code holds the whole signed letter".into(),
            format!(
                "(LS1 signed document, {}, key id {}), checked against the government root key.",
                env.alg().name(),
                env.kid()
            ),
        ],
        notice:
            "SPECIMEN \u{2014} signed with public demonstration keys; not a government document"
                .into(),
    })
}

// ---- the day -------------------------------------------------------------------------------------

/// What the day produced, for the tests.
#[derive(Debug)]
#[cfg_attr(not(test), allow(dead_code))]
struct Day {
    quote_total: String,
    legal_reference: String,
    paid: String,
    outstanding: String,
    payments: usize,
    retry_counted_once: bool,
    refusal: String,
    receipts: Vec<String>,
    series_audit_ok: bool,
    /// (copy, verdict code or `valid`).
    verdicts: Vec<(String, String)>,
    z_count: u64,
    z_total: String,
    final_state: String,
    audit_entries: usize,
    qr_text: String,
    files: Vec<String>,
}

fn actor(id: &str, role: Role, office: &str) -> Res<Actor> {
    Ok(Actor::new(id, role, office)?)
}

fn run(dir: &Path, w: &mut dyn Write) -> Res<Day> {
    std::fs::create_dir_all(dir.join("receipts")).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out = Out {
        w,
        dir: dir.to_path_buf(),
        written: Vec::new(),
    };
    let friday = date(2026, 2, 27)?;
    let monday = date(2026, 3, 2)?;
    let clock = Arc::new(OfficeClock::new(parse_time("2026-01-01T00:00:00Z")?));
    let shared: Arc<dyn Clock> = clock.clone();

    // The keys (demo seeds: see the top of this file).
    let root = Issuer::new(
        Arc::new(SoftwareSigner::ed25519_from_seed(&DEMO_ROOT_SEED)?),
        shared.clone(),
    )?;
    let ministry = Issuer::new(
        Arc::new(SoftwareSigner::ed25519_from_seed(&DEMO_MINISTRY_SEED)?),
        shared.clone(),
    )?;
    let till_signer = Arc::new(SoftwareSigner::ed25519_from_seed(&DEMO_TILL_SEED)?);
    let till_key = Issuer::new(till_signer.clone(), shared.clone())?
        .public_key()
        .clone();
    let catalogue = Catalogue::lesotho()?;
    let service = catalogue.service(SERVICE)?;
    let ministry_name = catalogue
        .ministries
        .iter()
        .find(|m| m.id == service.ministry)
        .map(|m| m.name.en.clone())
        .ok_or("the passport service's ministry is not in the catalogue")?;

    // Last Friday the office approved another applicant; their letter is in circulation.
    clock.at(friday, "14:10")?;
    let mut status = StatusListManager::new(STATUS_LIST, MIN_SIZE)?;
    let friday_ref = ApplicationRef::new(OFFICE, "PSP", 2026, 97)?.to_string();
    let mut friday_answers = Answers::new();
    for (k, v) in [
        ("surname", "Letsie"),
        ("given_names", "Thabo"),
        ("date_of_birth", "1984-11-02"),
        ("pages", "32"),
    ] {
        friday_answers.insert(k.into(), v.into());
    }
    let friday_quote = catalogue.quote(SERVICE, &friday_answers, "general", friday)?;
    let friday_entry = status.allocate()?;
    let friday_letter = ministry.issue_object(
        LETTER_TYPE,
        &format!("AL-{friday_ref}"),
        letter_payload(
            &ministry_name,
            &friday_ref,
            &friday_answers,
            &friday_quote,
            &["MSU/T1-2026/114".to_string()],
            "officer-3",
        )?,
        Some(ministry.now() + Duration::days(LETTER_VALID_DAYS)),
        Some(friday_entry.clone()),
    )?;

    // ---- 07:45 the office opens ----
    let t = clock.at(monday, "07:45")?;
    out.line("A day at the Maseru passport office, Monday 2 March 2026 (Lesotho time)")?;
    out.line("DEMO KEYS from fixed seeds sign everything below: never use them in production.")?;
    out.heading(&t, "The office opens")?;
    out.line(&format!("  Catalogue: {}", catalogue.title))?;
    out.line(&format!("  NOTE: {}", catalogue.notice))?;
    let year = Duration::days(365);
    let not_before = parse_time("2026-01-01T00:00:00Z")?;
    let trust = TrustList {
        issuer: "Government of Lesotho, eServices trust root (DEMO)".into(),
        seq: 1,
        keys: vec![
            TrustedKey {
                name: format!("{ministry_name}, passport services (DEMO)"),
                public_key: ministry.public_key().clone(),
                not_before,
                not_after: not_before + year * 2,
                doc_types: vec![
                    "ls.gov.home-affairs.*".into(),
                    STATUS_LIST_TYPE.into(),
                    CHECKPOINT_DOC_TYPE.into(),
                ],
            },
            TrustedKey {
                name: "Maseru passport office, till 3 (DEMO)".into(),
                public_key: till_key.clone(),
                not_before,
                not_after: not_before + year,
                doc_types: vec![RECEIPT_TYPE.into()],
            },
        ],
    }
    .sign(&root, None)?;
    out.line(&format!(
        "  {:<30} {:<9} {:<24} Trusted for",
        "Key", "Alg", "Key id"
    ))?;
    let keys: [(&str, &Issuer, &str); 2] = [
        ("Government root (pinned)", &root, "signing the trust list"),
        (
            "Ministry of Home Affairs",
            &ministry,
            "ls.gov.home-affairs.*, status lists, audit checkpoints",
        ),
    ];
    for (name, issuer, what) in keys {
        out.line(&format!(
            "  {name:<30} {:<9} {:<24} {what}",
            issuer.public_key().alg().name(),
            issuer.kid()
        ))?;
    }
    out.line(&format!(
        "  {:<30} {:<9} {:<24} receipts",
        "Till 3",
        till_key.alg().name(),
        till_key.kid()
    ))?;
    out.save("root.pub", &root.public_key().to_string())?;
    out.save("trust-list.json", &trust.json)?;
    let morning_list = status.publish(&ministry, ministry.now() + Duration::days(1))?;
    let mut verifier = Verifier::new(root.public_key().clone(), &trust.json, shared.clone())?;
    verifier.add_status_list(&morning_list.json)?;
    out.line(&format!(
        "  Trust list seq 1 signed by the root; status list {STATUS_LIST} published ({} entries).",
        MIN_SIZE
    ))?;

    let ledger = PaymentLedger::new(shared.clone(), LedgerPolicy::default());
    ledger.open_series(ReceiptSeries::new(OFFICE, SERIES, till_signer)?)?;
    let mut log = AuditLog::new("MSU-2026")?;
    let citizen = actor("citizen-4471", Role::Applicant, "online")?;
    let clerk = actor("officer-1", Role::Clerk, OFFICE)?;
    let reviewer = actor("officer-2", Role::Reviewer, OFFICE)?;
    let approver = actor("officer-3", Role::Approver, OFFICE)?;
    let cashier = actor("cashier-7", Role::Cashier, OFFICE)?;
    let issuing = actor("officer-5", Role::IssuingOfficer, OFFICE)?;

    // ---- 08:05 the application ----
    let t = clock.at(monday, "08:05")?;
    out.heading(&t, "An applicant applies for an urgent 64-page passport")?;
    let mut answers = Answers::new();
    for (k, v) in [
        ("surname", "Mokoena"),
        ("given_names", "Lineo"),
        ("date_of_birth", "1990-07-15"), // a slip: the birth certificate says 1990-05-17
        ("national_id", "0123456789"),
        ("pages", "64"),
        ("urgent", "true"),
        ("phone", "+266 5881 2345"),
    ] {
        answers.insert(k.into(), v.into());
    }
    let photo = AttachmentRef::new(
        "photo.jpg",
        "image/jpeg",
        48_213,
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    )?;
    answers.insert("photo".into(), serde_json::to_string(&photo)?);
    let quote = catalogue.quote(SERVICE, &answers, "general", clock.today())?;
    print_quote(&mut out, &catalogue, &quote)?;
    let reference = ApplicationRef::new(OFFICE, "PSP", 2026, 123)?;
    let reference_text = reference.to_string();
    let mut app = Application::create(
        NewApplication {
            reference,
            service_id: SERVICE.into(),
            applicant_id: citizen.id.clone(),
            fee: Fee::new(
                service.payment_due,
                quote.total.amount(),
                quote.currency.code(),
            )?,
            answers: answers.clone(),
            attachments: vec![photo],
        },
        &citizen,
        &mut log,
        clock.as_ref(),
    )?;
    app.submit(&citizen, service, &mut log, clock.as_ref())?;
    ledger.register_quote(&reference_text, quote.clone())?;
    out.line(&format!(
        "  Application {reference_text} submitted online by {}: {}.",
        citizen.id,
        app.state()
    ))?;
    out.line(
        "  The catalogue says the passport fee is due upfront: review starts once it is paid.",
    )?;

    // ---- 08:20 and 08:35 the payments ----
    let t = clock.at(monday, "08:20")?;
    out.heading(&t, "The applicant pays in two parts")?;
    let request = |key: &str, channel: Channel, reference: Option<&str>, amount: &str| {
        Ok::<_, Box<dyn std::error::Error>>(PaymentRequest {
            idempotency_key: key.into(),
            office: OFFICE.into(),
            application: reference_text.clone(),
            quote_id: quote.quote_id.clone(),
            channel,
            external_reference: reference.map(String::from),
            amount: Money::parse(amount, Currency::Lsl)?,
            actor: cashier.id.clone(),
        })
    };
    // Each accepted payment is recorded on the application, by its receipt.
    let mut record = |app: &mut Application, o: &eservices::payment::PaymentOutcome| {
        app.record_payment(
            &cashier,
            &Payment::new(
                &o.payment.receipt,
                o.payment.credited.amount(),
                o.payment.credited.currency().code(),
            ),
            &mut log,
            clock.as_ref(),
        )
    };
    let cash = ledger.pay(&request("till-3:0001", Channel::Cash, None, "300.00")?)?;
    record(&mut app, &cash)?;
    clock.at(monday, "08:35")?;
    let mpesa_request = request(
        "mpesa:QK71H2XY9P",
        Channel::Mpesa,
        Some("QK71H2XY9P"),
        "500.00",
    )?;
    let mpesa = ledger.pay(&mpesa_request)?;
    record(&mut app, &mpesa)?;
    // The M-Pesa callback times out on the till's side and is delivered again a minute later.
    let retry_time = clock.at(monday, "08:36")?;
    let retried = ledger.pay(&mpesa_request)?;
    let retry_counted_once = retried == mpesa && ledger.payments().len() == 2;
    out.line(&format!(
        "  {:<4} {:<6} {:<7} {:<12} {:>10}  Receipt",
        "No.", "Time", "Channel", "Reference", "Amount"
    ))?;
    for (i, o) in [&cash, &mpesa].into_iter().enumerate() {
        let p = &o.payment;
        out.line(&format!(
            "  {:<4} {:<6} {:<7} {:<12} {:>10}  {}",
            i + 1,
            hm(p.time),
            p.request.channel.code(),
            p.request.external_reference.as_deref().unwrap_or("-"),
            p.request.amount.to_string(),
            p.receipt
        ))?;
    }
    out.line(&format!(
        "  {retry_time}  M-Pesa callback retried with key {}: receipt {} again, counted once ({}).",
        mpesa_request.idempotency_key,
        retried.payment.receipt,
        if retry_counted_once {
            "2 payments in the ledger"
        } else {
            "COUNTED TWICE"
        }
    ))?;
    let balance = ledger.balance(&reference_text)?;
    out.line(&format!(
        "  Balance: owed {}, paid {}, outstanding {}.",
        balance.owed, balance.paid, balance.outstanding
    ))?;

    // ---- 08:40 receipts and the series audit ----
    let t = clock.at(monday, "08:40")?;
    out.heading(&t, "Receipts issued, the series audited")?;
    let receipts = ledger.receipts(OFFICE)?;
    let mut receipt_ids = Vec::new();
    for r in &receipts {
        let file = format!("receipts/{}.json", r.id().replace('/', "-"));
        out.save(&file, &r.json)?;
        let verdict = verifier.verify(&r.qr()?);
        out.line(&format!(
            "  {:<12} {:>10}  {} bytes JSON, {} QR characters, from its QR: {}",
            r.id(),
            r.receipt
                .body
                .money()?
                .map(|m| m.to_string())
                .unwrap_or_default(),
            r.json.len(),
            r.qr()?.len(),
            short(&verdict)
        ))?;
        receipt_ids.push(r.id().to_string());
    }
    let texts: Vec<&str> = receipts.iter().map(|r| r.json.as_str()).collect();
    let audit = audit_series(&texts, &verifier, &AuditOptions::default());
    let series_audit_ok = audit.is_ok();
    match (&audit.problem, &audit.head) {
        (None, Some(head)) => out.line(&format!(
            "  Series {OFFICE}/{SERIES} audited: {} receipts, signatures and hash chain sound; head no. {} {}.",
            audit.checked, head.number, head.hash
        ))?,
        (Some(problem), _) => out.line(&format!(
            "  Series audit FAILED at index {}: {} ({})",
            problem.index,
            problem.kind.code(),
            problem.detail
        ))?,
        (None, None) => out.line("  Series audit: no receipts.")?,
    }

    // ---- review, correction, resubmission ----
    let t = clock.at(monday, "09:00")?;
    out.heading(&t, "Review")?;
    app.take_into_review(&clerk, &mut log, clock.as_ref())?;
    out.line(&format!(
        "  {t}  {} takes the application into review: {}.",
        clerk.id,
        app.state()
    ))?;
    let t = clock.at(monday, "09:40")?;
    let wrong_dob = answers.get("date_of_birth").cloned().unwrap_or_default();
    app.return_for_correction(
        &reviewer,
        vec![Correction::new(
            "date_of_birth",
            "does not match the birth certificate (1990-05-17)",
        )],
        &mut log,
        clock.as_ref(),
    )?;
    out.line(&format!(
        "  {t}  {} returns it: date_of_birth {wrong_dob} does not match the birth certificate: {}.",
        reviewer.id,
        app.state()
    ))?;
    let t = clock.at(monday, "10:15")?;
    answers.insert("date_of_birth".into(), "1990-05-17".into());
    let attachments = app.attachments().to_vec();
    app.resubmit(
        &citizen,
        answers.clone(),
        attachments,
        service,
        &mut log,
        clock.as_ref(),
    )?;
    out.line(&format!(
        "  {t}  {} corrects the date of birth to 1990-05-17 and resubmits (revision {}): {}.",
        citizen.id,
        app.revision_count(),
        app.state()
    ))?;
    let t = clock.at(monday, "10:30")?;
    app.take_into_review(&clerk, &mut log, clock.as_ref())?;
    out.line(&format!(
        "  {t}  {} takes it into review again: {}.",
        clerk.id,
        app.state()
    ))?;

    // ---- maker-checker ----
    let t = clock.at(monday, "11:00")?;
    out.heading(&t, "Approval (maker-checker)")?;
    let reviewer_as_approver = actor(&reviewer.id, Role::Approver, OFFICE)?;
    let refusal = match app.approve(&reviewer_as_approver, &mut log, clock.as_ref()) {
        Ok(()) => return Err("the reviewer was allowed to approve their own case".into()),
        Err(e) => e,
    };
    out.line(&format!(
        "  {t}  {} (also an approver) tries to approve: refused, {}",
        reviewer.id,
        refusal.code()
    ))?;
    out.line(&format!("         {refusal}"))?;
    let t = clock.at(monday, "11:05")?;
    app.approve(&approver, &mut log, clock.as_ref())?;
    out.line(&format!(
        "  {t}  {}, a second officer, approves: {}.",
        approver.id,
        app.state()
    ))?;

    // ---- 11:30 the approval letter ----
    let t = clock.at(monday, "11:30")?;
    out.heading(&t, "The approval letter is issued as a signed document")?;
    let entry = status.allocate()?;
    let letter_id = format!("AL-{reference_text}");
    let letter = ministry.issue_object(
        LETTER_TYPE,
        &letter_id,
        letter_payload(
            &ministry_name,
            &reference_text,
            &answers,
            &quote,
            &receipt_ids,
            &approver.id,
        )?,
        Some(ministry.now() + Duration::days(LETTER_VALID_DAYS)),
        Some(entry.clone()),
    )?;
    let qr_text = letter.qr()?;
    let code = qr::alphanumeric(&qr_text)?;
    let modules = qr::Modules::of(&code);
    out.line(&format!("  {:<14} {letter_id}", "Document"))?;
    out.line(&format!("  {:<14} {LETTER_TYPE}", "Type"))?;
    out.line(&format!(
        "  {:<14} list {}, index {} (random)",
        "Status entry", entry.list, entry.index
    ))?;
    out.line(&format!(
        "  {:<14} {} (Lesotho time)",
        "Valid until",
        letter.envelope.exp().map(long_time).unwrap_or_default()
    ))?;
    out.line(&format!(
        "  {:<14} {} bytes of JSON; QR text {} characters; QR version {}, level M, {}x{} modules",
        "Size",
        letter.json.len(),
        qr_text.len(),
        qr::version_number(&code),
        modules.width,
        modules.width
    ))?;
    out.save("approval-letter.json", &letter.json)?;
    out.save("approval-letter.qr.txt", &qr_text)?;
    out.save(
        "approval-letter.svg",
        &svg::certificate(&certificate_of(&letter)?, &modules),
    )?;
    out.save(
        "approval-letter.qr.svg",
        &svg::qr_code(&modules, &format!("{LETTER_TITLE} {letter_id}"), 6),
    )?;
    out.line("  Printed as approval-letter.svg; its QR code (drawn for a dark terminal):")?;
    for row in qr::terminal_text(&code).lines() {
        out.line(&format!("  {row}"))?;
    }

    // ---- 11:45 verification ----
    let t = clock.at(monday, "11:45")?;
    out.heading(&t, "A bank clerk verifies the letter offline")?;
    let from_json = verifier.verify(&letter.json);
    let qr_file = std::fs::read_to_string(dir.join("approval-letter.qr.txt"))?;
    let from_qr = verifier.verify(&qr_file);
    let tampered = letter.json.replace("\"Lineo\"", "\"Lerato\"");
    if tampered == letter.json {
        return Err("the tampering did not change the letter".into());
    }
    out.save("tampered-letter.json", &tampered)?;
    let from_tampered = verifier.verify(&tampered);
    let mut verdicts = Vec::new();
    out.line(&format!("  {:<48} Verdict", "Copy"))?;
    for (what, verdict) in [
        ("approval-letter.json", &from_json),
        ("approval-letter.qr.txt (QR text, read back)", &from_qr),
        ("tampered-letter.json (given names changed)", &from_tampered),
    ] {
        out.line(&format!("  {what:<48} {}", short(verdict)))?;
        verdicts.push((what.to_string(), code_of(verdict)));
    }
    out.line(&format!("  approval-letter.qr.txt: {from_qr}"))?;

    // ---- 14:00 revocation ----
    let t = clock.at(monday, "14:00")?;
    out.heading(&t, "Friday's letter is revoked")?;
    status.revoke(friday_entry.index)?;
    let afternoon_list = status.publish(&ministry, ministry.now() + Duration::days(1))?;
    verifier.add_status_list(&afternoon_list.json)?;
    out.save("status-list.json", &afternoon_list.json)?;
    out.save("revoked-letter.json", &friday_letter.json)?;
    out.line(&format!(
        "  The police report that {} was obtained with a forged birth certificate.",
        friday_letter.envelope.id()
    ))?;
    out.line(&format!(
        "  Index {} of {STATUS_LIST} revoked; the status list is published again at {t}.",
        friday_entry.index
    ))?;
    let revoked = verifier.verify(&friday_letter.json);
    let still_valid = verifier.verify(&qr_file);
    out.line(&format!("  {:<48} Verdict", "Copy"))?;
    for (what, verdict) in [
        ("revoked-letter.json (Friday's letter)", &revoked),
        ("approval-letter.qr.txt (today's letter)", &still_valid),
    ] {
        out.line(&format!("  {what:<48} {}", short(verdict)))?;
        verdicts.push((what.to_string(), code_of(verdict)));
    }

    // ---- 16:30 day end ----
    let t = clock.at(monday, "16:30")?;
    out.heading(&t, "Day-end Z-report")?;
    let z = ledger.z_report(OFFICE, clock.today(), &catalogue)?;
    print_z(&mut out, &z)?;
    out.save("z-report.json", &z.to_json()?)?;
    // The day's receipts end at the Z-report's head.
    let head = match (z.last_number, &z.chain_head) {
        (Some(number), Some(hash)) => Some(ChainPoint {
            number,
            hash: hash.clone(),
        }),
        _ => None,
    };
    let against_z = audit_series(
        &texts,
        &verifier,
        &AuditOptions {
            expected_head: head,
            ..AuditOptions::default()
        },
    );
    out.line(&format!(
        "  Receipts audited against the Z-report's chain head: {}.",
        if against_z.is_ok() { "sound" } else { "BROKEN" }
    ))?;

    // ---- 16:40 the letter is handed over ----
    let t = clock.at(monday, "16:40")?;
    out.heading(&t, "The applicant collects the letter")?;
    app.issue(&issuing, &letter_id, &mut log, clock.as_ref())?;
    out.line(&format!(
        "  {} marks {reference_text} issued with document {letter_id}: {}.",
        issuing.id,
        app.state()
    ))?;
    out.save("application.json", &app.to_json()?)?;

    // ---- 16:45 the audit log ----
    let t = clock.at(monday, "16:45")?;
    out.heading(&t, "The audit log is verified and checkpointed")?;
    out.line(&format!(
        "  {:<4} {:<6} {:<13} {:<16} {:<22} State",
        "Seq", "Time", "Actor", "Role", "Action"
    ))?;
    for e in log.entries() {
        let to = e.details.get("to").and_then(Value::as_str).unwrap_or("");
        out.line(&format!(
            "  {:<4} {:<6} {:<13} {:<16} {:<22} {to}",
            e.seq,
            hm(e.time),
            e.actor.id,
            e.actor.role.as_str(),
            e.action
        ))?;
    }
    log.verify()?;
    app.check_recorded_in(&log)?;
    let checkpoint = Checkpoint::of(&log, clock.as_ref())?;
    let signed = checkpoint.sign(&ministry)?;
    let checked = Checkpoint::verify_signed(&signed.json, &verifier)?;
    log.verify_against(&checked)?;
    out.line(&format!(
        "  Hash chain sound ({} entries); the refused approval left no entry.",
        log.len()
    ))?;
    out.line(&format!(
        "  Checkpoint {} signed by the ministry key, verified, and the log verified against it.",
        signed.envelope.id()
    ))?;
    out.save("audit-log.json", &log.to_json()?)?;
    out.save("audit-checkpoint.json", &signed.json)?;

    // ---- the files ----
    out.heading("", "Files")?;
    out.line(&format!("  Written to {}:", dir.display()))?;
    let mut files = out.written.clone();
    files.sort();
    files.dedup();
    for chunk in files.chunks(3) {
        let row: Vec<String> = chunk.iter().map(|f| format!("{f:<28}")).collect();
        out.line(&format!("    {}", row.join(" ").trim_end()))?;
    }
    out.line(&format!(
        "  Check a copy yourself: cargo run --example verify -- {0}/approval-letter.qr.txt \\\n      {0}/trust-list.json {0}/root.pub --status-list {0}/status-list.json --at 2026-03-02T15:00:00Z",
        dir.display()
    ))?;

    Ok(Day {
        quote_total: quote.total.to_string(),
        legal_reference: quote.schedule.legal_reference.clone(),
        paid: balance.paid.to_string(),
        outstanding: balance.outstanding.to_string(),
        payments: ledger.payments().len(),
        retry_counted_once,
        refusal: refusal.code().to_string(),
        receipts: receipt_ids,
        series_audit_ok: series_audit_ok && against_z.is_ok(),
        verdicts,
        z_count: z.count,
        z_total: z.payments.total.get(Currency::Lsl).to_string(),
        final_state: app.state().to_string(),
        audit_entries: log.len(),
        qr_text,
        files,
    })
}

/// `valid` or the reason code.
fn code_of(verdict: &Verdict) -> String {
    verdict
        .reason()
        .map_or_else(|| "valid".to_string(), |r| r.code().to_string())
}

/// Width of the Z-report's label column.
const Z_WIDTH: usize = 44;

fn print_z(out: &mut Out, z: &ZReport) -> Res<()> {
    let numbers = match (z.first_number, z.last_number) {
        (Some(first), Some(last)) => format!("{first}-{last}"),
        _ => "none".into(),
    };
    out.line(&format!(
        "  Office {}, {}: {} receipts (nos. {numbers}), chain head {}",
        z.office,
        z.day,
        z.count,
        z.chain_head.as_deref().unwrap_or("-")
    ))?;
    let rule = format!("  {}", "-".repeat(Z_WIDTH + 15));
    out.line(&format!("  {:<Z_WIDTH$} {:>14}", "Payments", "Amount"))?;
    out.line(&rule)?;
    let sections = [
        ("channel", &z.payments.by_channel),
        ("service", &z.payments.by_service),
        ("account", &z.payments.by_account),
    ];
    for (kind, totals) in sections {
        for (name, t) in totals {
            for currency in t.currencies() {
                out.line(&format!(
                    "  {:<Z_WIDTH$} {:>14}",
                    format!("by {kind}: {}", shorten(name, Z_WIDTH - 12)),
                    t.get(currency).to_string()
                ))?;
            }
        }
    }
    out.line(&rule)?;
    for currency in z.payments.total.currencies() {
        out.line(&format!(
            "  {:<Z_WIDTH$} {:>14}",
            format!("TOTAL ({} payments)", z.payments.count),
            z.payments.total.get(currency).to_string()
        ))?;
    }
    out.line(&format!(
        "  Credit notes: {}; void numbers: {}.",
        z.credit_notes.count,
        if z.voids.is_empty() {
            "none".to_string()
        } else {
            let numbers: Vec<String> = z.voids.iter().map(u64::to_string).collect();
            numbers.join(", ")
        }
    ))
}

/// `text` cut to `max` characters with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}\u{2026}")
    }
}

#[cfg(test)]
mod tests;
