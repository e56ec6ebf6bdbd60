//! Payments and receipts from the bindings: the [`PaymentLedger`] object, series audit
//! ([`audit_receipts`]), Z-reports and reconciliation.
//!
//! Amounts cross as decimal strings with the currency's code (`"500.00"`, `"LSL"`); channels
//! as their wire codes (`cash`, `mpesa`, `ecocash`, `bank_transfer`, `card`, or another code of
//! 1–32 `a-z 0-9 _ -`); receipts as their signed JSON and QR text, ready to verify with
//! [`Verifier`].

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::signing::SignerAdapter;
use super::types::{decimal_from_text, echo};
use super::{GovError, Signer, TimeSource, Verifier};
use crate::fees::Quote;
use crate::money::{Currency, Money};
use crate::payment::{self, Channel, LedgerPolicy, PaymentRequest};
use crate::receipt::audit::{audit_series, AuditOptions};
use crate::receipt::report::{reconcile, MatchKind, StatementLine, ZReport};
use crate::receipt::{ChainPoint, IssuedReceipt, ReceiptSeries};
use crate::Error;

/// A currency code (`LSL`, `ZAR`). Error: `unknown_currency`.
pub(crate) fn currency(code: &str) -> Result<Currency, GovError> {
    Currency::from_code(code).map_err(|_| Error::UnknownCurrency { code: echo(code) }.into())
}

/// An exact amount from a plain decimal string and a currency code: no exponent, no
/// separators, no more minor digits than the currency has. Errors: `invalid_amount`,
/// `unknown_currency`.
pub(crate) fn money(amount: &str, currency_code: &str) -> Result<Money, GovError> {
    let currency = currency(currency_code)?;
    Ok(Money::new(decimal_from_text(amount)?, currency)?)
}

/// A channel code (see the module documentation). Error: `invalid_payment_request`.
fn channel(code: &str) -> Result<Channel, GovError> {
    Ok(Channel::parse(code)?)
}

/// A fee quote from its canonical JSON (strict; the id is re-checked when it is registered).
/// Error: `invalid_json`, naming the JSON path.
pub(crate) fn quote_from_json(quote_json: &str) -> Result<Quote, GovError> {
    let value = crate::json::parse_strict(quote_json)?;
    let quote = serde_path_to_error::deserialize(value).map_err(|e| {
        let at = e.path().to_string();
        let path = match at.as_str() {
            "" | "." => "$".to_string(),
            p if p.starts_with('[') => format!("${p}"),
            p => format!("$.{p}"),
        };
        Error::InvalidJson {
            path,
            reason: format!("not a fee quote: {}", echo(&e.inner().to_string())),
        }
    })?;
    Ok(quote)
}

// The in-memory [`PaymentLedger`] and the durable `RecordStore` offer the same payment
// operations over two cores; what they convert on the way in and out is written once here.

/// The policy of a ledger or store: the default, with the days a quote stays payable when
/// given.
pub(crate) fn ledger_policy(quote_validity_days: Option<u32>) -> LedgerPolicy {
    let mut policy = LedgerPolicy::default();
    if let Some(days) = quote_validity_days {
        policy.quote_validity_days = days;
    }
    policy
}

/// The bindings' form of receipts, in the order given.
pub(crate) fn receipt_infos(receipts: Vec<IssuedReceipt>) -> Result<Vec<ReceiptInfo>, GovError> {
    receipts.into_iter().map(ReceiptInfo::of).collect()
}

/// The bindings' form of refund requests, in the order given.
pub(crate) fn refund_infos(requests: Vec<payment::RefundRequest>) -> Vec<RefundInfo> {
    requests.into_iter().map(RefundInfo::from).collect()
}

/// A Z-report as canonical JSON: `report` of `day`, or of today by `clock` when `day` is
/// `None`.
pub(crate) fn z_report_json(
    clock: &TimeSource,
    day: Option<NaiveDate>,
    report: impl FnOnce(NaiveDate) -> crate::Result<ZReport>,
) -> Result<String, GovError> {
    let day = day.unwrap_or_else(|| clock.today());
    Ok(report(day)?.to_json()?)
}

