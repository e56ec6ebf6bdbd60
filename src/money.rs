//! Exact money: a [`Decimal`] amount in a [`Currency`], never a float.
//!
//! * A [`Money`] always holds **exactly** its currency's minor digits (`130.00`, never `130`
//!   or `130.001`), so equal amounts print, serialise and hash identically.
//! * In JSON a money value is `{"amount":"130.00","currency":"LSL"}`: the amount is a decimal
//!   **string**. JSON numbers are refused, and so are amounts with more minor digits than the
//!   currency has.
//! * Arithmetic is checked: overflow is [`Error::Overflow`], mixing currencies is
//!   [`Error::CurrencyMismatch`]. The only currencies that may stand in for each other are the
//!   loti (LSL) and the rand (ZAR), which circulate at par; that conversion is explicit
//!   ([`Money::at_par`]) and happens only where a fee schedule allows it.
//! * Rounding is explicit: results with more digits than the currency has (a percentage, a
//!   tax) go through [`Money::round`] with a [`Rounding`] rule; the default is half-up
//!   (a midpoint rounds away from zero) to the currency's minor unit, 0.01 for LSL and ZAR.
//!
//! ```
//! use eservices::money::{Currency, Money};
//! use rust_decimal::Decimal;
//!
//! let fee = Money::parse("300", Currency::Lsl)?;
//! let urgent = Money::parse("500.00", Currency::Lsl)?;
//! let total = fee.checked_add(&urgent)?;
//! assert_eq!(total.to_string(), "M 800.00");
//! assert_eq!(total.to_string_amount(), "800.00");
//! assert_eq!(
//!     serde_json::to_string(&total)?,
//!     r#"{"amount":"800.00","currency":"LSL"}"#
//! );
//! // 15 % of M 0.10 is 0.015: rounded half-up, once, to M 0.02.
//! let vat = Money::round(Decimal::new(15, 3), Currency::Lsl, Default::default())?;
//! assert_eq!(vat.to_string_amount(), "0.02");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// An ISO 4217 currency that this crate handles.
///
/// ```
/// use eservices::money::Currency;
/// let lsl: Currency = "LSL".parse()?;
/// assert_eq!(lsl.minor_digits(), 2);
/// assert!(lsl.is_at_par_with(Currency::Zar));
/// # Ok::<(), eservices::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
pub enum Currency {
    /// Lesotho loti (plural maloti), `LSL`, symbol `M`; 100 lisente to the loti.
    Lsl,
    /// South African rand, `ZAR`, symbol `R`; 100 cents to the rand. Circulates in Lesotho
    /// at par with the loti.
    Zar,
}

impl Currency {
    /// Every supported currency, in code order.
    pub const ALL: [Currency; 2] = [Currency::Lsl, Currency::Zar];

