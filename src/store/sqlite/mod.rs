//! The SQLite store: one database file, WAL, `synchronous=FULL`, `BEGIN IMMEDIATE`.

mod records;
mod schema;

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, TransactionBehavior};

use super::{Records, Store};
use crate::{Error, Result};
use records::SqliteRecords;
use schema::{APPLICATION_ID, MIGRATIONS};

/// The schema version this library writes (`PRAGMA user_version` of its databases).
/// Opening a database of a higher version is [`Error::StoreTooNew`].
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// How a [`SqliteStore`] is opened.
///
/// ```
/// use eservices::store::StoreOptions;
/// assert_eq!(StoreOptions::default().busy_timeout.as_secs(), 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    /// How long a transaction waits for another connection (thread or process) to release
    /// the database before it fails with [`Error::StoreBusy`].
    pub busy_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// Records in an SQLite database file.
///
/// Opening sets WAL mode, `synchronous=FULL` (a commit is on disk before it returns: every
/// write of this store records money, receipts or the audit log), foreign keys and the busy
/// timeout, then runs the schema migrations the file lacks, in one transaction. Each
/// [`Store::write`] is one `BEGIN IMMEDIATE` transaction: it takes the database's write lock
/// before reading, so writers in several threads or processes are serialised and each sees
/// the last commit (receipt numbers stay gapless and unique). A store is `Send + Sync`; its
/// connection is used by one thread at a time. Open one store per process (or several: they
/// coordinate through the file).
///
/// ```
/// use eservices::store::{SqliteStore, Store, SCHEMA_VERSION};
/// let path = std::env::temp_dir().join(format!("eservices-doc-{}.db", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let store = SqliteStore::open(&path)?;
/// assert_eq!(store.schema_version()?, SCHEMA_VERSION);
/// assert!(store.read(|r| r.series("MSU"))?.is_none());
/// # drop(store);
/// # for ext in ["", "-wal", "-shm"] { let _ = std::fs::remove_file(format!("{}{ext}", path.display())); }
/// # Ok::<(), eservices::Error>(())
/// ```
pub struct SqliteStore {
    conn: Mutex<Connection>,
    path: String,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `path` with the default options.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore> {
        SqliteStore::open_with(path, StoreOptions::default())
    }

    /// Opens (creating if needed) the store at `path`. Errors: [`Error::StoreTooNew`] for a
    /// database of a newer schema, [`Error::StoreForeign`] for another application's
    /// database, [`Error::StoreCorrupt`] for a file that is not a database,
    /// [`Error::StoreFailed`] when the file cannot be opened, [`Error::StoreBusy`].
    pub fn open_with(path: impl AsRef<Path>, options: StoreOptions) -> Result<SqliteStore> {
        let path_text = path.as_ref().display().to_string();
        let mut conn = Connection::open(path.as_ref()).map_err(|e| db_error(e, "open"))?;
        conn.busy_timeout(options.busy_timeout)
            .map_err(|e| db_error(e, "set the busy timeout"))?;
        // Any read of a file that is not a database fails here, before anything is changed.
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(|e| db_error(e, "open"))?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            .map_err(|e| db_error(e, "set WAL mode"))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(|e| db_error(e, "set synchronous"))?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(|e| db_error(e, "enable foreign keys"))?;
        migrate(&mut conn, &path_text)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            path: path_text,
        })
    }

    /// The database file.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The file's schema version.
    pub fn schema_version(&self) -> Result<u32> {
        let conn = self.lock();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| db_error(e, "read the schema version"))?;
        u32::try_from(v).map_err(|_| Error::StoreForeign {
            path: self.path.clone(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic inside a transaction drops (rolls back) the transaction, so the
        // connection behind a poisoned lock is usable.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Store for SqliteStore {
    fn write<T>(&self, f: impl FnOnce(&mut dyn Records) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| db_error(e, "begin a write"))?;
        // On an error, `tx` is dropped here, which rolls it back.
        let out = f(&mut SqliteRecords::new(&tx))?;
        tx.commit().map_err(|e| db_error(e, "commit"))?;
        Ok(out)
    }

    fn read<T>(&self, f: impl FnOnce(&dyn Records) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(|e| db_error(e, "begin a read"))?;
        f(&SqliteRecords::new(&tx))
    }
}

/// Brings the file to [`SCHEMA_VERSION`], in one transaction.
fn migrate(conn: &mut Connection, path: &str) -> Result<()> {
    let op = "migrate the schema";
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| db_error(e, op))?;
    let get = |sql: &str| -> Result<i64> {
        tx.query_row(sql, [], |r| r.get(0))
            .map_err(|e| db_error(e, op))
    };
    let version = get("PRAGMA user_version")?;
    let app_id = get("PRAGMA application_id")?;
    let objects = get("SELECT count(*) FROM sqlite_schema")?;
    let foreign = || Error::StoreForeign { path: path.into() };
    if app_id != APPLICATION_ID && (app_id != 0 || objects > 0) {
        return Err(foreign());
    }
    let found = u32::try_from(version).map_err(|_| foreign())?;
    if found > SCHEMA_VERSION {
        return Err(Error::StoreTooNew {
            path: path.into(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    for migration in MIGRATIONS.iter().skip(found as usize) {
        tx.execute_batch(migration).map_err(|e| db_error(e, op))?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(|e| db_error(e, op))?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(|e| db_error(e, op))?;
    tx.commit().map_err(|e| db_error(e, op))
}

/// The crate error for an SQLite error during `operation`. Messages are SQLite's own short
/// descriptions (a constraint names its table and column); no SQL text, no values.
pub(super) fn db_error(e: rusqlite::Error, operation: &str) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(f, msg) => {
            let reason = msg.unwrap_or_else(|| f.to_string());
            match f.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Error::StoreBusy {
                    operation: operation.into(),
                },
                ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => Error::StoreCorrupt {
                    operation: operation.into(),
                    reason,
                },
                ErrorCode::ConstraintViolation => Error::StoreConstraint { constraint: reason },
                _ => Error::StoreFailed {
                    operation: operation.into(),
                    reason,
                },
            }
        }
        other => Error::StoreFailed {
            operation: operation.into(),
            reason: other.to_string(),
        },
    }
}