/// A payment to record. `channel` is a channel code; `external_reference` is the channel's
/// transaction id (M-Pesa code, bank reference; `None` only for cash); `amount` a decimal
/// string in `currency` (the quote's, or `ZAR` at par where the schedule allows it).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PaymentInput {
    /// Caller-chosen key that makes retries safe: the same key and content return the
    /// original payment and receipt; the same key with other content is `idempotency_conflict`.
    pub idempotency_key: String,
    /// The office whose receipt series numbers the receipt (opened with `open_series`).
    pub office: String,
    /// The application reference the quote was registered for.
    pub application: String,
    /// The `quote_id` of the quote paid.
    pub quote_id: String,
    /// The channel code, e.g. `mpesa`.
    pub channel: String,
    /// The channel's transaction reference (`None` only for cash).
    pub external_reference: Option<String>,
    /// The amount, e.g. `"500.00"`.
    pub amount: String,
    /// The amount's currency code, e.g. `LSL`.
    pub currency: String,
    /// The cashier or integration recording the payment.
    pub cashier: String,
}

/// A signed receipt (a payment, a credit note or a void entry).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReceiptInfo {
    /// `<office>/<series>/<number>`, e.g. `MSU/2026/2`.
    pub id: String,
    /// The office.
    pub office: String,
    /// The series.
    pub series: String,
    /// The number in the series, from 1, gapless.
    pub number: u64,
    /// `payment`, `credit_note` or `void`.
    pub kind: String,
    /// When it was issued.
    pub time: DateTime<Utc>,
    /// Who issued it (for a credit note, the approver).
    pub cashier: String,
    /// The amount (negative for a credit note), or `None` for a void entry.
    pub amount: Option<String>,
    /// The amount's currency code, or `None` for a void entry.
    pub currency: Option<String>,
    /// This entry's chain hash (the next entry's `prev`).
    pub hash: String,
    /// The signed receipt as canonical JSON.
    pub json: String,
    /// Its QR form, or `None` if too large for a QR code.
    pub qr: Option<String>,
}

impl ReceiptInfo {
    /// The bindings' form of an issued receipt.
    pub(crate) fn of(r: IssuedReceipt) -> Result<ReceiptInfo, GovError> {
        let amount = r.receipt.body.money()?;
        Ok(ReceiptInfo {
            id: r.id().into(),
            office: r.receipt.office.clone(),
            series: r.receipt.series.clone(),
            number: r.receipt.number,
            kind: r.receipt.body.kind().into(),
            time: r.receipt.time,
            cashier: r.receipt.cashier.clone(),
            amount: amount.as_ref().map(Money::to_string_amount),
            currency: amount.map(|m| m.currency().code().into()),
            qr: r.qr().ok(),
            hash: r.hash,
            json: r.json,
        })
    }
}

/// What [`PaymentLedger::pay`] returns: the payment and its one receipt. A retry with the
/// same idempotency key and content returns an equal value.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PaymentResult {
    /// Ledger-wide payment number, from 1.
    pub payment_seq: u64,
    /// The application paid for.
    pub application: String,
    /// The quote paid.
    pub quote_id: String,
    /// The service of the quote.
    pub service: String,
    /// The channel code.
    pub channel: String,
    /// The amount paid.
    pub amount: String,
    /// Its currency code.
    pub currency: String,
    /// What it counts towards the quote, in the quote's currency.
    pub credited: String,
    /// When it was recorded.
    pub time: DateTime<Utc>,
    /// Its receipt.
    pub receipt: ReceiptInfo,
}

