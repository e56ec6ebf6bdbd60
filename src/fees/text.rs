//! Numbers, amounts and dates as text, without `fmt`: for the canonical writer (straight
//! into its buffer) and for the explanations on quote lines (`basis`).
//!
//! Each gives exactly the text of the `Display` (and serde) form it stands in for:
//! `rust_decimal`'s for decimals, [`Money`]'s for amounts, chrono's for dates; the tests
//! compare them over generated values.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::money::Money;

/// Room for any decimal's text: a sign, 29 digits (a 96-bit mantissa), a point and, for a
/// scale of 28 with fewer digits, the zeros before them (at most 31 bytes in all).
pub(super) const DECIMAL_TEXT: usize = 32;

/// `00`, `01`, … `99`: two digits at a time.
const DIGIT_PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Writes `d` as `rust_decimal`'s serde form (and `Display`) writes it, ending at the end of
/// `buf`, and returns where it starts: a `-` for a negative sign (even on zero), the
/// mantissa's digits with the point `scale` digits from the right, zeros before them when
/// there are fewer, and a `0` before a leading point.
pub(super) fn decimal_text(buf: &mut [u8; DECIMAL_TEXT], d: &Decimal) -> usize {
    let scale = d.scale();
    let mut out = Backwards {
        buf,
        at: DECIMAL_TEXT,
    };
    let mantissa = d.mantissa().unsigned_abs();
    match u64::try_from(mantissa) {
        // Every amount of money and every percentage: u64 arithmetic, two digits at a time.
        Ok(mut n) => {
            let mut left = scale;
            while left >= 2 {
                out.pair(n % 100);
                n /= 100;
                left -= 2;
            }
            if left == 1 {
                out.put(b'0' + (n % 10) as u8);
                n /= 10;
            }
            if scale > 0 {
                out.put(b'.');
            }
            out.whole(n);
        }
        // The largest mantissas: u128, a digit at a time.
        Err(_) => {
            let mut n = mantissa;
            for _ in 0..scale {
                out.put(b'0' + (n % 10) as u8);
                n /= 10;
            }
            if scale > 0 {
                out.put(b'.');
            }
            loop {
                out.put(b'0' + (n % 10) as u8);
                n /= 10;
                if n == 0 {
                    break;
                }
            }
        }
    }
    if d.is_sign_negative() {
        out.put(b'-');
    }
    out.at
}

/// Fills a buffer from `at` towards its start.
struct Backwards<'a> {
    buf: &'a mut [u8],
    at: usize,
}

impl Backwards<'_> {
    fn put(&mut self, byte: u8) {
        self.at = self.at.saturating_sub(1);
        if let Some(b) = self.buf.get_mut(self.at) {
            *b = byte;
        }
    }

    /// The digits of `n` (`0` for zero).
    fn whole(&mut self, mut n: u64) {
        while n >= 100 {
            self.pair(n % 100);
            n /= 100;
        }
        if n >= 10 {
            self.pair(n);
        } else {
            self.put(b'0' + n as u8);
        }
    }

    /// The two digits of `n` (below 100).
    fn pair(&mut self, n: u64) {
        let i = n as usize * 2;
        if let (Some(at), Some(digits)) = (
            self.at.checked_sub(2),
            DIGIT_PAIRS.get(i..i + 2).and_then(|d| d.first_chunk::<2>()),
        ) {
            if let Some(room) = self.buf.get_mut(at..at + 2) {
                room.copy_from_slice(digits);
            }
            self.at = at;
        }
    }
}

/// Room for a date's text: a sign, six digits of year (chrono's range) and `-MM-DD`.
pub(super) const DATE_TEXT: usize = 16;

