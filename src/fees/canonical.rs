//! A quote's RFC 8785 canonical JSON, written directly.
//!
//! [`Quote::computed_id`] hashes these bytes. They are exactly what the reference path gives
//! (serialise the quote with serde, drop `quote_id`, canonicalise with
//! [`crate::json::canonical`]); the tests check the two against each other over every
//! service of the shipped catalogue and over generated quotes. Going straight from the
//! struct skips the `serde_json::Value` tree, its sorting and its allocations.
//!
//! Members are written in RFC 8785 order (by UTF-16 code units; every member name here is
//! ASCII, so that is byte order), strings escaped the RFC 8785 way, amounts and percentages
//! as the decimal strings their serde form uses, dates as `YYYY-MM-DD` (chrono's form).
//! Numbers are JSON numbers only for `quantity`: one beyond ±(2^53 − 1) makes the writer give
//! up (`false`) so that the caller falls back to the reference path, whose IEEE-754 form of
//! such a number this writer does not reproduce.
//!
//! The text goes out in as few pieces as the format allows: each member name is written
//! together with the punctuation around it (`,"description":"`), and each number, amount and
//! date is formatted on the stack and handed over whole.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::text::{self, decimal_text, DECIMAL_TEXT};
use super::{ExemptionLine, Quote, QuoteLine, ScheduleRef, TaxLine};
use crate::catalogue::{FeeSchedule, PaymentDue, Service};
use crate::json::MAX_SAFE_INTEGER;
use crate::money::{Currency, Money, Rounding};

/// Canonical text written ahead of time for the parts of a quote that one fee schedule fixes
/// (a [`Quoter`](super::Quoter) keeps one per schedule): the charge lines known in advance
/// (flat fees, surcharges, each option's price) and the run from `payment_due` to
/// `service_id`.
///
/// Each piece is kept with the content it was written from, by the same functions that write
/// a quote, and [`write_quote`] uses it only for content equal to that, byte for byte (amounts
/// compared by their representation, not their value: `300.0` and `300.00` have different
/// text). So a fragment can save time, never change what is hashed.
#[derive(Clone)]
pub(super) struct Fragments {
    lines: Vec<(QuoteLine, Vec<u8>)>,
    middle: (Middle, Vec<u8>),
}

/// What the run from `payment_due` to `service_id` is made of.
#[derive(Clone)]
struct Middle {
    payment_due: PaymentDue,
    rounding: Rounding,
    schedule: ScheduleRef,
    service_id: String,
}

impl Fragments {
    /// The text `schedule` of `service` fixes: its lines known before any answer is read
    /// ([`fixed_lines`](super::lines::fixed_lines)) and its run from `payment_due` to
    /// `service_id`.
    pub(super) fn new(service: &Service, schedule: &FeeSchedule) -> Fragments {
        let lines = super::lines::fixed_lines(service, schedule)
            .into_iter()
            .filter_map(|l| {
                let mut text = Vec::new();
                line(&mut text, &l).then_some((l, text))
            })
            .collect();
        let m = Middle {
            payment_due: service.payment_due,
            rounding: schedule.rounding,
            schedule: ScheduleRef {
                effective_from: schedule.effective_from,
                effective_to: schedule.effective_to,
                legal_reference: schedule.legal_reference.clone(),
            },
            service_id: service.id.clone(),
        };
        let mut text = Vec::new();
        middle(
            &mut text,
            &m.payment_due,
            m.rounding,
            &m.schedule,
            &m.service_id,
            None,
        );
        Fragments {
            lines,
            middle: (m, text),
        }
    }

    /// The text written ahead for `l`, if any was written for a line equal to it.
    fn line(&self, l: &QuoteLine) -> Option<&[u8]> {
        self.lines
            .iter()
            .find(|(known, _)| same_line(known, l))
            .map(|(_, text)| text.as_slice())
    }

    /// The text written ahead for `q`'s run from `payment_due` to `service_id`, if `q`'s
    /// members there equal what it was written from.
    fn middle(&self, q: &Quote) -> Option<&[u8]> {
        let (m, text) = &self.middle;
        (m.payment_due == q.payment_due
            && m.rounding == q.rounding
            && m.schedule == q.schedule
            && m.service_id == q.service_id)
            .then_some(text.as_slice())
    }
}

/// Whether `a` and `b` have the same canonical text: equal, with amounts of the same
/// representation.
fn same_line(a: &QuoteLine, b: &QuoteLine) -> bool {
    a.quantity == b.quantity
        && a.taxable == b.taxable
        && same_money(&a.amount, &b.amount)
        && same_money(&a.unit_amount, &b.unit_amount)
        && a.rule_id == b.rule_id
        && a.description == b.description
        && a.legal_reference == b.legal_reference
        && a.basis == b.basis
}

/// Same currency, and the same decimal down to its scale and sign: what decides the text.
/// (`Money` keeps one form per value, but `Decimal`'s `==` alone would say `1.0 == 1.00`.)
fn same_money(a: &Money, b: &Money) -> bool {
    a.currency() == b.currency() && a.amount().serialize() == b.amount().serialize()
}

/// Where the writer puts its bytes: always whole UTF-8 text once a quote is written.
pub(super) trait Sink {
    /// Appends `bytes`.
    fn bytes(&mut self, bytes: &[u8]);

    /// Appends `text`.
    fn text(&mut self, text: &str) {
        self.bytes(text.as_bytes());
    }

    /// Appends one ASCII byte.
    fn byte(&mut self, byte: u8) {
        self.bytes(&[byte]);
    }

