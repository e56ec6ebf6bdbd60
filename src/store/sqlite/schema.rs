//! The versioned schema. Migration *n* takes a database from version *n − 1* to *n*
//! (`PRAGMA user_version`); they run in order on open, in one transaction. Released
//! migrations are never edited: a change is a new migration.

/// `PRAGMA application_id` of an eservices store: `LSES` in ASCII.
pub(super) const APPLICATION_ID: i64 = 0x4C53_4553;

/// The migrations, oldest first; the schema version is their count.
pub(super) const MIGRATIONS: &[&str] = &[V1];

/// Version 1: series and receipts, quotes, payments, refunds, the audit log, applications.
/// Receipts, payments and audit entries are append-only (triggers refuse UPDATE and
/// DELETE); idempotency keys and (channel, external reference) are UNIQUE.
const V1: &str = r#"
CREATE TABLE series (
    office      TEXT PRIMARY KEY,
    series      TEXT NOT NULL,
    head_number INTEGER CHECK (head_number >= 1),
    head_hash   TEXT,
    CHECK ((head_number IS NULL) = (head_hash IS NULL))
) STRICT;

CREATE TABLE receipts (
    office TEXT NOT NULL REFERENCES series (office),
    number INTEGER NOT NULL CHECK (number >= 1),
    id     TEXT NOT NULL UNIQUE,
    day    TEXT NOT NULL,
    json   TEXT NOT NULL,
    PRIMARY KEY (office, number)
) STRICT;
CREATE INDEX receipts_by_day ON receipts (office, day, number);

CREATE TABLE quote_accounts (
    application TEXT PRIMARY KEY,
    current     TEXT NOT NULL,
    currency    TEXT NOT NULL,
    paid        TEXT NOT NULL
) STRICT;

CREATE TABLE quotes (
    application   TEXT NOT NULL REFERENCES quote_accounts (application),
    quote_id      TEXT NOT NULL,
    json          TEXT NOT NULL,
    superseded_by TEXT,
    PRIMARY KEY (application, quote_id)
) STRICT;

CREATE TABLE payments (
    seq                INTEGER PRIMARY KEY CHECK (seq >= 1),
    idempotency_key    TEXT NOT NULL UNIQUE,
    office             TEXT NOT NULL,
    application        TEXT NOT NULL,
    quote_id           TEXT NOT NULL,
    channel            TEXT NOT NULL,
    external_reference TEXT,
    amount             TEXT NOT NULL,
    currency           TEXT NOT NULL,
    actor              TEXT NOT NULL,
    service            TEXT NOT NULL,
    credited           TEXT NOT NULL,
    credited_currency  TEXT NOT NULL,
    time               TEXT NOT NULL,
    receipt            TEXT NOT NULL UNIQUE REFERENCES receipts (id),
    UNIQUE (channel, external_reference)
) STRICT;

CREATE TABLE refunded (
    receipt  TEXT PRIMARY KEY REFERENCES payments (receipt),
    amount   TEXT NOT NULL,
    currency TEXT NOT NULL
) STRICT;

CREATE TABLE refunds (
    n            INTEGER PRIMARY KEY CHECK (n >= 1),
    id           TEXT NOT NULL UNIQUE,
    receipt      TEXT NOT NULL REFERENCES payments (receipt),
    amount       TEXT NOT NULL,
    currency     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    time         TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'declined')),
    decided_by   TEXT,
    credit_note  TEXT REFERENCES receipts (id)
) STRICT;

CREATE TABLE audit (
    log_id TEXT NOT NULL,
    seq    INTEGER NOT NULL CHECK (seq >= 0),
    json   TEXT NOT NULL,
    PRIMARY KEY (log_id, seq)
) STRICT;

CREATE TABLE applications (
    reference TEXT PRIMARY KEY,
    office    TEXT NOT NULL,
    state     TEXT NOT NULL,
    json      TEXT NOT NULL
) STRICT;
CREATE INDEX applications_by_state ON applications (office, state, reference);

CREATE TRIGGER receipts_no_update BEFORE UPDATE ON receipts
    BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
CREATE TRIGGER receipts_no_delete BEFORE DELETE ON receipts
    BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
    BEGIN SELECT RAISE(ABORT, 'payments are append-only'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
    BEGIN SELECT RAISE(ABORT, 'payments are append-only'); END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"#;
