//! The storage part of the ledger: the records its rules read and write ([`LedgerRecords`]),
//! and their in-memory form.
//!
//! The ledger's rules (in `ledger.rs`) check everything first and write last, through this
//! trait only. [`PaymentLedger`](super::PaymentLedger) keeps the records in memory under
//! one lock; [`crate::store`] keeps them in a database, one transaction per operation.

use std::collections::{BTreeMap, HashMap};

use super::{Payment, PaymentOutcome, RefundRequest};
use crate::fees::Quote;
use crate::money::{Currency, Money};
use crate::receipt::{ChainPoint, IssuedReceipt};
use crate::{Error, Result};

/// Where an application stands in the ledger: its quote in force and what it has paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteAccount {
    /// The application reference.
    pub application: String,
    /// The id of the quote in force.
    pub current: String,
    /// The currency of its quotes.
    pub currency: Currency,
    /// Payments less refunds, in `currency`.
    pub paid: Money,
}

/// A quote registered for an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRecord {
    /// The quote.
    pub quote: Quote,
    /// The id of the quote that superseded it, if any.
    pub superseded_by: Option<String>,
}

/// An office's receipt series as stored: its name and last entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesRecord {
    /// The office.
    pub office: String,
    /// The series name (e.g. `2026`).
    pub series: String,
    /// The last entry issued, `None` before the first.
    pub head: Option<ChainPoint>,
}

/// The records of a payment ledger. Reads take `&self`; writes take `&mut self` and are
/// called only after every check passed, so an implementation that runs an operation in one
/// transaction keeps it all-or-nothing. Implemented in memory by
/// [`PaymentLedger`](super::PaymentLedger) and durably by [`crate::store`].
pub trait LedgerRecords {
    /// The application's account, `None` if no quote was registered for it.
    fn quote_account(&self, application: &str) -> Result<Option<QuoteAccount>>;
    /// A quote registered for the application.
    fn quote(&self, application: &str, quote_id: &str) -> Result<Option<QuoteRecord>>;
    /// Registers `quote` as the quote in force for `application` (opening its account with
    /// nothing paid, or superseding the quote in force).
    fn put_quote(&mut self, application: &str, quote: &Quote) -> Result<()>;
    /// Sets what the application has paid (payments less refunds).
    fn set_paid(&mut self, application: &str, paid: Money) -> Result<()>;

    /// The payment recorded under an idempotency key.
    fn payment_by_key(&self, key: &str) -> Result<Option<PaymentOutcome>>;
    /// The payment whose receipt has this id.
    fn payment_by_receipt(&self, receipt: &str) -> Result<Option<PaymentOutcome>>;
    /// The receipt id of the payment with this external reference in this channel.
    fn receipt_for_reference(&self, channel: &str, reference: &str) -> Result<Option<String>>;
    /// How many payments were recorded.
    fn payment_count(&self) -> Result<u64>;
    /// Records an accepted payment (its receipt was appended first).
    fn put_payment(&mut self, outcome: &PaymentOutcome) -> Result<()>;
    /// Every payment, in order.
    fn payments(&self) -> Result<Vec<Payment>>;

    /// What was refunded so far on a payment receipt (`None`: nothing).
    fn refunded(&self, receipt: &str) -> Result<Option<Money>>;
    /// Sets what was refunded on a payment receipt.
    fn set_refunded(&mut self, receipt: &str, amount: Money) -> Result<()>;
    /// How many refund requests were made.
    fn refund_count(&self) -> Result<u64>;
    /// A refund request by id.
    fn refund(&self, id: &str) -> Result<Option<RefundRequest>>;
    /// Records a new refund request, or the new state of one already recorded.
    fn put_refund(&mut self, request: &RefundRequest) -> Result<()>;
    /// Every refund request, in order.
    fn refunds(&self) -> Result<Vec<RefundRequest>>;

    /// The office's series.
    fn series(&self, office: &str) -> Result<Option<SeriesRecord>>;
    /// Opens the office's series (no entry yet, or continuing after `head`).
    fn put_series(&mut self, series: &SeriesRecord) -> Result<()>;
    /// Appends an entry to its office's series and makes it the head. The caller issued it
    /// after the stored head.
    fn append_receipt(&mut self, receipt: &IssuedReceipt) -> Result<()>;
    /// The entries of the office's series held by these records, in number order.
    fn receipts(&self, office: &str) -> Result<Vec<IssuedReceipt>>;
}

/// The records in memory. Writes never fail.
#[derive(Debug, Clone, Default)]
pub(crate) struct MemoryRecords {
    accounts: BTreeMap<String, QuoteAccount>,
    quotes: BTreeMap<(String, String), QuoteRecord>,
    outcomes: Vec<PaymentOutcome>,
    by_key: HashMap<String, usize>,
    by_reference: HashMap<(String, String), usize>,
    by_receipt: HashMap<String, usize>,
    refunded: HashMap<String, Money>,
    refunds: Vec<RefundRequest>,
    series: BTreeMap<String, (SeriesRecord, Vec<IssuedReceipt>)>,
}

impl LedgerRecords for MemoryRecords {
    fn quote_account(&self, application: &str) -> Result<Option<QuoteAccount>> {
        Ok(self.accounts.get(application).cloned())
    }

    fn quote(&self, application: &str, quote_id: &str) -> Result<Option<QuoteRecord>> {
        Ok(self
            .quotes
            .get(&(application.to_string(), quote_id.to_string()))
            .cloned())
    }