/// Where an application stands against its quote in force. Amounts are in `currency`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ApplicationBalance {
    /// The application reference.
    pub application: String,
    /// The quote in force.
    pub quote_id: String,
    /// The quote's currency code.
    pub currency: String,
    /// What the quote asks for.
    pub owed: String,
    /// Payments less refunds.
    pub paid: String,
    /// What remains to pay (never negative).
    pub outstanding: String,
    /// What was paid beyond the quote (never negative); refundable.
    pub credit: String,
}

/// A refund request and where it stands (maker-checker: a second actor decides).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RefundInfo {
    /// Request id, `RF-1`, `RF-2`, …
    pub id: String,
    /// The payment receipt to refund.
    pub receipt: String,
    /// How much (positive).
    pub amount: String,
    /// Its currency code.
    pub currency: String,
    /// Why.
    pub reason: String,
    /// Who asked.
    pub requested_by: String,
    /// When.
    pub time: DateTime<Utc>,
    /// `pending`, `approved` or `declined`.
    pub state: String,
    /// Who approved or declined, once decided.
    pub decided_by: Option<String>,
    /// The credit note's receipt id, once approved.
    pub credit_note: Option<String>,
}

impl PaymentInput {
    /// The core request (amount and channel parsed).
    pub(crate) fn into_request(self) -> Result<PaymentRequest, GovError> {
        Ok(PaymentRequest {
            amount: money(&self.amount, &self.currency)?,
            channel: channel(&self.channel)?,
            idempotency_key: self.idempotency_key,
            office: self.office,
            application: self.application,
            quote_id: self.quote_id,
            external_reference: self.external_reference,
            actor: self.cashier,
        })
    }
}

impl PaymentResult {
    /// The bindings' form of a payment and its receipt.
    pub(crate) fn of(outcome: payment::PaymentOutcome) -> Result<PaymentResult, GovError> {
        let p = outcome.payment;
        Ok(PaymentResult {
            payment_seq: p.seq,
            application: p.request.application,
            quote_id: p.request.quote_id,
            service: p.service,
            channel: p.request.channel.code().into(),
            amount: p.request.amount.to_string_amount(),
            currency: p.request.amount.currency().code().into(),
            credited: p.credited.to_string_amount(),
            time: p.time,
            receipt: ReceiptInfo::of(outcome.receipt)?,
        })
    }
}

impl From<payment::Balance> for ApplicationBalance {
    fn from(b: payment::Balance) -> Self {
        ApplicationBalance {
            application: b.application,
            quote_id: b.quote_id,
            currency: b.owed.currency().code().into(),
            owed: b.owed.to_string_amount(),
            paid: b.paid.to_string_amount(),
            outstanding: b.outstanding.to_string_amount(),
            credit: b.credit.to_string_amount(),
        }
    }
}

impl From<payment::RefundRequest> for RefundInfo {
    fn from(r: payment::RefundRequest) -> Self {
        let (state, decided_by, credit_note) = r.state.parts();
        let (decided_by, credit_note) = (decided_by.map(Into::into), credit_note.map(Into::into));
        RefundInfo {
            id: r.id,
            receipt: r.receipt,
            amount: r.amount.to_string_amount(),
            currency: r.amount.currency().code().into(),
            reason: r.reason,
            requested_by: r.requested_by,
            time: r.time,
            state: state.into(),
            decided_by,
            credit_note,
        }
    }
}

/// The first problem a series audit found.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SeriesProblem {
    /// Position of the entry in the audited sequence, from 0.
    pub index: u64,
    /// The entry's number, when it could be read.
    pub number: Option<u64>,
    /// Stable code: `malformed`, `unknown_key`, `bad_signature`, `edited_content`,
    /// `future_dated`, `foreign_series`, `gap`, `duplicate_number`, `reorder`, `broken_prev`.
    pub kind: String,
    /// Explanation.
    pub detail: String,
}

/// The result of auditing a receipt series.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SeriesAuditReport {
    /// Whether every entry checked out.
    pub ok: bool,
    /// Entries checked before the first problem (all of them when `ok`).
    pub checked: u64,
    /// The last good entry (number and hash), to audit the next slice from.
    pub head: Option<ChainPoint>,
    /// The first problem, if any.
    pub problem: Option<SeriesProblem>,
}

