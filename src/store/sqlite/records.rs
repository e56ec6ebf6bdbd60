//! [`Records`] over one SQLite transaction.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::db_error;
use crate::application::{Application, State};
use crate::audit::AuditEntry;
use crate::clock::lesotho_offset;
use crate::document::{format_time, parse_time};
use crate::fees::Quote;
use crate::money::{Currency, Money};
use crate::payment::{
    Channel, LedgerRecords, Payment, PaymentOutcome, PaymentRequest, QuoteAccount, QuoteRecord,
    RefundRequest, RefundState, SeriesRecord,
};
use crate::receipt::ReceiptBody;
use crate::receipt::{ChainPoint, IssuedReceipt};
use crate::store::Records;
use crate::{json, Error, Result};

/// The records, read and written through one open transaction.
pub(super) struct SqliteRecords<'a> {
    conn: &'a Connection,
}

impl<'a> SqliteRecords<'a> {
    pub(super) fn new(conn: &'a Connection) -> Self {
        SqliteRecords { conn }
    }
}

/// Maps SQLite errors to crate errors naming the operation.
trait Db<T> {
    fn db(self, operation: &str) -> Result<T>;
}

impl<T> Db<T> for rusqlite::Result<T> {
    fn db(self, operation: &str) -> Result<T> {
        self.map_err(|e| db_error(e, operation))
    }
}

fn invalid(table: &str, key: &str, reason: impl Into<String>) -> Error {
    Error::StoreRecordInvalid {
        table: table.into(),
        key: key.into(),
        reason: reason.into(),
    }
}

fn money(table: &str, key: &str, amount: &str, currency: &str) -> Result<Money> {
    let currency = Currency::from_code(currency).map_err(|e| invalid(table, key, e.to_string()))?;
    Money::parse(amount, currency).map_err(|e| invalid(table, key, e.to_string()))
}

fn count(table: &str, v: i64) -> Result<u64> {
    u64::try_from(v).map_err(|_| invalid(table, "max", "negative sequence number"))
}

fn receipt(id: &str, json: &str) -> Result<IssuedReceipt> {
    let r = IssuedReceipt::parse(json).map_err(|e| invalid("receipts", id, e.to_string()))?;
    if r.id() != id {
        return Err(invalid(
            "receipts",
            id,
            "the row's id differs from the receipt's",
        ));
    }
    Ok(r)
}

fn audit_entry(log_id: &str, seq: i64, text: &str) -> Result<AuditEntry> {
    let key = format!("{log_id}#{seq}");
    let value = json::parse_strict(text).map_err(|e| invalid("audit", &key, e.to_string()))?;
    let entry: AuditEntry =
        serde_json::from_value(value).map_err(|e| invalid("audit", &key, e.to_string()))?;
    if i64::try_from(entry.seq).ok() != Some(seq) {
        return Err(invalid(
            "audit",
            &key,
            "the row's seq differs from the entry's",
        ));
    }
    Ok(entry)
}

fn application(reference: &str, text: &str) -> Result<Application> {
    let app = Application::from_json(text)
        .map_err(|e| invalid("applications", reference, e.to_string()))?;
    if app.reference().to_string() != reference {
        return Err(invalid(
            "applications",
            reference,
            "the row's reference differs from the application's",
        ));
    }
    Ok(app)
}

const PAYMENT_COLUMNS: &str = "p.seq, p.idempotency_key, p.office, p.application, p.quote_id, \
    p.channel, p.external_reference, p.amount, p.currency, p.actor, p.service, p.credited, \
    p.credited_currency, p.time, p.receipt, r.json \
    FROM payments p JOIN receipts r ON r.id = p.receipt";

/// A payments row joined with its receipt, as read.
struct PaymentRow {
    seq: i64,
    key: String,
    office: String,
    application: String,
    quote_id: String,
    channel: String,
    external_reference: Option<String>,
    amount: String,
    currency: String,
    actor: String,
    service: String,
    credited: String,
    credited_currency: String,
    time: String,
    receipt: String,
    json: String,
}

impl PaymentRow {
    fn read(r: &Row<'_>) -> rusqlite::Result<PaymentRow> {
        Ok(PaymentRow {
            seq: r.get(0)?,
            key: r.get(1)?,
            office: r.get(2)?,
            application: r.get(3)?,
            quote_id: r.get(4)?,
            channel: r.get(5)?,
            external_reference: r.get(6)?,
            amount: r.get(7)?,
            currency: r.get(8)?,
            actor: r.get(9)?,
            service: r.get(10)?,
            credited: r.get(11)?,
            credited_currency: r.get(12)?,
            time: r.get(13)?,
            receipt: r.get(14)?,
            json: r.get(15)?,
        })
    }

