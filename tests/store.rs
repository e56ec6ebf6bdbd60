//! The durable store: same rules as the in-memory ledger, records that survive reopening,
//! schema versions, typed SQLite errors, the clerk's queries, and rows edited with SQL
//! outside the library caught by verification.
#![cfg(feature = "sqlite")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod ledger_fixture;
mod store_fixture;

use std::time::Duration;

use eservices::application::{Actor, ApplicationRef, Fee, NewApplication, PaymentDue, Role, State};
use eservices::audit::TamperKind;
use eservices::catalogue::Catalogue;
use eservices::money::Money;
use eservices::payment::{Channel, LedgerPolicy, PaymentLedger, PaymentRequest};
use eservices::receipt::audit::ProblemKind;
use eservices::receipt::ReceiptSeries;
use eservices::store::{MemoryStore, Registry, SqliteStore, Store, StoreOptions, SCHEMA_VERSION};
use eservices::{Clock, Error};
use ledger_fixture::{lsl, request, signer, verifier, TestClock, OFFICE, SERIES};
use rust_decimal::Decimal;
use store_fixture::*;

fn cash(key: &str, amount: &str, q: &eservices::fees::Quote) -> PaymentRequest {
    request(key, "APP-1", q, Channel::Cash, None, lsl(amount))
}

fn mpesa(key: &str, reference: &str, amount: &str, q: &eservices::fees::Quote) -> PaymentRequest {
    request(
        key,
        "APP-1",
        q,
        Channel::Mpesa,
        Some(reference),
        lsl(amount),
    )
}

fn test_verifier() -> eservices::verify::Verifier {
    verifier(TestClock::at(NOW), &[&signer(9)])
}

/// The same operations on the in-memory ledger, a registry over memory and a registry over
/// SQLite give the same payments, receipts (byte for byte), balances and refunds.
#[test]
fn sqlite_memory_and_ledger_agree() {
    let db = TempDb::new("parity");
    let sqlite = open(db.path());
    let memory = attach(MemoryStore::new());
    let ledger = PaymentLedger::new(clock(), LedgerPolicy::default());
    ledger
        .open_series(ReceiptSeries::new(OFFICE, SERIES, signer(9)).unwrap())
        .unwrap();
    let q = passport();
    ledger.register_quote("APP-1", q.clone()).unwrap();
    sqlite.register_quote("APP-1", q.clone()).unwrap();
    memory.register_quote("APP-1", q.clone()).unwrap();

    let requests = [
        cash("k1", "100", &q),
        mpesa("k2", "QK1", "150", &q),
        cash("k3", "80", &q),
    ];
    for r in &requests {
        let a = ledger.pay(r).unwrap();
        assert_eq!(sqlite.pay(r).unwrap(), a);
        assert_eq!(memory.pay(r).unwrap(), a);
    }
    // A retry returns the original; a conflicting one is refused the same way everywhere.
    assert_eq!(
        sqlite.pay(&requests[1]).unwrap(),
        ledger.pay(&requests[1]).unwrap()
    );
    let conflict = cash("k1", "101", &q);
    assert_eq!(
        sqlite.pay(&conflict).unwrap_err(),
        ledger.pay(&conflict).unwrap_err()
    );
    let dup_ref = mpesa("k9", "QK1", "5", &q);
    assert_eq!(
        sqlite.pay(&dup_ref).unwrap_err(),
        ledger.pay(&dup_ref).unwrap_err()
    );
    assert_eq!(
        sqlite.balance("APP-1").unwrap(),
        ledger.balance("APP-1").unwrap()
    );

    let void = ledger
        .void_number(OFFICE, "cashier-7", "printer jam")
        .unwrap();
    assert_eq!(
        sqlite
            .void_number(OFFICE, "cashier-7", "printer jam")
            .unwrap(),
        void
    );
    assert_eq!(
        memory
            .void_number(OFFICE, "cashier-7", "printer jam")
            .unwrap(),
        void
    );

    let receipt = "MSU/2026/1";
    let a = ledger
        .request_refund(receipt, lsl("30"), "withdrawn", "cashier-7")
        .unwrap();
    let b = sqlite
        .request_refund(receipt, lsl("30"), "withdrawn", "cashier-7")
        .unwrap();
    assert_eq!(a, b);
    assert_eq!(
        sqlite.approve_refund(&b.id, "cashier-7").unwrap_err(),
        ledger.approve_refund(&a.id, "cashier-7").unwrap_err()
    );
    let note = ledger.approve_refund(&a.id, "supervisor-2").unwrap();
    assert_eq!(sqlite.approve_refund(&b.id, "supervisor-2").unwrap(), note);
    assert_eq!(
        sqlite.refundable(receipt).unwrap(),
        ledger.refundable(receipt).unwrap()
    );
    assert_eq!(sqlite.refund_requests().unwrap(), ledger.refund_requests());
    assert_eq!(sqlite.payments().unwrap(), ledger.payments());
    assert_eq!(
        sqlite.receipts(OFFICE).unwrap(),
        ledger.receipts(OFFICE).unwrap()
    );
    assert_eq!(sqlite.head(OFFICE).unwrap(), ledger.head(OFFICE).unwrap());
    assert_eq!(
        sqlite.balance("APP-1").unwrap(),
        ledger.balance("APP-1").unwrap()
    );

    let catalogue = Catalogue::lesotho().unwrap();
    let today = clock().today();
    assert_eq!(
        sqlite.z_report(OFFICE, today, &catalogue).unwrap(),
        ledger.z_report(OFFICE, today, &catalogue).unwrap()
    );
    // Every change has its audit entry: 3 payments, a void, a refund request and approval.
    let log = sqlite.audit_log().unwrap();
    let actions: Vec<&str> = log.entries().iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "pay",
            "pay",
            "pay",
            "void_number",
            "request_refund",
            "approve_refund"
        ]
    );
    sqlite.verify_audit().unwrap();
    assert!(sqlite
        .audit_series(OFFICE, &test_verifier())
        .unwrap()
        .is_ok());
}

