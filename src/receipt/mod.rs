//! Receipts: signed envelopes of type [`RECEIPT_TYPE`] in gapless, hash-chained series.
//!
//! Each office keeps a series of receipts numbered 1, 2, 3 … with no gap and no reuse. Every
//! entry is a payment receipt, a credit note (a refund or cancellation: negative amount,
//! referencing the original) or a void entry (a spoiled number). Entry *n* carries in `prev`
//! the base64url (no padding) SHA-256 of the RFC 8785 canonical JSON of entry *n − 1*'s whole
//! envelope, signature included ([`receipt_hash`]); entry 1 has `prev: null`. A
//! [`ReceiptSeries`] allocates the number, signs and appends in one `&mut self` step, so a
//! number is used exactly once; [`crate::payment::PaymentLedger`] holds its series under the
//! same lock as its payments.
//!
//! Receipts verify like any signed document ([`crate::verify::Verifier`]), in JSON or QR form;
//! [`audit`] checks a whole series and [`report`] makes day-end Z-reports and reconciles them
//! with channel statements. The payload members are documented in the README section
//! "Payments and receipts".
//!
//! ```
//! use std::sync::Arc;
//! use eservices::document::SoftwareSigner;
//! use eservices::receipt::{ReceiptBody, ReceiptSeries, VoidBody};
//! use eservices::document::parse_time;
//!
//! let signer = Arc::new(SoftwareSigner::ed25519_from_seed(&[9; 32])?);
//! let mut series = ReceiptSeries::new("MSU", "2026", signer)?;
//! let t = parse_time("2026-03-02T08:00:00Z")?;
//! let void = ReceiptBody::Void(VoidBody { reason: "printer jam".into() });
//! let first = series.issue("cashier-1", t, void.clone())?;
//! let second = series.issue("cashier-1", t, void)?;
//! assert_eq!(first.receipt.number, 1);
//! assert_eq!(first.receipt.prev, None);
//! assert_eq!(second.receipt.prev.as_deref(), Some(first.hash.as_str()));
//! assert_eq!(second.envelope.id(), "MSU/2026/2");
//! # Ok::<(), eservices::Error>(())
//! ```

pub mod audit;
pub mod report;

use std::fmt;
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::document::{
    format_time, parse_time, PublicKey, SignedEnvelope, Signer, UnsignedEnvelope,
};
use crate::money::{Currency, Money};
use crate::payment::{check_code, check_text, Channel};
use crate::{Error, Result};

/// The document type of every receipt, credit note and void entry.
pub const RECEIPT_TYPE: &str = "ls.gov.eservices.receipt";

/// What a quote line was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// A charge.
    Charge,
    /// A waiver (negative).
    Exemption,
    /// A tax.
    Tax,
}

/// One line of the quote a receipt pays, as printed on the receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaidLine {
    /// Charge, exemption or tax.
    pub kind: LineKind,
    /// The fee rule.
    pub rule_id: String,
    /// What it is for.
    pub description: String,
    /// The line's amount in the quote's currency, a decimal string.
    pub amount: String,
}

/// The members of a payment receipt beyond the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentBody {
    /// The application reference.
    pub application: String,
    /// The service paid for.
    pub service: String,
    /// The quote paid.
    pub quote_id: String,
    /// The quote's currency.
    pub quote_currency: Currency,
    /// The quote's total, a decimal string.
    pub quote_total: String,
    /// The quote's lines (charges, then exemptions, then taxes).
    pub lines: Vec<PaidLine>,
    /// The amount paid, a positive decimal string.
    pub amount: String,
    /// The currency paid.
    pub currency: Currency,
    /// The channel.
    pub channel: Channel,
    /// The channel's transaction reference; `null` for cash without one.
    pub external_reference: Option<String>,
}