/// One line of a channel's statement, for reconciliation.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StatementEntry {
    /// The channel's transaction reference.
    pub external_reference: String,
    /// The amount, e.g. `"500.00"`.
    pub amount: String,
    /// Its currency code.
    pub currency: String,
    /// When the channel says it happened.
    pub time: DateTime<Utc>,
}

/// One reconciled reference.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReconciliationLine {
    /// `matched`, `amount_mismatch`, `missing_in_statement`, `missing_in_ledger` or
    /// `duplicate_in_statement`.
    pub kind: String,
    /// The reference.
    pub external_reference: String,
    /// The ledger's receipt id, if any.
    pub receipt: Option<String>,
    /// The ledger's amount, if any.
    pub ledger_amount: Option<String>,
    /// The statement's amount, if any.
    pub statement_amount: Option<String>,
}

/// A channel's reconciliation: ledger lines in receipt order, then statement-only lines.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReconciliationReport {
    /// The channel code.
    pub channel: String,
    /// Whether every line matched.
    pub balanced: bool,
    /// One line per reference.
    pub lines: Vec<ReconciliationLine>,
}

/// The stable code of a reconciliation outcome (as in the reconciliation's JSON).
fn match_code(kind: MatchKind) -> &'static str {
    match kind {
        MatchKind::Matched => "matched",
        MatchKind::MissingInStatement => "missing_in_statement",
        MatchKind::MissingInLedger => "missing_in_ledger",
        MatchKind::AmountMismatch => "amount_mismatch",
        MatchKind::DuplicateInStatement => "duplicate_in_statement",
    }
}

impl SeriesAuditReport {
    /// The bindings' form of a series audit.
    pub(crate) fn of(r: crate::receipt::audit::AuditReport) -> Result<SeriesAuditReport, GovError> {
        let problem = match r.problem {
            None => None,
            Some(p) => Some(SeriesProblem {
                index: u64::try_from(p.index).unwrap_or(u64::MAX),
                number: p.number,
                kind: p.kind.code().into(),
                detail: p.detail,
            }),
        };
        Ok(SeriesAuditReport {
            ok: problem.is_none(),
            checked: u64::try_from(r.checked).unwrap_or(u64::MAX),
            head: r.head,
            problem,
        })
    }
}

/// Audits receipt JSON texts (e.g. a day's slice exported from the ledger) with a verifier
/// whose trust list holds the tills' keys: signatures, chain, numbering, dates. `office` and
/// `series` pin the series; `after` is the last entry before the slice; `expected_head` the
/// last entry it must reach. Problems are reported, not raised.
///
/// ```
/// # use eservices::ffi::*;
/// # use eservices::ffi::types::timestamp_from_text as t;
/// # let clock = TimeSource::fixed(t("2026-03-02T08:00:00Z")?);
/// # let root = Issuer::new(software_signer_from_seed(vec![1; 32])?, clock.clone())?;
/// # let till = software_signer_from_seed(vec![9; 32])?;
/// # let trust = root.sign_trust_list("GoL".into(), 1, vec![TrustListKey { name: "MSU till".into(),
/// #     alg: till.alg()?, public_key: till.public_key()?, not_before: t("2026-01-01T00:00:00Z")?,
/// #     not_after: t("2027-01-01T00:00:00Z")?, doc_types: vec!["ls.gov.eservices.receipt".into()] }], None)?;
/// # let verifier = Verifier::new(root.public_key_text(), trust.json, clock.clone())?;
/// let ledger = PaymentLedger::new(clock, None);
/// ledger.open_series("MSU".into(), "2026".into(), till)?;
/// ledger.void_number("MSU".into(), "cashier-7".into(), "printer jam".into())?;
/// ledger.void_number("MSU".into(), "cashier-7".into(), "printer jam".into())?;
/// let mut texts: Vec<String> = ledger.receipts("MSU".into())?.into_iter().map(|r| r.json).collect();
/// assert!(audit_receipts(texts.clone(), verifier.clone(), None, None, None, None)?.ok);
/// texts.remove(0);
/// let report = audit_receipts(texts, verifier, None, None, None, None)?;
/// assert_eq!(report.problem.map(|p| p.kind), Some("gap".to_string()));
/// # Ok::<(), GovError>(())
/// ```
#[uniffi::export]
pub fn audit_receipts(
    receipts_json: Vec<String>,
    verifier: Arc<Verifier>,
    office: Option<String>,
    series: Option<String>,
    after: Option<ChainPoint>,
    expected_head: Option<ChainPoint>,
) -> Result<SeriesAuditReport, GovError> {
    let options = AuditOptions {
        office,
        series,
        after,
        expected_head,
    };
    SeriesAuditReport::of(verifier.with(|v| audit_series(&receipts_json, v, &options))?)
}