#[test]
fn records_survive_reopening_and_numbering_continues() {
    let db = TempDb::new("reopen");
    let q = passport();
    let first = {
        let r = open(db.path());
        r.register_quote("APP-1", q.clone()).unwrap();
        r.pay(&cash("k1", "100", &q)).unwrap()
    };
    let r = open(db.path());
    assert_eq!(r.store().schema_version().unwrap(), SCHEMA_VERSION);
    // A retry after a restart is the original payment.
    assert_eq!(r.pay(&cash("k1", "100", &q)).unwrap(), first);
    let second = r.pay(&cash("k2", "50", &q)).unwrap();
    assert_eq!(second.receipt.receipt.number, 2);
    assert_eq!(
        second.receipt.receipt.prev,
        Some(first.receipt.hash.clone())
    );
    assert_eq!(r.balance("APP-1").unwrap().paid.to_string(), "M 150.00");
    assert_eq!(r.payments().unwrap().len(), 2);
    // The series name is kept; another name for the office is refused.
    let other = Registry::new(
        SqliteStore::open(db.path()).unwrap(),
        LOG,
        clock(),
        LedgerPolicy::default(),
    )
    .unwrap();
    assert_eq!(
        other
            .open_series(OFFICE, "2027", signer(9))
            .unwrap_err()
            .code(),
        "series_mismatch"
    );
    assert_eq!(
        r.open_series(OFFICE, SERIES, signer(9)).unwrap_err().code(),
        "series_already_open"
    );
}

#[test]
fn a_failed_operation_writes_nothing() {
    let db = TempDb::new("atomic");
    let r = open(db.path());
    let q = passport();
    r.register_quote("APP-1", q.clone()).unwrap();
    // The actor passes the payment rules but not the audit log's (surrounding spaces): the
    // receipt was issued inside the transaction, and is rolled back with it.
    let mut bad = cash("k1", "100", &q);
    bad.actor = "cashier-7 ".into();
    assert_eq!(r.pay(&bad).unwrap_err().code(), "invalid_actor");
    assert_eq!(r.head(OFFICE).unwrap(), None);
    assert!(r.payments().unwrap().is_empty());
    assert!(r.audit_log().unwrap().is_empty());
    assert!(r.balance("APP-1").unwrap().paid.is_zero());
    // The key was not used up, and number 1 is still free.
    let ok = r.pay(&cash("k1", "100", &q)).unwrap();
    assert_eq!(ok.receipt.receipt.number, 1);
}

