//! Status lists: revocation without revealing which document is being checked.
//!
//! A status list is a signed envelope of type [`STATUS_LIST_TYPE`] whose payload is a
//! bitstring of at least [`MIN_SIZE`] entries (so fetching it says nothing about which
//! document is of interest). Bit `i` is bit `7 - i % 8` of byte `i / 8` (most significant bit
//! first); 1 means revoked. The bitstring travels as base64url of its zlib compression.
//!
//! [`StatusListManager`] is the issuing side: it hands out random unused indexes, records
//! revocations and publishes signed lists.
//!
//! ```
//! use std::sync::Arc;
//! use eservices::document::{Issuer, SoftwareSigner};
//! use eservices::status::{StatusList, StatusListManager};
//! use eservices::FixedClock;
//!
//! let issuer = Issuer::new(
//!     Arc::new(SoftwareSigner::ed25519_from_seed(&[2; 32])?),
//!     Arc::new(FixedClock::parse("2026-03-01T09:30:00Z")?),
//! )?;
//! let mut manager = StatusListManager::new("home-affairs-1", 131_072)?;
//! let entry = manager.allocate()?;
//! manager.revoke(entry.index)?;
//! let until = eservices::document::parse_time("2026-03-08T09:30:00Z")?;
//! let signed = manager.publish(&issuer, until)?;
//! let list = StatusList::from_payload(signed.envelope.payload())?;
//! assert_eq!(list.is_revoked(entry.index), Some(true));
//! # Ok::<(), eservices::Error>(())
//! ```

use chrono::{DateTime, Duration, Utc};
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::{Map, Value};

use crate::document::members::{malformed, Members};
use crate::document::{
    check_id, decode_b64url, encode_b64url, format_time, zlib, IssuedDocument, Issuer, StatusEntry,
};
use crate::verify::{earlier, later};
use crate::{Error, Result};

/// The document type of a status list.
pub const STATUS_LIST_TYPE: &str = "ls.gov.eservices.status-list";

/// Fewest entries a status list may have (131,072 = 16 KiB of bits), for herd privacy.
pub const MIN_SIZE: u64 = 131_072;

/// Most entries a status list may have (2^23 = 1 MiB of bits).
pub const MAX_SIZE: u64 = 1 << 23;

fn check_size(size: u64) -> Result<usize> {
    if !(MIN_SIZE..=MAX_SIZE).contains(&size) || size % 8 != 0 {
        return Err(Error::InvalidStatusListSize {
            size,
            min: MIN_SIZE,
            max: MAX_SIZE,
        });
    }
    usize::try_from(size / 8).map_err(|_| Error::InvalidStatusListSize {
        size,
        min: MIN_SIZE,
        max: MAX_SIZE,
    })
}

/// Bit `index` of `bits`, most significant bit first; `None` beyond the end.
fn get_bit(bits: &[u8], index: u64) -> Option<bool> {
    let byte = bits.get(usize::try_from(index / 8).ok()?)?;
    Some(byte & (0x80 >> (index % 8)) != 0)
}

/// Sets bit `index`; `false` if it is beyond the end.
fn set_bit(bits: &mut [u8], index: u64) -> bool {
    match usize::try_from(index / 8)
        .ok()
        .and_then(|i| bits.get_mut(i))
    {
        Some(byte) => {
            *byte |= 0x80 >> (index % 8);
            true
        }
        None => false,
    }
}

/// The content of a verified (or about to be signed) status list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    list: String,
    size: u64,
    bits: Vec<u8>,
    valid_until: DateTime<Utc>,
}

impl StatusList {
    /// The list id.
    pub fn list_id(&self) -> &str {
        &self.list
    }

    /// Number of entries.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// After this instant the list must not be relied on.
    pub fn valid_until(&self) -> DateTime<Utc> {
        self.valid_until
    }

    /// Whether entry `index` is revoked; `None` if the index is beyond the list.
    pub fn is_revoked(&self, index: u64) -> Option<bool> {
        if index >= self.size {
            return None;
        }
        get_bit(&self.bits, index)
    }