    /// The outcome, checked against its signed receipt.
    fn outcome(self) -> Result<PaymentOutcome> {
        let key = self.receipt.as_str();
        let bad = |e: Error| invalid("payments", key, e.to_string());
        let outcome = PaymentOutcome {
            payment: Payment {
                seq: count("payments", self.seq)?,
                request: PaymentRequest {
                    idempotency_key: self.key,
                    office: self.office,
                    application: self.application,
                    quote_id: self.quote_id,
                    channel: Channel::parse(&self.channel).map_err(bad)?,
                    external_reference: self.external_reference,
                    amount: money("payments", key, &self.amount, &self.currency)?,
                    actor: self.actor,
                },
                service: self.service,
                credited: money("payments", key, &self.credited, &self.credited_currency)?,
                time: parse_time(&self.time).map_err(bad)?,
                receipt: self.receipt.clone(),
            },
            receipt: receipt(&self.receipt, &self.json)?,
        };
        check_payment_row(&outcome)?;
        Ok(outcome)
    }
}

const REFUND_COLUMNS: &str = "id, receipt, amount, currency, reason, requested_by, time, state, \
    decided_by, credit_note FROM refunds";

fn refund_row(r: &Row<'_>) -> rusqlite::Result<[Option<String>; 10]> {
    let mut out: [Option<String>; 10] = Default::default();
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = r.get(i)?;
    }
    Ok(out)
}

fn refund(row: [Option<String>; 10]) -> Result<RefundRequest> {
    let [id, receipt, amount, currency, reason, requested_by, time, state, decided_by, credit_note] =
        row;
    let id = id.unwrap_or_default();
    let need = |v: Option<String>, what: &str| {
        v.ok_or_else(|| invalid("refunds", &id, format!("{what} is missing")))
    };
    let state = match (state.as_deref(), decided_by, credit_note) {
        (Some("pending"), None, None) => RefundState::Pending,
        (Some("approved"), Some(approved_by), Some(credit_note)) => RefundState::Approved {
            approved_by,
            credit_note,
        },
        (Some("declined"), Some(declined_by), None) => RefundState::Declined { declined_by },
        _ => return Err(invalid("refunds", &id, "inconsistent state")),
    };
    Ok(RefundRequest {
        receipt: need(receipt, "receipt")?,
        amount: money(
            "refunds",
            &id,
            &need(amount, "amount")?,
            &need(currency, "currency")?,
        )?,
        reason: need(reason, "reason")?,
        requested_by: need(requested_by, "requested_by")?,
        time: parse_time(&need(time, "time")?)
            .map_err(|e| invalid("refunds", &id, e.to_string()))?,
        state,
        id,
    })
}

