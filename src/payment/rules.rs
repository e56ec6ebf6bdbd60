//! The ledger's rules, written once against [`LedgerRecords`]: every operation reads and
//! checks everything first and writes last, so it is all-or-nothing wherever its writes are
//! (one lock in memory, one transaction in a database).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Days, NaiveDate, Timelike, Utc};

use super::records::{LedgerRecords, QuoteRecord, SeriesRecord};
use super::{
    check_code, check_text, Balance, LedgerPolicy, Payment, PaymentOutcome, PaymentRequest,
    RefundRequest, RefundState,
};
use crate::document::Signer;
use crate::fees::Quote;
use crate::money::Money;
use crate::receipt::{
    CreditNoteBody, IssuedReceipt, LineKind, PaidLine, PaymentBody, ReceiptBody, ReceiptSeries,
    VoidBody,
};
use crate::{Clock, Error, Result};

/// The signing keys of the offices' series, by office.
pub(crate) type Signers = BTreeMap<String, Arc<dyn Signer>>;

/// What the rules need beyond the records: the clock, the policy and the offices' signers.
pub(crate) struct Rules<'a> {
    pub(crate) clock: &'a dyn Clock,
    pub(crate) policy: LedgerPolicy,
    pub(crate) signers: &'a Signers,
}

/// Whether [`Rules::pay`] recorded a new payment or found the original of a retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recorded {
    /// A new payment: its receipt was issued and the records written.
    New,
    /// A retry: nothing was written.
    Retry,
}