    /// Whether entry `index` is revoked at `now`, for a list signed at `iat` (expiring at
    /// `exp`, if given) — or why that cannot be said: the list is issued in the future, is past
    /// its `valid_until` or expiry, is older than `max_age`, or has no entry `index`. Instants
    /// are compared with `skew` of tolerance either way. Both verifiers (documents and
    /// credentials) decide revocation through this one function.
    pub(crate) fn revocation_at(
        &self,
        index: u64,
        signed: (DateTime<Utc>, Option<DateTime<Utc>>),
        now: DateTime<Utc>,
        skew: Duration,
        max_age: Option<Duration>,
    ) -> std::result::Result<bool, String> {
        let (iat, exp) = signed;
        let list = &self.list;
        if iat > later(now, skew) {
            return Err(format!("status list {list:?} is issued in the future"));
        }
        if earlier(now, skew) >= self.valid_until {
            return Err(format!(
                "status list {list:?} was valid until {}",
                format_time(&self.valid_until)
            ));
        }
        if let Some(exp) = exp {
            if earlier(now, skew) >= exp {
                return Err(format!(
                    "status list {list:?} expired at {}",
                    format_time(&exp)
                ));
            }
        }
        if let Some(max_age) = max_age {
            if later(iat, max_age) < now {
                return Err(format!(
                    "status list {list:?} of {} is older than the allowed age",
                    format_time(&iat)
                ));
            }
        }
        self.is_revoked(index).ok_or_else(|| {
            format!(
                "index {index} is beyond status list {list:?} of {} entries",
                self.size
            )
        })
    }

    /// Reads a list from an envelope payload: `list`, `bits`, `size`, `valid_until`, nothing
    /// else; `bits` must inflate to exactly `size / 8` bytes.
    pub fn from_payload(payload: &Map<String, Value>) -> Result<StatusList> {
        let mut m = Members::new("$.payload", payload.clone());
        m.deny_unknown(&["list", "bits", "size", "valid_until"])?;
        let list = m.string("list")?;
        check_id("$.payload.list", &list)?;
        let size = m.unsigned("size")?;
        let len = check_size(size).map_err(|e| malformed("$.payload.size", e.to_string()))?;
        let compressed = decode_b64url("$.payload.bits", &m.string("bits")?)?;
        let bits =
            zlib::inflate_bounded(&compressed, len).map_err(|e| malformed("$.payload.bits", e))?;
        if bits.len() != len {
            return Err(malformed(
                "$.payload.bits",
                format!("inflates to {} bytes; size {size} needs {len}", bits.len()),
            ));
        }
        let valid_until = m.time("valid_until")?;
        Ok(StatusList {
            list,
            size,
            bits,
            valid_until,
        })
    }

    /// The list as an envelope payload.
    pub fn to_payload(&self) -> Result<Map<String, Value>> {
        let compressed = zlib::compress(&self.bits).map_err(|e| Error::MalformedEnvelope {
            path: "$.payload.bits".into(),
            reason: format!("compression failed: {e}"),
        })?;
        let mut m = Map::new();
        m.insert("list".into(), Value::from(self.list.clone()));
        m.insert("bits".into(), Value::from(encode_b64url(&compressed)));
        m.insert("size".into(), Value::from(self.size));
        m.insert(
            "valid_until".into(),
            Value::from(format_time(&self.valid_until)),
        );
        Ok(m)
    }
}

/// The issuing side of one status list: allocates random unused indexes, revokes, publishes.
///
/// The manager's state ([`allocated_bits`](Self::allocated_bits),
/// [`revoked_bits`](Self::revoked_bits)) must be persisted by the caller and brought back with
/// [`restore`](Self::restore).
pub struct StatusListManager {
    list: String,
    size: u64,
    allocated: Vec<u8>,
    revoked: Vec<u8>,
    free: u64,
    rng: SystemRandom,
}