/// Records payments of registered quotes and issues their signed, hash-chained receipts;
/// refunds through maker-checker credit notes; void numbers; Z-reports and reconciliation.
/// Thread-safe. Each accepted payment's number, signature and chain link are made under the
/// ledger's one lock, so a receipt series' signer is called with that lock held: it must not
/// call back into the same ledger.
///
/// ```
/// use eservices::ffi::*;
/// use eservices::ffi::types::timestamp_from_text as t;
/// let ledger = PaymentLedger::new(TimeSource::fixed(t("2026-03-02T08:00:00Z")?), None);
/// ledger.open_series("MSU".into(), "2026".into(), software_signer_from_seed(vec![9; 32])?)?;
/// let err = ledger.balance("APP-1".into()).unwrap_err();
/// assert_eq!(err.code(), "unknown_application");
/// # Ok::<(), GovError>(())
/// ```
#[derive(Debug, uniffi::Object)]
pub struct PaymentLedger {
    inner: payment::PaymentLedger,
    clock: Arc<TimeSource>,
}

#[uniffi::export]
impl PaymentLedger {
    /// An empty ledger reading the time from `clock`; a quote may be paid up to
    /// `quote_validity_days` (default 30) days after its date.
    #[uniffi::constructor]
    pub fn new(clock: Arc<TimeSource>, quote_validity_days: Option<u32>) -> Arc<Self> {
        Arc::new(PaymentLedger {
            inner: payment::PaymentLedger::new(clock.clock(), ledger_policy(quote_validity_days)),
            clock,
        })
    }

    /// Opens `office`'s receipt series `series` (codes of 1–32 `A-Z a-z 0-9 -`), signed by
    /// `signer`. Errors: `invalid_payment_request`, `series_already_open`, `signer_failed`.
    pub fn open_series(
        &self,
        office: String,
        series: String,
        signer: Arc<dyn Signer>,
    ) -> Result<(), GovError> {
        let series = ReceiptSeries::new(&office, &series, SignerAdapter::adapt(signer)?)?;
        Ok(self.inner.open_series(series)?)
    }

    /// Continues a series after `head`, its last entry (restored from storage).
    pub fn resume_series(
        &self,
        office: String,
        series: String,
        signer: Arc<dyn Signer>,
        head: ChainPoint,
    ) -> Result<(), GovError> {
        let series = ReceiptSeries::resume(&office, &series, SignerAdapter::adapt(signer)?, head)?;
        Ok(self.inner.open_series(series)?)
    }

    /// Registers a quote for an application, given as its canonical JSON (the quote's `json`
    /// from the catalogue). A newer quote supersedes the earlier one. Errors: `invalid_json`,
    /// `quote_id_mismatch` (the content does not match its id), `quote_expired`,
    /// `currency_mismatch`.
    pub fn register_quote(&self, application: String, quote_json: String) -> Result<(), GovError> {
        let quote = quote_from_json(&quote_json)?;
        Ok(self.inner.register_quote(&application, quote)?)
    }