    /// The ISO 4217 alphabetic code, e.g. `"LSL"`.
    ///
    /// ```
    /// assert_eq!(eservices::money::Currency::Zar.code(), "ZAR");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Currency::Lsl => "LSL",
            Currency::Zar => "ZAR",
        }
    }

    /// Looks a currency up by its ISO 4217 code (exact, upper case).
    ///
    /// ```
    /// use eservices::money::Currency;
    /// assert_eq!(Currency::from_code("LSL")?, Currency::Lsl);
    /// assert!(Currency::from_code("lsl").is_err());
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn from_code(code: &str) -> Result<Currency> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code() == code)
            .ok_or_else(|| Error::UnknownCurrency { code: code.into() })
    }

    /// Digits after the decimal point in this currency's amounts (2 for LSL and ZAR).
    ///
    /// ```
    /// assert_eq!(eservices::money::Currency::Lsl.minor_digits(), 2);
    /// ```
    pub fn minor_digits(self) -> u32 {
        match self {
            Currency::Lsl | Currency::Zar => 2,
        }
    }

    /// The symbol used in [`Money`]'s `Display`: `M` for the loti, `R` for the rand.
    ///
    /// ```
    /// assert_eq!(eservices::money::Currency::Lsl.symbol(), "M");
    /// ```
    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Lsl => "M",
            Currency::Zar => "R",
        }
    }

    /// The English name of the major unit, plural (`"maloti"`, `"rand"`).
    ///
    /// ```
    /// assert_eq!(eservices::money::Currency::Lsl.name(), "maloti");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Currency::Lsl => "maloti",
            Currency::Zar => "rand",
        }
    }

    /// The name of the minor unit, plural (`"lisente"`, `"cents"`).
    ///
    /// ```
    /// assert_eq!(eservices::money::Currency::Lsl.minor_unit_name(), "lisente");
    /// ```
    pub fn minor_unit_name(self) -> &'static str {
        match self {
            Currency::Lsl => "lisente",
            Currency::Zar => "cents",
        }
    }

    /// True when one unit of `self` is worth exactly one unit of `other`: the same currency,
    /// or the loti and the rand (Common Monetary Area, at par).
    ///
    /// ```
    /// use eservices::money::Currency;
    /// assert!(Currency::Zar.is_at_par_with(Currency::Lsl));
    /// assert!(Currency::Lsl.is_at_par_with(Currency::Lsl));
    /// ```
    pub fn is_at_par_with(self, other: Currency) -> bool {
        match (self, other) {
            (a, b) if a == b => true,
            (Currency::Lsl, Currency::Zar) | (Currency::Zar, Currency::Lsl) => true,
            _ => false,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = Error;
    fn from_str(s: &str) -> Result<Currency> {
        Currency::from_code(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Currency, D::Error> {
        let code = String::deserialize(d)?;
        Currency::from_code(&code).map_err(de::Error::custom)
    }
}

/// How an amount with more digits than its currency allows is brought to the minor unit.
///
/// In JSON: `"half_up"`, `"half_even"`, `"down"`, `"up"`.
///
/// ```
/// use eservices::money::{Currency, Money, Rounding};
/// use rust_decimal::Decimal;
/// let x = Decimal::new(125, 3); // 0.125
/// assert_eq!(Money::round(x, Currency::Lsl, Rounding::HalfUp)?.to_string_amount(), "0.13");
/// assert_eq!(Money::round(x, Currency::Lsl, Rounding::HalfEven)?.to_string_amount(), "0.12");
/// # Ok::<(), eservices::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
pub enum Rounding {
    /// To the nearest minor unit; a midpoint rounds away from zero (0.125 → 0.13,
    /// −0.125 → −0.13). The default.
    #[default]
    HalfUp,
    /// To the nearest minor unit; a midpoint rounds to the even digit (0.125 → 0.12).
    HalfEven,
    /// Toward zero (0.129 → 0.12).
    Down,
    /// Away from zero (0.121 → 0.13).
    Up,
}

impl Rounding {
    fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            Rounding::Down => RoundingStrategy::ToZero,
            Rounding::Up => RoundingStrategy::AwayFromZero,
        }
    }
}

/// Parses a decimal written the plain way: an optional `-`, one or more ASCII digits, and
/// optionally a `.` followed by one or more digits. No `+`, exponent, spaces, separators or
/// leading `.`; at most 28 significant digits.
///
/// This is the one decimal syntax of the crate (amounts, percentages, numeric answers).
///
/// ```
/// use eservices::money::parse_decimal;
/// assert_eq!(parse_decimal("-12.50")?.to_string(), "-12.50");
/// assert!(parse_decimal("1e3").is_err());
/// assert!(parse_decimal(" 1").is_err());
/// assert!(parse_decimal("1.").is_err());
/// # Ok::<(), eservices::Error>(())
/// ```
pub fn parse_decimal(text: &str) -> Result<Decimal> {
    let bad = |reason: &str| Error::InvalidAmount {
        value: text.into(),
        reason: reason.into(),
    };
    let digits = text.strip_prefix('-').unwrap_or(text).as_bytes();
    let (int, frac) = match digits.iter().position(|&b| b == b'.') {
        Some(point) => {
            let (int, frac) = digits.split_at(point);
            (int, frac.get(1..))
        }
        None => (digits, None),
    };
    let all_digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) {
        return Err(bad(
            "not a plain decimal (digits, optional '-' and optional '.' followed by digits)",
        ));
    }
    Decimal::from_str_exact(text).map_err(|e| bad(&format!("out of range: {e}")))
}

