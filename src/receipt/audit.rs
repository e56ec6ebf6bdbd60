//! Series audit: checks a sequence of receipt envelopes and reports the first problem.
//!
//! Each entry is checked in order, and the first failing check names the problem:
//!
//! 1. it must parse as a signed envelope of type [`RECEIPT_TYPE`] — else
//!    [`ProblemKind::Malformed`];
//! 2. it must verify with the [`Verifier`] (trust list): a key not trusted for receipts at
//!    the entry's time is [`ProblemKind::UnknownKey`]; an entry issued after the verifier's
//!    clock is [`ProblemKind::FutureDated`]; a signature that does not verify is
//!    [`ProblemKind::EditedContent`] when the chain shows the bytes changed after they were
//!    chained (the next entry — validly signed — or the expected head names another hash),
//!    and [`ProblemKind::BadSignature`] when the chain vouches for these very bytes or
//!    nothing follows to tell;
//! 3. its payload must be a well-formed receipt — else [`ProblemKind::Malformed`] — of the
//!    audited office and series — else [`ProblemKind::ForeignSeries`];
//! 4. its number must be the previous one plus 1: a number already seen is
//!    [`ProblemKind::DuplicateNumber`]; a higher number is [`ProblemKind::Reorder`] when the
//!    expected number comes later in the sequence and [`ProblemKind::Gap`] when it does not;
//! 5. its `prev` must be the [`receipt_hash`](super::receipt_hash) of the entry before — else
//!    [`ProblemKind::BrokenPrev`].
//!
//! After the last entry, an expected head (e.g. from a Z-report) is compared: a missing tail
//! is a [`ProblemKind::Gap`] at index `entries.len()`, another hash is
//! [`ProblemKind::EditedContent`] at the last index.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{ChainPoint, IssuedReceipt, RECEIPT_TYPE};
use crate::document::SignedEnvelope;
use crate::verify::{Reason, Verifier};

/// The kind of the first problem found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// Not a receipt envelope (JSON, envelope or payload form).
    Malformed,
    /// Signed by a key the trust list does not hold, or does not trust for receipts at the
    /// entry's time.
    UnknownKey,
    /// The signature does not verify, and the chain does not show the bytes were changed.
    BadSignature,
    /// The entry's bytes differ from those the chain committed to.
    EditedContent,
    /// Issued after the verifier's clock (beyond its skew).
    FutureDated,
    /// A receipt of another office or series.
    ForeignSeries,
    /// One or more numbers are missing.
    Gap,
    /// A number that already appeared.
    DuplicateNumber,
    /// Entries out of order (the expected number comes later).
    Reorder,
    /// `prev` is not the hash of the entry before.
    BrokenPrev,
}

impl ProblemKind {
    /// Stable snake_case code.
    ///
    /// ```
    /// use eservices::receipt::audit::ProblemKind;
    /// assert_eq!(ProblemKind::BrokenPrev.code(), "broken_prev");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            ProblemKind::Malformed => "malformed",
            ProblemKind::UnknownKey => "unknown_key",
            ProblemKind::BadSignature => "bad_signature",
            ProblemKind::EditedContent => "edited_content",
            ProblemKind::FutureDated => "future_dated",
            ProblemKind::ForeignSeries => "foreign_series",
            ProblemKind::Gap => "gap",
            ProblemKind::DuplicateNumber => "duplicate_number",
            ProblemKind::Reorder => "reorder",
            ProblemKind::BrokenPrev => "broken_prev",
        }
    }
}

/// The first problem of a series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditProblem {
    /// Index in the audited sequence (0-based).
    pub index: usize,
    /// The entry's number, when it could be read.
    pub number: Option<u64>,
    /// What is wrong.
    pub kind: ProblemKind,
    /// Explanation.
    pub detail: String,
}

/// What to audit against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditOptions {
    /// The office; `None` takes the first entry's.
    pub office: Option<String>,
    /// The series; `None` takes the first entry's.
    pub series: Option<String>,
    /// The entry just before the first audited one (to audit a slice, e.g. one day);
    /// `None` means the sequence starts at number 1 with `prev: null`.
    pub after: Option<ChainPoint>,
    /// The head the sequence must end at (e.g. from the day's Z-report).
    pub expected_head: Option<ChainPoint>,
}