    /// Records a payment and issues its receipt, or returns the original for a retried
    /// idempotency key. Errors include `invalid_amount`, `unknown_currency`,
    /// `invalid_payment_request`, `unknown_quote`, `quote_superseded`, `quote_expired`,
    /// `overpayment`... see the crate's payment rules; `idempotency_conflict`,
    /// `duplicate_external_reference`; `signer_failed` (nothing is recorded).
    pub fn pay(&self, payment: PaymentInput) -> Result<PaymentResult, GovError> {
        PaymentResult::of(self.inner.pay(&payment.into_request()?)?)
    }

    /// Where an application stands: owed, paid, outstanding, credit. Error:
    /// `unknown_application`.
    pub fn balance(&self, application: String) -> Result<ApplicationBalance, GovError> {
        Ok(self.inner.balance(&application)?.into())
    }

    /// Every receipt of the office's series issued through this ledger, in number order.
    /// Error: `unknown_office`.
    pub fn receipts(&self, office: String) -> Result<Vec<ReceiptInfo>, GovError> {
        receipt_infos(self.inner.receipts(&office)?)
    }

    /// The office's last entry (number and hash), to persist and resume from.
    pub fn head(&self, office: String) -> Result<Option<ChainPoint>, GovError> {
        Ok(self.inner.head(&office)?)
    }

    /// Records a spoiled number as a void entry (numbers are never reused).
    pub fn void_number(
        &self,
        office: String,
        actor: String,
        reason: String,
    ) -> Result<ReceiptInfo, GovError> {
        ReceiptInfo::of(self.inner.void_number(&office, &actor, &reason)?)
    }

    /// What may still be refunded on a payment receipt (an amount in its currency).
    pub fn refundable(&self, receipt: String) -> Result<String, GovError> {
        Ok(self.inner.refundable(&receipt)?.to_string_amount())
    }

    /// Asks for a refund on a payment receipt; another actor must approve it. Errors:
    /// `unknown_receipt`, `currency_mismatch`, `refund_exceeds_refundable`,
    /// `invalid_payment_request`, `invalid_amount`.
    pub fn request_refund(
        &self,
        receipt: String,
        amount: String,
        currency: String,
        reason: String,
        actor: String,
    ) -> Result<RefundInfo, GovError> {
        let amount = money(&amount, &currency)?;
        Ok(self
            .inner
            .request_refund(&receipt, amount, &reason, &actor)?
            .into())
    }

    /// Approves a pending refund as `approver` (not the requester: `same_actor_approval`)
    /// and issues its credit note. Errors: `unknown_refund_request`, `refund_not_pending`.
    pub fn approve_refund(
        &self,
        request_id: String,
        approver: String,
    ) -> Result<ReceiptInfo, GovError> {
        ReceiptInfo::of(self.inner.approve_refund(&request_id, &approver)?)
    }

    /// Declines a pending refund as `actor` (not the requester).
    pub fn decline_refund(&self, request_id: String, actor: String) -> Result<(), GovError> {
        Ok(self.inner.decline_refund(&request_id, &actor)?)
    }

    /// Every refund request, in order.
    pub fn refund_requests(&self) -> Vec<RefundInfo> {
        refund_infos(self.inner.refund_requests())
    }

    /// Audits the office's series as issued by this ledger (see [`audit_receipts`]).
    pub fn audit_series(
        &self,
        office: String,
        verifier: Arc<Verifier>,
    ) -> Result<SeriesAuditReport, GovError> {
        let texts: Vec<String> = self
            .inner
            .receipts(&office)?
            .into_iter()
            .map(|r| r.json)
            .collect();
        audit_receipts(texts, verifier, Some(office), None, None, None)
    }

