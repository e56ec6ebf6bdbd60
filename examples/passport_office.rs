//! The main job: itemised quotes for several real services from the shipped (illustrative)
//! Lesotho catalogue, as a counter clerk would print them.
//!
//! Run with `cargo run --example passport_office`.

use chrono::NaiveDate;
use eservices::catalogue::{Answers, Catalogue};
use eservices::fees::Quote;
use eservices::money::Money;

/// Width of the description column.
const WIDTH: usize = 58;

/// One application to quote: service id, applicant category, answers.
type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalogue = Catalogue::lesotho()?;
    // A fixed date keeps the output reproducible; a service would use `SystemClock.today()`.
    let date = NaiveDate::from_ymd_opt(2026, 3, 1).ok_or("invalid date")?;

    println!("{}", catalogue.title);
    println!("NOTE: {}", catalogue.notice);
    println!("Quotes for {date}\n");

    let cases: &[Case] = &[
        (
            "home-affairs.passport.ordinary",
            "general",
            &[("pages", "64"), ("urgent", "true")],
        ),
        (
            "home-affairs.passport.ordinary",
            "general",
            &[("pages", "32"), ("replacement", "true")],
        ),
        (
            "home-affairs.birth-certificate",
            "general",
            &[("date_of_birth", "2024-06-15"), ("copies", "2")],
        ),
        (
            "home-affairs.national-id.replacement",
            "pensioner",
            &[("cause", "lost")],
        ),
        (
            "public-works-transport.learners-licence",
            "general",
            &[("licence_code", "B")],
        ),
        (
            "public-works-transport.vehicle.number-plate",
            "general",
            &[("personalised", "true")],
        ),
        (
            "public-works-transport.vehicle.licence-renewal",
            "general",
            &[("tare_mass_kg", "1450"), ("licence_expiry", "2026-01-10")],
        ),
        (
            "public-works-transport.vehicle.ownership-transfer",
            "general",
            &[("declared_value", "85000")],
        ),
        (
            "finance.tax-clearance-certificate",
            "general",
            &[("purpose", "tender"), ("courier_delivery", "true")],
        ),
        (
            "public-service.certificate-of-service",
            "general",
            &[("purpose", "pension")],
        ),
        ("trade.company.name-reservation", "general", &[]),
        ("trade.company.incorporation", "general", &[]),
    ];

    for (service, category, pairs) in cases {
        let answers: Answers = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let quote = catalogue.quote(service, &answers, category, date)?;
        print_quote(&catalogue, &quote)?;
    }

    // The worked example of the README: 64 pages, urgent, under LN 95/2019.
    let answers: Answers = [("pages", "64"), ("urgent", "true")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let q = catalogue.quote("home-affairs.passport.ordinary", &answers, "general", date)?;
    if q.total.to_string() != "M 800.00" {
        return Err(format!(
            "64-page urgent passport should cost M 800.00, got {}",
            q.total
        )
        .into());
    }
    Ok(())
}

fn row(label: &str, amount: &Money) {
    println!("  {label:<WIDTH$} {:>14}", amount.to_string());
}

fn print_quote(catalogue: &Catalogue, q: &Quote) -> Result<(), Box<dyn std::error::Error>> {
    let service = catalogue.service(&q.service_id)?;
    let rule = "-".repeat(WIDTH + 17);
    println!("{} ({})", service.name.en, q.service_id);
    println!(
        "  Fee schedule: {}, in force from {}",
        q.schedule.legal_reference, q.schedule.effective_from
    );
    if !q.inputs.is_empty() {
        let inputs: Vec<String> = q.inputs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        println!("  Answers used: {}", inputs.join(", "));
    }
    println!("  {rule}");
    for line in &q.lines {
        let label = if line.quantity == 1 {
            line.description.clone()
        } else {
            format!(
                "{} ({} x {})",
                line.description, line.quantity, line.unit_amount
            )
        };
        let label = if line.taxable {
            format!("{label} [taxable]")
        } else {
            label
        };
        row(&label, &line.amount);
        if let Some(basis) = &line.basis {
            println!("      {basis}");
        }
    }
    for e in &q.exemptions {
        row(&format!("{} [{}]", e.description, e.category), &e.amount);
        println!("      {}", e.reason);
    }
    if !q.exemptions.is_empty() || !q.taxes.is_empty() {
        row("Subtotal", &q.subtotal);
    }
    for t in &q.taxes {
        row(
            &format!("{} {}% of {}", t.description, t.percent, t.base),
            &t.amount,
        );
    }
    println!("  {rule}");
    row("TOTAL", &q.total);
    let pay_in = if q.accepts_zar_at_par {
        "LSL, or ZAR at par"
    } else {
        q.currency.code()
    };
    println!("  Pay in {pay_in}; payment due {}", q.payment_due.as_str());
    println!("  Quote id {}\n", q.quote_id);
    Ok(())
}
