//! Shared fixtures for the store tests: temporary database files, a registry over SQLite,
//! and the child-process mode of the crash and concurrency tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use eservices::catalogue::{Answers, Catalogue};
use eservices::fees::Quote;
use eservices::payment::LedgerPolicy;
use eservices::store::{Registry, SqliteStore, Store, StoreOptions};
use eservices::{Clock, Error, FixedClock};

use super::ledger_fixture::{signer, OFFICE, SERIES};

pub const LOG: &str = "MSU-2026";
pub const NOW: &str = "2026-03-02T08:00:00Z";

/// A fresh database path under the temp dir, removed (with its WAL files) on drop.
pub struct TempDb(pub PathBuf);

impl TempDb {
    pub fn new(name: &str) -> TempDb {
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!(
            "eservices-test-{}-{name}-{n}.db",
            std::process::id()
        ));
        remove(&path);
        TempDb(path)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

fn remove(path: &Path) {
    for ext in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        remove(&self.0);
    }
}

pub fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::parse(NOW).unwrap())
}

/// A registry over the SQLite file at `path`, with the MSU series attached (key seed 9).
pub fn open(path: &Path) -> Registry<SqliteStore> {
    open_with(path, StoreOptions::default())
}

pub fn open_with(path: &Path, options: StoreOptions) -> Registry<SqliteStore> {
    let store = SqliteStore::open_with(path, options).unwrap();
    attach(store)
}

pub fn attach<S: Store>(store: S) -> Registry<S> {
    let registry = Registry::new(store, LOG, clock(), LedgerPolicy::default()).unwrap();
    registry.open_series(OFFICE, SERIES, signer(9)).unwrap();
    registry
}

/// The ordinary passport, 64 pages (M 300.00), quoted today.
pub fn passport() -> Quote {
    let answers: Answers = [("pages".to_string(), "64".to_string())].into();
    Catalogue::lesotho()
        .unwrap()
        .quote(
            "home-affairs.passport.ordinary",
            &answers,
            "general",
            clock().today(),
        )
        .unwrap()
}

/// Runs `f` again while the store reports it busy.
pub fn retry_busy<T>(mut f: impl FnMut() -> eservices::Result<T>) -> eservices::Result<T> {
    loop {
        match f() {
            Err(Error::StoreBusy { .. }) => std::thread::yield_now(),
            other => return other,
        }
    }
}
