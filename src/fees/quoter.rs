//! [`Quoter`]: one service made ready for many quotes.

use std::fmt;

use chrono::NaiveDate;

use super::canonical::Fragments;
use super::{fill, Quote};
use crate::catalogue::{Answers, Service};
use crate::Result;

/// One service made ready for many quotes: the same quotes as [`quote`](super::quote), byte
/// for byte, made faster.
///
/// [`Quoter::new`] copies the service and writes, once per fee schedule, the canonical text
/// of what the schedule fixes (each flat fee, surcharge and option price as a charge line,
/// and the schedule, service and rounding members), so a quote's `quote_id` hashes that text
/// instead of writing it again. A fragment is used only where the quote's content is equal to
/// what it was written from, so the bytes hashed are those [`quote`](super::quote) hashes.
///
/// [`Quoter::quote_into`] also writes the quote over an earlier one, reusing its strings and
/// lists: after the first, a quote of the same shape allocates nothing but the explanations
/// some rules write (`basis`) and any exemption or tax line. For a server that quotes
/// continually (a price shown as the applicant fills a form).
///
/// The quoter keeps its own copy of the service: a catalogue changed afterwards does not
/// change it; make a new quoter from the new catalogue. It is `Send` and `Sync`: threads can
/// share one (e.g. in an `Arc`), each writing into its own `Quote`.
///
/// ```
/// use eservices::catalogue::{Answers, Catalogue};
/// use eservices::fees::{self, Quoter};
/// use chrono::NaiveDate;
///
/// let catalogue = Catalogue::lesotho()?;
/// let passport = catalogue.service("home-affairs.passport.ordinary")?;
/// let quoter = Quoter::new(passport);
/// let date = NaiveDate::from_ymd_opt(2026, 3, 2).ok_or("date")?;
/// let mut answers = Answers::new();
/// answers.insert("pages".into(), "64".into());
/// answers.insert("urgent".into(), "true".into());
///
/// let mut q = quoter.quote(&answers, "general", date)?;
/// assert_eq!(q.total.to_string(), "M 800.00");
/// assert_eq!(q, fees::quote(passport, &answers, "general", date)?);
///
/// // The next quote, into the same value.
/// answers.insert("pages".into(), "32".into());
/// answers.remove("urgent");
/// quoter.quote_into(&answers, "general", date, &mut q)?;
/// assert_eq!(q.total.to_string(), "M 130.00");
/// q.verify_id()?;
///
/// // A refused quote leaves no quote behind.
/// answers.insert("pages".into(), "48".into());
/// assert!(quoter.quote_into(&answers, "general", date, &mut q).is_err());
/// assert!(q.quote_id.is_empty() && q.lines.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Quoter {
    service: Service,
    /// One per fee schedule of `service`, in its order.
    fragments: Vec<Fragments>,
}

impl Quoter {
    /// Copies `service` and writes the text its fee schedules fix.
    pub fn new(service: &Service) -> Quoter {
        let fragments = service
            .fee_schedules
            .iter()
            .map(|schedule| Fragments::new(service, schedule))
            .collect();
        Quoter {
            service: service.clone(),
            fragments,
        }
    }

    /// The service this quoter quotes (its own copy).
    pub fn service(&self) -> &Service {
        &self.service
    }

    /// The quote [`quote`](super::quote) gives for this service, with the same errors.
    pub fn quote(
        &self,
        answers: &Answers,
        applicant_category: &str,
        date: NaiveDate,
    ) -> Result<Quote> {
        let mut q = Quote::empty(date);
        fill(
            &self.service,
            Some(&self.fragments),
            answers,
            applicant_category,
            date,
            &mut q,
        )?;
        Ok(q)
    }

    /// [`Quoter::quote`], written over `out` (any quote, e.g. the previous one) in the memory
    /// it already holds.
    ///
    /// On an error `out` no longer holds a quote: its `quote_id`, lines, exemptions, taxes and
    /// inputs are emptied and its amounts are zero, so it can be neither paid nor mistaken for
    /// the quote it held (its [`Quote::verify_id`] fails).
    pub fn quote_into(
        &self,
        answers: &Answers,
        applicant_category: &str,
        date: NaiveDate,
        out: &mut Quote,
    ) -> Result<()> {
        let filled = fill(
            &self.service,
            Some(&self.fragments),
            answers,
            applicant_category,
            date,
            out,
        );
        if filled.is_err() {
            out.quote_id.clear();
            out.lines.clear();
            out.exemptions.clear();
            out.taxes.clear();
            out.inputs.clear();
            out.subtotal = crate::money::Money::zero(out.currency);
            out.tax_total = out.subtotal;
            out.total = out.subtotal;
        }
        filled
    }
}

impl fmt::Debug for Quoter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Quoter")
            .field("service", &self.service.id)
            .field("fee_schedules", &self.fragments.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::Quoter;

    #[test]
    fn a_quoter_can_be_shared_between_threads() {
        fn shared<T: Send + Sync + Clone + 'static>() {}
        shared::<Quoter>();
    }
}