/// An exact amount of money in one currency, always with exactly the currency's minor digits.
///
/// Build one with [`Money::new`] (refuses extra digits), [`Money::parse`], [`Money::round`]
/// (rounds explicitly) or [`Money::zero`]. Amounts may be negative (a waiver on a quote is a
/// negative line); fee schedules refuse negative prices when they are loaded.
///
/// `Display` gives the symbol, a space and the amount: `M 130.00`, `R 5.50`, `-M 20.00`.
///
/// ```
/// use eservices::money::{Currency, Money};
/// let m = Money::parse("130", Currency::Lsl)?;
/// assert_eq!(m.to_string(), "M 130.00");
/// assert!(Money::parse("130.001", Currency::Lsl).is_err());
/// let back: Money = serde_json::from_str(r#"{"amount":"130.00","currency":"LSL"}"#)?;
/// assert_eq!(back, m);
/// assert!(serde_json::from_str::<Money>(r#"{"amount":130,"currency":"LSL"}"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// An exact amount. Refuses amounts whose value needs more minor digits than `currency`
    /// has ([`Error::InvalidAmount`]; trailing zeros such as `1.000` are harmless here, unlike
    /// in [`Money::parse`]); pads shorter ones (`130` → `130.00`).
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// use rust_decimal::Decimal;
    /// assert_eq!(Money::new(Decimal::new(13, 0), Currency::Lsl)?.to_string_amount(), "13.00");
    /// assert!(Money::new(Decimal::new(13001, 3), Currency::Lsl).is_err());
    /// # Ok::<(), eservices::Error>(())
    /// ```
    #[inline]
    pub fn new(amount: Decimal, currency: Currency) -> Result<Money> {
        let digits = currency.minor_digits();
        if amount.scale() > digits && amount.normalize().scale() > digits {
            return Err(too_precise(&amount, currency));
        }
        Money::exact(amount, currency)
    }

    /// Rounds `amount` to `currency`'s minor unit with `rounding`. This is the one place where
    /// money is rounded; the fee engine calls it once per quote line.
    ///
    /// ```
    /// use eservices::money::{Currency, Money, Rounding};
    /// use rust_decimal::Decimal;
    /// let m = Money::round(Decimal::new(-1005, 3), Currency::Lsl, Rounding::HalfUp)?;
    /// assert_eq!(m.to_string_amount(), "-1.01");
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn round(amount: Decimal, currency: Currency, rounding: Rounding) -> Result<Money> {
        let rounded = amount.round_dp_with_strategy(currency.minor_digits(), rounding.strategy());
        Money::exact(rounded, currency)
    }

    /// Zero in `currency` (`0.00`).
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// assert_eq!(Money::zero(Currency::Zar).to_string(), "R 0.00");
    /// ```
    pub fn zero(currency: Currency) -> Money {
        Money {
            amount: Decimal::new(0, currency.minor_digits()),
            currency,
        }
    }

    /// Parses a plain decimal string (see [`parse_decimal`]) into an amount of `currency`,
    /// refusing more minor digits than the currency has.
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// assert_eq!(Money::parse("0.5", Currency::Lsl)?.to_string_amount(), "0.50");
    /// assert!(Money::parse("1,000.00", Currency::Lsl).is_err());
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn parse(text: &str, currency: Currency) -> Result<Money> {
        let amount = parse_decimal(text)?;
        if amount.scale() > currency.minor_digits() {
            return Err(Error::InvalidAmount {
                value: text.into(),
                reason: format!(
                    "{} has {} minor digits; this amount has more",
                    currency.code(),
                    currency.minor_digits()
                ),
            });
        }
        Money::exact(amount, currency)
    }

    /// Rescales a value already known to have no more than the minor digits.
    #[inline]
    fn exact(mut amount: Decimal, currency: Currency) -> Result<Money> {
        if amount.scale() == currency.minor_digits() {
            // Already in form (the usual case: sums of amounts and catalogue prices):
            // normalising and rescaling would give back the same mantissa and scale.
            if amount.is_zero() {
                amount.set_sign_positive(true);
            }
            return Ok(Money { amount, currency });
        }
        Money::rescaled(amount, currency)
    }

    /// [`Money::exact`] for a value with another scale.
    #[cold]
    #[inline(never)]
    fn rescaled(mut amount: Decimal, currency: Currency) -> Result<Money> {
        let digits = currency.minor_digits();
        amount = amount.normalize();
        amount.rescale(digits);
        if amount.scale() != digits {
            // `rescale` shrinks the scale rather than overflow the 96-bit mantissa.
            return Err(Error::Overflow {
                operation: "rescale".into(),
            });
        }
        if amount.is_zero() {
            amount.set_sign_positive(true);
        }
        Ok(Money { amount, currency })
    }

    /// The amount, with exactly the currency's minor digits.
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// assert_eq!(Money::parse("7", Currency::Lsl)?.amount().scale(), 2);
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// assert_eq!(Money::zero(Currency::Lsl).currency(), Currency::Lsl);
    /// ```
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The amount alone, as in JSON: `"130.00"`.
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// assert_eq!(Money::parse("-3.5", Currency::Lsl)?.to_string_amount(), "-3.50");
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn to_string_amount(&self) -> String {
        self.amount.to_string()
    }

    /// True for a negative amount (zero is not negative).
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// assert!(Money::parse("-0.01", Currency::Lsl)?.is_negative());
    /// assert!(!Money::parse("-0", Currency::Lsl)?.is_negative());
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    /// True for zero.
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// assert!(Money::zero(Currency::Lsl).is_zero());
    /// ```
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// `op` on the two amounts' mantissas when both are in the same currency and fit in an
    /// `i64` (every amount below about 92 million million): the same mantissa, scale and sign
    /// as `Decimal`'s arithmetic followed by [`Money::exact`] (the tests compare them), without
    /// either. `None` otherwise (different currencies, an amount or the result too large); the
    /// caller then takes the general way, which checks the currencies. Inlined with its
    /// callers' fast paths: the sum stays in registers rather than coming back through memory
    /// in a `Result` as large as [`Error`].
    #[inline]
    fn small(&self, other: &Money, op: fn(i64, i64) -> Option<i64>) -> Option<Money> {
        if self.currency != other.currency {
            return None;
        }
        let digits = self.currency.minor_digits();
        let mantissa = |m: &Money| {
            (m.amount.scale() == digits)
                .then(|| i64::try_from(m.amount.mantissa()).ok())
                .flatten()
        };
        let result = op(mantissa(self)?, mantissa(other)?)?;
        let amount = Decimal::try_new(result, digits).ok()?;
        Some(Money {
            amount,
            currency: self.currency,
        })
    }

    fn same_currency(&self, other: &Money) -> Result<()> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(Error::CurrencyMismatch {
                left: self.currency.code().into(),
                right: other.currency.code().into(),
            })
        }
    }

    /// `self + other`; both must be in the same currency.
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// let a = Money::parse("1.10", Currency::Lsl)?;
    /// assert_eq!(a.checked_add(&a)?.to_string_amount(), "2.20");
    /// assert!(a.checked_add(&Money::parse("1", Currency::Zar)?).is_err());
    /// # Ok::<(), eservices::Error>(())
    /// ```
    #[inline]
    pub fn checked_add(&self, other: &Money) -> Result<Money> {
        match self.small(other, i64::checked_add) {
            Some(sum) => Ok(sum),
            None => self.general(other, Decimal::checked_add, "add"),
        }
    }

    /// A sum or difference beyond [`Money::small`]: the currencies checked, then `op` on the
    /// `Decimal` amounts (`operation` names it in an overflow error).
    #[cold]
    #[inline(never)]
    fn general(
        &self,
        other: &Money,
        op: fn(Decimal, Decimal) -> Option<Decimal>,
        operation: &str,
    ) -> Result<Money> {
        self.same_currency(other)?;
        let result = op(self.amount, other.amount).ok_or_else(|| overflow(operation))?;
        Money::exact(result, self.currency)
    }

    /// `self − other`; both must be in the same currency.
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// let a = Money::parse("1", Currency::Lsl)?;
    /// assert_eq!(a.checked_sub(&Money::parse("3", Currency::Lsl)?)?.to_string_amount(), "-2.00");
    /// # Ok::<(), eservices::Error>(())
    /// ```
    #[inline]
    pub fn checked_sub(&self, other: &Money) -> Result<Money> {
        match self.small(other, i64::checked_sub) {
            Some(diff) => Ok(diff),
            None => self.general(other, Decimal::checked_sub, "subtract"),
        }
    }

    /// `self × quantity`, exact.
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// let a = Money::parse("20", Currency::Lsl)?;
    /// assert_eq!(a.checked_mul_units(3)?.to_string_amount(), "60.00");
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn checked_mul_units(&self, quantity: u64) -> Result<Money> {
        let product = self
            .amount
            .checked_mul(Decimal::from(quantity))
            .ok_or_else(|| overflow("multiply"))?;
        Money::exact(product, self.currency)
    }

    /// `self × percent ÷ 100`, rounded once with `rounding`.
    ///
    /// ```
    /// use eservices::money::{Currency, Money, Rounding};
    /// use rust_decimal::Decimal;
    /// let base = Money::parse("100.10", Currency::Lsl)?;
    /// let vat = base.percent(Decimal::new(15, 0), Rounding::HalfUp)?;
    /// assert_eq!(vat.to_string_amount(), "15.02"); // 15.015 → 15.02
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn percent(&self, percent: Decimal, rounding: Rounding) -> Result<Money> {
        let raw = percent_of(self.amount, percent)?;
        Money::round(raw, self.currency, rounding)
    }

    /// The negation (`M 5.00` → `-M 5.00`).
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// assert_eq!(Money::parse("5", Currency::Lsl)?.negated().to_string(), "-M 5.00");
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn negated(&self) -> Money {
        let mut amount = -self.amount;
        if amount.is_zero() {
            amount.set_sign_positive(true);
        }
        Money {
            amount,
            currency: self.currency,
        }
    }

    /// The same amount in `to`, which must be at par with this currency
    /// ([`Currency::is_at_par_with`]); otherwise [`Error::CurrencyMismatch`].
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// let m = Money::parse("800", Currency::Lsl)?;
    /// assert_eq!(m.at_par(Currency::Zar)?.to_string(), "R 800.00");
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn at_par(&self, to: Currency) -> Result<Money> {
        if !self.currency.is_at_par_with(to) {
            return Err(Error::CurrencyMismatch {
                left: self.currency.code().into(),
                right: to.code().into(),
            });
        }
        Money::new(self.amount, to)
    }

    /// The smaller of two amounts in the same currency.
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// let (a, b) = (Money::parse("1", Currency::Lsl)?, Money::parse("2", Currency::Lsl)?);
    /// assert_eq!(a.checked_min(&b)?, a);
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn checked_min(&self, other: &Money) -> Result<Money> {
        self.same_currency(other)?;
        Ok(if other.amount < self.amount {
            *other
        } else {
            *self
        })
    }

    /// The larger of two amounts in the same currency.
    ///
    /// ```
    /// use eservices::money::{Currency, Money};
    /// let (a, b) = (Money::parse("1", Currency::Lsl)?, Money::parse("2", Currency::Lsl)?);
    /// assert_eq!(a.checked_max(&b)?, b);
    /// # Ok::<(), eservices::Error>(())
    /// ```
    pub fn checked_max(&self, other: &Money) -> Result<Money> {
        self.same_currency(other)?;
        Ok(if other.amount > self.amount {
            *other
        } else {
            *self
        })
    }
}