/// The members of a credit note (refund or cancellation) beyond the header. The header's
/// `cashier` is the approver; `requested_by` made the request (maker-checker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditNoteBody {
    /// The id of the payment receipt refunded (`office/series/number`).
    pub original: String,
    /// The application reference.
    pub application: String,
    /// The service.
    pub service: String,
    /// The quote the original paid.
    pub quote_id: String,
    /// The amount refunded, a negative decimal string.
    pub amount: String,
    /// The currency refunded (the original's).
    pub currency: Currency,
    /// The original's channel.
    pub channel: Channel,
    /// Why.
    pub reason: String,
    /// Who asked for the refund (not the approver).
    pub requested_by: String,
}

/// The members of a void entry beyond the header: a spoiled number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoidBody {
    /// Why the number was spoiled.
    pub reason: String,
}

/// What a receipt records; on the wire the `kind` member says which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReceiptBody {
    /// `"kind":"payment"`.
    Payment(PaymentBody),
    /// `"kind":"credit_note"`.
    CreditNote(CreditNoteBody),
    /// `"kind":"void"`.
    Void(VoidBody),
}

impl ReceiptBody {
    /// The wire `kind`.
    ///
    /// ```
    /// use eservices::receipt::{ReceiptBody, VoidBody};
    /// assert_eq!(ReceiptBody::Void(VoidBody { reason: "x".into() }).kind(), "void");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            ReceiptBody::Payment(_) => "payment",
            ReceiptBody::CreditNote(_) => "credit_note",
            ReceiptBody::Void(_) => "void",
        }
    }

    /// The signed amount (positive for a payment, negative for a credit note), `None` for a
    /// void entry.
    pub fn money(&self) -> Result<Option<Money>> {
        match self {
            ReceiptBody::Payment(p) => {
                Ok(Some(money_at("$.payload.amount", &p.amount, p.currency)?))
            }
            ReceiptBody::CreditNote(c) => {
                Ok(Some(money_at("$.payload.amount", &c.amount, c.currency)?))
            }
            ReceiptBody::Void(_) => Ok(None),
        }
    }

    /// Checks amounts (canonical decimal strings with the sign the kind needs) and texts.
    fn validate(&self) -> Result<()> {
        match self {
            ReceiptBody::Payment(p) => {
                for (f, v) in [
                    ("application", &p.application),
                    ("service", &p.service),
                    ("quote_id", &p.quote_id),
                ] {
                    text_at(f, v)?;
                }
                if let Some(r) = &p.external_reference {
                    text_at("external_reference", r)?;
                }
                let amount = money_at("$.payload.amount", &p.amount, p.currency)?;
                if amount.is_negative() || amount.is_zero() {
                    return Err(invalid("$.payload.amount", "a payment must be positive"));
                }
                money_at("$.payload.quote_total", &p.quote_total, p.quote_currency)?;
                for (i, l) in p.lines.iter().enumerate() {
                    money_at(
                        &format!("$.payload.lines[{i}].amount"),
                        &l.amount,
                        p.quote_currency,
                    )?;
                }
                Ok(())
            }
            ReceiptBody::CreditNote(c) => {
                for (f, v) in [
                    ("original", &c.original),
                    ("application", &c.application),
                    ("service", &c.service),
                    ("quote_id", &c.quote_id),
                    ("reason", &c.reason),
                    ("requested_by", &c.requested_by),
                ] {
                    text_at(f, v)?;
                }
                let amount = money_at("$.payload.amount", &c.amount, c.currency)?;
                if !amount.is_negative() {
                    return Err(invalid(
                        "$.payload.amount",
                        "a credit note must be negative",
                    ));
                }
                Ok(())
            }
            ReceiptBody::Void(v) => text_at("reason", &v.reason),
        }
    }
}

/// A receipt's payload, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The office that issued it.
    pub office: String,
    /// The office's series.
    pub series: String,
    /// Its number in the series, from 1.
    pub number: u64,
    /// [`receipt_hash`] of the previous entry; `None` for number 1.
    pub prev: Option<String>,
    /// When it was issued (equals the envelope's `iat`).
    pub time: DateTime<Utc>,
    /// Who issued it (for a credit note: the approver).
    pub cashier: String,
    /// What it records.
    pub body: ReceiptBody,
}