/// The audit's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// Entries that passed every check (all of them when there is no problem).
    pub checked: usize,
    /// The last entry that passed.
    pub head: Option<ChainPoint>,
    /// The first problem, if any.
    pub problem: Option<AuditProblem>,
}

impl AuditReport {
    /// Whether the series is sound.
    pub fn is_ok(&self) -> bool {
        self.problem.is_none()
    }
}

/// Audits `entries` (receipt envelopes as JSON texts, in series order) with `verifier`.
///
/// ```
/// # use std::sync::Arc;
/// # use eservices::document::{parse_time, Issuer, SoftwareSigner};
/// # use eservices::trust::{TrustList, TrustedKey};
/// # use eservices::verify::Verifier;
/// # use eservices::FixedClock;
/// use eservices::receipt::{ReceiptBody, ReceiptSeries, VoidBody};
/// use eservices::receipt::audit::{audit_series, AuditOptions, ProblemKind};
/// # let clock = Arc::new(FixedClock::parse("2026-03-02T09:00:00Z")?);
/// # let root = Issuer::new(Arc::new(SoftwareSigner::ed25519_from_seed(&[1; 32])?), clock.clone())?;
/// let signer = Arc::new(SoftwareSigner::ed25519_from_seed(&[9; 32])?);
/// # let trust = TrustList { issuer: "GoL".into(), seq: 1, keys: vec![TrustedKey {
/// #     name: "MSU till".into(),
/// #     public_key: Issuer::new(signer.clone(), clock.clone())?.public_key().clone(),
/// #     not_before: parse_time("2026-01-01T00:00:00Z")?, not_after: parse_time("2027-01-01T00:00:00Z")?,
/// #     doc_types: vec!["ls.gov.eservices.receipt".into()] }] }.sign(&root, None)?;
/// # let verifier = Verifier::new(root.public_key().clone(), &trust.json, clock.clone())?;
/// let mut series = ReceiptSeries::new("MSU", "2026", signer)?;
/// let t = parse_time("2026-03-02T08:00:00Z")?;
/// let mut texts = Vec::new();
/// for _ in 0..3 {
///     let r = series.issue("c", t, ReceiptBody::Void(VoidBody { reason: "jam".into() }))?;
///     texts.push(r.json);
/// }
/// assert!(audit_series(&texts, &verifier, &AuditOptions::default()).is_ok());
/// texts.remove(1);
/// let report = audit_series(&texts, &verifier, &AuditOptions::default());
/// let problem = report.problem.ok_or("no problem found")?;
/// assert_eq!((problem.index, problem.kind), (1, ProblemKind::Gap));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn audit_series<S: AsRef<str>>(
    entries: &[S],
    verifier: &Verifier,
    options: &AuditOptions,
) -> AuditReport {
    audit(entries, Some(verifier), options)
}

/// Audits the chain of `entries` alone: every check of [`audit_series`] except the
/// signatures (steps 1 and 3 to 5 of the [module documentation](self)). **This is not an
/// authentication**: anyone can build a chain that passes. Use it where no trust list is at
/// hand or to find a break in a long series quickly (it runs at hashing speed, several times
/// faster than [`audit_series`]), then audit with signatures.
///
/// Without signatures an entry edited after it was chained shows as
/// [`ProblemKind::BrokenPrev`] at the entry after it (or [`ProblemKind::EditedContent`]
/// against the expected head, for the last one).
///
/// ```
/// # use std::sync::Arc;
/// # use eservices::document::{parse_time, SoftwareSigner};
/// use eservices::receipt::{ReceiptBody, ReceiptSeries, VoidBody};
/// use eservices::receipt::audit::{audit_chain, AuditOptions, ProblemKind};
/// let signer = Arc::new(SoftwareSigner::ed25519_from_seed(&[9; 32])?);
/// let mut series = ReceiptSeries::new("MSU", "2026", signer)?;
/// let t = parse_time("2026-03-02T08:00:00Z")?;
/// let mut texts = Vec::new();
/// for reason in ["jam", "torn", "misprint"] {
///     let r = series.issue("c", t, ReceiptBody::Void(VoidBody { reason: reason.into() }))?;
///     texts.push(r.json);
/// }
/// assert!(audit_chain(&texts, &AuditOptions::default()).is_ok());
/// texts[0] = texts[0].replace("jam", "ham");
/// let problem = audit_chain(&texts, &AuditOptions::default()).problem.ok_or("no problem")?;
/// assert_eq!((problem.index, problem.kind), (1, ProblemKind::BrokenPrev));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn audit_chain<S: AsRef<str>>(entries: &[S], options: &AuditOptions) -> AuditReport {
    audit(entries, None, options)
}