/// `value × percent ÷ 100`, exact (no rounding), checked.
///
/// ```
/// use eservices::money::percent_of;
/// use rust_decimal::Decimal;
/// assert_eq!(percent_of(Decimal::new(2000, 0), Decimal::new(15, 1))?.to_string(), "30.0");
/// # Ok::<(), eservices::Error>(())
/// ```
pub fn percent_of(value: Decimal, percent: Decimal) -> Result<Decimal> {
    value
        .checked_mul(percent)
        .ok_or_else(|| overflow("multiply"))?
        .checked_div(Decimal::ONE_HUNDRED)
        .ok_or_else(|| overflow("divide"))
}

fn overflow(operation: &str) -> Error {
    Error::Overflow {
        operation: operation.into(),
    }
}

/// [`Error::InvalidAmount`] for an amount with more minor digits than `currency` has.
#[cold]
#[inline(never)]
fn too_precise(amount: &Decimal, currency: Currency) -> Error {
    Error::InvalidAmount {
        value: amount.to_string(),
        reason: format!(
            "{} has {} minor digits; this amount has more",
            currency.code(),
            currency.minor_digits()
        ),
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.is_negative() { "-" } else { "" };
        write!(f, "{sign}{} {}", self.currency.symbol(), self.amount.abs())
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Money", 2)?;
        st.serialize_field("amount", &self.to_string_amount())?;
        st.serialize_field("currency", self.currency.code())?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Money, D::Error> {
        d.deserialize_struct("Money", &["amount", "currency"], MoneyVisitor)
    }
}

struct MoneyVisitor;

impl<'de> Visitor<'de> for MoneyVisitor {
    type Value = Money;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"an object like {"amount":"130.00","currency":"LSL"}"#)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Money, A::Error> {
        let mut amount: Option<String> = None;
        let mut currency: Option<String> = None;
        while let Some(key) = map.next_key::<String>()? {
            let slot = match key.as_str() {
                "amount" => &mut amount,
                "currency" => &mut currency,
                other => return Err(de::Error::unknown_field(other, &["amount", "currency"])),
            };
            if slot.is_some() {
                return Err(de::Error::custom(format!("duplicate field `{key}`")));
            }
            // A JSON number here fails: amounts are decimal strings.
            *slot = Some(map.next_value::<String>()?);
        }
        let amount = amount.ok_or_else(|| de::Error::missing_field("amount"))?;
        let currency = currency.ok_or_else(|| de::Error::missing_field("currency"))?;
        let currency = Currency::from_code(&currency).map_err(de::Error::custom)?;
        Money::parse(&amount, currency).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The shortcut in `exact` for amounts already at the minor digits gives what
        /// normalising and rescaling gives.
        #[test]
        fn exact_shortcut_agrees_with_normalising(
            lo: u32, mid: u32, hi: u32, negative: bool, small: bool,
        ) {
            let d = if small {
                Decimal::from_parts(lo % 100_000, 0, 0, negative, 2)
            } else {
                Decimal::from_parts(lo, mid, hi, negative, 2)
            };
            let mut slow = d.normalize();
            slow.rescale(2);
            if slow.is_zero() {
                slow.set_sign_positive(true);
            }
            let fast = Money::exact(d, Currency::Lsl).unwrap().amount();
            proptest::prop_assert_eq!(fast.serialize(), slow.serialize());
            proptest::prop_assert_eq!(fast.to_string(), slow.to_string());
        }
    }

    fn lsl(s: &str) -> Money {
        Money::parse(s, Currency::Lsl).unwrap()
    }

    #[test]
    fn always_exactly_minor_digits() {
        assert_eq!(lsl("130").to_string_amount(), "130.00");
        assert_eq!(lsl("130.5").to_string_amount(), "130.50");
        assert_eq!(lsl("130.50").to_string_amount(), "130.50");
        assert_eq!(lsl("0").to_string_amount(), "0.00");
        assert_eq!(lsl("-0.00").to_string_amount(), "0.00");
        // Trailing zeros beyond the minor digits are harmless for `new` …
        assert_eq!(
            Money::new(Decimal::new(1000, 3), Currency::Lsl)
                .unwrap()
                .to_string_amount(),
            "1.00"
        );
        // … but the text form must not carry more digits than the currency has.
        assert!(Money::parse("1.000", Currency::Lsl).is_err());
        assert!(Money::parse("1.001", Currency::Lsl).is_err());
    }

    #[test]
    fn decimal_syntax_is_strict() {
        for bad in [
            "", "-", ".5", "5.", "+5", "1e2", "1E2", " 5", "5 ", "1_000", "1,00", "0x10", "NaN",
            "--1", "1.2.3",
        ] {
            assert!(parse_decimal(bad).is_err(), "{bad:?} accepted");
        }
        let too_big = "9".repeat(40);
        assert!(matches!(
            parse_decimal(&too_big),
            Err(Error::InvalidAmount { .. })
        ));
    }

    /// The general path's errors: a result beyond what an amount can hold is an overflow, not
    /// a rounded amount; mixed currencies are refused whatever the amounts (the fast path
    /// never sees them).
    #[test]
    fn sums_and_differences_refuse_overflow_and_mixed_currencies() {
        let max = Money {
            amount: Decimal::from_i128_with_scale((1i128 << 96) - 1, 2),
            currency: Currency::Lsl,
        };
        assert!(matches!(max.checked_add(&max), Err(Error::Overflow { .. })));
        assert!(matches!(
            max.negated().checked_sub(&max),
            Err(Error::Overflow { .. })
        ));
        let one = |c| Money::new(Decimal::ONE, c);
        for (a, b) in [
            (Currency::Lsl, Currency::Zar),
            (Currency::Zar, Currency::Lsl),
        ] {
            let (a, b) = (one(a).unwrap(), one(b).unwrap());
            assert!(matches!(
                a.checked_add(&b),
                Err(Error::CurrencyMismatch { .. })
            ));
            assert!(matches!(
                a.checked_sub(&b),
                Err(Error::CurrencyMismatch { .. })
            ));
        }
    }

    /// The i64 way of adding and subtracting against `Decimal`'s, down to the mantissa,
    /// scale and sign (zero is never negative), on both sides of the i64 limits.
    #[test]
    fn small_sums_are_decimal_sums() {
        let edges = [
            0i128,
            1,
            99,
            12_345,
            i64::MAX as i128 / 2,
            i64::MAX as i128 - 1,
            i64::MAX as i128,
            i64::MAX as i128 + 1,
            u64::MAX as i128,
            (1i128 << 95) - 1,
        ];
        let amounts: Vec<Money> = edges
            .iter()
            .flat_map(|m| [*m, -*m])
            .map(|m| Money {
                amount: Decimal::from_i128_with_scale(m, 2),
                currency: Currency::Lsl,
            })
            .collect();
        let general = |r: Option<Decimal>| r.map(|d| Money::exact(d, Currency::Lsl));
        for a in &amounts {
            for b in &amounts {
                let cases = [
                    (a.checked_add(b), general(a.amount.checked_add(b.amount))),
                    (a.checked_sub(b), general(a.amount.checked_sub(b.amount))),
                ];
                for (got, want) in cases {
                    match (got, want) {
                        (Ok(got), Some(Ok(want))) => {
                            assert_eq!(got.amount.serialize(), want.amount.serialize(), "{a} {b}");
                        }
                        (Err(_), None) | (Err(_), Some(Err(_))) => {}
                        (got, want) => panic!("{a} {b}: {got:?} against {want:?}"),
                    }
                }
            }
        }
    }

    /// The byte-wise syntax check against the `str` one it replaced, over every short text of
    /// digits, signs, points and a few others.
    #[test]
    fn decimal_syntax_is_the_str_check_it_replaced() {
        let reference = |text: &str| {
            let digits = text.strip_prefix('-').unwrap_or(text);
            let (int, frac) = match digits.split_once('.') {
                Some((i, f)) => (i, Some(f)),
                None => (digits, None),
            };
            let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            all_digits(int) && frac.is_none_or(all_digits)
        };
        let alphabet = ["0", "7", "-", ".", "e", " ", "é"];
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |a| format!("{t}{a}")))
                .collect();
            texts.extend(longer);
        }
        for text in &texts {
            assert_eq!(parse_decimal(text).is_ok(), reference(text), "{text:?}");
        }
    }

    #[test]
    fn serde_refuses_numbers_and_extra_digits() {
        for bad in [
            r#"{"amount":130,"currency":"LSL"}"#,
            r#"{"amount":130.0,"currency":"LSL"}"#,
            r#"{"amount":"130.001","currency":"LSL"}"#,
            r#"{"amount":"130.00","currency":"USD"}"#,
            r#"{"amount":"130.00"}"#,
            r#"{"amount":"130.00","currency":"LSL","x":1}"#,
            r#"{"amount":"1","amount":"2","currency":"LSL"}"#,
        ] {
            assert!(
                serde_json::from_str::<Money>(bad).is_err(),
                "{bad} accepted"
            );
        }
        let m: Money = serde_json::from_str(r#"{"currency":"ZAR","amount":"5"}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"amount":"5.00","currency":"ZAR"}"#
        );
    }

    #[test]
    fn arithmetic_is_checked() {
        assert!(matches!(
            lsl("1").checked_add(&Money::parse("1", Currency::Zar).unwrap()),
            Err(Error::CurrencyMismatch { .. })
        ));
        let big = Money::new(Decimal::MAX.trunc(), Currency::Lsl);
        // Decimal::MAX has 29 digits: it cannot carry two minor digits.
        assert!(matches!(big, Err(Error::Overflow { .. })));
        let large = lsl("700000000000000000000000000.00");
        assert!(matches!(
            large.checked_add(&large),
            Err(Error::Overflow { .. })
        ));
        assert!(matches!(
            large.checked_mul_units(1000),
            Err(Error::Overflow { .. })
        ));
    }

    #[test]
    fn rounding_rules() {
        let r = |v: i64, scale: u32, how: Rounding| {
            Money::round(Decimal::new(v, scale), Currency::Lsl, how)
                .unwrap()
                .to_string_amount()
        };
        assert_eq!(r(125, 3, Rounding::HalfUp), "0.13");
        assert_eq!(r(-125, 3, Rounding::HalfUp), "-0.13");
        assert_eq!(r(124, 3, Rounding::HalfUp), "0.12");
        assert_eq!(r(125, 3, Rounding::HalfEven), "0.12");
        assert_eq!(r(135, 3, Rounding::HalfEven), "0.14");
        assert_eq!(r(129, 3, Rounding::Down), "0.12");
        assert_eq!(r(121, 3, Rounding::Up), "0.13");
        assert_eq!(r(-4, 3, Rounding::HalfUp), "0.00");
    }

    #[test]
    fn display() {
        assert_eq!(lsl("130").to_string(), "M 130.00");
        assert_eq!(lsl("-20").to_string(), "-M 20.00");
        assert_eq!(
            Money::parse("130", Currency::Zar).unwrap().to_string(),
            "R 130.00"
        );
    }

    #[test]
    fn at_par() {
        let m = lsl("12.34");
        let r = m.at_par(Currency::Zar).unwrap();
        assert_eq!(r.currency(), Currency::Zar);
        assert_eq!(r.amount(), m.amount());
        assert_eq!(r.at_par(Currency::Lsl).unwrap(), m);
    }
}