/// Writes `d` as chrono writes it (`Display`, serde) at the start of `buf` and returns its
/// length: `2026-03-01`, or with a sign and at least four digits of year outside 0000 to
/// 9999 (`+10000-01-01`, `-0001-12-31`).
pub(super) fn date_text(buf: &mut [u8; DATE_TEXT], d: NaiveDate) -> usize {
    let year = d.year();
    let (month, day) = (d.month(), d.day());
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let month_day = [
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(day / 10),
        digit(day),
    ];
    if let Some(y) = u32::try_from(year).ok().filter(|y| *y <= 9999) {
        let [h0, m0, m1, h1, d0, d1] = month_day;
        let text = [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            h0,
            m0,
            m1,
            h1,
            d0,
            d1,
        ];
        if let Some(room) = buf.first_chunk_mut::<10>() {
            *room = text;
        }
        return text.len();
    }
    // A sign and at least four digits of year.
    let y = year.unsigned_abs();
    let digits = y.checked_ilog10().map_or(1, |l| l + 1).max(4);
    let sign = if year < 0 { b'-' } else { b'+' };
    let year_digits = (0..digits).rev().map(|k| digit(y / 10u32.pow(k)));
    let mut len = 0;
    for (room, byte) in buf
        .iter_mut()
        .zip(std::iter::once(sign).chain(year_digits).chain(month_day))
    {
        *room = byte;
        len += 1;
    }
    len
}

/// Appends ASCII text.
fn push_ascii(s: &mut String, bytes: &[u8]) {
    match std::str::from_utf8(bytes) {
        Ok(text) => s.push_str(text),
        // Never: every caller writes ASCII.
        Err(_) => s.extend(bytes.iter().map(|&b| char::from(b))),
    }
}

/// Appends `d` as its `Display` writes it.
pub(super) fn push_decimal(s: &mut String, d: &Decimal) {
    let mut buf = [0u8; DECIMAL_TEXT];
    let start = decimal_text(&mut buf, d);
    push_ascii(s, buf.get(start..).unwrap_or_default());
}

/// Appends `m` as its `Display` writes it: `M 130.00`, `-R 5.50`.
pub(super) fn push_money(s: &mut String, m: &Money) {
    if m.is_negative() {
        s.push('-');
    }
    s.push_str(m.currency().symbol());
    s.push(' ');
    push_decimal(s, &m.amount().abs());
}

/// Appends `d` as its `Display` writes it: `2026-03-01`.
pub(super) fn push_date(s: &mut String, d: NaiveDate) {
    let mut buf = [0u8; DATE_TEXT];
    let len = date_text(&mut buf, d);
    push_ascii(s, buf.get(..len).unwrap_or_default());
}

/// Appends `n` as its `Display` writes it.
pub(super) fn push_unsigned(s: &mut String, n: u64) {
    s.push_str(itoa::Buffer::new().format(n));
}

/// Appends `n` as its `Display` writes it.
pub(super) fn push_signed(s: &mut String, n: i64) {
    if n < 0 {
        s.push('-');
    }
    push_unsigned(s, n.unsigned_abs());
}

/// base64url without padding (RFC 4648, section 5): how a quote's id writes its SHA-256.
pub(super) fn base64url(bytes: &[u8]) -> String {
    let mut out = String::new();
    base64url_into(&mut out, bytes);
    out
}

/// Makes `s` [`base64url`] of `bytes`: encoded by the `base64` crate into a stack buffer (a
/// digest of up to 48 bytes fits), then [`assign`]ed.
pub(super) fn base64url_into(s: &mut String, bytes: &[u8]) {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    let mut text = [0u8; 64];
    match URL_SAFE_NO_PAD.encode_slice(bytes, &mut text) {
        Ok(len) => {
            let text = text.get(..len).unwrap_or_default();
            match std::str::from_utf8(text) {
                Ok(text) => assign(s, text),
                // Never: base64 is ASCII.
                Err(_) => {
                    s.clear();
                    push_ascii(s, text);
                }
            }
        }
        Err(_) => {
            s.clear();
            URL_SAFE_NO_PAD.encode_string(bytes, s);
        }
    }
}