/// One entry, read once: not an envelope, an envelope that is not a receipt, or a receipt.
enum Read {
    NotEnvelope(String),
    NotReceipt(Box<SignedEnvelope>, String),
    Receipt(Box<IssuedReceipt>),
}

impl Read {
    fn of(text: &str) -> Read {
        match SignedEnvelope::parse(text) {
            Err(e) => Read::NotEnvelope(e.to_string()),
            Ok(env) => match IssuedReceipt::read(env) {
                Ok(receipt) => Read::Receipt(Box::new(receipt)),
                Err(failed) => {
                    let (env, e) = *failed;
                    Read::NotReceipt(Box::new(env), e.to_string())
                }
            },
        }
    }

    fn receipt(&self) -> Option<&IssuedReceipt> {
        match self {
            Read::Receipt(r) => Some(r),
            _ => None,
        }
    }
}

fn audit<S: AsRef<str>>(
    entries: &[S],
    verifier: Option<&Verifier>,
    options: &AuditOptions,
) -> AuditReport {
    // Entries are read one at a time (memory stays flat however long the series); the
    // entries after a problem are read again only to name it (look-ahead).
    let mut office = options.office.clone();
    let mut series = options.series.clone();
    let mut head = options.after.clone();
    let mut seen: BTreeSet<u64> = BTreeSet::new();
    let mut checked = 0;
    let fail =
        |index: usize, number: Option<u64>, kind: ProblemKind, detail: String, checked, head| {
            AuditReport {
                checked,
                head,
                problem: Some(AuditProblem {
                    index,
                    number,
                    kind,
                    detail,
                }),
            }
        };
    for (i, text) in entries.iter().enumerate() {
        let read = Read::of(text.as_ref());
        let (env, claimed) = match &read {
            Read::NotEnvelope(detail) => {
                return fail(
                    i,
                    None,
                    ProblemKind::Malformed,
                    detail.clone(),
                    checked,
                    head,
                )
            }
            Read::NotReceipt(env, _) => (&**env, None),
            Read::Receipt(r) => (&r.envelope, Some(r.receipt.number)),
        };
        if env.typ() != RECEIPT_TYPE {
            let detail = format!("type {:?} is not {RECEIPT_TYPE:?}", env.typ());
            return fail(i, claimed, ProblemKind::Malformed, detail, checked, head);
        }
        if let Some(verifier) = verifier {
            if let Err((reason, detail)) = verifier.check_envelope(env) {
                let kind = match reason {
                    Reason::UnknownKey
                    | Reason::KeyNotValidAtIssue
                    | Reason::DocTypeNotAuthorised => ProblemKind::UnknownKey,
                    Reason::NotYetValid => ProblemKind::FutureDated,
                    Reason::BadSignature | Reason::AlgMismatch => {
                        if chain_disowns(i, env, entries, verifier, options) {
                            ProblemKind::EditedContent
                        } else {
                            ProblemKind::BadSignature
                        }
                    }
                    _ => ProblemKind::Malformed,
                };
                return fail(
                    i,
                    claimed,
                    kind,
                    format!("{reason}: {detail}"),
                    checked,
                    head,
                );
            }
        }
        let entry = match &read {
            Read::Receipt(entry) => entry,
            Read::NotReceipt(_, detail) | Read::NotEnvelope(detail) => {
                return fail(
                    i,
                    claimed,
                    ProblemKind::Malformed,
                    detail.clone(),
                    checked,
                    head,
                )
            }
        };
        let r = &entry.receipt;
        let number = Some(r.number);
        let office_ok = office.get_or_insert_with(|| r.office.clone()) == &r.office;
        let series_ok = series.get_or_insert_with(|| r.series.clone()) == &r.series;
        if !office_ok || !series_ok {
            let detail = format!("receipt {} is not of the audited series", r.id());
            return fail(i, number, ProblemKind::ForeignSeries, detail, checked, head);
        }
        let expected = head.as_ref().map_or(Some(1), |h| h.number.checked_add(1));
        let expected = expected.unwrap_or(u64::MAX);
        if r.number != expected {
            let earlier = head.as_ref().is_some_and(|h| r.number <= h.number);
            let (kind, detail) = if earlier || seen.contains(&r.number) {
                (
                    ProblemKind::DuplicateNumber,
                    format!("number {} already appeared (expected {expected})", r.number),
                )
            } else if number_later(entries, i, expected) {
                (
                    ProblemKind::Reorder,
                    format!("number {} comes before {expected}", r.number),
                )
            } else {
                (
                    ProblemKind::Gap,
                    format!("expected number {expected}, found {}", r.number),
                )
            };
            return fail(i, number, kind, detail, checked, head);
        }
        let expected_prev = head.as_ref().map(|h| h.hash.clone());
        if r.prev != expected_prev {
            let detail = format!(
                "prev is {:?}, the entry before hashes to {:?}",
                r.prev, expected_prev
            );
            return fail(i, number, ProblemKind::BrokenPrev, detail, checked, head);
        }
        seen.insert(r.number);
        head = Some(ChainPoint {
            number: r.number,
            hash: entry.hash.clone(),
        });
        checked += 1;
    }
    if let Some(want) = &options.expected_head {
        let got = head.clone();
        match &got {
            Some(h) if h == want => {}
            Some(h) if h.number == want.number => {
                let detail = format!("the last entry hashes to {}, not {}", h.hash, want.hash);
                let index = entries.len().saturating_sub(1);
                return fail(
                    index,
                    Some(h.number),
                    ProblemKind::EditedContent,
                    detail,
                    checked,
                    got,
                );
            }
            _ => {
                let detail = format!(
                    "the sequence ends at {:?}; the expected head is number {}",
                    got.as_ref().map(|h| h.number),
                    want.number
                );
                return fail(
                    entries.len(),
                    Some(want.number),
                    ProblemKind::Gap,
                    detail,
                    checked,
                    got,
                );
            }
        }
    }
    AuditReport {
        checked,
        head,
        problem: None,
    }
}

/// Whether the chain shows entry `i`'s bytes changed after they were chained: the next entry
/// (itself validly signed) or, for the last entry, the expected head names another hash.
fn chain_disowns<S: AsRef<str>>(
    i: usize,
    env: &SignedEnvelope,
    entries: &[S],
    verifier: &Verifier,
    options: &AuditOptions,
) -> bool {
    let Ok(hash) = super::receipt_hash(env) else {
        return false;
    };
    let next = entries
        .get(i.saturating_add(1))
        .map(|e| Read::of(e.as_ref()));
    match next.as_ref().map(Read::receipt) {
        Some(Some(next)) => {
            verifier.check_envelope(&next.envelope).is_ok()
                && next.receipt.prev.as_deref() != Some(hash.as_str())
        }
        Some(None) => false,
        None => options
            .expected_head
            .as_ref()
            .is_some_and(|h| h.hash != hash),
    }
}

/// Whether number `n` appears after index `i`.
fn number_later<S: AsRef<str>>(entries: &[S], i: usize, n: u64) -> bool {
    entries
        .iter()
        .skip(i.saturating_add(1))
        .map(|e| Read::of(e.as_ref()))
        .any(|r| r.receipt().is_some_and(|p| p.receipt.number == n))
}