#[test]
fn a_newer_schema_is_refused_never_downgraded() {
    let db = TempDb::new("newer");
    drop(SqliteStore::open(db.path()).unwrap());
    {
        let conn = rusqlite::Connection::open(db.path()).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let err = SqliteStore::open(db.path()).unwrap_err();
    assert_eq!(
        err,
        Error::StoreTooNew {
            path: db.path().display().to_string(),
            found: SCHEMA_VERSION + 1,
            supported: SCHEMA_VERSION,
        }
    );
    assert_eq!(err.code(), "store_too_new");
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    let v: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION + 1, "the file is left as it was");
}

#[test]
fn foreign_and_damaged_files_are_refused() {
    let db = TempDb::new("foreign");
    {
        let conn = rusqlite::Connection::open(db.path()).unwrap();
        conn.execute_batch("CREATE TABLE notes (text TEXT)")
            .unwrap();
    }
    assert_eq!(
        SqliteStore::open(db.path()).unwrap_err().code(),
        "store_foreign"
    );
    let junk = TempDb::new("junk");
    std::fs::write(junk.path(), vec![0x42u8; 8192]).unwrap();
    assert_eq!(
        SqliteStore::open(junk.path()).unwrap_err().code(),
        "store_corrupt"
    );
    let missing = std::env::temp_dir().join("eservices-no-such-dir/x/store.db");
    assert_eq!(
        SqliteStore::open(missing).unwrap_err().code(),
        "store_failed"
    );
}

#[test]
fn a_held_lock_is_store_busy_after_the_timeout() {
    let db = TempDb::new("busy");
    let options = StoreOptions {
        busy_timeout: Duration::from_millis(100),
    };
    let r = open_with(db.path(), options);
    let q = passport();
    r.register_quote("APP-1", q.clone()).unwrap();
    let other = rusqlite::Connection::open(db.path()).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let err = r.pay(&cash("k1", "100", &q)).unwrap_err();
    assert_eq!(
        err,
        Error::StoreBusy {
            operation: "begin a write".into()
        }
    );
    // Reads still work under WAL while another connection writes.
    assert!(r.payments().unwrap().is_empty());
    other.execute_batch("ROLLBACK").unwrap();
    r.pay(&cash("k1", "100", &q)).unwrap();
}

#[test]
fn unique_constraints_back_the_rules() {
    let db = TempDb::new("unique");
    let r = open(db.path());
    let q = passport();
    r.register_quote("APP-1", q.clone()).unwrap();
    r.pay(&mpesa("k1", "QK1", "100", &q)).unwrap();
    let void = r.void_number(OFFICE, "cashier-7", "jam").unwrap();
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    // A second row with the same idempotency key, or the same channel reference, cannot be
    // written even by SQL that bypasses the library's checks.
    let copy = |key: &str, reference: &str| {
        conn.execute(
            "INSERT INTO payments SELECT seq + 1, ?1, office, application, quote_id, channel, \
             ?2, amount, currency, actor, service, credited, credited_currency, time, ?3 \
             FROM payments WHERE seq = 1",
            [key, reference, void.id()],
        )
        .unwrap_err()
        .to_string()
    };
    let e = copy("k1", "QK2");
    assert!(e.contains("payments.idempotency_key"), "{e}");
    assert!(copy("k2", "QK1").contains("payments.channel, payments.external_reference"));
}