impl Receipt {
    /// The envelope id: `office/series/number`.
    ///
    /// ```
    /// use eservices::receipt::{Receipt, ReceiptBody, VoidBody};
    /// let r = Receipt {
    ///     office: "MSU".into(), series: "2026".into(), number: 7, prev: None,
    ///     time: eservices::document::parse_time("2026-03-02T08:00:00Z")?,
    ///     cashier: "c".into(), body: ReceiptBody::Void(VoidBody { reason: "jam".into() }),
    /// };
    /// assert_eq!(r.id(), "MSU/2026/7");
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn id(&self) -> String {
        receipt_id(&self.office, &self.series, self.number)
    }

    /// The payload object, as signed.
    pub fn to_payload(&self) -> Result<Map<String, Value>> {
        let mut m = match serde_json::to_value(&self.body) {
            Ok(Value::Object(m)) => m,
            Ok(_) | Err(_) => return Err(invalid("$.payload", "cannot serialise the body")),
        };
        m.insert("office".into(), Value::from(self.office.clone()));
        m.insert("series".into(), Value::from(self.series.clone()));
        m.insert("number".into(), Value::from(self.number));
        m.insert(
            "prev".into(),
            self.prev.clone().map_or(Value::Null, Value::from),
        );
        m.insert("time".into(), Value::from(format_time(&self.time)));
        m.insert("cashier".into(), Value::from(self.cashier.clone()));
        Ok(m)
    }

    /// Reads and checks the payload of a receipt envelope: its type, every member (unknown
    /// members are refused), amounts, and that the envelope id and `iat` agree with the
    /// payload. Errors: [`Error::InvalidReceipt`] with the JSON path.
    pub fn from_envelope(env: &SignedEnvelope) -> Result<Receipt> {
        if env.typ() != RECEIPT_TYPE {
            return Err(invalid(
                "$.typ",
                format!("type is {:?}, not {RECEIPT_TYPE:?}", env.typ()),
            ));
        }
        let mut body = env.payload().clone();
        let mut take = |k: &str| {
            body.remove(k)
                .ok_or_else(|| invalid(&format!("$.payload.{k}"), "missing member"))
        };
        let office = string_member("office", take("office")?)?;
        let series = string_member("series", take("series")?)?;
        let number = match take("number")? {
            Value::Number(n) => n.as_u64().filter(|n| *n >= 1),
            _ => None,
        }
        .ok_or_else(|| invalid("$.payload.number", "must be an integer from 1"))?;
        let prev = match take("prev")? {
            Value::Null => None,
            Value::String(s) => {
                let raw = URL_SAFE_NO_PAD
                    .decode(&s)
                    .map_err(|_| invalid("$.payload.prev", "not base64url"))?;
                if raw.len() != 32 || URL_SAFE_NO_PAD.encode(&raw) != s {
                    return Err(invalid(
                        "$.payload.prev",
                        "must be canonical base64url of 32 bytes",
                    ));
                }
                Some(s)
            }
            _ => return Err(invalid("$.payload.prev", "must be a string or null")),
        };
        let time_text = string_member("time", take("time")?)?;
        let time = parse_time(&time_text).map_err(|e| invalid("$.payload.time", e.to_string()))?;
        let cashier = string_member("cashier", take("cashier")?)?;
        let members = Value::Object(body);
        let body: ReceiptBody = serde_json::from_value(members.clone())
            .map_err(|e| invalid("$.payload", e.to_string()))?;
        // Every member is required, `null` included (serde would let a missing optional
        // member pass): the body must write back exactly as it was read.
        if let (Value::Object(read), Ok(Value::Object(written))) =
            (&members, serde_json::to_value(&body))
        {
            if let Some(k) = written.keys().find(|k| !read.contains_key(*k)) {
                return Err(invalid(&format!("$.payload.{k}"), "missing member"));
            }
        }
        check_code("office", &office).map_err(|e| invalid("$.payload.office", e.to_string()))?;
        check_code("series", &series).map_err(|e| invalid("$.payload.series", e.to_string()))?;
        text_at("cashier", &cashier)?;
        body.validate()?;
        if number > crate::json::MAX_SAFE_INTEGER {
            return Err(invalid("$.payload.number", "beyond 2^53 - 1"));
        }
        if (number == 1) != prev.is_none() {
            return Err(invalid(
                "$.payload.prev",
                "null exactly for number 1, a hash otherwise",
            ));
        }
        let receipt = Receipt {
            office,
            series,
            number,
            prev,
            time,
            cashier,
            body,
        };
        if env.id() != receipt.id() {
            return Err(invalid(
                "$.id",
                format!("is {:?}, the payload says {:?}", env.id(), receipt.id()),
            ));
        }
        if env.iat() != receipt.time {
            return Err(invalid("$.payload.time", "differs from the envelope's iat"));
        }
        if env.exp().is_some() || env.status().is_some() {
            return Err(invalid("$", "a receipt has no exp and no status"));
        }
        Ok(receipt)
    }
}