/// Makes `s` hold `text`: in the memory it has when that is enough, else in one allocation of
/// the exact size (an empty `String` is filled as `to_owned` would).
pub(super) fn assign(s: &mut String, text: &str) {
    if s.capacity() < text.len() {
        *s = text.to_owned();
    } else {
        s.clear();
        s.push_str(text);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    use proptest::prelude::*;

    use super::*;
    use crate::money::{Currency, Rounding};

    /// Any representable decimal: every scale, both signs (negative zero included), up to the
    /// full 96-bit mantissa. Shared by the fee module's property tests.
    pub(crate) fn decimal() -> impl Strategy<Value = Decimal> {
        let mantissa = prop_oneof![0u32..=1000, Just(u32::MAX), any::<u32>()];
        (
            mantissa,
            any::<u32>(),
            any::<u32>(),
            any::<bool>(),
            0u32..=28,
            0u8..4,
        )
            .prop_map(|(lo, mid, hi, negative, scale, size)| match size {
                0 => Decimal::from_parts(lo, 0, 0, negative, scale.min(4)),
                1 => Decimal::from_parts(lo, mid, 0, negative, scale),
                _ => Decimal::from_parts(lo, mid, hi, negative, scale),
            })
    }

    /// Amounts: small, large, negative, zero; any that `Money` refuses become zero.
    pub(crate) fn money() -> impl Strategy<Value = Money> {
        (decimal(), any::<bool>()).prop_map(|(d, zar)| {
            let currency = if zar { Currency::Zar } else { Currency::Lsl };
            Money::round(d, currency, Rounding::HalfUp).unwrap_or(Money::zero(currency))
        })
    }

    /// Any date chrono can hold, often one near today.
    pub(crate) fn date_any() -> impl Strategy<Value = NaiveDate> {
        let min = NaiveDate::MIN.num_days_from_ce();
        let max = NaiveDate::MAX.num_days_from_ce();
        prop_oneof![
            (min..=max).prop_map(NaiveDate::from_num_days_from_ce_opt),
            (730_000i32..=740_000).prop_map(NaiveDate::from_num_days_from_ce_opt),
        ]
        .prop_map(|d| d.unwrap_or_default())
    }

    fn text_of(f: impl FnOnce(&mut String)) -> String {
        let mut s = String::from("x");
        f(&mut s);
        s
    }

    proptest! {
        #[test]
        fn decimals_amounts_and_numbers_are_their_display(
            d in decimal(),
            zar in any::<bool>(),
            u in prop_oneof![0u64..1000, any::<u64>()],
            i in any::<i64>(),
        ) {
            prop_assert_eq!(text_of(|s| push_decimal(s, &d)), format!("x{d}"));
            let currency = if zar { Currency::Zar } else { Currency::Lsl };
            let m = Money::round(d, currency, Rounding::HalfUp).unwrap_or(Money::zero(currency));
            prop_assert_eq!(text_of(|s| push_money(s, &m)), format!("x{m}"));
            prop_assert_eq!(text_of(|s| push_unsigned(s, u)), format!("x{u}"));
            prop_assert_eq!(text_of(|s| push_signed(s, i)), format!("x{i}"));
        }

        #[test]
        fn dates_are_their_display(
            days in prop_oneof![
                NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce(),
                -1000i32..=1000,
                3_650_000i32..=3_653_000,
                730_000i32..=740_000,
            ],
        ) {
            let d = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            prop_assert_eq!(text_of(|s| push_date(s, d)), format!("x{d}"));
        }
    }

    #[test]
    fn edge_numbers_and_dates_are_their_display() {
        for n in [0, 9, 10, 99, 100, 101, 999, 1000, u64::MAX / 10, u64::MAX] {
            assert_eq!(text_of(|s| push_unsigned(s, n)), format!("x{n}"));
        }
        for n in [i64::MIN, -1, 0, i64::MAX] {
            assert_eq!(text_of(|s| push_signed(s, n)), format!("x{n}"));
        }
        for d in [NaiveDate::MIN, NaiveDate::MAX, NaiveDate::default()] {
            assert_eq!(text_of(|s| push_date(s, d)), format!("x{d}"));
        }
        for y in [-10000, -9999, -1, 0, 1, 999, 9999, 10000, 99999] {
            let d = NaiveDate::from_ymd_opt(y, 12, 31).unwrap();
            assert_eq!(text_of(|s| push_date(s, d)), format!("x{d}"));
        }
    }

    #[test]
    fn base64url_is_the_base64_crates_url_safe_no_pad() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 151 % 256) as u8).collect();
        for len in 0..=100 {
            for from in [0, 1, 2, 97, 200] {
                let bytes = &data[from..from + len];
                assert_eq!(base64url(bytes), URL_SAFE_NO_PAD.encode(bytes), "{bytes:?}");
            }
        }
        for b in 0..=255u8 {
            for bytes in [vec![b], vec![b, !b], vec![!b, b, b]] {
                assert_eq!(base64url(&bytes), URL_SAFE_NO_PAD.encode(&bytes));
            }
        }
    }
}
