//! The thread-safe payment ledger: quotes, payments, refunds and receipt series under one lock.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, NaiveDate, Utc};

use super::records::{LedgerRecords, MemoryRecords, SeriesRecord};
use super::rules::{self, Rules, Signers};
use super::{Balance, LedgerPolicy, Payment, PaymentRequest};
use crate::catalogue::Catalogue;
use crate::fees::Quote;
use crate::money::Money;
use crate::receipt::report::ZReport;
use crate::receipt::{ChainPoint, IssuedReceipt, ReceiptSeries};
use crate::{Clock, Error, Result};

/// What [`PaymentLedger::pay`] returns: the payment and its one receipt. A retry with the
/// same idempotency key and content returns an equal value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentOutcome {
    /// The payment as recorded.
    pub payment: Payment,
    /// Its receipt.
    pub receipt: IssuedReceipt,
}

/// A refund (or cancellation) request awaiting a second actor's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    /// Request id, `RF-1`, `RF-2`, …
    pub id: String,
    /// The payment receipt to refund.
    pub receipt: String,
    /// How much, positive, in the original payment's currency.
    pub amount: Money,
    /// Why.
    pub reason: String,
    /// Who asked.
    pub requested_by: String,
    /// When.
    pub time: DateTime<Utc>,
    /// Where it stands.
    pub state: RefundState,
}

/// Where a refund request stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundState {
    /// Awaiting a decision.
    Pending,
    /// Approved: a credit note was issued.
    Approved {
        /// Who approved.
        approved_by: String,
        /// The credit note's receipt id.
        credit_note: String,
    },
    /// Declined.
    Declined {
        /// Who declined.
        declined_by: String,
    },
}

impl RefundState {
    pub(crate) fn name(&self) -> &'static str {
        self.parts().0
    }

    /// Its flat form, as the store keeps it and the bindings show it: the name, who decided
    /// (approver or decliner) and the credit note's receipt id.
    pub(crate) fn parts(&self) -> (&'static str, Option<&str>, Option<&str>) {
        match self {
            RefundState::Pending => ("pending", None, None),
            RefundState::Approved {
                approved_by,
                credit_note,
            } => ("approved", Some(approved_by), Some(credit_note)),
            RefundState::Declined { declined_by } => ("declined", Some(declined_by), None),
        }
    }
}

/// The ledger's records and the offices' signing keys, under one lock.
#[derive(Default)]
struct State {
    records: MemoryRecords,
    signers: Signers,
}

/// Records payments against registered quotes and issues their receipts; thread-safe
/// (`Send + Sync`, every method takes `&self`). See the [module documentation](super).
///
/// ```
/// use std::sync::Arc;
/// use eservices::catalogue::{Answers, Catalogue};
/// use eservices::document::SoftwareSigner;
/// use eservices::money::{Currency, Money};
/// use eservices::payment::{Channel, LedgerPolicy, PaymentLedger, PaymentRequest};
/// use eservices::receipt::ReceiptSeries;
/// use eservices::{Clock, FixedClock};
///
/// let clock = Arc::new(FixedClock::parse("2026-03-02T08:00:00Z")?);
/// let ledger = PaymentLedger::new(clock.clone(), LedgerPolicy::default());
/// let signer = Arc::new(SoftwareSigner::ed25519_from_seed(&[9; 32])?);
/// ledger.open_series(ReceiptSeries::new("MSU", "2026", signer)?)?;
///
/// let answers: Answers = [("pages".to_string(), "32".to_string())].into();
/// let quote = Catalogue::lesotho()?.quote("home-affairs.passport.ordinary", &answers,
///     "general", clock.today())?;
/// ledger.register_quote("APP-1", quote.clone())?;
///
/// let request = PaymentRequest {
///     idempotency_key: "till-3:0001".into(),
///     office: "MSU".into(),
///     application: "APP-1".into(),
///     quote_id: quote.quote_id.clone(),
///     channel: Channel::Mpesa,
///     external_reference: Some("QK7H2XY1".into()),
///     amount: Money::parse("100", Currency::Lsl)?,
///     actor: "cashier-7".into(),
/// };
/// let first = ledger.pay(&request)?;
/// assert_eq!(first.receipt.receipt.number, 1);
/// assert_eq!(ledger.pay(&request)?, first); // a retry counts once
/// let balance = ledger.balance("APP-1")?;
/// assert_eq!(balance.outstanding.to_string(), "M 30.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct PaymentLedger {
    clock: Arc<dyn Clock>,
    policy: LedgerPolicy,
    state: Mutex<State>,
}

