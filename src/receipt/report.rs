//! Day-end Z-reports and reconciliation with channel statements.
//!
//! A [`ZReport`] sums one office's receipts of one day (Lesotho date of the receipt `time`):
//! count, first and last number, chain head, and totals per channel, per service and per
//! revenue account, with credit notes apart from payments and void numbers listed. The
//! catalogue has no revenue-account field, so the revenue account of a service is its
//! ministry's id (`Service::ministry`).
//!
//! [`reconcile`] matches a channel's payment receipts with the channel's statement by external
//! reference.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::{IssuedReceipt, ReceiptBody};
use crate::catalogue::Catalogue;
use crate::clock::lesotho_offset;
use crate::money::{Currency, Money};
use crate::payment::Channel;
use crate::Result;

/// Amounts per currency (ZAR taken at par is kept as ZAR). In JSON: `{"LSL":"130.00"}`.
///
/// ```
/// use eservices::money::{Currency, Money};
/// use eservices::receipt::report::Totals;
/// let mut t = Totals::default();
/// t.add(&Money::parse("10", Currency::Lsl)?)?;
/// t.add(&Money::parse("2.50", Currency::Lsl)?)?;
/// assert_eq!(t.get(Currency::Lsl).to_string_amount(), "12.50");
/// assert_eq!(serde_json::to_string(&t)?, r#"{"LSL":"12.50"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals(BTreeMap<Currency, Money>);

impl Totals {
    /// Adds an amount (checked).
    pub fn add(&mut self, amount: &Money) -> Result<()> {
        let sum = self.get(amount.currency()).checked_add(amount)?;
        self.0.insert(amount.currency(), sum);
        Ok(())
    }

    /// The total in `currency` (zero if none).
    pub fn get(&self, currency: Currency) -> Money {
        self.0
            .get(&currency)
            .copied()
            .unwrap_or_else(|| Money::zero(currency))
    }

    /// The currencies with an amount.
    pub fn currencies(&self) -> impl Iterator<Item = Currency> + '_ {
        self.0.keys().copied()
    }
}

impl Serialize for Totals {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (c, v) in &self.0 {
            m.serialize_entry(c.code(), &v.to_string_amount())?;
        }
        m.end()
    }
}

/// Counts and totals of one kind of entry (payments or credit notes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Section {
    /// Number of entries.
    pub count: u64,
    /// Sum of all entries.
    pub total: Totals,
    /// Per channel code.
    pub by_channel: BTreeMap<String, Totals>,
    /// Per service id.
    pub by_service: BTreeMap<String, Totals>,
    /// Per revenue account (the service's ministry id).
    pub by_account: BTreeMap<String, Totals>,
}

impl Section {
    fn add(
        &mut self,
        channel: &Channel,
        service: &str,
        account: &str,
        amount: &Money,
    ) -> Result<()> {
        self.count = self.count.saturating_add(1);
        self.total.add(amount)?;
        self.by_channel
            .entry(channel.code().into())
            .or_default()
            .add(amount)?;
        self.by_service
            .entry(service.into())
            .or_default()
            .add(amount)?;
        self.by_account
            .entry(account.into())
            .or_default()
            .add(amount)?;
        Ok(())
    }
}

/// One office's day-end report. Serialises to JSON (amounts as decimal strings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZReport {
    /// The office.
    pub office: String,
    /// The day (Lesotho date), `YYYY-MM-DD`.
    pub day: NaiveDate,
    /// Entries of the day (payments, credit notes and voids).
    pub count: u64,
    /// First number of the day.
    pub first_number: Option<u64>,
    /// Last number of the day.
    pub last_number: Option<u64>,
    /// Hash of the day's last entry: the chain head to audit against.
    pub chain_head: Option<String>,
    /// Payment receipts.
    pub payments: Section,
    /// Credit notes (negative amounts).
    pub credit_notes: Section,
    /// Numbers voided that day.
    pub voids: Vec<u64>,
}

impl ZReport {
    /// Builds the report of `office` for `day` from its receipts (others are ignored). The
    /// revenue account of each service comes from `catalogue` ([`crate::Error::UnknownService`]
    /// for a service it does not hold).
    ///
    /// See [`crate::payment::PaymentLedger::z_report`] and the README for an example.
    pub fn build(
        office: &str,
        day: NaiveDate,
        receipts: &[IssuedReceipt],
        catalogue: &Catalogue,
    ) -> Result<ZReport> {
        let mut report = ZReport {
            office: office.into(),
            day,
            count: 0,
            first_number: None,
            last_number: None,
            chain_head: None,
            payments: Section::default(),
            credit_notes: Section::default(),
            voids: Vec::new(),
        };
        let mut accounts: HashMap<String, String> = HashMap::new();
        let mut account_of = |service: &str| -> Result<String> {
            if let Some(a) = accounts.get(service) {
                return Ok(a.clone());
            }
            let a = catalogue.service(service)?.ministry.clone();
            accounts.insert(service.into(), a.clone());
            Ok(a)
        };
        for entry in receipts {
            let r = &entry.receipt;
            if r.office != office || r.time.with_timezone(&lesotho_offset()).date_naive() != day {
                continue;
            }
            report.count = report.count.saturating_add(1);
            report.first_number.get_or_insert(r.number);
            report.last_number = Some(r.number);
            report.chain_head = Some(entry.hash.clone());
            match &r.body {
                ReceiptBody::Payment(p) => {
                    let amount = r.body.money()?.unwrap_or_else(|| Money::zero(p.currency));
                    let account = account_of(&p.service)?;
                    report
                        .payments
                        .add(&p.channel, &p.service, &account, &amount)?;
                }
                ReceiptBody::CreditNote(c) => {
                    let amount = r.body.money()?.unwrap_or_else(|| Money::zero(c.currency));
                    let account = account_of(&c.service)?;
                    report
                        .credit_notes
                        .add(&c.channel, &c.service, &account, &amount)?;
                }
                ReceiptBody::Void(_) => report.voids.push(r.number),
            }
        }
        Ok(report)
    }