/// A receipt as issued or read back: typed payload, envelope, canonical JSON and chain hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedReceipt {
    /// The typed payload.
    pub receipt: Receipt,
    /// The signed envelope.
    pub envelope: SignedEnvelope,
    /// Its canonical JSON text (the JSON wire form).
    pub json: String,
    /// [`receipt_hash`] of the envelope: the next entry's `prev`.
    pub hash: String,
}

impl IssuedReceipt {
    /// Reads a receipt from JSON text (form only; verify the signature with a
    /// [`Verifier`](crate::verify::Verifier)).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use eservices::document::{parse_time, SoftwareSigner};
    /// # use eservices::receipt::{ReceiptBody, ReceiptSeries, VoidBody};
    /// # let key = Arc::new(SoftwareSigner::ed25519_from_seed(&[9; 32])?);
    /// # let t = parse_time("2026-03-02T08:00:00Z")?;
    /// # let void = || ReceiptBody::Void(VoidBody { reason: "jam".into() });
    /// use eservices::receipt::IssuedReceipt;
    /// let issued = ReceiptSeries::new("MSU", "2026", key)?.issue("c", t, void())?;
    /// let back = IssuedReceipt::parse(&issued.json)?;
    /// assert_eq!(back, issued);
    /// assert!(issued.qr()?.starts_with("LS1:"));
    /// assert!(IssuedReceipt::parse(&issued.json.replace("MSU/2026/1", "MSU/2026/2")).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(json: &str) -> Result<IssuedReceipt> {
        Self::from_envelope(SignedEnvelope::parse(json)?)
    }

    /// Reads a receipt from a parsed envelope.
    pub fn from_envelope(envelope: SignedEnvelope) -> Result<IssuedReceipt> {
        Self::read(envelope).map_err(|failed| failed.1)
    }

    /// Like [`from_envelope`](Self::from_envelope), giving the envelope back on error.
    pub(crate) fn read(
        envelope: SignedEnvelope,
    ) -> std::result::Result<IssuedReceipt, Box<(SignedEnvelope, Error)>> {
        let receipt = match Receipt::from_envelope(&envelope) {
            Ok(receipt) => receipt,
            Err(e) => return Err(Box::new((envelope, e))),
        };
        let json = match envelope.to_json() {
            Ok(json) => json,
            Err(e) => return Err(Box::new((envelope, e))),
        };
        let hash = hash_text(&json);
        Ok(IssuedReceipt {
            receipt,
            envelope,
            json,
            hash,
        })
    }

    /// The receipt's id (`office/series/number`).
    pub fn id(&self) -> &str {
        self.envelope.id()
    }

    /// The QR form (`LS1:…`), verified by the same verifier as certificates.
    pub fn qr(&self) -> Result<String> {
        self.envelope.to_qr()
    }
}