    /// Appends the longest start of `text` that stands for itself in a JSON string (no `"`,
    /// `\` or control character) and returns its length.
    fn plain(&mut self, text: &[u8]) -> usize {
        let n = crate::json::plain_run(text);
        self.bytes(text.get(..n).unwrap_or_default());
        n
    }

    /// Appends the text of `d` (see [`decimal_text`]).
    fn decimal(&mut self, d: &Decimal) {
        let mut buf = [0u8; DECIMAL_TEXT];
        let start = decimal_text(&mut buf, d);
        self.bytes(buf.get(start..).unwrap_or_default());
    }
}

impl Sink for Vec<u8> {
    fn bytes(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }

    fn byte(&mut self, byte: u8) {
        self.push(byte);
    }
}

/// Bytes [`Sha256Sink`] gathers before handing them to ring: four SHA-256 blocks. Measured
/// against 1 KB: the smaller buffer is cheaper to zero for every quote than the few extra
/// ring calls cost (the passport quote about 1% faster).
const SINK_BUFFER: usize = 256;

/// A SHA-256 of the bytes written, through a buffer on the stack: no heap, and ring sees a
/// few large updates rather than hundreds of small ones. Every update but the last is a
/// whole number of buffers, so ring never has to keep a partial block between them.
pub(super) struct Sha256Sink {
    context: ring::digest::Context,
    buffer: [u8; SINK_BUFFER],
    len: usize,
}

impl Sha256Sink {
    pub(super) fn new() -> Sha256Sink {
        Sha256Sink {
            context: ring::digest::Context::new(&ring::digest::SHA256),
            buffer: [0; SINK_BUFFER],
            len: 0,
        }
    }

    /// The digest of everything written.
    pub(super) fn finish(mut self) -> ring::digest::Digest {
        self.context
            .update(self.buffer.get(..self.len).unwrap_or_default());
        self.context.finish()
    }

    /// `bytes` when they do not fit in what is left of the buffer: fill it, hash it, hash
    /// whole buffers' worth directly, and keep the rest.
    #[cold]
    #[inline(never)]
    fn spill(&mut self, bytes: &[u8]) {
        let (head, rest) = bytes.split_at(SINK_BUFFER.saturating_sub(self.len).min(bytes.len()));
        if let Some(room) = self.buffer.get_mut(self.len..) {
            room.copy_from_slice(head);
        }
        self.context.update(&self.buffer);
        let (whole, tail) = rest.split_at(rest.len() - rest.len() % SINK_BUFFER);
        self.context.update(whole);
        if let Some(room) = self.buffer.get_mut(..tail.len()) {
            room.copy_from_slice(tail);
        }
        self.len = tail.len();
    }
}

impl Sink for Sha256Sink {
    #[inline]
    fn bytes(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        match self.buffer.get_mut(self.len..end) {
            Some(room) => {
                room.copy_from_slice(bytes);
                self.len = end;
            }
            None => self.spill(bytes),
        }
    }

    /// Straight into the buffer when the whole text fits: each word is copied as it is
    /// looked at, rather than looked at, then copied.
    #[inline(always)]
    fn plain(&mut self, text: &[u8]) -> usize {
        let start = self.len;
        match self.buffer.get_mut(start..start + text.len()) {
            Some(room) => {
                let n = copy_plain(room, text);
                self.len = start + n;
                n
            }
            None => {
                let n = crate::json::plain_run(text);
                self.bytes(text.get(..n).unwrap_or_default());
                n
            }
        }
    }

    /// Straight into the buffer when there is room for the longest decimal: the text is
    /// formatted at the end of a stack buffer twice its size and copied with the bytes after
    /// it, a copy of fixed length; the buffer keeps only the text's.
    fn decimal(&mut self, d: &Decimal) {
        let mut buf = [0u8; 2 * DECIMAL_TEXT];
        let start = match buf.first_chunk_mut::<DECIMAL_TEXT>() {
            Some(head) => decimal_text(head, d),
            None => DECIMAL_TEXT,
        };
        let text = buf.get(start..DECIMAL_TEXT).unwrap_or_default();
        let window = buf
            .get(start..)
            .and_then(|rest| rest.first_chunk::<DECIMAL_TEXT>());
        let room = self
            .buffer
            .get_mut(self.len..)
            .and_then(|room| room.first_chunk_mut::<DECIMAL_TEXT>());
        match (window, room) {
            (Some(window), Some(room)) => {
                *room = *window;
                self.len += text.len();
            }
            _ => self.bytes(text),
        }
    }
}

/// Copies `src` into `dst` (of the same length) as far as it stands for itself in a JSON
/// string, and returns how far that is ([`crate::json::plain_run`] of `src`). Bytes after
/// that point may be copied too; the caller does not keep them.
#[inline(always)]
fn copy_plain(dst: &mut [u8], src: &[u8]) -> usize {
    use crate::json::{covering_word, is_special, needs_escape};
    let mut words = src.chunks_exact(8);
    let mut at = 0;
    for (word, room) in (&mut words).zip(dst.chunks_exact_mut(8)) {
        // Loaded once, then stored and looked at.
        let w = word.first_chunk::<8>().copied().unwrap_or_default();
        room.copy_from_slice(&w);
        if needs_escape(u64::from_le_bytes(w)) {
            return at + w.iter().position(|&b| is_special(b)).unwrap_or(8);
        }
        at += 8;
    }
    let rest = words.remainder();
    if rest.is_empty() {
        return at;
    }
    // One to seven bytes left (or in all): copy and look at them as one covering word.
    if let (Some(last), Some(room)) = (src.last_chunk::<8>(), dst.last_chunk_mut::<8>()) {
        *room = *last;
    } else if let (Some(first), Some(last)) = (src.first_chunk::<4>(), src.last_chunk::<4>()) {
        if let Some(room) = dst.first_chunk_mut::<4>() {
            *room = *first;
        }
        if let Some(room) = dst.last_chunk_mut::<4>() {
            *room = *last;
        }
    }
    if covering_word(src).is_some_and(|w| !needs_escape(w)) {
        return src.len();
    }
    for (i, &b) in rest.iter().enumerate() {
        if is_special(b) {
            return at + i;
        }
        if let Some(room) = dst.get_mut(at + i) {
            *room = b;
        }
    }
    src.len()
}