    /// The office's Z-report for a Lesotho day (`None`: today by the ledger's clock), as
    /// canonical JSON; revenue accounts (the services' ministries) come from `catalogue`.
    pub fn z_report_json(
        &self,
        office: String,
        day: Option<NaiveDate>,
        catalogue: Arc<super::catalogue::Catalogue>,
    ) -> Result<String, GovError> {
        z_report_json(&self.clock, day, |day| {
            self.inner.z_report(&office, day, catalogue.core())
        })
    }

    /// Matches the office's payment receipts of `channel` with the channel's statement.
    pub fn reconcile(
        &self,
        office: String,
        channel_code: String,
        statement: Vec<StatementEntry>,
    ) -> Result<ReconciliationReport, GovError> {
        let channel = channel(&channel_code)?;
        let lines = statement
            .into_iter()
            .map(|s| {
                Ok(StatementLine {
                    amount: money(&s.amount, &s.currency)?,
                    external_reference: s.external_reference,
                    time: s.time,
                })
            })
            .collect::<Result<Vec<_>, GovError>>()?;
        let r = reconcile(&channel, &self.inner.receipts(&office)?, &lines)?;
        let balanced = r.is_balanced();
        let lines = r
            .lines
            .into_iter()
            .map(|l| {
                Ok(ReconciliationLine {
                    kind: match_code(l.kind).into(),
                    external_reference: l.external_reference,
                    receipt: l.receipt,
                    ledger_amount: l.ledger_amount.map(|m| m.to_string_amount()),
                    statement_amount: l.statement_amount.map(|m| m.to_string_amount()),
                })
            })
            .collect::<Result<Vec<_>, GovError>>()?;
        Ok(ReconciliationReport {
            channel: r.channel,
            balanced,
            lines,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Answers;
    use crate::ffi::test_fixtures::{cash, clock, quote_json, till};
    use crate::ffi::types::timestamp_from_text as t;

    const APP: &str = "APP-1";

    #[test]
    fn the_bindings_quote_fixture_is_what_the_crate_gives() {
        let answers: Answers = [
            ("pages".to_string(), "64".to_string()),
            ("urgent".to_string(), "true".to_string()),
        ]
        .into();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let quote = crate::catalogue::Catalogue::lesotho()
            .unwrap()
            .quote("home-affairs.passport.ordinary", &answers, "general", day)
            .unwrap();
        assert_eq!(quote_json(), quote.canonical_json().unwrap());
    }

    fn ledger() -> Arc<PaymentLedger> {
        let ledger = PaymentLedger::new(clock(), None);
        ledger
            .open_series("MSU".into(), "2026".into(), till())
            .unwrap();
        ledger
            .register_quote(APP.into(), quote_json().into())
            .unwrap();
        ledger
    }

    #[test]
    fn two_part_payment_with_a_retry_counts_once() {
        let ledger = ledger();
        let first = ledger.pay(cash(APP, "k1", "300")).unwrap();
        assert_eq!((first.amount.as_str(), first.receipt.number), ("300.00", 1));
        let mut mpesa = cash(APP, "mpesa:QK71H2XY9P", "500.00");
        mpesa.channel = "mpesa".into();
        mpesa.external_reference = Some("QK71H2XY9P".into());
        let second = ledger.pay(mpesa.clone()).unwrap();
        assert_eq!(ledger.pay(mpesa.clone()).unwrap(), second);
        let b = ledger.balance(APP.into()).unwrap();
        assert_eq!(
            (b.paid.as_str(), b.outstanding.as_str()),
            ("800.00", "0.00")
        );
        assert_eq!(ledger.receipts("MSU".into()).unwrap().len(), 2);
        mpesa.amount = "400.00".into();
        let e = ledger.pay(mpesa).unwrap_err();
        assert_eq!(e.code(), "idempotency_conflict");

        let rec = ledger
            .reconcile(
                "MSU".into(),
                "mpesa".into(),
                vec![StatementEntry {
                    external_reference: "QK71H2XY9P".into(),
                    amount: "500.00".into(),
                    currency: "LSL".into(),
                    time: t("2026-03-02T08:00:05Z").unwrap(),
                }],
            )
            .unwrap();
        assert!(rec.balanced);
        assert_eq!(rec.lines[0].kind, "matched");
        let lesotho = super::super::catalogue::Catalogue::lesotho().unwrap();
        let z = ledger.z_report_json("MSU".into(), None, lesotho).unwrap();
        assert!(
            z.contains(r#""by_channel":{"cash":{"LSL":"300.00"},"mpesa":{"LSL":"500.00"}}"#),
            "{z}"
        );
    }

    #[test]
    fn refunds_need_a_second_actor() {
        let ledger = ledger();
        let paid = ledger.pay(cash(APP, "k1", "300")).unwrap();
        let r = ledger
            .request_refund(
                paid.receipt.id.clone(),
                "100".into(),
                "LSL".into(),
                "typo".into(),
                "cashier-7".into(),
            )
            .unwrap();
        assert_eq!(r.state, "pending");
        let e = ledger
            .approve_refund(r.id.clone(), "cashier-7".into())
            .unwrap_err();
        assert_eq!(e.code(), "same_actor_approval");
        let note = ledger.approve_refund(r.id, "supervisor-2".into()).unwrap();
        assert_eq!(
            (note.kind.as_str(), note.amount.as_deref()),
            ("credit_note", Some("-100.00"))
        );
        assert_eq!(ledger.refundable(paid.receipt.id).unwrap(), "200.00");
        assert_eq!(ledger.refund_requests()[0].state, "approved");
        let void = ledger
            .void_number("MSU".into(), "cashier-7".into(), "jam".into())
            .unwrap();
        assert_eq!((void.number, void.amount), (3, None));
    }

    #[test]
    fn hostile_inputs_are_typed_errors() {
        let ledger = ledger();
        for (amount, currency, code) in [
            ("1.5.5", "LSL", "invalid_amount"),
            ("abc", "LSL", "invalid_amount"),
            ("1e3", "LSL", "invalid_amount"),
            ("12.345", "LSL", "invalid_amount"),
            ("", "LSL", "invalid_amount"),
            ("-5", "LSL", "invalid_payment_request"),
            ("10", "XYZ", "unknown_currency"),
            ("10", &"X".repeat(1 << 20), "unknown_currency"),
        ] {
            let mut p = cash(APP, "k", amount);
            p.currency = currency.into();
            let e = ledger.pay(p).unwrap_err();
            assert_eq!(e.code(), code, "{amount:?} {}", currency.len());
            assert!(e.to_string().len() < 400);
        }
        for bad in ["BITCOIN", "m pesa", "", "a/b"] {
            let mut p = cash(APP, "k", "10");
            p.channel = bad.into();
            assert_eq!(ledger.pay(p).unwrap_err().code(), "invalid_payment_request");
        }
        let mut p = cash(APP, "", "10");
        assert_eq!(
            ledger.pay(p.clone()).unwrap_err().code(),
            "invalid_payment_request"
        );
        p.idempotency_key = "k".repeat(1 << 20);
        assert_eq!(ledger.pay(p).unwrap_err().code(), "invalid_payment_request");
        for bad in ["", "{", "[]", r#"{"quote_id":"x"}"#] {
            let e = ledger
                .register_quote("APP-2".into(), bad.into())
                .unwrap_err();
            assert_eq!(e.code(), "invalid_json", "{bad:?}");
        }
        let typo = quote_json().replace(r#""quantity":1"#, r#""quantity":"1""#);
        let e = ledger.register_quote("APP-2".into(), typo).unwrap_err();
        assert!(e.to_string().contains("$.lines[0].quantity"), "{e}");
        let forged = quote_json().replace("800.00", "8.00");
        let e = ledger.register_quote("APP-2".into(), forged).unwrap_err();
        assert_eq!(
            (e.code(), matches!(e, GovError::Integrity { .. })),
            ("quote_id_mismatch", true)
        );
    }
}
