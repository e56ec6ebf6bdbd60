//! Reading an envelope that arrives in canonical form, without building a JSON tree.
//!
//! Every envelope this crate writes is RFC 8785 canonical JSON, and so is the JSON inside a
//! QR code. For such a text the signing input is the text itself with the `sig` member cut
//! out, and the payload's canonical JSON is a slice of it: nothing needs to be parsed into
//! values, re-sorted or re-serialised. [`CanonicalEnvelope::read`] recognises that case and
//! applies every check of [`SignedEnvelope::parse`](super::SignedEnvelope::parse) to the
//! members it reads; on anything else — another member order or whitespace, an escape in a
//! header string, a member that would be refused — it answers `None` and the caller parses
//! the general way, which explains the refusal. So the two paths accept exactly the same
//! envelopes with the same meaning (checked against each other in the verifier's tests and
//! over the fuzz corpus). [`SignedEnvelope::parse`](super::SignedEnvelope::parse) uses it too,
//! so a canonical envelope's payload is kept as the text it arrived in and read into a tree
//! only if someone asks for it.

use chrono::{DateTime, Utc};

use super::{
    check_id, check_kid, check_time, check_typ, decode_b64url, parse_time, Alg, Header,
    SignedEnvelope, StatusEntry, SIGNATURE_LEN, SIGNING_CONTEXT, VERSION,
};
use crate::json::scan::canonical_members;

/// The members of a canonical envelope, borrowed from its text.
#[derive(Debug)]
pub(crate) struct CanonicalEnvelope<'a> {
    pub(crate) typ: &'a str,
    pub(crate) id: &'a str,
    pub(crate) kid: &'a str,
    pub(crate) alg: Alg,
    pub(crate) iat: DateTime<Utc>,
    pub(crate) exp: Option<DateTime<Utc>>,
    /// `(list, index)` of the revocation entry.
    pub(crate) status: Option<(&'a str, u64)>,
    /// The payload's canonical JSON.
    pub(crate) payload_json: &'a str,
    pub(crate) sig: Vec<u8>,
    /// The text before the comma that precedes `sig`, and after the `sig` member.
    unsigned_parts: (&'a str, &'a str),
}

impl<'a> CanonicalEnvelope<'a> {
    /// The envelope in `text` when `text` is canonical and every member passes the strict
    /// parser's checks; `None` otherwise (the general parser then decides).
    pub(crate) fn read(text: &'a str) -> Option<CanonicalEnvelope<'a>> {
        let (text, members) = canonical_members(text)?;
        let mut alg = None;
        let mut exp = None;
        let mut iat = None;
        let mut id = None;
        let mut kid = None;
        let mut payload = None;
        let mut sig = None;
        let mut status = None;
        let mut typ = None;
        let mut version = false;
        // Names arrive strictly sorted, so each is seen at most once.
        for m in &members {
            match m.name {
                "alg" => alg = Some(plain(m.value)?.parse::<Alg>().ok()?),
                "exp" => exp = Some(time(m.value)?),
                "iat" => iat = Some(time(m.value)?),
                "id" => id = Some(checked(m.value, |s| check_id("$.id", s).is_ok())?),
                "kid" => kid = Some(checked(m.value, |s| check_kid("$.kid", s).is_ok())?),
                "payload" => payload = m.value.starts_with('{').then_some(m.value),
                "sig" => {
                    let bytes = decode_b64url("$.sig", plain(m.value)?).ok()?;
                    sig = Some((bytes, m));
                }
                "status" => status = Some(status_entry(m.value)?),
                "typ" => typ = Some(checked(m.value, |s| check_typ("$.typ", s).is_ok())?),
                "v" => version = m.value.parse::<u64>() == Ok(VERSION),
                _ => return None,
            }
        }
        let (sig, sig_member) = sig?;
        let iat = iat?;
        if !version || sig.len() != SIGNATURE_LEN || exp.is_some_and(|exp| exp <= iat) {
            return None;
        }
        // `sig` is never first (`alg` sorts before it): cut it out with the comma before it.
        let before = text.get(..sig_member.start.checked_sub(1)?)?;
        let after = text.get(sig_member.end..)?;
        Some(CanonicalEnvelope {
            typ: typ?,
            id: id?,
            kid: kid?,
            alg: alg?,
            iat,
            exp,
            status,
            payload_json: payload?,
            sig,
            unsigned_parts: (before, after),
        })
    }

    /// [`SIGNING_CONTEXT`] followed by the text without its `sig` member: the bytes
    /// [`SignedEnvelope::signing_input`] gives for the same envelope.
    pub(crate) fn signing_input(&self) -> Vec<u8> {
        let (before, after) = self.unsigned_parts;
        let mut input = Vec::with_capacity(SIGNING_CONTEXT.len() + before.len() + after.len());
        input.extend_from_slice(SIGNING_CONTEXT);
        input.extend_from_slice(before.as_bytes());
        input.extend_from_slice(after.as_bytes());
        input
    }

    /// The owned envelope (its payload tree is made only if asked for: the text is the
    /// canonical form of a value the strict parser accepts).
    pub(crate) fn into_envelope(self) -> SignedEnvelope {
        let header = Header {
            typ: self.typ.into(),
            id: self.id.into(),
            kid: self.kid.into(),
            alg: self.alg,
            iat: self.iat,
            exp: self.exp,
            status: self.status.map(|(list, index)| StatusEntry {
                list: list.into(),
                index,
            }),
        };
        SignedEnvelope::assemble(header, self.payload_json.into(), None, self.sig)
    }
}

/// The content of a string value without escapes.
fn plain(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then_some(inner)
}

fn checked(value: &str, check: impl Fn(&str) -> bool) -> Option<&str> {
    plain(value).filter(|s| check(s))
}

fn time(value: &str) -> Option<DateTime<Utc>> {
    let t = parse_time(plain(value)?).ok()?;
    check_time("$", &t).ok()?;
    Some(t)
}

/// `{"index":N,"list":"…"}`, exactly.
fn status_entry(value: &str) -> Option<(&str, u64)> {
    let (_, members) = canonical_members(value)?;
    match members.as_slice() {
        [index, list] if index.name == "index" && list.name == "list" => {
            let index = index.value.parse::<u64>().ok()?;
            let list = checked(list.value, |s| check_id("$.status.list", s).is_ok())?;
            Some((list, index))
        }
        _ => None,
    }
}
