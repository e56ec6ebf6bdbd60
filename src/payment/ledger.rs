//! The thread-safe payment ledger: quotes, payments, refunds and receipt series under one lock.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Days, NaiveDate, Timelike, Utc};

use super::{check_code, check_text, Balance, LedgerPolicy, Payment, PaymentRequest};
use crate::catalogue::Catalogue;
use crate::fees::Quote;
use crate::money::{Currency, Money};
use crate::receipt::report::ZReport;
use crate::receipt::{
    ChainPoint, CreditNoteBody, IssuedReceipt, LineKind, PaidLine, PaymentBody, ReceiptBody,
    ReceiptSeries, VoidBody,
};
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
    fn name(&self) -> &'static str {
        match self {
            RefundState::Pending => "pending",
            RefundState::Approved { .. } => "approved",
            RefundState::Declined { .. } => "declined",
        }
    }
}

struct QuoteEntry {
    quote: Quote,
    superseded_by: Option<String>,
}

struct Application {
    quotes: BTreeMap<String, QuoteEntry>,
    current: String,
    currency: Currency,
    /// Payments less refunds, in `currency`.
    paid: Money,
}

#[derive(Default)]
struct State {
    applications: BTreeMap<String, Application>,
    outcomes: Vec<PaymentOutcome>,
    by_key: HashMap<String, usize>,
    by_reference: HashMap<(String, String), usize>,
    by_receipt: HashMap<String, usize>,
    /// Refunded so far per payment receipt, in the payment's currency.
    refunded: HashMap<String, Money>,
    refunds: Vec<RefundRequest>,
    series: BTreeMap<String, ReceiptSeries>,
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

    fn now(&self) -> DateTime<Utc> {
        let now = self.clock.now();
        now.with_nanosecond(0).unwrap_or(now)
    }

    /// Opens an office's receipt series (one per office). [`Error::SeriesAlreadyOpen`] if the
    /// office has one.
    pub fn open_series(&self, series: ReceiptSeries) -> Result<()> {
        let mut st = self.state();
        if st.series.contains_key(series.office()) {
            return Err(Error::SeriesAlreadyOpen {
                office: series.office().into(),
            });
        }
        st.series.insert(series.office().into(), series);
        Ok(())
    }

    /// The last day a quote may be paid.
    fn last_day(&self, quote: &Quote) -> Result<NaiveDate> {
        quote
            .date
            .checked_add_days(Days::new(u64::from(self.policy.quote_validity_days)))
            .ok_or_else(|| Error::Overflow {
                operation: "quote validity date".into(),
            })
    }

