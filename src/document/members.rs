//! Taking the members of a JSON object one by one, strictly: unknown members, missing
//! members, `null` and wrong types are refused with the member's JSON path.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

pub(crate) use crate::json::member_path;
use crate::{Error, Result};

/// An [`Error::MalformedEnvelope`] at `path`.
pub(crate) fn malformed(path: &str, reason: impl Into<String>) -> Error {
    Error::MalformedEnvelope {
        path: path.into(),
        reason: reason.into(),
    }
}

/// The members of one JSON object, taken out as they are read.
pub(crate) struct Members {
    path: String,
    map: Map<String, Value>,
}

impl Members {
    pub(crate) fn new(path: &str, map: Map<String, Value>) -> Members {
        Members {
            path: path.into(),
            map,
        }
    }

    /// Wraps `value`, which must be an object.
    pub(crate) fn of(path: &str, value: Value) -> Result<Members> {
        match value {
            Value::Object(map) => Ok(Members::new(path, map)),
            _ => Err(malformed(path, "must be a JSON object")),
        }
    }

    fn at(&self, name: &str) -> String {
        member_path(&self.path, name)
    }

    /// Refuses any member not in `allowed`.
    pub(crate) fn deny_unknown(&self, allowed: &[&str]) -> Result<()> {
        match self.map.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(k) => Err(malformed(&self.at(k), "unknown member")),
            None => Ok(()),
        }
    }

    pub(crate) fn required(&mut self, name: &str) -> Result<Value> {
        match self.map.remove(name) {
            None => Err(malformed(&self.at(name), "missing member")),
            Some(Value::Null) => Err(malformed(&self.at(name), "must not be null")),
            Some(v) => Ok(v),
        }
    }

    /// An optional member; present-but-`null` is refused (absent is the only way to omit).
    pub(crate) fn optional(&mut self, name: &str) -> Result<Option<Value>> {
        match self.map.remove(name) {
            None => Ok(None),
            Some(Value::Null) => Err(malformed(
                &self.at(name),
                "must not be null (omit the member instead)",
            )),
            Some(v) => Ok(Some(v)),
        }
    }

    pub(crate) fn string(&mut self, name: &str) -> Result<String> {
        match self.required(name)? {
            Value::String(s) => Ok(s),
            _ => Err(malformed(&self.at(name), "must be a string")),
        }
    }

    /// A non-negative integer (at most 2^53 − 1).
    pub(crate) fn unsigned(&mut self, name: &str) -> Result<u64> {
        let path = self.at(name);
        match self.required(name)? {
            Value::Number(n) => match n.as_u64() {
                Some(u) if u <= crate::json::MAX_SAFE_INTEGER => Ok(u),
                _ => Err(malformed(
                    &path,
                    "must be a non-negative integer below 2^53",
                )),
            },
            _ => Err(malformed(&path, "must be an integer")),
        }
    }

    /// A time in `YYYY-MM-DDTHH:MM:SSZ` form.
    pub(crate) fn time(&mut self, name: &str) -> Result<DateTime<Utc>> {
        let path = self.at(name);
        let text = self.string(name)?;
        super::parse_time(&text).map_err(|e| match e {
            Error::InvalidTime { reason, .. } => malformed(&path, reason),
            other => other,
        })
    }

    pub(crate) fn array(&mut self, name: &str) -> Result<Vec<Value>> {
        match self.required(name)? {
            Value::Array(a) => Ok(a),
            _ => Err(malformed(&self.at(name), "must be an array")),
        }
    }
}