/// A point in a series: an entry's number and [`receipt_hash`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ChainPoint {
    /// The entry's number.
    pub number: u64,
    /// Its hash.
    pub hash: String,
}

/// base64url (no padding) of the SHA-256 of the RFC 8785 canonical JSON of the whole envelope,
/// `sig` included: the value the next entry's `prev` must hold.
///
/// ```
/// # use std::sync::Arc;
/// # use eservices::document::{parse_time, SoftwareSigner};
/// # use eservices::receipt::{receipt_hash, ReceiptBody, ReceiptSeries, VoidBody};
/// # let signer = Arc::new(SoftwareSigner::ed25519_from_seed(&[9; 32])?);
/// # let mut series = ReceiptSeries::new("MSU", "2026", signer)?;
/// # let t = parse_time("2026-03-02T08:00:00Z")?;
/// let r = series.issue("c", t, ReceiptBody::Void(VoidBody { reason: "jam".into() }))?;
/// assert_eq!(receipt_hash(&r.envelope)?, r.hash);
/// assert_eq!(r.hash.len(), 43);
/// # Ok::<(), eservices::Error>(())
/// ```
pub fn receipt_hash(envelope: &SignedEnvelope) -> Result<String> {
    Ok(hash_text(&envelope.to_json()?))
}