/// Appends the canonical JSON of `q` to `out`: without `quote_id` when `id` is `None` (the
/// bytes the id hashes), with `id` as its `quote_id` otherwise. `false` (with `out` partly
/// written) when a quantity is beyond ±(2^53 − 1). Text in `known` is used where it was
/// written for content equal to `q`'s.
pub(super) fn write_quote(
    out: &mut impl Sink,
    q: &Quote,
    id: Option<&str>,
    known: Option<&Fragments>,
) -> bool {
    out.text(if q.accepts_zar_at_par {
        "{\"accepts_zar_at_par\":true,\"applicant_category\":\""
    } else {
        "{\"accepts_zar_at_par\":false,\"applicant_category\":\""
    });
    string_body(out, &q.applicant_category);
    out.text(match q.currency {
        Currency::Lsl => "\",\"currency\":\"LSL\",\"date\":",
        Currency::Zar => "\",\"currency\":\"ZAR\",\"date\":",
    });
    date(out, q.date);
    out.text(",\"exemptions\":[");
    elements(out, &q.exemptions, |out, e| {
        exemption(out, e);
        true
    });
    out.text("],\"inputs\":");
    inputs(out, &q.inputs);
    out.text(",\"lines\":[");
    let written = elements(out, &q.lines, |out, l| {
        match known.and_then(|k| k.line(l)) {
            Some(text) => {
                out.bytes(text);
                true
            }
            None => line(out, l),
        }
    });
    if !written {
        return false;
    }
    match known.filter(|_| id.is_none()).and_then(|k| k.middle(q)) {
        Some(text) => out.bytes(text),
        None => middle(
            out,
            &q.payment_due,
            q.rounding,
            &q.schedule,
            &q.service_id,
            id,
        ),
    }
    money(out, &q.subtotal);
    out.text(",\"tax_total\":");
    money(out, &q.tax_total);
    out.text(",\"taxes\":[");
    elements(out, &q.taxes, |out, t| {
        tax(out, t);
        true
    });
    out.text("],\"total\":");
    money(out, &q.total);
    out.byte(b'}');
    true
}

/// From the end of the lines to the start of the subtotal:
/// `],"payment_due":"upfront",…,"service_id":"…","subtotal":`, with `quote_id` when `id` is
/// given.
fn middle(
    out: &mut impl Sink,
    payment_due: &PaymentDue,
    rounding: Rounding,
    schedule: &ScheduleRef,
    service_id: &str,
    id: Option<&str>,
) {
    out.text("],\"payment_due\":\"");
    out.text(payment_due.as_str());
    if let Some(id) = id {
        out.text("\",\"quote_id\":\"");
        string_body(out, id);
    }
    out.text(match rounding {
        Rounding::HalfUp => "\",\"rounding\":\"half_up\",\"schedule\":{\"effective_from\":",
        Rounding::HalfEven => "\",\"rounding\":\"half_even\",\"schedule\":{\"effective_from\":",
        Rounding::Down => "\",\"rounding\":\"down\",\"schedule\":{\"effective_from\":",
        Rounding::Up => "\",\"rounding\":\"up\",\"schedule\":{\"effective_from\":",
    });
    date(out, schedule.effective_from);
    match schedule.effective_to {
        Some(d) => {
            out.text(",\"effective_to\":");
            date(out, d);
            out.text(",\"legal_reference\":\"");
        }
        None => out.text(",\"effective_to\":null,\"legal_reference\":\""),
    }
    string_body(out, &schedule.legal_reference);
    out.text("\"},\"service_id\":\"");
    string_body(out, service_id);
    out.text("\",\"subtotal\":");
}

fn line(out: &mut impl Sink, l: &QuoteLine) -> bool {
    if l.quantity > MAX_SAFE_INTEGER {
        return false;
    }
    out.text("{\"amount\":");
    money(out, &l.amount);
    match &l.basis {
        Some(b) => {
            out.text(",\"basis\":\"");
            string_body(out, b);
            out.text("\",\"description\":\"");
        }
        None => out.text(",\"basis\":null,\"description\":\""),
    }
    string_body(out, &l.description);
    out.text("\",\"legal_reference\":\"");
    string_body(out, &l.legal_reference);
    out.text("\",\"quantity\":");
    unsigned(out, l.quantity);
    out.text(",\"rule_id\":\"");
    string_body(out, &l.rule_id);
    out.text(if l.taxable {
        "\",\"taxable\":true,\"unit_amount\":"
    } else {
        "\",\"taxable\":false,\"unit_amount\":"
    });
    money(out, &l.unit_amount);
    out.byte(b'}');
    true
}

/// An array's elements, each written by `write` and separated by commas; stops at the first
/// `write` that gives `false`, and gives `false` then.
fn elements<S: Sink, T>(
    out: &mut S,
    items: &[T],
    mut write: impl FnMut(&mut S, &T) -> bool,
) -> bool {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.byte(b',');
        }
        if !write(out, item) {
            return false;
        }
    }
    true
}