    fn check_not_expired(&self, quote: &Quote) -> Result<()> {
        let last_day = self.last_day(quote)?;
        if self.clock.today() > last_day {
            return Err(Error::QuoteExpired {
                quote_id: quote.quote_id.clone(),
                date: quote.date.to_string(),
                last_day: last_day.to_string(),
            });
        }
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
        check_text("application", application)?;
        quote.verify_id()?;
        self.check_not_expired(&quote)?;
        let mut st = self.state();
        let Some(app) = st.applications.get_mut(application) else {
            let currency = quote.currency;
            let id = quote.quote_id.clone();
            let mut quotes = BTreeMap::new();
            quotes.insert(
                id.clone(),
                QuoteEntry {
                    quote,
                    superseded_by: None,
                },
            );
            st.applications.insert(
                application.into(),
                Application {
                    quotes,
                    current: id,
                    currency,
                    paid: Money::zero(currency),
                },
            );
            return Ok(());
        };
        if quote.quote_id == app.current {
            return Ok(());
        }
        let current = app
            .quotes
            .get(&app.current)
            .map(|e| &e.quote)
            .ok_or_else(|| Error::UnknownQuote {
                application: application.into(),
                quote_id: app.current.clone(),
            })?;
        if app.quotes.contains_key(&quote.quote_id) || quote.date < current.date {
            return Err(Error::QuoteSuperseded {
                quote_id: quote.quote_id.clone(),
                superseded_by: app.current.clone(),
            });
        }
        if quote.service_id != current.service_id {
            return Err(Error::InvalidPaymentRequest {
                field: "quote.service_id".into(),
                reason: format!(
                    "application {application:?} is for {:?}, not {:?}",
                    current.service_id, quote.service_id
                ),
            });
        }
        if quote.currency != app.currency {
            return Err(Error::CurrencyMismatch {
                left: quote.currency.code().into(),
                right: app.currency.code().into(),
            });
        }
        let id = quote.quote_id.clone();
        if let Some(old) = app.quotes.get_mut(&app.current) {
            old.superseded_by = Some(id.clone());
        }
        app.quotes.insert(
            id.clone(),
            QuoteEntry {
                quote,
                superseded_by: None,
            },
        );
        app.current = id;
        Ok(())
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
        request.validate()?;
        let mut st = self.state();
        if let Some(&i) = st.by_key.get(&request.idempotency_key) {
            let original = st
                .outcomes
                .get(i)
                .ok_or_else(|| Error::IdempotencyConflict {
                    key: request.idempotency_key.clone(),
                })?;
            if original.payment.request == *request {
                return Ok(original.clone());
            }
            return Err(Error::IdempotencyConflict {
                key: request.idempotency_key.clone(),
            });
        }
        let unknown = || Error::UnknownQuote {
            application: request.application.clone(),
            quote_id: request.quote_id.clone(),
        };
        let app = st
            .applications
            .get(&request.application)
            .ok_or_else(unknown)?;
        let entry = app.quotes.get(&request.quote_id).ok_or_else(unknown)?;
        if let Some(newer) = &entry.superseded_by {
            return Err(Error::QuoteSuperseded {
                quote_id: request.quote_id.clone(),
                superseded_by: newer.clone(),
            });
        }
        let quote = entry.quote.clone();
        self.check_not_expired(&quote)?;
        if !quote.accepts(request.amount.currency()) {
            return Err(Error::CurrencyMismatch {
                left: request.amount.currency().code().into(),
                right: quote.currency.code().into(),
            });
        }
        let credited = request.amount.at_par(quote.currency)?;
        let paid = app.paid.checked_add(&credited)?;
        if let Some(reference) = &request.external_reference {
            let k = (request.channel.code().to_string(), reference.clone());
            if let Some(&i) = st.by_reference.get(&k) {
                return Err(Error::DuplicateExternalReference {
                    channel: k.0,
                    external_reference: k.1,
                    receipt: st
                        .outcomes
                        .get(i)
                        .map(|o| o.payment.receipt.clone())
                        .unwrap_or_default(),
                });
            }
        }
        let seq = u64::try_from(st.outcomes.len())
            .ok()
            .and_then(|n| n.checked_add(1))
            .ok_or_else(|| Error::Overflow {
                operation: "payment sequence".into(),
            })?;
        let time = self.now();
        let body = ReceiptBody::Payment(payment_body(request, &quote));
        let series = st
            .series
            .get_mut(&request.office)
            .ok_or_else(|| Error::UnknownOffice {
                office: request.office.clone(),
            })?;
        // Allocate, sign and append the receipt; from here on nothing can fail.
        let receipt = series.issue(&request.actor, time, body)?;
        let outcome = PaymentOutcome {
            payment: Payment {
                seq,
                request: request.clone(),
                service: quote.service_id.clone(),
                credited,
                time,
                receipt: receipt.id().to_string(),
            },
            receipt,
        };
        let index = st.outcomes.len();
        if let Some(app) = st.applications.get_mut(&request.application) {
            app.paid = paid;
        }
        st.by_key.insert(request.idempotency_key.clone(), index);
        if let Some(reference) = &request.external_reference {
            st.by_reference.insert(
                (request.channel.code().to_string(), reference.clone()),
                index,
            );
        }
        st.by_receipt.insert(outcome.payment.receipt.clone(), index);
        st.outcomes.push(outcome.clone());
        Ok(outcome)
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
        let app = st
            .applications
            .get(application)
            .ok_or_else(|| Error::UnknownApplication {
                application: application.into(),
            })?;
        let owed = app
            .quotes
            .get(&app.current)
            .map(|e| e.quote.total)
            .ok_or_else(|| Error::UnknownApplication {
                application: application.into(),
            })?;
        let zero = Money::zero(app.currency);
        let diff = owed.checked_sub(&app.paid)?;
        Ok(Balance {
            application: application.into(),
            quote_id: app.current.clone(),
            owed,
            paid: app.paid,
            outstanding: diff.checked_max(&zero)?,
            credit: diff.negated().checked_max(&zero)?,
        })
    }