fn hash_text(canonical_json: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, canonical_json.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

/// `office/series/number`.
pub(crate) fn receipt_id(office: &str, series: &str, number: u64) -> String {
    format!("{office}/{series}/{number}")
}

/// One office's receipt series: allocates numbers, signs and chains. Not thread-safe by
/// itself (`&mut self`); [`crate::payment::PaymentLedger`] keeps its series under its lock.
pub struct ReceiptSeries {
    office: String,
    series: String,
    signer: Arc<dyn Signer>,
    public_key: PublicKey,
    head: Option<ChainPoint>,
    issued: Vec<IssuedReceipt>,
}

impl ReceiptSeries {
    /// A new, empty series (its first entry will be number 1 with `prev: null`). Office and
    /// series are 1–32 of `A-Z`, `a-z`, `0-9`, `-`.
    pub fn new(office: &str, series: &str, signer: Arc<dyn Signer>) -> Result<ReceiptSeries> {
        check_code("office", office)?;
        check_code("series", series)?;
        let public_key = PublicKey::from_raw(signer.alg(), &signer.public_key())?;
        Ok(ReceiptSeries {
            office: office.into(),
            series: series.into(),
            signer,
            public_key,
            head: None,
            issued: Vec::new(),
        })
    }

    /// Continues a series after `head` (the last entry already issued, e.g. restored from
    /// storage): the next entry is `head.number + 1` chained to `head.hash`.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use eservices::document::{parse_time, SoftwareSigner};
    /// # use eservices::receipt::{ReceiptBody, ReceiptSeries, VoidBody};
    /// # let key = Arc::new(SoftwareSigner::ed25519_from_seed(&[9; 32])?);
    /// # let t = parse_time("2026-03-02T08:00:00Z")?;
    /// # let void = || ReceiptBody::Void(VoidBody { reason: "jam".into() });
    /// let mut today = ReceiptSeries::new("MSU", "2026", key.clone())?;
    /// let last = today.issue("c", t, void())?;
    /// // Tomorrow, restored from storage:
    /// let head = today.head().cloned().ok_or("empty")?;
    /// let mut tomorrow = ReceiptSeries::resume("MSU", "2026", key, head)?;
    /// let next = tomorrow.issue("c", t, void())?;
    /// assert_eq!(next.receipt.number, 2);
    /// assert_eq!(next.receipt.prev, Some(last.hash));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resume(
        office: &str,
        series: &str,
        signer: Arc<dyn Signer>,
        head: ChainPoint,
    ) -> Result<ReceiptSeries> {
        let mut s = ReceiptSeries::new(office, series, signer)?;
        if head.number == 0 {
            return Err(Error::InvalidPaymentRequest {
                field: "head.number".into(),
                reason: "numbers start at 1".into(),
            });
        }
        s.head = Some(head);
        Ok(s)
    }

    /// The office.
    pub fn office(&self) -> &str {
        &self.office
    }

    /// The series.
    pub fn series(&self) -> &str {
        &self.series
    }

    /// The key that signs its entries.
    pub(crate) fn signer(&self) -> &Arc<dyn Signer> {
        &self.signer
    }

    /// The last entry issued (or resumed from).
    pub fn head(&self) -> Option<&ChainPoint> {
        self.head.as_ref()
    }

    /// The entries issued by this value (not those before a [`resume`](Self::resume)).
    pub fn receipts(&self) -> &[IssuedReceipt] {
        &self.issued
    }

    /// The number the next entry will get.
    pub fn next_number(&self) -> Result<u64> {
        let next = match &self.head {
            None => Some(1),
            Some(h) => h.number.checked_add(1),
        };
        next.filter(|n| *n <= crate::json::MAX_SAFE_INTEGER)
            .ok_or_else(|| Error::SeriesExhausted {
                office: self.office.clone(),
                series: self.series.clone(),
            })
    }

    /// Allocates the next number, signs the entry and appends it, in one step. If anything
    /// fails (a bad body, the signer), nothing is appended and the number stays free, so
    /// the series has no gap.
    pub fn issue(
        &mut self,
        cashier: &str,
        time: DateTime<Utc>,
        body: ReceiptBody,
    ) -> Result<IssuedReceipt> {
        text_at("cashier", cashier)?;
        body.validate()?;
        let time = time.with_nanosecond(0).unwrap_or(time);
        let receipt = Receipt {
            office: self.office.clone(),
            series: self.series.clone(),
            number: self.next_number()?,
            prev: self.head.as_ref().map(|h| h.hash.clone()),
            time,
            cashier: cashier.into(),
            body,
        };
        let unsigned = UnsignedEnvelope {
            typ: RECEIPT_TYPE.into(),
            id: receipt.id(),
            kid: self.public_key.kid(),
            alg: self.public_key.alg(),
            iat: time,
            exp: None,
            status: None,
            payload: receipt.to_payload()?,
        };
        let (envelope, _) = unsigned.sign_as(self.signer.as_ref(), &self.public_key)?;
        let issued = IssuedReceipt::from_envelope(envelope)?;
        if issued.receipt != receipt {
            return Err(invalid(
                "$.payload",
                "receipt does not survive a round trip",
            ));
        }
        self.head = Some(ChainPoint {
            number: receipt.number,
            hash: issued.hash.clone(),
        });
        self.issued.push(issued.clone());
        Ok(issued)
    }
}

impl fmt::Debug for ReceiptSeries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceiptSeries")
            .field("office", &self.office)
            .field("series", &self.series)
            .field("key", &self.public_key)
            .field("head", &self.head)
            .finish()
    }
}

fn invalid(path: &str, reason: impl Into<String>) -> Error {
    Error::InvalidReceipt {
        path: path.into(),
        reason: reason.into(),
    }
}

fn string_member(name: &str, v: Value) -> Result<String> {
    match v {
        Value::String(s) => Ok(s),
        _ => Err(invalid(&format!("$.payload.{name}"), "must be a string")),
    }
}

fn text_at(name: &str, value: &str) -> Result<()> {
    check_text(name, value).map_err(|e| invalid(&format!("$.payload.{name}"), e.to_string()))
}