fn exemption(out: &mut impl Sink, e: &ExemptionLine) {
    out.text("{\"amount\":");
    money(out, &e.amount);
    out.text(",\"applies_to\":[");
    elements(out, &e.applies_to, |out, r| {
        string(out, r);
        true
    });
    out.text("],\"category\":\"");
    string_body(out, &e.category);
    out.text("\",\"description\":\"");
    string_body(out, &e.description);
    out.text("\",\"legal_reference\":\"");
    string_body(out, &e.legal_reference);
    out.text("\",\"percent\":");
    decimal_string(out, &e.percent);
    out.text(",\"reason\":\"");
    string_body(out, &e.reason);
    out.text("\",\"rule_id\":\"");
    string_body(out, &e.rule_id);
    out.text("\"}");
}

fn tax(out: &mut impl Sink, t: &TaxLine) {
    out.text("{\"amount\":");
    money(out, &t.amount);
    out.text(",\"base\":");
    money(out, &t.base);
    out.text(",\"description\":\"");
    string_body(out, &t.description);
    out.text("\",\"legal_reference\":\"");
    string_body(out, &t.legal_reference);
    out.text("\",\"percent\":");
    decimal_string(out, &t.percent);
    out.text(",\"rule_id\":\"");
    string_body(out, &t.rule_id);
    out.text("\"}");
}

/// The answers object. A `BTreeMap` iterates in UTF-8 byte order, which is RFC 8785's UTF-16
/// order whenever the names are ASCII; other names are sorted by their UTF-16 code units.
fn inputs(out: &mut impl Sink, inputs: &std::collections::BTreeMap<String, String>) {
    out.byte(b'{');
    if inputs.keys().all(|k| k.is_ascii()) {
        for (i, (k, v)) in inputs.iter().enumerate() {
            member(out, i, k, v);
        }
    } else {
        let mut sorted: Vec<(&String, &String)> = inputs.iter().collect();
        sorted.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        for (i, (k, v)) in sorted.into_iter().enumerate() {
            member(out, i, k, v);
        }
    }
    out.byte(b'}');
}

fn member(out: &mut impl Sink, i: usize, name: &str, value: &str) {
    out.text(if i > 0 { ",\"" } else { "\"" });
    string_body(out, name);
    out.text("\":\"");
    string_body(out, value);
    out.byte(b'"');
}

/// `{"amount":"130.00","currency":"LSL"}`, as [`Money`]'s serde form.
fn money(out: &mut impl Sink, m: &Money) {
    out.text("{\"amount\":\"");
    out.decimal(&m.amount());
    out.text(match m.currency() {
        Currency::Lsl => "\",\"currency\":\"LSL\"}",
        Currency::Zar => "\",\"currency\":\"ZAR\"}",
    });
}

/// A decimal as a JSON string, the text of `rust_decimal`'s serde form (and `Display`).
fn decimal_string(out: &mut impl Sink, d: &Decimal) {
    out.byte(b'"');
    out.decimal(d);
    out.byte(b'"');
}

/// An unsigned integer as JSON number text.
fn unsigned(out: &mut impl Sink, n: u64) {
    out.bytes(itoa::Buffer::new().format(n).as_bytes());
}

/// A date as chrono's serde form, quoted: `"2026-03-01"` (see [`text::date_text`]).
fn date(out: &mut impl Sink, d: NaiveDate) {
    let mut buf = [0u8; text::DATE_TEXT];
    let len = text::date_text(&mut buf, d);
    match buf.first_chunk::<10>() {
        // Years 0000 to 9999: one piece.
        Some(&[y0, y1, y2, y3, h0, m0, m1, h1, d0, d1]) if len == 10 => {
            out.bytes(&[b'"', y0, y1, y2, y3, h0, m0, m1, h1, d0, d1, b'"']);
        }
        _ => {
            out.byte(b'"');
            out.bytes(buf.get(..len).unwrap_or_default());
            out.byte(b'"');
        }
    }
}

/// A string in RFC 8785 form (see [`string_body`]), quotes included.
fn string(out: &mut impl Sink, text: &str) {
    out.byte(b'"');
    string_body(out, text);
    out.byte(b'"');
}

/// A string's text in RFC 8785 form, without its quotes: `"` and `\` escaped, the short
/// escapes for backspace, form feed, line feed, carriage return and tab, other control
/// characters as `\u00xx` (lower-case hex), everything else (DEL, U+2028, any non-ASCII) as
/// itself.
///
/// Inlined: the usual text is plain and written by one [`Sink::plain`]; the rest is
/// [`escaped`]'s.
#[inline(always)]
fn string_body(out: &mut impl Sink, text: &str) {
    let bytes = text.as_bytes();
    let n = out.plain(bytes);
    if n < bytes.len() {
        escaped(out, bytes, n);
    }
}