    fn put_quote(&mut self, application: &str, quote: &Quote) -> Result<()> {
        let id = quote.quote_id.clone();
        match self.accounts.get_mut(application) {
            Some(account) => {
                let old = (application.to_string(), account.current.clone());
                if let Some(old) = self.quotes.get_mut(&old) {
                    old.superseded_by = Some(id.clone());
                }
                account.current = id.clone();
            }
            None => {
                self.accounts.insert(
                    application.into(),
                    QuoteAccount {
                        application: application.into(),
                        current: id.clone(),
                        currency: quote.currency,
                        paid: Money::zero(quote.currency),
                    },
                );
            }
        }
        self.quotes.insert(
            (application.into(), id),
            QuoteRecord {
                quote: quote.clone(),
                superseded_by: None,
            },
        );
        Ok(())
    }

    fn set_paid(&mut self, application: &str, paid: Money) -> Result<()> {
        let account =
            self.accounts
                .get_mut(application)
                .ok_or_else(|| Error::UnknownApplication {
                    application: application.into(),
                })?;
        account.paid = paid;
        Ok(())
    }

    fn payment_by_key(&self, key: &str) -> Result<Option<PaymentOutcome>> {
        Ok(self
            .by_key
            .get(key)
            .and_then(|&i| self.outcomes.get(i))
            .cloned())
    }

    fn payment_by_receipt(&self, receipt: &str) -> Result<Option<PaymentOutcome>> {
        Ok(self
            .by_receipt
            .get(receipt)
            .and_then(|&i| self.outcomes.get(i))
            .cloned())
    }

    fn receipt_for_reference(&self, channel: &str, reference: &str) -> Result<Option<String>> {
        Ok(self
            .by_reference
            .get(&(channel.to_string(), reference.to_string()))
            .and_then(|&i| self.outcomes.get(i))
            .map(|o| o.payment.receipt.clone()))
    }

    fn payment_count(&self) -> Result<u64> {
        u64::try_from(self.outcomes.len()).map_err(|_| Error::Overflow {
            operation: "payment count".into(),
        })
    }

    fn put_payment(&mut self, outcome: &PaymentOutcome) -> Result<()> {
        let index = self.outcomes.len();
        let request = &outcome.payment.request;
        self.by_key.insert(request.idempotency_key.clone(), index);
        if let Some(reference) = &request.external_reference {
            self.by_reference.insert(
                (request.channel.code().to_string(), reference.clone()),
                index,
            );
        }
        self.by_receipt
            .insert(outcome.payment.receipt.clone(), index);
        self.outcomes.push(outcome.clone());
        Ok(())
    }

    fn payments(&self) -> Result<Vec<Payment>> {
        Ok(self.outcomes.iter().map(|o| o.payment.clone()).collect())
    }

    fn refunded(&self, receipt: &str) -> Result<Option<Money>> {
        Ok(self.refunded.get(receipt).copied())
    }

    fn set_refunded(&mut self, receipt: &str, amount: Money) -> Result<()> {
        self.refunded.insert(receipt.into(), amount);
        Ok(())
    }

    fn refund_count(&self) -> Result<u64> {
        u64::try_from(self.refunds.len()).map_err(|_| Error::Overflow {
            operation: "refund count".into(),
        })
    }

    fn refund(&self, id: &str) -> Result<Option<RefundRequest>> {
        Ok(self.refunds.iter().find(|r| r.id == id).cloned())
    }

    fn put_refund(&mut self, request: &RefundRequest) -> Result<()> {
        match self.refunds.iter_mut().find(|r| r.id == request.id) {
            Some(r) => *r = request.clone(),
            None => self.refunds.push(request.clone()),
        }
        Ok(())
    }

    fn refunds(&self) -> Result<Vec<RefundRequest>> {
        Ok(self.refunds.clone())
    }

    fn series(&self, office: &str) -> Result<Option<SeriesRecord>> {
        Ok(self.series.get(office).map(|(s, _)| s.clone()))
    }

    fn put_series(&mut self, series: &SeriesRecord) -> Result<()> {
        self.series
            .insert(series.office.clone(), (series.clone(), Vec::new()));
        Ok(())
    }

    fn append_receipt(&mut self, receipt: &IssuedReceipt) -> Result<()> {
        let office = &receipt.receipt.office;
        let (record, issued) = self
            .series
            .get_mut(office)
            .ok_or_else(|| Error::UnknownOffice {
                office: office.clone(),
            })?;
        record.head = Some(ChainPoint {
            number: receipt.receipt.number,
            hash: receipt.hash.clone(),
        });
        issued.push(receipt.clone());
        Ok(())
    }

    fn receipts(&self, office: &str) -> Result<Vec<IssuedReceipt>> {
        self.series
            .get(office)
            .map(|(_, issued)| issued.clone())
            .ok_or_else(|| Error::UnknownOffice {
                office: office.into(),
            })
    }
}

impl MemoryRecords {
    /// Seeds a series with entries issued before the ledger took it over (kept so
    /// `receipts` lists them, as the ledger always did).
    pub(crate) fn seed_receipts(&mut self, office: &str, receipts: &[IssuedReceipt]) {
        if let Some((_, issued)) = self.series.get_mut(office) {
            issued.extend_from_slice(receipts);
        }
    }
}