/// A money amount written exactly in its canonical form (`"130.00"`, never `"130"`).
fn money_at(path: &str, text: &str, currency: Currency) -> Result<Money> {
    let m = Money::parse(text, currency).map_err(|e| invalid(path, e.to_string()))?;
    if m.to_string_amount() != text {
        return Err(invalid(
            path,
            format!("must be written {:?}", m.to_string_amount()),
        ));
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::SoftwareSigner;

    fn series() -> ReceiptSeries {
        ReceiptSeries::new(
            "MSU",
            "2026",
            Arc::new(SoftwareSigner::ed25519_from_seed(&[4; 32]).unwrap()),
        )
        .unwrap()
    }

    fn t() -> DateTime<Utc> {
        parse_time("2026-03-02T08:00:00Z").unwrap()
    }

    fn void() -> ReceiptBody {
        ReceiptBody::Void(VoidBody {
            reason: "jam".into(),
        })
    }

    #[test]
    fn chain_and_numbers() {
        let mut s = series();
        let a = s.issue("c", t(), void()).unwrap();
        let b = s.issue("c", t(), void()).unwrap();
        assert_eq!((a.receipt.number, b.receipt.number), (1, 2));
        assert_eq!(b.receipt.prev.as_deref(), Some(a.hash.as_str()));
        let back = IssuedReceipt::parse(&b.json).unwrap();
        assert_eq!(back, b);
        for k in [
            "office", "series", "number", "prev", "time", "cashier", "kind",
        ] {
            assert!(b.envelope.payload().contains_key(k), "{k}");
        }
    }

    #[test]
    fn a_failed_issue_uses_no_number() {
        let mut s = series();
        let bad = ReceiptBody::Void(VoidBody { reason: "".into() });
        assert!(s.issue("c", t(), bad).is_err());
        assert!(s.issue("", t(), void()).is_err());
        assert_eq!(s.issue("c", t(), void()).unwrap().receipt.number, 1);
    }

    #[test]
    fn payload_checks() {
        let mut s = series();
        let r = s.issue("c", t(), void()).unwrap();
        let edit = |f: &dyn Fn(&mut Map<String, Value>)| {
            let mut v = r.envelope.to_value();
            f(v.get_mut("payload").unwrap().as_object_mut().unwrap());
            let env = SignedEnvelope::from_value(v).unwrap();
            Receipt::from_envelope(&env)
        };
        assert!(edit(&|_| {}).is_ok());
        assert!(edit(&|m| {
            m.insert("extra".into(), Value::from(1));
        })
        .is_err());
        assert!(edit(&|m| {
            m.insert("number".into(), Value::from(2));
        })
        .is_err()); // id and prev disagree
        assert!(edit(&|m| {
            m.insert("kind".into(), Value::from("refund"));
        })
        .is_err());
        assert!(edit(&|m| {
            m.remove("prev");
        })
        .is_err());
        assert!(edit(&|m| {
            m.remove("reason");
        })
        .is_err());
        assert!(edit(&|m| {
            m.insert("time".into(), Value::from("2026-03-02T08:00:01Z"));
        })
        .is_err());
    }

    #[test]
    fn amounts_must_be_canonical_and_signed() {
        let pay = |amount: &str| {
            ReceiptBody::Payment(PaymentBody {
                application: "A".into(),
                service: "s".into(),
                quote_id: "q".into(),
                quote_currency: Currency::Lsl,
                quote_total: "10.00".into(),
                lines: vec![],
                amount: amount.into(),
                currency: Currency::Lsl,
                channel: Channel::Cash,
                external_reference: None,
            })
        };
        assert!(pay("10.00").validate().is_ok());
        let mut s = series();
        let r = s.issue("c", t(), pay("10.00")).unwrap();
        let mut v = r.envelope.to_value();
        v["payload"]
            .as_object_mut()
            .unwrap()
            .remove("external_reference");
        let env = SignedEnvelope::from_value(v).unwrap();
        assert_eq!(
            Receipt::from_envelope(&env),
            Err(Error::InvalidReceipt {
                path: "$.payload.external_reference".into(),
                reason: "missing member".into()
            })
        );
        for bad in ["10", "10.0", "-10.00", "0.00", "1e1", "10.001"] {
            assert!(pay(bad).validate().is_err(), "{bad}");
        }
    }
}