/// The text from `at`, where a byte needing an escape is, to its end.
#[inline(never)]
fn escaped(out: &mut impl Sink, text: &[u8], at: usize) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut rest = text.get(at..).unwrap_or_default();
    // An ASCII byte never sits inside a multi-byte character: only whole characters are
    // copied.
    while let Some((&b, after)) = rest.split_first() {
        match b {
            b'"' => out.text("\\\""),
            b'\\' => out.text("\\\\"),
            0x08 => out.text("\\b"),
            0x0c => out.text("\\f"),
            b'\n' => out.text("\\n"),
            b'\r' => out.text("\\r"),
            b'\t' => out.text("\\t"),
            _ => out.bytes(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]),
        }
        let n = out.plain(after);
        rest = after.get(n..).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::OnceLock;

    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    use chrono::Days;
    use proptest::prelude::*;

    use super::*;
    use crate::catalogue::{Answers, Catalogue, FieldType, PaymentDue, Service};
    use crate::fees::ScheduleRef;
    use crate::money::Currency;

    fn lesotho() -> &'static Catalogue {
        static C: OnceLock<Catalogue> = OnceLock::new();
        C.get_or_init(|| Catalogue::lesotho().unwrap())
    }

    /// The reference bytes: the serde form without `quote_id`, canonicalised by the
    /// general-purpose canonicaliser.
    fn reference_without_id(q: &Quote) -> Vec<u8> {
        let mut value = serde_json::to_value(q).unwrap();
        value.as_object_mut().unwrap().remove("quote_id");
        crate::json::canonical(&value).unwrap()
    }

    /// The direct writer against the reference, with and without the id, and the public
    /// entry points that use it.
    fn check(q: &Quote) {
        let reference = reference_without_id(q);
        let mut direct = Vec::new();
        let mut hashed = Sha256Sink::new();
        if write_quote(&mut direct, q, None, None) {
            assert_eq!(
                String::from_utf8(direct).unwrap(),
                String::from_utf8(reference.clone()).unwrap()
            );
            assert!(write_quote(&mut hashed, q, None, None));
            let reference_digest = ring::digest::digest(&ring::digest::SHA256, &reference);
            assert_eq!(hashed.finish().as_ref(), reference_digest.as_ref());
        } else {
            assert!(q.lines.iter().any(|l| l.quantity > MAX_SAFE_INTEGER));
        }
        let whole = crate::json::canonical(q).unwrap();
        let mut direct = Vec::new();
        if write_quote(&mut direct, q, Some(&q.quote_id), None) {
            assert_eq!(
                String::from_utf8(direct).unwrap(),
                String::from_utf8(whole.clone()).unwrap()
            );
        }
        let digest = ring::digest::digest(&ring::digest::SHA256, &reference);
        assert_eq!(q.computed_id().unwrap(), URL_SAFE_NO_PAD.encode(digest));
        assert_eq!(q.canonical_json().unwrap().into_bytes(), whole);
    }

    const NUMBERS: &[&str] = &[
        "0",
        "1",
        "2",
        "3",
        "5",
        "9",
        "10",
        "32",
        "50",
        "64",
        "99",
        "100",
        "999",
        "1000",
        "1450",
        "1500",
        "2000",
        "3000",
        "3500",
        "5000",
        "60000",
        "0.01",
        "0.5",
        "85000.00",
        "12345.67",
        "99999999.99",
        "100000000",
    ];

    /// An answer for every field of `service`: `pick` chooses among plausible values for its
    /// type (choices, booleans, numbers across the bands and limits, dates around `date`).
    fn answers(service: &Service, date: NaiveDate, pick: &[usize]) -> Answers {
        let mut out = Answers::new();
        for (i, field) in service.fields.iter().enumerate() {
            let n = pick.get(i).copied().unwrap_or(0);
            let value = match field.kind {
                FieldType::Choice => match field.choices.get(n % field.choices.len().max(1)) {
                    Some(c) => c.id.clone(),
                    None => continue,
                },
                FieldType::Boolean => ["true", "false"][n % 2].to_string(),
                FieldType::Number => NUMBERS[n % NUMBERS.len()].to_string(),
                FieldType::Date => {
                    let back = [
                        0, 1, 10, 29, 30, 31, 45, 60, 61, 90, 100, 365, 400, 1000, 3650,
                    ];
                    match date.checked_sub_days(Days::new(back[n % back.len()])) {
                        Some(d) => d.to_string(),
                        None => continue,
                    }
                }
                _ => ["12 Kingsway, Maseru", "O\"Brien \\ \u{2028} é\t\n\u{1}"][n % 2].to_string(),
            };
            out.insert(field.id.clone(), value);
        }
        out
    }

    /// Categories: the catalogue's own, and ones whose text needs every kind of escape.
    fn categories() -> Vec<String> {
        let mut out: Vec<String> = lesotho()
            .applicant_categories
            .iter()
            .map(|c| c.id.clone())
            .collect();
        out.extend(
            [
                "",
                "quote\"back\\slash",
                "ctl\u{0}\u{8}\u{c}\n\r\t\u{b}\u{1f}\u{7f}",
                "é\u{2028}\u{2029}\u{e000}\u{ffff}\u{10000}\u{10ffff}",
            ]
            .map(String::from),
        );
        out
    }

    fn dates() -> Vec<NaiveDate> {
        [
            "2020-04-01",
            "2021-06-30",
            "2024-02-29",
            "2026-03-02",
            "2031-12-31",
        ]
        .iter()
        .map(|d| crate::catalogue::de::parse_date(d).unwrap())
        .collect()
    }

    #[test]
    fn the_direct_writer_gives_the_reference_bytes_for_every_shipped_service() {
        let mut quoted = 0;
        let mut kinds = [0usize; 4];
        let mut previous = crate::fees::quote(
            lesotho().service("home-affairs.passport.ordinary").unwrap(),
            &[("pages".to_string(), "64".to_string())].into(),
            "general",
            dates()[3],
        )
        .unwrap();
        for service in &lesotho().services {
            let quoter = crate::fees::Quoter::new(service);
            for date in dates() {
                for category in categories() {
                    for round in 0..NUMBERS.len() {
                        // A small mixing function, so that each field's choice varies on
                        // its own across the rounds.
                        let pick: Vec<usize> = (0..service.fields.len())
                            .map(|i| {
                                let seed = (round * 1000 + i) as u64;
                                let mixed = seed
                                    .wrapping_mul(6_364_136_223_846_793_005)
                                    .wrapping_add(1_442_695_040_888_963_407);
                                (mixed >> 33) as usize
                            })
                            .collect();
                        let answers = answers(service, date, &pick);
                        let fresh = crate::fees::quote(service, &answers, &category, date);
                        // The quoter gives the same, written over whatever the previous
                        // quote (of any service) left.
                        let made = quoter.quote_into(&answers, &category, date, &mut previous);
                        match (&fresh, made) {
                            (Ok(q), Ok(())) => assert_eq!(q, &previous),
                            (Err(e), Err(f)) => {
                                assert_eq!(e.to_string(), f.to_string());
                                assert!(previous.quote_id.is_empty());
                                assert!(previous.lines.is_empty() && previous.inputs.is_empty());
                            }
                            (fresh, made) => panic!("{fresh:?} but the quoter gave {made:?}"),
                        }
                        if let Ok(q) = fresh {
                            check(&q);
                            quoted += 1;
                            kinds[0] += q.lines.len();
                            kinds[1] += q.exemptions.len();
                            kinds[2] += q.taxes.len();
                            kinds[3] += usize::from(q.lines.iter().any(|l| l.basis.is_some()));
                        }
                    }
                }
            }
        }
        // Most combinations quote, with every kind of line: make sure the comparison did not
        // pass on empty arrays alone.
        assert!(quoted > 2000, "only {quoted} quotes");
        assert!(
            kinds.iter().all(|k| *k > 0),
            "lines, exemptions, taxes, bases: {kinds:?}"
        );
    }

    /// The ids of the benchmarked quotes, pinned. Computed independently from the quotes'
    /// serde form: Python's `json` with sorted keys and compact separators (RFC 8785 for
    /// ASCII texts whose only numbers are small integers), then SHA-256 and base64url.
    #[test]
    fn quote_ids_of_the_benchmarked_quotes_are_unchanged() {
        let c = lesotho();
        let date = crate::catalogue::de::parse_date("2026-03-02").unwrap();
        /// Service, answers, pinned id.
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
        let cases: [Case; 3] = [
            (
                "home-affairs.passport.ordinary",
                &[("pages", "64"), ("urgent", "true")],
                "yLLVTf8J1op8m-jVDBn3SnyJrglWatXcQBa2kP7N5dg",
            ),
            (
                "public-works-transport.vehicle.licence-renewal",
                &[("tare_mass_kg", "1450"), ("licence_expiry", "2025-12-31")],
                "0uQ3zx1pgVEoNoh3_qBq-aNedv253dYmGAMwS3X5pe4",
            ),
            (
                "public-works-transport.vehicle.ownership-transfer",
                &[("declared_value", "85000.00")],
                "c1H_tnYY5PncQLtJWF6NhCYeV52eof7xp5IUvrEsKI0",
            ),
        ];
        for (service, answers, id) in cases {
            let answers: Answers = answers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let q = c.quote(service, &answers, "general", date).unwrap();
            assert_eq!(q.quote_id, id, "{service}");
            check(&q);
        }
    }

    /// The passport's fragments: every line of the benchmarked quote and its middle run are
    /// written ahead, and used.
    #[test]
    fn fragments_cover_the_passport_quote_and_give_its_bytes() {
        let passport = lesotho().service("home-affairs.passport.ordinary").unwrap();
        let schedule = passport.schedule_on(dates()[3]).unwrap();
        let fragments = Fragments::new(passport, schedule);
        // 32 and 64 pages, urgent, replacement.
        assert_eq!(fragments.lines.len(), 4);
        let answers: Answers = [("pages", "64"), ("urgent", "true")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into();
        let q = crate::fees::quote(passport, &answers, "general", dates()[3]).unwrap();
        assert_eq!(q.lines.len(), 2);
        assert!(q.lines.iter().all(|l| fragments.line(l).is_some()));
        assert!(fragments.middle(&q).is_some());
        let digest = |q: &Quote, known| {
            let mut sink = Sha256Sink::new();
            assert!(write_quote(&mut sink, q, None, known));
            sink.finish().as_ref().to_vec()
        };
        assert_eq!(digest(&q, Some(&fragments)), digest(&q, None));

        // Content that differs from a fragment's, even only in an amount's currency, is
        // written out; the bytes stay the reference's.
        let mut other = q.clone();
        other.lines[0].amount = Money::new(Decimal::new(300, 0), Currency::Zar).unwrap();
        other.lines[1].description.push('!');
        other.service_id.push('x');
        assert!(other.lines.iter().all(|l| fragments.line(l).is_none()));
        assert!(fragments.middle(&other).is_none());
        let reference = ring::digest::digest(&ring::digest::SHA256, &reference_without_id(&other));
        assert_eq!(digest(&other, Some(&fragments)), reference.as_ref());
    }

    #[test]
    fn a_huge_quantity_falls_back_to_the_reference_path() {
        let passport = lesotho().service("home-affairs.passport.ordinary").unwrap();
        let answers = answers(passport, dates()[3], &[0, 1]);
        let mut q = crate::fees::quote(passport, &answers, "general", dates()[3]).unwrap();
        for quantity in [MAX_SAFE_INTEGER, MAX_SAFE_INTEGER + 1, u64::MAX] {
            q.lines[0].quantity = quantity;
            check(&q);
        }
    }

    fn text() -> impl Strategy<Value = String> {
        proptest::string::string_regex(
            "[\\x00-\\x1f\"\\\\a-z_. \u{7f}\u{e9}\u{2028}\u{e000}-\u{ffff}\u{10000}-\u{10ffff}]{0,8}|[a-z ]{0,30}[\x00-\x1f\"\\\\\u{e9}]?[a-z ]{0,30}",
        )
        .unwrap()
    }

    use crate::fees::text::tests::{date_any, decimal, money};

    /// `len` letters `a`, `b`, … with `c` in place of the one at `at` (if `at < len`).
    fn letters_with(len: usize, at: usize, c: char) -> String {
        (0..len)
            .map(|i| {
                if i == at {
                    c
                } else {
                    (b'a' + (i % 26) as u8) as char
                }
            })
            .collect()
    }

    fn quantity() -> impl Strategy<Value = u64> {
        prop_oneof![
            8 => 0u64..1000,
            1 => Just(MAX_SAFE_INTEGER),
            1 => any::<u64>(),
        ]
    }

    fn quote_line() -> impl Strategy<Value = QuoteLine> {
        (
            (text(), text(), text(), quantity()),
            (
                money(),
                money(),
                any::<bool>(),
                proptest::option::of(text()),
            ),
        )
            .prop_map(
                |(
                    (rule_id, description, legal_reference, quantity),
                    (unit, amount, taxable, basis),
                )| {
                    QuoteLine {
                        rule_id,
                        description,
                        legal_reference,
                        quantity,
                        unit_amount: unit,
                        amount,
                        taxable,
                        basis,
                    }
                },
            )
    }

    fn exemption_line() -> impl Strategy<Value = ExemptionLine> {
        (
            (text(), text(), text(), text()),
            (
                text(),
                decimal(),
                proptest::collection::vec(text(), 0..3),
                money(),
            ),
        )
            .prop_map(
                |(
                    (rule_id, description, legal_reference, reason),
                    (category, percent, applies_to, amount),
                )| {
                    ExemptionLine {
                        rule_id,
                        description,
                        legal_reference,
                        reason,
                        category,
                        percent,
                        applies_to,
                        amount,
                    }
                },
            )
    }

    fn tax_line() -> impl Strategy<Value = TaxLine> {
        (text(), text(), text(), decimal(), money(), money()).prop_map(
            |(rule_id, description, legal_reference, percent, base, amount)| TaxLine {
                rule_id,
                description,
                legal_reference,
                percent,
                base,
                amount,
            },
        )
    }

    fn rounding_any() -> impl Strategy<Value = Rounding> {
        prop_oneof![
            Just(Rounding::HalfUp),
            Just(Rounding::HalfEven),
            Just(Rounding::Down),
            Just(Rounding::Up)
        ]
    }

    /// Any quote the types allow, whether or not the fee engine would make it.
    fn any_quote() -> impl Strategy<Value = Quote> {
        (
            (
                text(),
                text(),
                date_any(),
                text(),
                any::<bool>(),
                any::<bool>(),
            ),
            (
                any::<bool>(),
                date_any(),
                proptest::option::of(date_any()),
                text(),
                rounding_any(),
                proptest::collection::btree_map(text(), text(), 0..5),
            ),
            (
                proptest::collection::vec(quote_line(), 0..4),
                proptest::collection::vec(exemption_line(), 0..3),
                proptest::collection::vec(tax_line(), 0..3),
                money(),
                money(),
                money(),
            ),
        )
            .prop_map(
                |(
                    (quote_id, service_id, date, applicant_category, zar, par),
                    (upfront, from, to, legal_reference, rounding, inputs),
                    (lines, exemptions, taxes, subtotal, tax_total, total),
                )| Quote {
                    quote_id,
                    service_id,
                    date,
                    applicant_category,
                    currency: if zar { Currency::Zar } else { Currency::Lsl },
                    accepts_zar_at_par: par,
                    payment_due: if upfront {
                        PaymentDue::Upfront
                    } else {
                        PaymentDue::OnApproval
                    },
                    schedule: ScheduleRef {
                        effective_from: from,
                        effective_to: to,
                        legal_reference,
                    },
                    rounding,
                    inputs: inputs.into_iter().collect::<BTreeMap<_, _>>(),
                    lines,
                    exemptions,
                    taxes,
                    subtotal,
                    tax_total,
                    total,
                },
            )
    }

    proptest! {
        #[test]
        fn the_direct_writer_agrees_with_the_reference_on_any_quote(q in any_quote()) {
            check(&q);
        }

        #[test]
        fn the_direct_writer_agrees_with_the_reference_on_shipped_services(
            service in 0usize..64,
            day in 0u64..4000,
            category in 0usize..64,
            pick in proptest::collection::vec(0usize..1000, 8),
        ) {
            let c = lesotho();
            let service = &c.services[service % c.services.len()];
            let date = crate::catalogue::de::parse_date("2019-01-01")
                .and_then(|d| d.checked_add_days(Days::new(day)))
                .unwrap();
            let categories = categories();
            let category = &categories[category % categories.len()];
            if let Ok(q) = crate::fees::quote(service, &answers(service, date, &pick), category, date) {
                check(&q);
            }
        }
    }

    /// Every byte that needs escaping, and some that do not, at every position of texts long
    /// enough for the eight-byte steps (and across the sink's buffer boundary).
    #[test]
    fn strings_are_escaped_as_the_reference_does_at_every_position() {
        let specials = [
            '\0', '\u{8}', '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{1f}', '"', '\\',
        ];
        let others = [
            '\u{7f}',
            'é',
            '\u{2028}',
            '\u{ffff}',
            '\u{10ffff}',
            ' ',
            '!',
            '#',
            '[',
            ']',
        ];
        for c in specials.iter().chain(&others) {
            for len in [0, 1, 7, 8, 9, 15, 16, 17, 40] {
                for at in 0..=len {
                    let text = letters_with(len, at, *c);
                    let mut out = Vec::new();
                    string(&mut out, &text);
                    assert_eq!(out, crate::json::canonical(&text).unwrap(), "{text:?}");
                }
            }
        }
        for b in 0u8..=0x7f {
            let text = format!("abcdefgh{}ijklmnop", b as char);
            let mut out = Vec::new();
            string(&mut out, &text);
            assert_eq!(out, crate::json::canonical(&text).unwrap(), "{b:#x}");
        }
    }

    #[test]
    fn the_sha256_sink_hashes_exactly_what_it_is_given() {
        let data: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
        for pieces in [
            1, 3, 64, 100, 255, 256, 257, 1000, 1023, 1024, 1025, 2048, 5000,
        ] {
            let mut sink = Sha256Sink::new();
            for chunk in data.chunks(pieces) {
                sink.bytes(chunk);
            }
            sink.byte(b'x');
            let mut whole = data.clone();
            whole.push(b'x');
            let expected = ring::digest::digest(&ring::digest::SHA256, &whole);
            assert_eq!(sink.finish().as_ref(), expected.as_ref(), "{pieces}");
        }
    }

    /// Decimals at the edges of the text: signed zeros, fractions below one, amounts, the
    /// largest mantissas and scales.
    const EDGE_DECIMALS: [Decimal; 13] = [
        Decimal::ZERO,
        Decimal::from_parts(0, 0, 0, true, 0),
        Decimal::from_parts(0, 0, 0, true, 2),
        Decimal::from_parts(0, 0, 0, true, 3),
        Decimal::from_parts(5, 0, 0, false, 3),
        Decimal::from_parts(5, 0, 0, true, 1),
        Decimal::from_parts(13000, 0, 0, false, 2),
        Decimal::from_parts(99999, 0, 0, true, 2),
        Decimal::from_parts(80000, 0, 0, false, 2),
        Decimal::MAX,
        Decimal::MIN,
        Decimal::from_parts(1, 0, 0, true, 28),
        Decimal::from_parts(u32::MAX, u32::MAX, u32::MAX, false, 28),
    ];

    #[test]
    fn decimals_are_written_as_their_serde_form() {
        for d in EDGE_DECIMALS {
            let mut out = Vec::new();
            decimal_string(&mut out, &d);
            assert_eq!(out, serde_json::to_vec(&d).unwrap(), "{d:?}");
        }
    }

    /// Bytes already in the SHA-256 sink's buffer before a piece: from empty to full, so that
    /// its direct writes run both where the piece fits and where it does not.
    const OFFSETS: [usize; 9] = [0, 1, 7, 200, 216, 217, 240, 255, 256];

    /// SHA-256 of `offset` filler bytes, then `write`'s piece, through the SHA-256 sink;
    /// and the same through a `Vec` and ring in one call.
    fn through_both(offset: usize, write: impl Fn(&mut dyn FnMut(Piece))) -> (Vec<u8>, Vec<u8>) {
        let filler: Vec<u8> = (0..offset).map(|i| b'a' + (i % 26) as u8).collect();
        let mut sink = Sha256Sink::new();
        sink.bytes(&filler);
        let mut vec = filler.clone();
        write(&mut |piece| match piece {
            Piece::Text(t) => {
                string(&mut sink, t);
                string(&mut vec, t);
            }
            Piece::Decimal(d) => {
                decimal_string(&mut sink, &d);
                decimal_string(&mut vec, &d);
            }
        });
        let direct = sink.finish().as_ref().to_vec();
        let reference = ring::digest::digest(&ring::digest::SHA256, &vec)
            .as_ref()
            .to_vec();
        (direct, reference)
    }

    enum Piece<'a> {
        Text(&'a str),
        Decimal(Decimal),
    }

    #[test]
    fn the_sha256_sink_writes_strings_as_the_vec_does_wherever_they_fall() {
        let specials = ['\0', '\u{1f}', '\n', '"', '\\', 'é', '\u{2028}', ' '];
        for c in specials {
            for len in [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 40, 300] {
                for at in (0..=len).filter(|at| *at < 20 || *at + 20 > len) {
                    let text = letters_with(len, at, c);
                    for offset in OFFSETS {
                        let (direct, reference) =
                            through_both(offset, |put| put(Piece::Text(&text)));
                        assert_eq!(direct, reference, "{text:?} after {offset}");
                    }
                }
            }
        }
        // The escaped form against the reference canonicaliser, through the SHA-256 sink too.
        let text = "O\"Brien \\ \u{2028} é\t\n\u{1}";
        let mut sink = Sha256Sink::new();
        string(&mut sink, text);
        let expected = crate::json::canonical(&text).unwrap();
        assert_eq!(
            sink.finish().as_ref(),
            ring::digest::digest(&ring::digest::SHA256, &expected).as_ref()
        );
    }

    #[test]
    fn the_sha256_sink_writes_decimals_as_the_vec_does_wherever_they_fall() {
        for d in EDGE_DECIMALS {
            for offset in OFFSETS {
                let (direct, reference) = through_both(offset, |put| put(Piece::Decimal(d)));
                assert_eq!(direct, reference, "{d:?} after {offset}");
            }
        }
    }

    proptest! {
        /// The decimal text against `rust_decimal`'s own `Display` (its serde form is the same
        /// text), through both sinks.
        #[test]
        fn decimals_of_every_scale_and_size_are_written_as_rust_decimal_does(
            d in decimal(),
            offset in 0usize..=256,
        ) {
            let mut buf = [0u8; DECIMAL_TEXT];
            let start = decimal_text(&mut buf, &d);
            prop_assert_eq!(std::str::from_utf8(&buf[start..]).unwrap(), d.to_string());
            let (direct, reference) = through_both(offset, |put| put(Piece::Decimal(d)));
            prop_assert_eq!(direct, reference);
        }
    }
}