impl SqliteRecords<'_> {
    fn one_payment(&self, filter: &str, value: &str) -> Result<Option<PaymentOutcome>> {
        let sql = format!("SELECT {PAYMENT_COLUMNS} WHERE {filter} = ?1");
        let row = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_row([value], PaymentRow::read).optional())
            .db("read a payment")?;
        row.map(PaymentRow::outcome).transpose()
    }

    fn strings(&self, sql: &str, args: impl rusqlite::Params, op: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(sql).db(op)?;
        let rows = stmt.query_map(args, |r| r.get::<_, String>(0)).db(op)?;
        rows.collect::<rusqlite::Result<Vec<String>>>().db(op)
    }

    fn receipts_where(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<IssuedReceipt>> {
        let op = "read receipts";
        let mut stmt = self.conn.prepare_cached(sql).db(op)?;
        let rows = stmt
            .query_map(args, |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .db(op)?;
        let rows = rows.collect::<rusqlite::Result<Vec<_>>>().db(op)?;
        rows.iter().map(|(id, json)| receipt(id, json)).collect()
    }

    fn applications_where(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<Application>> {
        let op = "read applications";
        let mut stmt = self.conn.prepare_cached(sql).db(op)?;
        let rows = stmt
            .query_map(args, |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .db(op)?;
        let rows = rows.collect::<rusqlite::Result<Vec<_>>>().db(op)?;
        rows.iter()
            .map(|(reference, state, json)| {
                let app = application(reference, json)?;
                if app.state().as_str() != state {
                    return Err(invalid(
                        "applications",
                        reference,
                        "the row's state differs from the application's",
                    ));
                }
                Ok(app)
            })
            .collect()
    }
}

impl LedgerRecords for SqliteRecords<'_> {
    fn quote_account(&self, application: &str) -> Result<Option<QuoteAccount>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT current, currency, paid FROM quote_accounts WHERE application = ?1",
            )
            .and_then(|mut s| {
                s.query_row([application], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })
                .optional()
            })
            .db("read a quote account")?;
        let Some((current, currency, paid)) = row else {
            return Ok(None);
        };
        let paid = money("quote_accounts", application, &paid, &currency)?;
        Ok(Some(QuoteAccount {
            application: application.into(),
            current,
            currency: paid.currency(),
            paid,
        }))
    }

    fn quote(&self, application: &str, quote_id: &str) -> Result<Option<QuoteRecord>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT json, superseded_by FROM quotes WHERE application = ?1 AND quote_id = ?2",
            )
            .and_then(|mut s| {
                s.query_row([application, quote_id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
                })
                .optional()
            })
            .db("read a quote")?;
        let Some((text, superseded_by)) = row else {
            return Ok(None);
        };
        let key = format!("{application}/{quote_id}");
        let bad = |e: Error| invalid("quotes", &key, e.to_string());
        let quote: Quote = serde_json::from_value(json::parse_strict(&text).map_err(bad)?)
            .map_err(|e| invalid("quotes", &key, e.to_string()))?;
        // A quote's id is the hash of its content: an edited quote is refused here.
        quote.verify_id().map_err(bad)?;
        if quote.quote_id != quote_id {
            return Err(invalid(
                "quotes",
                &key,
                "the row's id differs from the quote's",
            ));
        }
        Ok(Some(QuoteRecord {
            quote,
            superseded_by,
        }))
    }

    fn put_quote(&mut self, application: &str, quote: &Quote) -> Result<()> {
        let op = "register a quote";
        match self.quote_account(application)? {
            Some(account) => {
                self.conn
                    .prepare_cached(
                        "UPDATE quotes SET superseded_by = ?1 \
                         WHERE application = ?2 AND quote_id = ?3",
                    )
                    .and_then(|mut s| s.execute([&quote.quote_id, application, &account.current]))
                    .db(op)?;
                self.conn
                    .prepare_cached("UPDATE quote_accounts SET current = ?1 WHERE application = ?2")
                    .and_then(|mut s| s.execute([&quote.quote_id, application]))
                    .db(op)?;
            }
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO quote_accounts (application, current, currency, paid) \
                         VALUES (?1, ?2, ?3, ?4)",
                    )
                    .and_then(|mut s| {
                        s.execute([
                            application,
                            &quote.quote_id,
                            quote.currency.code(),
                            &Money::zero(quote.currency).to_string_amount(),
                        ])
                    })
                    .db(op)?;
            }
        }
        let text = quote.canonical_json()?;
        self.conn
            .prepare_cached(
                "INSERT INTO quotes (application, quote_id, json, superseded_by) \
                 VALUES (?1, ?2, ?3, NULL)",
            )
            .and_then(|mut s| s.execute([application, &quote.quote_id, &text]))
            .db(op)?;
        Ok(())
    }

    fn set_paid(&mut self, application: &str, paid: Money) -> Result<()> {
        let changed = self
            .conn
            .prepare_cached(
                "UPDATE quote_accounts SET paid = ?1 WHERE application = ?2 AND currency = ?3",
            )
            .and_then(|mut s| {
                s.execute([
                    &paid.to_string_amount(),
                    application,
                    paid.currency().code(),
                ])
            })
            .db("record what is paid")?;
        if changed != 1 {
            return Err(Error::UnknownApplication {
                application: application.into(),
            });
        }
        Ok(())
    }

    fn payment_by_key(&self, key: &str) -> Result<Option<PaymentOutcome>> {
        self.one_payment("p.idempotency_key", key)
    }

    fn payment_by_receipt(&self, receipt: &str) -> Result<Option<PaymentOutcome>> {
        self.one_payment("p.receipt", receipt)
    }

    fn receipt_for_reference(&self, channel: &str, reference: &str) -> Result<Option<String>> {
        self.conn
            .prepare_cached(
                "SELECT receipt FROM payments WHERE channel = ?1 AND external_reference = ?2",
            )
            .and_then(|mut s| s.query_row([channel, reference], |r| r.get(0)).optional())
            .db("read a payment by reference")
    }

    fn payment_count(&self) -> Result<u64> {
        let max: i64 = self
            .conn
            .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM payments")
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .db("count payments")?;
        count("payments", max)
    }

    fn put_payment(&mut self, outcome: &PaymentOutcome) -> Result<()> {
        let p = &outcome.payment;
        let q = &p.request;
        let seq = i64::try_from(p.seq).map_err(|_| Error::Overflow {
            operation: "payment sequence".into(),
        })?;
        self.conn
            .prepare_cached(
                "INSERT INTO payments (seq, idempotency_key, office, application, quote_id, \
                 channel, external_reference, amount, currency, actor, service, credited, \
                 credited_currency, time, receipt) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    seq,
                    q.idempotency_key,
                    q.office,
                    q.application,
                    q.quote_id,
                    q.channel.code(),
                    q.external_reference,
                    q.amount.to_string_amount(),
                    q.amount.currency().code(),
                    q.actor,
                    p.service,
                    p.credited.to_string_amount(),
                    p.credited.currency().code(),
                    format_time(&p.time),
                    p.receipt,
                ])
            })
            .db("record a payment")?;
        Ok(())
    }

    fn payments(&self) -> Result<Vec<Payment>> {
        let op = "read payments";
        let sql = format!("SELECT {PAYMENT_COLUMNS} ORDER BY p.seq");
        let mut stmt = self.conn.prepare_cached(&sql).db(op)?;
        let rows = stmt.query_map([], PaymentRow::read).db(op)?;
        let rows = rows.collect::<rusqlite::Result<Vec<_>>>().db(op)?;
        rows.into_iter()
            .map(|row| row.outcome().map(|o| o.payment))
            .collect()
    }

    fn refunded(&self, receipt: &str) -> Result<Option<Money>> {
        let row = self
            .conn
            .prepare_cached("SELECT amount, currency FROM refunded WHERE receipt = ?1")
            .and_then(|mut s| {
                s.query_row([receipt], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .optional()
            })
            .db("read what was refunded")?;
        row.map(|(amount, currency)| money("refunded", receipt, &amount, &currency))
            .transpose()
    }

    fn set_refunded(&mut self, receipt: &str, amount: Money) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO refunded (receipt, amount, currency) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (receipt) DO UPDATE SET amount = excluded.amount, \
                 currency = excluded.currency",
            )
            .and_then(|mut s| {
                s.execute([
                    receipt,
                    &amount.to_string_amount(),
                    amount.currency().code(),
                ])
            })
            .db("record what was refunded")?;
        Ok(())
    }

    fn refund_count(&self) -> Result<u64> {
        let max: i64 = self
            .conn
            .prepare_cached("SELECT COALESCE(MAX(n), 0) FROM refunds")
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .db("count refund requests")?;
        count("refunds", max)
    }

    fn refund(&self, id: &str) -> Result<Option<RefundRequest>> {
        let sql = format!("SELECT {REFUND_COLUMNS} WHERE id = ?1");
        let row = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_row([id], refund_row).optional())
            .db("read a refund request")?;
        row.map(refund).transpose()
    }

    fn put_refund(&mut self, request: &RefundRequest) -> Result<()> {
        let (state, decided_by, credit_note) = request.state.parts();
        self.conn
            .prepare_cached(
                "INSERT INTO refunds (n, id, receipt, amount, currency, reason, requested_by, \
                 time, state, decided_by, credit_note) \
                 VALUES ((SELECT COALESCE(MAX(n), 0) + 1 FROM refunds), \
                 ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
                 ON CONFLICT (id) DO UPDATE SET state = excluded.state, \
                 decided_by = excluded.decided_by, credit_note = excluded.credit_note",
            )
            .and_then(|mut s| {
                s.execute(params![
                    request.id,
                    request.receipt,
                    request.amount.to_string_amount(),
                    request.amount.currency().code(),
                    request.reason,
                    request.requested_by,
                    format_time(&request.time),
                    state,
                    decided_by,
                    credit_note,
                ])
            })
            .db("record a refund request")?;
        Ok(())
    }

    fn refunds(&self) -> Result<Vec<RefundRequest>> {
        let op = "read refund requests";
        let sql = format!("SELECT {REFUND_COLUMNS} ORDER BY n");
        let mut stmt = self.conn.prepare_cached(&sql).db(op)?;
        let rows = stmt.query_map([], refund_row).db(op)?;
        let rows = rows.collect::<rusqlite::Result<Vec<_>>>().db(op)?;
        rows.into_iter().map(refund).collect()
    }

    fn series(&self, office: &str) -> Result<Option<SeriesRecord>> {
        let row = self
            .conn
            .prepare_cached("SELECT series, head_number, head_hash FROM series WHERE office = ?1")
            .and_then(|mut s| {
                s.query_row([office], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                    ))
                })
                .optional()
            })
            .db("read a series")?;
        let Some((series, number, hash)) = row else {
            return Ok(None);
        };
        let head = match (number, hash) {
            (Some(number), Some(hash)) => Some(ChainPoint {
                number: count("series", number)?,
                hash,
            }),
            (None, None) => None,
            _ => return Err(invalid("series", office, "half a head")),
        };
        Ok(Some(SeriesRecord {
            office: office.into(),
            series,
            head,
        }))
    }

    fn put_series(&mut self, series: &SeriesRecord) -> Result<()> {
        let (number, hash) = match &series.head {
            Some(h) => (
                Some(i64::try_from(h.number).map_err(|_| Error::Overflow {
                    operation: "series head".into(),
                })?),
                Some(h.hash.as_str()),
            ),
            None => (None, None),
        };
        self.conn
            .prepare_cached(
                "INSERT INTO series (office, series, head_number, head_hash) \
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| s.execute(params![series.office, series.series, number, hash]))
            .db("open a series")?;
        Ok(())
    }

    fn append_receipt(&mut self, receipt: &IssuedReceipt) -> Result<()> {
        let op = "append a receipt";
        let r = &receipt.receipt;
        let number = i64::try_from(r.number).map_err(|_| Error::Overflow {
            operation: "receipt number".into(),
        })?;
        let prev = number.checked_sub(1).filter(|n| *n >= 1);
        let day = r
            .time
            .with_timezone(&lesotho_offset())
            .date_naive()
            .to_string();
        self.conn
            .prepare_cached(
                "INSERT INTO receipts (office, number, id, day, json) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| s.execute(params![r.office, number, receipt.id(), day, receipt.json]))
            .db(op)?;
        // The new entry must follow the stored head exactly: no gap, no fork.
        let moved = self
            .conn
            .prepare_cached(
                "UPDATE series SET head_number = ?1, head_hash = ?2 \
                 WHERE office = ?3 AND series = ?4 AND head_number IS ?5 AND head_hash IS ?6",
            )
            .and_then(|mut s| {
                s.execute(params![
                    number,
                    receipt.hash,
                    r.office,
                    r.series,
                    prev,
                    r.prev
                ])
            })
            .db(op)?;
        if moved != 1 {
            return Err(Error::StoreConstraint {
                constraint: format!(
                    "receipt {} does not follow the stored head of its series",
                    receipt.id()
                ),
            });
        }
        Ok(())
    }

    fn receipts(&self, office: &str) -> Result<Vec<IssuedReceipt>> {
        if self.series(office)?.is_none() {
            return Err(Error::UnknownOffice {
                office: office.into(),
            });
        }
        self.receipts_where(
            "SELECT id, json FROM receipts WHERE office = ?1 ORDER BY number",
            [office],
        )
    }
}

impl Records for SqliteRecords<'_> {
    fn audit_head(&self, log_id: &str) -> Result<Option<AuditEntry>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT seq, json FROM audit WHERE log_id = ?1 ORDER BY seq DESC LIMIT 1",
            )
            .and_then(|mut s| {
                s.query_row([log_id], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })
                .optional()
            })
            .db("read the audit head")?;
        row.map(|(seq, text)| audit_entry(log_id, seq, &text))
            .transpose()
    }

    fn append_audit(&mut self, log_id: &str, entry: &AuditEntry) -> Result<()> {
        let seq = i64::try_from(entry.seq).map_err(|_| Error::Overflow {
            operation: "audit seq".into(),
        })?;
        let text = serde_json::to_string(entry).map_err(|e| Error::InvalidJson {
            path: "$".into(),
            reason: e.to_string(),
        })?;
        self.conn
            .prepare_cached("INSERT INTO audit (log_id, seq, json) VALUES (?1, ?2, ?3)")
            .and_then(|mut s| s.execute(params![log_id, seq, text]))
            .db("append to the audit log")?;
        Ok(())
    }

    fn audit_entries(&self, log_id: &str) -> Result<Vec<AuditEntry>> {
        let op = "read the audit log";
        let mut stmt = self
            .conn
            .prepare_cached("SELECT seq, json FROM audit WHERE log_id = ?1 ORDER BY seq")
            .db(op)?;
        let rows = stmt
            .query_map([log_id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })
            .db(op)?;
        let rows = rows.collect::<rusqlite::Result<Vec<_>>>().db(op)?;
        rows.iter()
            .map(|(seq, text)| audit_entry(log_id, *seq, text))
            .collect()
    }

    fn application(&self, reference: &str) -> Result<Option<Application>> {
        let text: Option<String> = self
            .conn
            .prepare_cached("SELECT json FROM applications WHERE reference = ?1")
            .and_then(|mut s| s.query_row([reference], |r| r.get(0)).optional())
            .db("read an application")?;
        text.map(|t| application(reference, &t)).transpose()
    }

    fn put_application(&mut self, app: &Application) -> Result<()> {
        let text = app.to_json()?;
        self.conn
            .prepare_cached(
                "INSERT INTO applications (reference, office, state, json) \
                 VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (reference) DO UPDATE SET office = excluded.office, \
                 state = excluded.state, json = excluded.json",
            )
            .and_then(|mut s| {
                s.execute(params![
                    app.reference().to_string(),
                    app.reference().office(),
                    app.state().as_str(),
                    text
                ])
            })
            .db("store an application")?;
        Ok(())
    }

    fn applications_in(&self, office: &str, state: State) -> Result<Vec<Application>> {
        self.applications_where(
            "SELECT reference, state, json FROM applications \
             WHERE office = ?1 AND state = ?2 ORDER BY reference",
            [office, state.as_str()],
        )
    }

    fn all_applications(&self) -> Result<Vec<Application>> {
        self.applications_where(
            "SELECT reference, state, json FROM applications ORDER BY reference",
            [],
        )
    }

    fn receipts_of_day(&self, office: &str, day: NaiveDate) -> Result<Vec<IssuedReceipt>> {
        let receipts = self.receipts_where(
            "SELECT id, json FROM receipts WHERE office = ?1 AND day = ?2 ORDER BY number",
            [office, &day.to_string()],
        )?;
        for r in &receipts {
            if r.receipt.time.with_timezone(&lesotho_offset()).date_naive() != day {
                return Err(invalid(
                    "receipts",
                    r.id(),
                    "the row's day differs from the receipt's",
                ));
            }
        }
        Ok(receipts)
    }

    fn receipt_texts(&self, office: &str) -> Result<Vec<String>> {
        self.strings(
            "SELECT json FROM receipts WHERE office = ?1 ORDER BY number",
            [office],
            "read receipts",
        )
    }
}