impl StatusListManager {
    /// An empty list of `size` entries (a multiple of 8 in [`MIN_SIZE`]..=[`MAX_SIZE`]).
    pub fn new(list: &str, size: u64) -> Result<StatusListManager> {
        let len = check_size(size)?;
        Self::restore(list, size, vec![0; len], vec![0; len])
    }

    /// Brings back a persisted list. Every revoked index must be allocated.
    pub fn restore(
        list: &str,
        size: u64,
        allocated: Vec<u8>,
        revoked: Vec<u8>,
    ) -> Result<StatusListManager> {
        check_id("$.payload.list", list)?;
        let len = check_size(size)?;
        if allocated.len() != len || revoked.len() != len {
            return Err(malformed(
                "$.payload.bits",
                format!("bitstrings must be {len} bytes for size {size}"),
            ));
        }
        if allocated.iter().zip(&revoked).any(|(a, r)| r & !a != 0) {
            return Err(malformed(
                "$.payload.bits",
                "a revoked index was never allocated",
            ));
        }
        let used: u64 = allocated.iter().map(|b| u64::from(b.count_ones())).sum();
        Ok(StatusListManager {
            list: list.into(),
            size,
            allocated,
            revoked,
            free: size.saturating_sub(used),
            rng: SystemRandom::new(),
        })
    }

    /// The list id.
    pub fn list_id(&self) -> &str {
        &self.list
    }

    /// Number of entries.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Which indexes are allocated (bit order as the published list).
    pub fn allocated_bits(&self) -> &[u8] {
        &self.allocated
    }

    /// Which indexes are revoked (bit order as the published list).
    pub fn revoked_bits(&self) -> &[u8] {
        &self.revoked
    }

    /// A uniformly random number below `bound` (> 0) from the system generator.
    fn random_below(&self, bound: u64) -> Result<u64> {
        let zone = u64::MAX - (u64::MAX % bound);
        loop {
            let mut buf = [0u8; 8];
            self.rng
                .fill(&mut buf)
                .map_err(|_| Error::RandomUnavailable)?;
            let v = u64::from_le_bytes(buf);
            if v < zone {
                return Ok(v % bound);
            }
        }
    }

    /// Allocates an unused index, chosen uniformly at random among the free ones (so an index
    /// says nothing about when or in what order documents were issued).
    pub fn allocate(&mut self) -> Result<StatusEntry> {
        if self.free == 0 {
            return Err(Error::StatusListFull {
                list: self.list.clone(),
                size: self.size,
            });
        }
        let mut skip = self.random_below(self.free)?;
        let mut found = None;
        for (i, byte) in self.allocated.iter().enumerate() {
            let zeros = u64::from(byte.count_zeros());
            if skip >= zeros {
                skip -= zeros;
                continue;
            }
            for bit in 0..8u64 {
                if byte & (0x80 >> bit) == 0 {
                    if skip == 0 {
                        found = Some(i as u64 * 8 + bit);
                        break;
                    }
                    skip -= 1;
                }
            }
            break;
        }
        let index = found.ok_or_else(|| Error::StatusListFull {
            list: self.list.clone(),
            size: self.size,
        })?;
        set_bit(&mut self.allocated, index);
        self.free -= 1;
        Ok(StatusEntry {
            list: self.list.clone(),
            index,
        })
    }

    fn check_allocated(&self, index: u64) -> Result<()> {
        match get_bit(&self.allocated, index) {
            None => Err(Error::StatusIndexOutOfRange {
                list: self.list.clone(),
                index,
                size: self.size,
            }),
            Some(false) => Err(Error::StatusIndexNotAllocated {
                list: self.list.clone(),
                index,
            }),
            Some(true) => Ok(()),
        }
    }

    /// Revokes an allocated index (revoking twice is harmless).
    pub fn revoke(&mut self, index: u64) -> Result<()> {
        self.check_allocated(index)?;
        set_bit(&mut self.revoked, index);
        Ok(())
    }

