//! Quotes per second, on one core.
//!
//! * `passport_64_urgent`: the urgent 64-page ordinary passport (an option price and a
//!   surcharge, M 800.00).
//! * `vehicle_licence_banded_late`: the vehicle licence renewal (a mass band and a late
//!   penalty).
//! * `ownership_transfer_percentage`: the vehicle ownership transfer (1 % of the declared
//!   value between a minimum and a maximum).
//!
//! Each quote is the whole of [`eservices::fees::quote`]: the schedule in force, the lines,
//! exemptions and taxes in exact decimals, and the `quote_id` (SHA-256 of the quote's RFC 8785
//! canonical JSON). `quoter/…` is the same quote from a [`Quoter`] (the schedule's fixed text
//! written ahead), and `quoter_into/…` from a quoter writing over the previous quote (no
//! allocation). `quote_id/passport` times that id alone, and `floor/sha256` the SHA-256
//! (ring) alone of the bytes that id hashes: the least a quote can cost.
//!
//! `cargo bench --bench fees`

use std::error::Error;
use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput};
use eservices::catalogue::{Answers, Catalogue};
use eservices::fees::{quote, Quoter};

fn answers(pairs: &[(&str, &str)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let catalogue = Catalogue::lesotho()?;
    let date = NaiveDate::from_ymd_opt(2026, 3, 2).ok_or("date")?;
    let cases = [
        (
            "passport_64_urgent",
            "home-affairs.passport.ordinary",
            answers(&[("pages", "64"), ("urgent", "true")]),
            "M 800.00",
        ),
        (
            "vehicle_licence_banded_late",
            "public-works-transport.vehicle.licence-renewal",
            answers(&[("tare_mass_kg", "1450"), ("licence_expiry", "2025-12-31")]),
            "M 350.00",
        ),
        (
            "ownership_transfer_percentage",
            "public-works-transport.vehicle.ownership-transfer",
            answers(&[("declared_value", "85000.00")]),
            "M 850.00",
        ),
    ];
    let mut failure: Option<String> = None;
    let mut group = c.benchmark_group("quotes");
    group.throughput(Throughput::Elements(1));
    for (name, service, answers, total) in &cases {
        let service = catalogue.service(service)?;
        let q = quote(service, answers, "general", date)?;
        if q.total.to_string() != *total {
            return Err(format!("{name}: total {} is not {total}", q.total).into());
        }
        group.bench_function(*name, |b| {
            b.iter(
                || match quote(service, black_box(answers), "general", date) {
                    Ok(q) => {
                        black_box(q);
                    }
                    Err(e) => failure = Some(e.to_string()),
                },
            )
        });
        let quoter = Quoter::new(service);
        if quoter.quote(answers, "general", date)? != q {
            return Err(format!("{name}: the quoter's quote differs").into());
        }
        group.bench_function(format!("quoter/{name}"), |b| {
            b.iter(|| match quoter.quote(black_box(answers), "general", date) {
                Ok(q) => {
                    black_box(q);
                }
                Err(e) => failure = Some(e.to_string()),
            })
        });
        let mut reused = q.clone();
        group.bench_function(format!("quoter_into/{name}"), |b| {
            b.iter(
                || match quoter.quote_into(black_box(answers), "general", date, &mut reused) {
                    Ok(()) => {
                        black_box(&reused);
                    }
                    Err(e) => failure = Some(e.to_string()),
                },
            )
        });
        if reused != q {
            return Err(format!("{name}: the reused quote differs").into());
        }
    }
    let passport = catalogue.service("home-affairs.passport.ordinary")?;
    let q = quote(passport, &cases[0].2, "general", date)?;
    group.bench_function("quote_id/passport", |b| {
        b.iter(|| match black_box(&q).computed_id() {
            Ok(id) => {
                black_box(id);
            }
            Err(e) => failure = Some(e.to_string()),
        })
    });
    // The floor: SHA-256 alone (ring) of the bytes `quote_id` hashes, the passport quote's
    // canonical JSON without its id. However fast the rest, a quote costs at least this.
    let mut value = serde_json::to_value(&q)?;
    if let Some(map) = value.as_object_mut() {
        map.remove("quote_id");
    }
    let bytes = eservices::json::canonical(&value)?;
    eprintln!(
        "passport quote: {} canonical bytes hashed for its quote_id",
        bytes.len()
    );
    group.bench_function("floor/sha256", |b| {
        b.iter(|| {
            black_box(ring::digest::digest(
                &ring::digest::SHA256,
                black_box(&bytes),
            ))
        })
    });
    group.finish();
    c.final_summary();
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}