    /// The report as canonical JSON.
    pub fn to_json(&self) -> Result<String> {
        crate::json::canonical_string(self)
    }
}

/// One line of a channel statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    /// The channel's transaction reference.
    pub external_reference: String,
    /// The amount the channel says it received.
    pub amount: Money,
    /// When the channel says it happened.
    pub time: DateTime<Utc>,
}

/// How a reference reconciled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// In both, same amount.
    Matched,
    /// In the ledger only.
    MissingInStatement,
    /// In the statement only.
    MissingInLedger,
    /// In both, different amounts (or currencies).
    AmountMismatch,
    /// A statement line whose reference an earlier statement line already used.
    DuplicateInStatement,
}

/// One reconciled reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReconLine {
    /// What was found.
    pub kind: MatchKind,
    /// The reference.
    pub external_reference: String,
    /// The ledger's receipt, if any.
    pub receipt: Option<String>,
    /// The ledger's amount, if any.
    pub ledger_amount: Option<Money>,
    /// The statement's amount, if any.
    pub statement_amount: Option<Money>,
    /// The statement's time, if any.
    pub statement_time: Option<DateTime<Utc>>,
}

/// The result of [`reconcile`]: ledger lines in receipt order, then statement-only lines in
/// statement order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    /// The channel code.
    pub channel: String,
    /// One line per reference.
    pub lines: Vec<ReconLine>,
}

impl Reconciliation {
    /// Whether every line matched.
    pub fn is_balanced(&self) -> bool {
        self.lines.iter().all(|l| l.kind == MatchKind::Matched)
    }

    /// The lines of one kind.
    pub fn of_kind(&self, kind: MatchKind) -> impl Iterator<Item = &ReconLine> {
        self.lines.iter().filter(move |l| l.kind == kind)
    }
}

/// Matches the payment receipts of `channel` among `receipts` that carry an external
/// reference with `statement`, by reference. Credit notes and voids are not matched.
///
/// ```
/// use eservices::payment::Channel;
/// use eservices::receipt::report::{reconcile, MatchKind, StatementLine};
/// use eservices::money::{Currency, Money};
/// let statement = [StatementLine {
///     external_reference: "QK1".into(),
///     amount: Money::parse("5", Currency::Lsl)?,
///     time: eservices::document::parse_time("2026-03-02T08:00:00Z")?,
/// }];
/// let r = reconcile(&Channel::Mpesa, &[], &statement)?;
/// assert_eq!(r.lines[0].kind, MatchKind::MissingInLedger);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn reconcile(
    channel: &Channel,
    receipts: &[IssuedReceipt],
    statement: &[StatementLine],
) -> Result<Reconciliation> {
    let mut by_ref: HashMap<&str, (usize, &StatementLine)> = HashMap::new();
    let mut lines = Vec::new();
    let mut extra = Vec::new();
    for (i, s) in statement.iter().enumerate() {
        if by_ref.contains_key(s.external_reference.as_str()) {
            extra.push((i, MatchKind::DuplicateInStatement, s));
        } else {
            by_ref.insert(&s.external_reference, (i, s));
        }
    }
    let mut used = vec![false; statement.len()];
    for entry in receipts {
        let ReceiptBody::Payment(p) = &entry.receipt.body else {
            continue;
        };
        let Some(reference) = &p.external_reference else {
            continue;
        };
        if p.channel != *channel {
            continue;
        }
        let amount = entry.receipt.body.money()?;
        let (kind, s) = match by_ref.get(reference.as_str()) {
            Some((i, s)) => {
                if let Some(u) = used.get_mut(*i) {
                    *u = true;
                }
                let same = amount.as_ref() == Some(&s.amount);
                let kind = if same {
                    MatchKind::Matched
                } else {
                    MatchKind::AmountMismatch
                };
                (kind, Some(*s))
            }
            None => (MatchKind::MissingInStatement, None),
        };
        lines.push(ReconLine {
            kind,
            external_reference: reference.clone(),
            receipt: Some(entry.id().into()),
            ledger_amount: amount,
            statement_amount: s.map(|s| s.amount),
            statement_time: s.map(|s| s.time),
        });
    }
    for (i, s) in statement.iter().enumerate() {
        if !used.get(i).copied().unwrap_or(true)
            && by_ref.get(s.external_reference.as_str()).map(|(j, _)| *j) == Some(i)
        {
            extra.push((i, MatchKind::MissingInLedger, s));
        }
    }
    extra.sort_by_key(|(i, _, _)| *i);
    for (_, kind, s) in extra {
        lines.push(ReconLine {
            kind,
            external_reference: s.external_reference.clone(),
            receipt: None,
            ledger_amount: None,
            statement_amount: Some(s.amount),
            statement_time: Some(s.time),
        });
    }
    Ok(Reconciliation {
        channel: channel.code().into(),
        lines,
    })
}