    /// Whether an allocated index is revoked.
    pub fn is_revoked(&self, index: u64) -> Result<bool> {
        self.check_allocated(index)?;
        Ok(get_bit(&self.revoked, index).unwrap_or(false))
    }

    /// The current list content, to be relied on until `valid_until`.
    pub fn snapshot(&self, valid_until: DateTime<Utc>) -> StatusList {
        StatusList {
            list: self.list.clone(),
            size: self.size,
            bits: self.revoked.clone(),
            valid_until,
        }
    }

    /// Signs the current list with `issuer` (whose key must be trust-listed for
    /// [`STATUS_LIST_TYPE`]). The envelope's `id` is the list id.
    pub fn publish(&self, issuer: &Issuer, valid_until: DateTime<Utc>) -> Result<IssuedDocument> {
        if valid_until <= issuer.now() {
            return Err(malformed(
                "$.payload.valid_until",
                "must be later than the time of issue",
            ));
        }
        let payload = self.snapshot(valid_until).to_payload()?;
        issuer.issue_object(STATUS_LIST_TYPE, &self.list, payload, None, None)
    }
}

impl std::fmt::Debug for StatusListManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "StatusListManager {{ list: {:?}, size: {}, free: {} }}",
            self.list, self.size, self.free
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_order_is_msb_first() {
        let mut bits = vec![0u8; 2];
        assert!(set_bit(&mut bits, 0));
        assert!(set_bit(&mut bits, 9));
        assert_eq!(bits, vec![0x80, 0x40]);
        assert!(!set_bit(&mut bits, 16));
        assert_eq!(get_bit(&bits, 9), Some(true));
        assert_eq!(get_bit(&bits, 16), None);
    }

    #[test]
    fn sizes_are_checked() {
        assert!(StatusListManager::new("l", MIN_SIZE - 8).is_err());
        assert!(StatusListManager::new("l", MIN_SIZE + 1).is_err());
        assert!(StatusListManager::new("l", MAX_SIZE + 8).is_err());
        assert!(StatusListManager::new("", MIN_SIZE).is_err());
    }

    #[test]
    fn allocation_is_random_unique_and_exhausts() {
        let mut m = StatusListManager::new("l", MIN_SIZE).unwrap();
        let a = m.allocate().unwrap().index;
        let b = m.allocate().unwrap().index;
        assert_ne!(a, b);
        assert!(m.revoke(a).is_ok());
        assert!(m.is_revoked(a).unwrap());
        assert!(!m.is_revoked(b).unwrap());
        // Fill everything but one free index, then allocate it and fail.
        let len = m.allocated.len();
        let mut all = vec![0xffu8; len];
        all[len - 1] = 0xfe;
        let mut full = StatusListManager::restore("l", MIN_SIZE, all, vec![0; len]).unwrap();
        assert_eq!(full.allocate().unwrap().index, MIN_SIZE - 1);
        assert!(matches!(full.allocate(), Err(Error::StatusListFull { .. })));
    }

    #[test]
    fn revoking_needs_an_allocated_index() {
        let mut m = StatusListManager::new("l", MIN_SIZE).unwrap();
        assert!(matches!(
            m.revoke(5),
            Err(Error::StatusIndexNotAllocated { .. })
        ));
        assert!(matches!(
            m.revoke(MIN_SIZE),
            Err(Error::StatusIndexOutOfRange { .. })
        ));
    }

    #[test]
    fn payload_round_trip() {
        let mut m = StatusListManager::new("l", MIN_SIZE).unwrap();
        let e = m.allocate().unwrap();
        m.revoke(e.index).unwrap();
        let until = crate::document::parse_time("2026-03-08T00:00:00Z").unwrap();
        let list = m.snapshot(until);
        let back = StatusList::from_payload(&list.to_payload().unwrap()).unwrap();
        assert_eq!(back, list);
        assert_eq!(back.is_revoked(e.index), Some(true));
        assert_eq!(back.is_revoked(MIN_SIZE), None);
    }
}