    /// Every accepted payment, in order.
    pub fn payments(&self) -> Vec<Payment> {
        self.state()
            .outcomes
            .iter()
            .map(|o| o.payment.clone())
            .collect()
    }

    /// Every entry of the office's series issued through this ledger, in number order.
    pub fn receipts(&self, office: &str) -> Result<Vec<IssuedReceipt>> {
        let st = self.state();
        let series = st.series.get(office).ok_or_else(|| Error::UnknownOffice {
            office: office.into(),
        })?;
        Ok(series.receipts().to_vec())
    }

    /// The office's last entry.
    pub fn head(&self, office: &str) -> Result<Option<ChainPoint>> {
        let st = self.state();
        let series = st.series.get(office).ok_or_else(|| Error::UnknownOffice {
            office: office.into(),
        })?;
        Ok(series.head().cloned())
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
        check_code("office", office)?;
        check_text("actor", actor)?;
        check_text("reason", reason)?;
        let mut st = self.state();
        let time = self.now();
        let series = st
            .series
            .get_mut(office)
            .ok_or_else(|| Error::UnknownOffice {
                office: office.into(),
            })?;
        series.issue(
            actor,
            time,
            ReceiptBody::Void(VoidBody {
                reason: reason.into(),
            }),
        )
    }

    /// What may still be refunded on a payment receipt: its amount less approved refunds.
    pub fn refundable(&self, receipt: &str) -> Result<Money> {
        let st = self.state();
        refundable_in(&st, receipt)
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
        check_text("reason", reason)?;
        check_text("actor", actor)?;
        if amount.is_negative() || amount.is_zero() {
            return Err(Error::InvalidPaymentRequest {
                field: "amount".into(),
                reason: format!("a refund must be positive, not {amount}"),
            });
        }
        let mut st = self.state();
        let time = self.now();
        check_refund(&st, receipt, &amount)?;
        let request = RefundRequest {
            id: format!("RF-{}", st.refunds.len().saturating_add(1)),
            receipt: receipt.into(),
            amount,
            reason: reason.into(),
            requested_by: actor.into(),
            time,
            state: RefundState::Pending,
        };
        st.refunds.push(request.clone());
        Ok(request)
    }

    /// Approves a pending refund request as `approver` (who must not be the requester) and
    /// issues its credit note in the original receipt's series. The refundable amount is
    /// checked again here, under the lock, so concurrent refunds never take it below zero.
    pub fn approve_refund(&self, request: &str, approver: &str) -> Result<IssuedReceipt> {
        check_text("approver", approver)?;
        let mut st = self.state();
        let time = self.now();
        let pending = pending_refund(&st, request, approver)?;
        check_refund(&st, &pending.receipt, &pending.amount)?;
        let index = *st
            .by_receipt
            .get(&pending.receipt)
            .ok_or_else(|| Error::UnknownReceipt {
                receipt: pending.receipt.clone(),
            })?;
        let original = st
            .outcomes
            .get(index)
            .cloned()
            .ok_or_else(|| Error::UnknownReceipt {
                receipt: pending.receipt.clone(),
            })?;
        let p = &original.payment;
        let back = pending.amount.at_par(p.credited.currency())?;
        let paid = st
            .applications
            .get(&p.request.application)
            .map(|a| a.paid)
            .ok_or_else(|| Error::UnknownApplication {
                application: p.request.application.clone(),
            })?
            .checked_sub(&back)?;
        let refunded = refunded_in(&st, &pending.receipt, p.request.amount.currency())
            .checked_add(&pending.amount)?;
        let body = ReceiptBody::CreditNote(CreditNoteBody {
            original: p.receipt.clone(),
            application: p.request.application.clone(),
            service: p.service.clone(),
            quote_id: p.request.quote_id.clone(),
            amount: pending.amount.negated().to_string_amount(),
            currency: pending.amount.currency(),
            channel: p.request.channel.clone(),
            reason: pending.reason.clone(),
            requested_by: pending.requested_by.clone(),
        });
        let office = original.receipt.receipt.office.clone();
        let series = st
            .series
            .get_mut(&office)
            .ok_or(Error::UnknownOffice { office })?;
        let note = series.issue(approver, time, body)?;
        if let Some(app) = st.applications.get_mut(&p.request.application) {
            app.paid = paid;
        }
        st.refunded.insert(pending.receipt.clone(), refunded);
        if let Some(r) = st.refunds.iter_mut().find(|r| r.id == request) {
            r.state = RefundState::Approved {
                approved_by: approver.into(),
                credit_note: note.id().into(),
            };
        }
        Ok(note)
    }