#[test]
fn clerk_queries_applications_and_their_audit() {
    let db = TempDb::new("apps");
    let r = open(db.path());
    let citizen = Actor::new("citizen-1", Role::Applicant, "online").unwrap();
    let clerk = Actor::new("officer-1", Role::Clerk, "MSU").unwrap();
    let new = |n: u32, office: &str| NewApplication {
        reference: ApplicationRef::new(office, "PSP", 2026, n).unwrap(),
        service_id: "home-affairs.passport.ordinary".into(),
        applicant_id: "citizen-1".into(),
        fee: Fee::new(PaymentDue::OnApproval, Decimal::new(30000, 2), "LSL").unwrap(),
        answers: Default::default(),
        attachments: vec![],
    };
    let a1 = r.create_application(new(1, "MSU"), &citizen).unwrap();
    r.create_application(new(2, "MSU"), &citizen).unwrap();
    r.create_application(new(3, "LRB"), &citizen).unwrap();
    assert_eq!(
        r.create_application(new(1, "MSU"), &citizen)
            .unwrap_err()
            .code(),
        "application_exists"
    );
    let reference = a1.reference().to_string();
    let withdrawn = r
        .update_application(&reference, |app, log, clock| {
            app.withdraw(&citizen, None, log, clock)
        })
        .unwrap();
    assert_eq!(withdrawn.state(), State::Withdrawn);
    // A refused transition stores nothing and appends nothing.
    let before = r.audit_log().unwrap().len();
    let err = r
        .update_application(&new(2, "MSU").reference.to_string(), |app, log, clock| {
            app.take_into_review(&clerk, log, clock)
        })
        .unwrap_err();
    assert_eq!(err.code(), "transition_refused");
    assert_eq!(r.audit_log().unwrap().len(), before);

    // Reopen: the clerk's queries.
    drop(r);
    let r = open(db.path());
    assert_eq!(r.application(&reference).unwrap(), withdrawn);
    // References are read like the parser reads them (lower case, spaces).
    assert_eq!(
        r.application(&format!(" {} ", reference.to_lowercase()))
            .unwrap()
            .state(),
        State::Withdrawn
    );
    let drafts = r.applications_in("MSU", State::Draft).unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].reference().sequence(), 2);
    assert_eq!(r.applications_in("LRB", State::Draft).unwrap().len(), 1);
    assert!(r
        .applications_in("MSU", State::Submitted)
        .unwrap()
        .is_empty());
    let missing = ApplicationRef::new("MSU", "PSP", 2026, 9)
        .unwrap()
        .to_string();
    assert_eq!(
        r.application(&missing).unwrap_err(),
        Error::ApplicationNotFound { reference: missing }
    );
    r.verify_audit().unwrap();
    let log = r.audit_log().unwrap();
    withdrawn.check_recorded_in(&log).unwrap();
    assert_eq!(log.len(), 4); // three creates and a withdrawal
}

#[test]
fn receipts_of_a_day_and_the_day_end_report() {
    let db = TempDb::new("day");
    let q = passport();
    let clock = TestClock::at("2026-03-02T21:30:00Z"); // 23:30 in Maseru
    let r = Registry::new(
        SqliteStore::open(db.path()).unwrap(),
        LOG,
        clock.clone(),
        LedgerPolicy::default(),
    )
    .unwrap();
    r.open_series(OFFICE, SERIES, signer(9)).unwrap();
    r.register_quote("APP-1", q.clone()).unwrap();
    r.pay(&cash("k1", "100", &q)).unwrap();
    clock.advance(chrono::Duration::hours(1)); // the next day in Maseru
    r.pay(&cash("k2", "50", &q)).unwrap();
    r.void_number(OFFICE, "cashier-7", "jam").unwrap();
    let day1 = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let day2 = day1.succ_opt().unwrap();
    let numbers = |day| -> Vec<u64> {
        r.receipts_of_day(OFFICE, day)
            .unwrap()
            .iter()
            .map(|x| x.receipt.number)
            .collect()
    };
    assert_eq!(numbers(day1), [1]);
    assert_eq!(numbers(day2), [2, 3]);
    let catalogue = Catalogue::lesotho().unwrap();
    let z = r.z_report(OFFICE, day2, &catalogue).unwrap();
    assert_eq!(
        (z.count, z.first_number, z.last_number),
        (2, Some(2), Some(3))
    );
    assert_eq!(z.voids, [3]);
    assert_eq!(
        z.payments.total.get(eservices::money::Currency::Lsl),
        lsl("50")
    );
}