/// Checks that a payment read back from storage says what its signed receipt says, so a
/// payment row edited outside the library is refused ([`Error::StoreRecordInvalid`]).
fn check_payment_row(outcome: &PaymentOutcome) -> Result<()> {
    let p = &outcome.payment;
    let r = &outcome.receipt.receipt;
    let bad = |what: &str| Error::StoreRecordInvalid {
        table: "payments".into(),
        key: p.receipt.clone(),
        reason: format!("its {what} disagrees with its signed receipt"),
    };
    let ReceiptBody::Payment(body) = &r.body else {
        return Err(bad("receipt kind"));
    };
    let q = &p.request;
    let checks = [
        (outcome.receipt.id() == p.receipt, "receipt id"),
        (r.office == q.office, "office"),
        (r.cashier == q.actor, "actor"),
        (r.time == p.time, "time"),
        (body.application == q.application, "application"),
        (body.quote_id == q.quote_id, "quote"),
        (body.service == p.service, "service"),
        (body.channel == q.channel, "channel"),
        (
            body.external_reference == q.external_reference,
            "external reference",
        ),
        (body.amount == q.amount.to_string_amount(), "amount"),
        (body.currency == q.amount.currency(), "currency"),
        (
            body.quote_currency == p.credited.currency(),
            "credited currency",
        ),
        (
            q.amount.at_par(p.credited.currency()).ok() == Some(p.credited),
            "credited amount",
        ),
    ];
    match checks.iter().find(|(ok, _)| !ok) {
        Some((_, what)) => Err(bad(what)),
        None => Ok(()),
    }
}