    /// Declines a pending refund request as `actor` (who must not be the requester).
    pub fn decline_refund(&self, request: &str, actor: &str) -> Result<()> {
        check_text("actor", actor)?;
        let mut st = self.state();
        pending_refund(&st, request, actor)?;
        if let Some(r) = st.refunds.iter_mut().find(|r| r.id == request) {
            r.state = RefundState::Declined {
                declined_by: actor.into(),
            };
        }
        Ok(())
    }

    /// Every refund request, in order.
    pub fn refund_requests(&self) -> Vec<RefundRequest> {
        self.state().refunds.clone()
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

fn payment_body(request: &PaymentRequest, quote: &Quote) -> PaymentBody {
    let line = |kind, rule_id: &str, description: &str, amount: &Money| PaidLine {
        kind,
        rule_id: rule_id.into(),
        description: description.into(),
        amount: amount.to_string_amount(),
    };
    let mut lines = Vec::new();
    for l in &quote.lines {
        lines.push(line(
            LineKind::Charge,
            &l.rule_id,
            &l.description,
            &l.amount,
        ));
    }
    for e in &quote.exemptions {
        lines.push(line(
            LineKind::Exemption,
            &e.rule_id,
            &e.description,
            &e.amount,
        ));
    }
    for t in &quote.taxes {
        lines.push(line(LineKind::Tax, &t.rule_id, &t.description, &t.amount));
    }
    PaymentBody {
        application: request.application.clone(),
        service: quote.service_id.clone(),
        quote_id: quote.quote_id.clone(),
        quote_currency: quote.currency,
        quote_total: quote.total.to_string_amount(),
        lines,
        amount: request.amount.to_string_amount(),
        currency: request.amount.currency(),
        channel: request.channel.clone(),
        external_reference: request.external_reference.clone(),
    }
}

fn refunded_in(st: &State, receipt: &str, currency: Currency) -> Money {
    st.refunded
        .get(receipt)
        .copied()
        .unwrap_or_else(|| Money::zero(currency))
}

fn refundable_in(st: &State, receipt: &str) -> Result<Money> {
    let outcome = st
        .by_receipt
        .get(receipt)
        .and_then(|&i| st.outcomes.get(i))
        .ok_or_else(|| Error::UnknownReceipt {
            receipt: receipt.into(),
        })?;
    let paid = outcome.payment.request.amount;
    paid.checked_sub(&refunded_in(st, receipt, paid.currency()))
}

fn check_refund(st: &State, receipt: &str, amount: &Money) -> Result<()> {
    let refundable = refundable_in(st, receipt)?;
    if amount.currency() != refundable.currency() {
        return Err(Error::CurrencyMismatch {
            left: amount.currency().code().into(),
            right: refundable.currency().code().into(),
        });
    }
    if amount.amount() > refundable.amount() {
        return Err(Error::RefundExceedsRefundable {
            receipt: receipt.into(),
            requested: amount.to_string(),
            refundable: refundable.to_string(),
        });
    }
    Ok(())
}

fn pending_refund(st: &State, request: &str, actor: &str) -> Result<RefundRequest> {
    let r =
        st.refunds
            .iter()
            .find(|r| r.id == request)
            .ok_or_else(|| Error::UnknownRefundRequest {
                request: request.into(),
            })?;
    if r.state != RefundState::Pending {
        return Err(Error::RefundNotPending {
            request: request.into(),
            state: r.state.name().into(),
        });
    }
    if r.requested_by == actor {
        return Err(Error::SameActorApproval {
            request: request.into(),
            actor: actor.into(),
        });
    }
    Ok(r.clone())
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