/// Rows edited with SQL outside the library: the append-only triggers refuse the edit;
/// with the triggers dropped, verification finds it.
#[test]
fn rows_edited_with_sql_are_caught() {
    let db = TempDb::new("tamper");
    let r = open(db.path());
    let q = passport();
    r.register_quote("APP-1", q.clone()).unwrap();
    for n in 1..=3 {
        r.pay(&cash(&format!("k{n}"), "10", &q)).unwrap();
    }
    let citizen = Actor::new("citizen-1", Role::Applicant, "online").unwrap();
    let reference = ApplicationRef::new("MSU", "PSP", 2026, 1).unwrap();
    r.create_application(
        NewApplication {
            reference: reference.clone(),
            service_id: "home-affairs.passport.ordinary".into(),
            applicant_id: "citizen-1".into(),
            fee: Fee::new(PaymentDue::OnApproval, Decimal::new(30000, 2), "LSL").unwrap(),
            answers: Default::default(),
            attachments: vec![],
        },
        &citizen,
    )
    .unwrap();
    let v = test_verifier();
    assert!(r.audit_series(OFFICE, &v).unwrap().is_ok());
    r.verify_audit().unwrap();

    let conn = rusqlite::Connection::open(db.path()).unwrap();
    let edit_receipt =
        "UPDATE receipts SET json = replace(json, '\"10.00\"', '\"1.00\"') WHERE number = 2";
    let refused = conn.execute(edit_receipt, []).unwrap_err().to_string();
    assert!(refused.contains("append-only"), "{refused}");
    conn.execute_batch(
        "DROP TRIGGER receipts_no_update; DROP TRIGGER payments_no_update; \
         DROP TRIGGER audit_no_update;",
    )
    .unwrap();

    // A receipt's amount: the series audit names the entry.
    assert_eq!(conn.execute(edit_receipt, []).unwrap(), 1);
    let report = r.audit_series(OFFICE, &v).unwrap();
    let problem = report.problem.unwrap();
    assert_eq!((problem.index, problem.number), (1, Some(2)));
    assert_eq!(problem.kind, ProblemKind::EditedContent);

    // A payment row's amount: it no longer matches its signed receipt.
    conn.execute("UPDATE payments SET amount = '1.00' WHERE seq = 3", [])
        .unwrap();
    let err = r.payments().unwrap_err();
    assert_eq!(err.code(), "store_record_invalid");
    assert!(err.to_string().contains("amount"), "{err}");

    // An audit entry: verification gives its index.
    conn.execute(
        "UPDATE audit SET json = replace(json, 'cashier-7', 'cashier-8') WHERE seq = 1",
        [],
    )
    .unwrap();
    assert_eq!(
        r.verify_audit().unwrap_err(),
        Error::AuditLogTampered {
            index: 1,
            kind: TamperKind::Edited
        }
    );

    // An application row whose state column was moved: the query refuses it.
    conn.execute("UPDATE applications SET state = 'submitted'", [])
        .unwrap();
    assert_eq!(
        r.applications_in("MSU", State::Submitted)
            .unwrap_err()
            .code(),
        "store_record_invalid"
    );

    // A quote's total: its id no longer matches its content.
    conn.execute(
        "UPDATE quotes SET json = replace(json, '\"300.00\"', '\"3.00\"')",
        [],
    )
    .unwrap();
    assert_eq!(
        r.balance("APP-1").unwrap_err().code(),
        "store_record_invalid"
    );
}

#[test]
fn the_memory_store_rolls_back_a_failed_transaction() {
    let store = MemoryStore::new();
    let r = attach(store);
    let q = passport();
    r.register_quote("APP-1", q.clone()).unwrap();
    let mut bad = cash("k1", "100", &q);
    bad.actor = " cashier-7".into();
    assert!(r.pay(&bad).is_err());
    assert_eq!(r.head(OFFICE).unwrap(), None);
    assert!(r.store().read(|x| x.payment_count()).unwrap() == 0);
    assert_eq!(
        r.pay(&cash("k1", "100", &q))
            .unwrap()
            .receipt
            .receipt
            .number,
        1
    );
    let _: Money = r.refundable("MSU/2026/1").unwrap();
}