impl Rules<'_> {
    /// Now, in whole seconds.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        let now = self.clock.now();
        now.with_nanosecond(0).unwrap_or(now)
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

    /// See [`PaymentLedger::register_quote`](super::PaymentLedger::register_quote).
    pub(crate) fn register_quote<R: LedgerRecords + ?Sized>(
        &self,
        st: &mut R,
        application: &str,
        quote: &Quote,
    ) -> Result<()> {
        check_text("application", application)?;
        quote.verify_id()?;
        self.check_not_expired(quote)?;
        let Some(account) = st.quote_account(application)? else {
            return st.put_quote(application, quote);
        };
        if quote.quote_id == account.current {
            return Ok(());
        }
        let current = st
            .quote(application, &account.current)?
            .map(|e| e.quote)
            .ok_or_else(|| Error::UnknownQuote {
                application: application.into(),
                quote_id: account.current.clone(),
            })?;
        if st.quote(application, &quote.quote_id)?.is_some() || quote.date < current.date {
            return Err(Error::QuoteSuperseded {
                quote_id: quote.quote_id.clone(),
                superseded_by: account.current.clone(),
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
        if quote.currency != account.currency {
            return Err(Error::CurrencyMismatch {
                left: quote.currency.code().into(),
                right: account.currency.code().into(),
            });
        }
        st.put_quote(application, quote)
    }

    /// See [`PaymentLedger::pay`](super::PaymentLedger::pay).
    pub(crate) fn pay<R: LedgerRecords + ?Sized>(
        &self,
        st: &mut R,
        request: &PaymentRequest,
    ) -> Result<(PaymentOutcome, Recorded)> {
        request.validate()?;
        if let Some(original) = st.payment_by_key(&request.idempotency_key)? {
            if original.payment.request == *request {
                return Ok((original, Recorded::Retry));
            }
            return Err(Error::IdempotencyConflict {
                key: request.idempotency_key.clone(),
            });
        }
        let unknown = || Error::UnknownQuote {
            application: request.application.clone(),
            quote_id: request.quote_id.clone(),
        };
        let account = st
            .quote_account(&request.application)?
            .ok_or_else(unknown)?;
        let QuoteRecord {
            quote,
            superseded_by,
        } = st
            .quote(&request.application, &request.quote_id)?
            .ok_or_else(unknown)?;
        if let Some(newer) = superseded_by {
            return Err(Error::QuoteSuperseded {
                quote_id: request.quote_id.clone(),
                superseded_by: newer,
            });
        }
        self.check_not_expired(&quote)?;
        if !quote.accepts(request.amount.currency()) {
            return Err(Error::CurrencyMismatch {
                left: request.amount.currency().code().into(),
                right: quote.currency.code().into(),
            });
        }
        let credited = request.amount.at_par(quote.currency)?;
        let paid = account.paid.checked_add(&credited)?;
        if let Some(reference) = &request.external_reference {
            if let Some(receipt) = st.receipt_for_reference(request.channel.code(), reference)? {
                return Err(Error::DuplicateExternalReference {
                    channel: request.channel.code().into(),
                    external_reference: reference.clone(),
                    receipt,
                });
            }
        }
        let seq = st
            .payment_count()?
            .checked_add(1)
            .ok_or_else(|| Error::Overflow {
                operation: "payment sequence".into(),
            })?;
        let time = self.now();
        let body = ReceiptBody::Payment(payment_body(request, &quote));
        // Allocate, sign and append the receipt; then record the payment.
        let receipt = self.issue(st, &request.office, &request.actor, time, body)?;
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
        st.set_paid(&request.application, paid)?;
        st.put_payment(&outcome)?;
        Ok((outcome, Recorded::New))
    }

    /// See [`PaymentLedger::balance`](super::PaymentLedger::balance).
    pub(crate) fn balance<R: LedgerRecords + ?Sized>(
        &self,
        st: &R,
        application: &str,
    ) -> Result<Balance> {
        let unknown = || Error::UnknownApplication {
            application: application.into(),
        };
        let account = st.quote_account(application)?.ok_or_else(unknown)?;
        let owed = st
            .quote(application, &account.current)?
            .map(|e| e.quote.total)
            .ok_or_else(unknown)?;
        let zero = Money::zero(account.currency);
        let diff = owed.checked_sub(&account.paid)?;
        Ok(Balance {
            application: application.into(),
            quote_id: account.current,
            owed,
            paid: account.paid,
            outstanding: diff.checked_max(&zero)?,
            credit: diff.negated().checked_max(&zero)?,
        })
    }

    /// Issues the office's next entry after its stored head and appends it.
    pub(crate) fn issue<R: LedgerRecords + ?Sized>(
        &self,
        st: &mut R,
        office: &str,
        cashier: &str,
        time: DateTime<Utc>,
        body: ReceiptBody,
    ) -> Result<IssuedReceipt> {
        let unknown = || Error::UnknownOffice {
            office: office.into(),
        };
        let SeriesRecord { series, head, .. } = st.series(office)?.ok_or_else(unknown)?;
        let signer = self.signers.get(office).cloned().ok_or_else(unknown)?;
        let mut series = match head {
            None => ReceiptSeries::new(office, &series, signer)?,
            Some(head) => ReceiptSeries::resume(office, &series, signer, head)?,
        };
        let receipt = series.issue(cashier, time, body)?;
        st.append_receipt(&receipt)?;
        Ok(receipt)
    }

    /// See [`PaymentLedger::void_number`](super::PaymentLedger::void_number).
    pub(crate) fn void_number<R: LedgerRecords + ?Sized>(
        &self,
        st: &mut R,
        office: &str,
        actor: &str,
        reason: &str,
    ) -> Result<IssuedReceipt> {
        check_code("office", office)?;
        check_text("actor", actor)?;
        check_text("reason", reason)?;
        let body = ReceiptBody::Void(VoidBody {
            reason: reason.into(),
        });
        self.issue(st, office, actor, self.now(), body)
    }

    /// See [`PaymentLedger::request_refund`](super::PaymentLedger::request_refund).
    pub(crate) fn request_refund<R: LedgerRecords + ?Sized>(
        &self,
        st: &mut R,
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
        check_refund(st, receipt, &amount)?;
        let n = st
            .refund_count()?
            .checked_add(1)
            .ok_or_else(|| Error::Overflow {
                operation: "refund sequence".into(),
            })?;
        let request = RefundRequest {
            id: format!("RF-{n}"),
            receipt: receipt.into(),
            amount,
            reason: reason.into(),
            requested_by: actor.into(),
            time: self.now(),
            state: RefundState::Pending,
        };
        st.put_refund(&request)?;
        Ok(request)
    }

    /// See [`PaymentLedger::approve_refund`](super::PaymentLedger::approve_refund). Returns
    /// the credit note and the request as approved.
    pub(crate) fn approve_refund<R: LedgerRecords + ?Sized>(
        &self,
        st: &mut R,
        request: &str,
        approver: &str,
    ) -> Result<(IssuedReceipt, RefundRequest)> {
        check_text("approver", approver)?;
        let pending = pending_refund(st, request, approver)?;
        check_refund(st, &pending.receipt, &pending.amount)?;
        let original =
            st.payment_by_receipt(&pending.receipt)?
                .ok_or_else(|| Error::UnknownReceipt {
                    receipt: pending.receipt.clone(),
                })?;
        let p = &original.payment;
        let back = pending.amount.at_par(p.credited.currency())?;
        let paid = st
            .quote_account(&p.request.application)?
            .map(|a| a.paid)
            .ok_or_else(|| Error::UnknownApplication {
                application: p.request.application.clone(),
            })?
            .checked_sub(&back)?;
        let refunded =
            refunded_in(st, &pending.receipt, &p.request.amount)?.checked_add(&pending.amount)?;
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
        let note = self.issue(st, &office, approver, self.now(), body)?;
        st.set_paid(&p.request.application, paid)?;
        st.set_refunded(&pending.receipt, refunded)?;
        let approved = RefundRequest {
            state: RefundState::Approved {
                approved_by: approver.into(),
                credit_note: note.id().into(),
            },
            ..pending
        };
        st.put_refund(&approved)?;
        Ok((note, approved))
    }

    /// See [`PaymentLedger::decline_refund`](super::PaymentLedger::decline_refund).
    pub(crate) fn decline_refund<R: LedgerRecords + ?Sized>(
        &self,
        st: &mut R,
        request: &str,
        actor: &str,
    ) -> Result<RefundRequest> {
        check_text("actor", actor)?;
        let pending = pending_refund(st, request, actor)?;
        let declined = RefundRequest {
            state: RefundState::Declined {
                declined_by: actor.into(),
            },
            ..pending
        };
        st.put_refund(&declined)?;
        Ok(declined)
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

/// What was refunded on a receipt, in the currency of `paid` (zero if nothing).
fn refunded_in<R: LedgerRecords + ?Sized>(st: &R, receipt: &str, paid: &Money) -> Result<Money> {
    Ok(st
        .refunded(receipt)?
        .unwrap_or_else(|| Money::zero(paid.currency())))
}

/// What may still be refunded on a payment receipt.
pub(crate) fn refundable<R: LedgerRecords + ?Sized>(st: &R, receipt: &str) -> Result<Money> {
    let outcome = st
        .payment_by_receipt(receipt)?
        .ok_or_else(|| Error::UnknownReceipt {
            receipt: receipt.into(),
        })?;
    let paid = outcome.payment.request.amount;
    paid.checked_sub(&refunded_in(st, receipt, &paid)?)
}

fn check_refund<R: LedgerRecords + ?Sized>(st: &R, receipt: &str, amount: &Money) -> Result<()> {
    let refundable = refundable(st, receipt)?;
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

fn pending_refund<R: LedgerRecords + ?Sized>(
    st: &R,
    request: &str,
    actor: &str,
) -> Result<RefundRequest> {
    let r = st
        .refund(request)?
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
    Ok(r)
}