impl std::fmt::Debug for PaymentLedger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaymentLedger")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl PaymentLedger {
    /// An empty ledger reading the date and time from `clock`.
    pub fn new(clock: Arc<dyn Clock>, policy: LedgerPolicy) -> PaymentLedger {
        PaymentLedger {
            clock,
            policy,
            state: Mutex::new(State::default()),
        }
    }

    /// The lock. Every critical section checks everything before it changes anything, and
    /// its changes cannot panic, so a poisoned lock still guards a consistent state.
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn rules<'a>(&'a self, signers: &'a Signers) -> Rules<'a> {
        Rules {
            clock: self.clock.as_ref(),
            policy: self.policy,
            signers,
        }
    }

    /// Opens an office's receipt series (one per office). [`Error::SeriesAlreadyOpen`] if the
    /// office has one.
    pub fn open_series(&self, series: ReceiptSeries) -> Result<()> {
        let mut st = self.state();
        if st.signers.contains_key(series.office()) {
            return Err(Error::SeriesAlreadyOpen {
                office: series.office().into(),
            });
        }
        st.records.put_series(&SeriesRecord {
            office: series.office().into(),
            series: series.series().into(),
            head: series.head().cloned(),
        })?;
        st.records.seed_receipts(series.office(), series.receipts());
        st.signers
            .insert(series.office().into(), series.signer().clone());
        Ok(())
    }

    /// Registers `quote` as the quote in force for `application`, superseding the one before.
    ///
    /// The quote's id must match its content ([`Error::QuoteIdMismatch`]) and it must not be
    /// expired ([`Error::QuoteExpired`]). Registering the quote already in force again is a
    /// no-op; registering a superseded one, or one dated before the quote in force, is
    /// [`Error::QuoteSuperseded`]. All quotes of an application must be for the same service
    /// ([`Error::InvalidPaymentRequest`]) and in the same currency ([`Error::CurrencyMismatch`]).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use eservices::catalogue::{Answers, Catalogue};
    /// # use eservices::document::SoftwareSigner;
    /// # use eservices::money::{Currency, Money};
    /// # use eservices::payment::{Channel, LedgerPolicy, PaymentLedger, PaymentRequest};
    /// # use eservices::receipt::ReceiptSeries;
    /// # use eservices::{Clock, FixedClock};
    /// # let clock = Arc::new(FixedClock::parse("2026-03-02T08:00:00Z")?);
    /// # let ledger = PaymentLedger::new(clock.clone(), LedgerPolicy::default());
    /// # let key = Arc::new(SoftwareSigner::ed25519_from_seed(&[9; 32])?);
    /// # ledger.open_series(ReceiptSeries::new("MSU", "2026", key)?)?;
    /// # let catalogue = Catalogue::lesotho()?;
    /// # let answers: Answers = [("pages".to_string(), "64".to_string())].into();
    /// # let quote = catalogue.quote("home-affairs.passport.ordinary", &answers, "general",
    /// #     clock.today())?;
    /// # ledger.register_quote("APP-1", quote.clone())?;
    /// # let cash = |key: &str, amount: &str| -> eservices::Result<PaymentRequest> {
    /// #     Ok(PaymentRequest { idempotency_key: key.into(), office: "MSU".into(),
    /// #         application: "APP-1".into(), quote_id: quote.quote_id.clone(),
    /// #         channel: Channel::Cash, external_reference: None,
    /// #         amount: Money::parse(amount, Currency::Lsl)?, actor: "cashier-7".into() })
    /// # };
    /// // The applicant adds urgent processing: a new quote supersedes the first.
    /// let mut urgent = answers.clone();
    /// urgent.insert("urgent".into(), "true".into());
    /// let newer = catalogue.quote("home-affairs.passport.ordinary", &urgent, "general",
    ///     clock.today())?;
    /// ledger.register_quote("APP-1", newer.clone())?;
    /// let err = ledger.pay(&cash("k1", "300")?).unwrap_err();
    /// assert_eq!(err.code(), "quote_superseded");
    /// assert_eq!(ledger.balance("APP-1")?.owed.to_string(), "M 800.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn register_quote(&self, application: &str, quote: Quote) -> Result<()> {
        let mut st = self.state();
        let State { records, signers } = &mut *st;
        self.rules(signers)
            .register_quote(records, application, &quote)
    }

    /// Records a payment and issues its receipt, atomically.
    ///
    /// A request with an idempotency key already used returns the original outcome when its
    /// content is the same, and [`Error::IdempotencyConflict`] otherwise. Other errors:
    /// [`Error::InvalidPaymentRequest`], [`Error::UnknownQuote`], [`Error::QuoteSuperseded`],
    /// [`Error::QuoteExpired`], [`Error::CurrencyMismatch`] (a currency the quote does not
    /// accept), [`Error::DuplicateExternalReference`], [`Error::UnknownOffice`], and signing
    /// errors. A refused request changes nothing and does not use up its idempotency key.
    ///
    /// See the [type's example](PaymentLedger).
    pub fn pay(&self, request: &PaymentRequest) -> Result<PaymentOutcome> {
        let mut st = self.state();
        let State { records, signers } = &mut *st;
        Ok(self.rules(signers).pay(records, request)?.0)
    }

    /// Where `application` stands against its quote in force ([`Error::UnknownApplication`]
    /// if no quote was registered for it).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use eservices::catalogue::{Answers, Catalogue};
    /// # use eservices::document::SoftwareSigner;
    /// # use eservices::money::{Currency, Money};
    /// # use eservices::payment::{Channel, LedgerPolicy, PaymentLedger, PaymentRequest};
    /// # use eservices::receipt::ReceiptSeries;
    /// # use eservices::{Clock, FixedClock};
    /// # let clock = Arc::new(FixedClock::parse("2026-03-02T08:00:00Z")?);
    /// # let ledger = PaymentLedger::new(clock.clone(), LedgerPolicy::default());
    /// # let key = Arc::new(SoftwareSigner::ed25519_from_seed(&[9; 32])?);
    /// # ledger.open_series(ReceiptSeries::new("MSU", "2026", key)?)?;
    /// # let catalogue = Catalogue::lesotho()?;
    /// # let answers: Answers = [("pages".to_string(), "64".to_string())].into();
    /// # let quote = catalogue.quote("home-affairs.passport.ordinary", &answers, "general",
    /// #     clock.today())?;
    /// # ledger.register_quote("APP-1", quote.clone())?;
    /// # let cash = |key: &str, amount: &str| -> eservices::Result<PaymentRequest> {
    /// #     Ok(PaymentRequest { idempotency_key: key.into(), office: "MSU".into(),
    /// #         application: "APP-1".into(), quote_id: quote.quote_id.clone(),
    /// #         channel: Channel::Cash, external_reference: None,
    /// #         amount: Money::parse(amount, Currency::Lsl)?, actor: "cashier-7".into() })
    /// # };
    /// ledger.pay(&cash("k1", "200")?)?;
    /// ledger.pay(&cash("k2", "150")?)?;
    /// let b = ledger.balance("APP-1")?;
    /// assert_eq!((b.paid.to_string(), b.credit.to_string()), ("M 350.00".into(), "M 50.00".into()));
    /// assert!(b.outstanding.is_zero());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn balance(&self, application: &str) -> Result<Balance> {
        let st = self.state();
        self.rules(&st.signers).balance(&st.records, application)
    }

    /// Every accepted payment, in order.
    pub fn payments(&self) -> Vec<Payment> {
        // Memory records never fail to read.
        self.state().records.payments().unwrap_or_default()
    }

    /// Every entry of the office's series issued through this ledger, in number order.
    pub fn receipts(&self, office: &str) -> Result<Vec<IssuedReceipt>> {
        self.state().records.receipts(office)
    }

    /// The office's last entry.
    pub fn head(&self, office: &str) -> Result<Option<ChainPoint>> {
        let series = self.state().records.series(office)?;
        let series = series.ok_or_else(|| Error::UnknownOffice {
            office: office.into(),
        })?;
        Ok(series.head)
    }

    /// Records a spoiled number: the office's next number becomes a void entry (a number is
    /// never reused or skipped).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use eservices::catalogue::{Answers, Catalogue};
    /// # use eservices::document::SoftwareSigner;
    /// # use eservices::money::{Currency, Money};
    /// # use eservices::payment::{Channel, LedgerPolicy, PaymentLedger, PaymentRequest};
    /// # use eservices::receipt::ReceiptSeries;
    /// # use eservices::{Clock, FixedClock};
    /// # let clock = Arc::new(FixedClock::parse("2026-03-02T08:00:00Z")?);
    /// # let ledger = PaymentLedger::new(clock.clone(), LedgerPolicy::default());
    /// # let key = Arc::new(SoftwareSigner::ed25519_from_seed(&[9; 32])?);
    /// # ledger.open_series(ReceiptSeries::new("MSU", "2026", key)?)?;
    /// # let catalogue = Catalogue::lesotho()?;
    /// # let answers: Answers = [("pages".to_string(), "64".to_string())].into();
    /// # let quote = catalogue.quote("home-affairs.passport.ordinary", &answers, "general",
    /// #     clock.today())?;
    /// # ledger.register_quote("APP-1", quote.clone())?;
    /// # let cash = |key: &str, amount: &str| -> eservices::Result<PaymentRequest> {
    /// #     Ok(PaymentRequest { idempotency_key: key.into(), office: "MSU".into(),
    /// #         application: "APP-1".into(), quote_id: quote.quote_id.clone(),
    /// #         channel: Channel::Cash, external_reference: None,
    /// #         amount: Money::parse(amount, Currency::Lsl)?, actor: "cashier-7".into() })
    /// # };
    /// let spoiled = ledger.void_number("MSU", "cashier-7", "printer jam")?;
    /// let next = ledger.pay(&cash("k1", "300")?)?;
    /// assert_eq!((spoiled.receipt.number, next.receipt.receipt.number), (1, 2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn void_number(&self, office: &str, actor: &str, reason: &str) -> Result<IssuedReceipt> {
        let mut st = self.state();
        let State { records, signers } = &mut *st;
        self.rules(signers)
            .void_number(records, office, actor, reason)
    }

    /// What may still be refunded on a payment receipt: its amount less approved refunds.
    pub fn refundable(&self, receipt: &str) -> Result<Money> {
        rules::refundable(&self.state().records, receipt)
    }

    /// Asks for a refund of `amount` (positive, in the original payment's currency) on a
    /// payment receipt. The request must be approved by another actor
    /// ([`approve_refund`](Self::approve_refund)) before a credit note is issued. Errors:
    /// [`Error::UnknownReceipt`], [`Error::CurrencyMismatch`],
    /// [`Error::RefundExceedsRefundable`], [`Error::InvalidPaymentRequest`].
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use eservices::catalogue::{Answers, Catalogue};
    /// # use eservices::document::SoftwareSigner;
    /// # use eservices::money::{Currency, Money};
    /// # use eservices::payment::{Channel, LedgerPolicy, PaymentLedger, PaymentRequest};
    /// # use eservices::receipt::ReceiptSeries;
    /// # use eservices::{Clock, FixedClock};
    /// # let clock = Arc::new(FixedClock::parse("2026-03-02T08:00:00Z")?);
    /// # let ledger = PaymentLedger::new(clock.clone(), LedgerPolicy::default());
    /// # let key = Arc::new(SoftwareSigner::ed25519_from_seed(&[9; 32])?);
    /// # ledger.open_series(ReceiptSeries::new("MSU", "2026", key)?)?;
    /// # let catalogue = Catalogue::lesotho()?;
    /// # let answers: Answers = [("pages".to_string(), "64".to_string())].into();
    /// # let quote = catalogue.quote("home-affairs.passport.ordinary", &answers, "general",
    /// #     clock.today())?;
    /// # ledger.register_quote("APP-1", quote.clone())?;
    /// # let cash = |key: &str, amount: &str| -> eservices::Result<PaymentRequest> {
    /// #     Ok(PaymentRequest { idempotency_key: key.into(), office: "MSU".into(),
    /// #         application: "APP-1".into(), quote_id: quote.quote_id.clone(),
    /// #         channel: Channel::Cash, external_reference: None,
    /// #         amount: Money::parse(amount, Currency::Lsl)?, actor: "cashier-7".into() })
    /// # };
    /// let paid = ledger.pay(&cash("k1", "300")?)?;
    /// let request = ledger.request_refund(&paid.payment.receipt,
    ///     Money::parse("300", Currency::Lsl)?, "application withdrawn", "cashier-7")?;
    /// // The maker cannot approve their own request.
    /// assert!(ledger.approve_refund(&request.id, "cashier-7").is_err());
    /// let note = ledger.approve_refund(&request.id, "supervisor-2")?;
    /// assert!(note.json.contains(r#""amount":"-300.00""#));
    /// assert!(ledger.refundable(&paid.payment.receipt)?.is_zero());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn request_refund(
        &self,
        receipt: &str,
        amount: Money,
        reason: &str,
        actor: &str,
    ) -> Result<RefundRequest> {
        let mut st = self.state();
        let State { records, signers } = &mut *st;
        self.rules(signers)
            .request_refund(records, receipt, amount, reason, actor)
    }

    /// Approves a pending refund request as `approver` (who must not be the requester) and
    /// issues its credit note in the original receipt's series. The refundable amount is
    /// checked again here, under the lock, so concurrent refunds never take it below zero.
    pub fn approve_refund(&self, request: &str, approver: &str) -> Result<IssuedReceipt> {
        let mut st = self.state();
        let State { records, signers } = &mut *st;
        Ok(self
            .rules(signers)
            .approve_refund(records, request, approver)?
            .0)
    }

    /// Declines a pending refund request as `actor` (who must not be the requester).
    pub fn decline_refund(&self, request: &str, actor: &str) -> Result<()> {
        let mut st = self.state();
        let State { records, signers } = &mut *st;
        self.rules(signers)
            .decline_refund(records, request, actor)
            .map(|_| ())
    }

    /// Every refund request, in order.
    pub fn refund_requests(&self) -> Vec<RefundRequest> {
        // Memory records never fail to read.
        self.state().records.refunds().unwrap_or_default()
    }

    /// The office's Z-report for a day (see [`ZReport::build`]).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use eservices::catalogue::{Answers, Catalogue};
    /// # use eservices::document::SoftwareSigner;
    /// # use eservices::money::{Currency, Money};
    /// # use eservices::payment::{Channel, LedgerPolicy, PaymentLedger, PaymentRequest};
    /// # use eservices::receipt::ReceiptSeries;
    /// # use eservices::{Clock, FixedClock};
    /// # let clock = Arc::new(FixedClock::parse("2026-03-02T08:00:00Z")?);
    /// # let ledger = PaymentLedger::new(clock.clone(), LedgerPolicy::default());
    /// # let key = Arc::new(SoftwareSigner::ed25519_from_seed(&[9; 32])?);
    /// # ledger.open_series(ReceiptSeries::new("MSU", "2026", key)?)?;
    /// # let catalogue = Catalogue::lesotho()?;
    /// # let answers: Answers = [("pages".to_string(), "64".to_string())].into();
    /// # let quote = catalogue.quote("home-affairs.passport.ordinary", &answers, "general",
    /// #     clock.today())?;
    /// # ledger.register_quote("APP-1", quote.clone())?;
    /// # let cash = |key: &str, amount: &str| -> eservices::Result<PaymentRequest> {
    /// #     Ok(PaymentRequest { idempotency_key: key.into(), office: "MSU".into(),
    /// #         application: "APP-1".into(), quote_id: quote.quote_id.clone(),
    /// #         channel: Channel::Cash, external_reference: None,
    /// #         amount: Money::parse(amount, Currency::Lsl)?, actor: "cashier-7".into() })
    /// # };
    /// ledger.pay(&cash("k1", "300")?)?;
    /// let z = ledger.z_report("MSU", clock.today(), &catalogue)?;
    /// assert_eq!((z.count, z.last_number), (1, Some(1)));
    /// assert!(z.to_json()?.contains(r#""by_channel":{"cash":{"LSL":"300.00"}}"#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn z_report(&self, office: &str, day: NaiveDate, catalogue: &Catalogue) -> Result<ZReport> {
        let receipts = self.receipts(office)?;
        ZReport::build(office, day, &receipts, catalogue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn ledger_is_send_and_sync() {
        assert_send_sync::<PaymentLedger>();
    }
}
