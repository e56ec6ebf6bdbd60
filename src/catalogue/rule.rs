//! Fee rules: the kinds of charge, relief and tax a fee schedule is made of.
//!
//! In JSON a rule is one flat object: `id`, `description`, `kind`, `taxable` (charges only,
//! default `false`) and the members of its kind. A member that does not belong to the kind is
//! refused, so a typo never silently drops a charge.
//!
//! | `kind` | members |
//! |---|---|
//! | `flat` | `amount` |
//! | `option_price` | `field` (a choice field), `options`: `[{"choice", "amount"}]`, one per choice |
//! | `per_unit` | `field` (a whole-number field), `unit_amount`, optional `free_units`, `max_charged_units` |
//! | `bands` | `field` (a number field), `bands`: `[{"from", "to"?, "amount"}]`, contiguous |
//! | `percentage` | `field` (a number field: the declared value), `percent`, optional `minimum`, `maximum` |
//! | `surcharge` | `field` (a boolean field), `amount`: charged when the answer is `"true"` |
//! | `late_penalty` | `field` (a date field: the event), `grace_days`, `penalty`: `{"fixed": a}` or `{"per_started_month": a}`, optional `cap` |
//! | `exemption` | `categories`, `relief`: `"full"` or `{"percent": p}`, `reason`, optional `applies_to` (rule ids) |
//! | `tax` | `rates`: `[{"effective_from", "effective_to"?, "percent", "legal_reference"}]` |
//!
//! Amounts and percentages are decimal strings; amounts are never negative.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::de;

/// One rule of a fee schedule: an id and description that appear on the quote, whether its
/// charge is taxable, and what it charges (its [`RuleKind`]).
///
/// ```
/// use eservices::catalogue::{Rule, RuleKind};
/// let r: Rule = serde_json::from_str(r#"{"id": "urgent", "kind": "surcharge",
///   "description": "Urgent processing", "field": "urgent", "amount": "500.00"}"#)?;
/// assert!(matches!(r.kind, RuleKind::Surcharge { .. }));
/// assert!(serde_json::from_str::<Rule>(r#"{"id": "x", "kind": "flat",
///   "description": "X", "amount": "1.00", "field": "oops"}"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawRule", into = "RawRule")]
pub struct Rule {
    /// Stable id, unique within its schedule (e.g. `"booklet"`).
    pub id: String,
    /// What the applicant reads on the quote.
    pub description: String,
    /// Whether tax rules apply to this charge (charges only).
    pub taxable: bool,
    /// What the rule charges, relieves or taxes.
    pub kind: RuleKind,
}

/// The kinds of rule. See the [module docs](self) for their JSON members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleKind {
    /// A fixed fee.
    Flat {
        /// The fee.
        amount: Decimal,
    },
    /// The price of the option chosen in a choice field (e.g. 32 or 64 pages).
    OptionPrice {
        /// The choice field.
        field: String,
        /// One price per choice.
        options: Vec<PriceOption>,
    },
    /// A price per unit, the quantity taken from a whole-number answer.
    PerUnit {
        /// The whole-number field giving the quantity.
        field: String,
        /// Price of one charged unit.
        unit_amount: Decimal,
        /// Units given free before any is charged.
        free_units: u32,
        /// At most this many units are charged.
        max_charged_units: Option<u32>,
    },
    /// A fee chosen by the band a numeric answer falls in.
    Bands {
        /// The number field.
        field: String,
        /// Contiguous bands, lowest first.
        bands: Vec<Band>,
    },
    /// A percentage of a declared value, within an optional minimum and maximum.
    Percentage {
        /// The number field holding the declared value.
        field: String,
        /// The percentage (e.g. `1.5` for 1.5 %).
        percent: Decimal,
        /// The fee is at least this.
        minimum: Option<Decimal>,
        /// The fee is at most this.
        maximum: Option<Decimal>,
    },
    /// A fixed surcharge when a boolean answer is `"true"` (e.g. urgent processing).
    Surcharge {
        /// The boolean field.
        field: String,
        /// The surcharge.
        amount: Decimal,
    },
    /// A penalty when the quote date is more than `grace_days` after the date in `field`.
    LatePenalty {
        /// The date field holding the event (e.g. the date of birth).
        field: String,
        /// Days after the event during which no penalty is due.
        grace_days: u32,
        /// How the penalty is worked out once the grace period is over.
        penalty: Penalty,
        /// The penalty is at most this.
        cap: Option<Decimal>,
    },
    /// Relief for applicants of some categories: part or all of some charges is waived.
    Exemption {
        /// Applicant categories that qualify.
        categories: Vec<String>,
        /// How much is waived.
        relief: Relief,
        /// Why (e.g. the legal basis); printed on the quote.
        reason: String,
        /// Rule ids of the charges relieved; empty means every charge.
        applies_to: Vec<String>,
    },
    /// A tax (e.g. VAT) on the taxable charges, at the rate in force on the quote date.
    Tax {
        /// Effective-dated rates; they must not overlap.
        rates: Vec<TaxRate>,
    },
}

impl RuleKind {
    /// The JSON name of the kind, e.g. `"option_price"`.
    ///
    /// ```
    /// use eservices::catalogue::RuleKind;
    /// use rust_decimal::Decimal;
    /// assert_eq!(RuleKind::Flat { amount: Decimal::ONE }.name(), "flat");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::Flat { .. } => "flat",
            RuleKind::OptionPrice { .. } => "option_price",
            RuleKind::PerUnit { .. } => "per_unit",
            RuleKind::Bands { .. } => "bands",
            RuleKind::Percentage { .. } => "percentage",
            RuleKind::Surcharge { .. } => "surcharge",
            RuleKind::LatePenalty { .. } => "late_penalty",
            RuleKind::Exemption { .. } => "exemption",
            RuleKind::Tax { .. } => "tax",
        }
    }

    /// True for the kinds that make charge lines (all but `exemption` and `tax`).
    ///
    /// ```
    /// use eservices::catalogue::RuleKind;
    /// assert!(!RuleKind::Tax { rates: vec![] }.is_charge());
    /// ```
    pub fn is_charge(&self) -> bool {
        !matches!(self, RuleKind::Exemption { .. } | RuleKind::Tax { .. })
    }

    /// The form field this rule reads, if any.
    ///
    /// ```
    /// use eservices::catalogue::RuleKind;
    /// use rust_decimal::Decimal;
    /// let k = RuleKind::Surcharge { field: "urgent".into(), amount: Decimal::ONE };
    /// assert_eq!(k.field(), Some("urgent"));
    /// ```
    pub fn field(&self) -> Option<&str> {
        match self {
            RuleKind::OptionPrice { field, .. }
            | RuleKind::PerUnit { field, .. }
            | RuleKind::Bands { field, .. }
            | RuleKind::Percentage { field, .. }
            | RuleKind::Surcharge { field, .. }
            | RuleKind::LatePenalty { field, .. } => Some(field),
            RuleKind::Flat { .. } | RuleKind::Exemption { .. } | RuleKind::Tax { .. } => None,
        }
    }
}

/// The names of every rule kind, as written in JSON.
pub const RULE_KINDS: [&str; 9] = [
    "flat",
    "option_price",
    "per_unit",
    "bands",
    "percentage",
    "surcharge",
    "late_penalty",
    "exemption",
    "tax",
];

/// The price of one choice of an `option_price` rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceOption {
    /// The choice id (as in the field's `choices`).
    pub choice: String,
    /// Its price.
    #[serde(deserialize_with = "de::non_negative")]
    pub amount: Decimal,
}

/// One band of a `bands` rule: values `from` ≤ v < `to` cost `amount`; the last band may
/// leave `to` out (no upper bound).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Lowest value in the band (inclusive).
    #[serde(deserialize_with = "de::decimal")]
    pub from: Decimal,
    /// First value above the band (exclusive); `None` for an open top band.
    #[serde(
        default,
        deserialize_with = "de::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    pub to: Option<Decimal>,
    /// The fee for a value in this band.
    #[serde(deserialize_with = "de::non_negative")]
    pub amount: Decimal,
}

impl Band {
    /// Whether `value` falls in this band.
    ///
    /// ```
    /// use eservices::catalogue::Band;
    /// use rust_decimal::Decimal;
    /// let b = Band { from: Decimal::ZERO, to: Some(Decimal::TEN), amount: Decimal::ONE };
    /// assert!(b.contains(Decimal::ZERO) && !b.contains(Decimal::TEN));
    /// ```
    pub fn contains(&self, value: Decimal) -> bool {
        value >= self.from && self.to.is_none_or(|to| value < to)
    }
}

/// How a late penalty is worked out. In JSON `{"fixed": "50.00"}` or
/// `{"per_started_month": "10.00"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Penalty {
    /// One fixed amount once the grace period is over.
    Fixed(#[serde(deserialize_with = "de::non_negative")] Decimal),
    /// This amount for every month, or part of a month, after the grace period ended.
    PerStartedMonth(#[serde(deserialize_with = "de::non_negative")] Decimal),
}

/// How much an exemption waives. In JSON `"full"` or `{"percent": "50"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Relief {
    /// The whole charge.
    Full,
    /// This percentage of the charge (more than 0, at most 100).
    Percent(#[serde(deserialize_with = "de::non_negative")] Decimal),
}

impl Relief {
    /// The percentage waived (100 for [`Relief::Full`]).
    ///
    /// ```
    /// use eservices::catalogue::Relief;
    /// assert_eq!(Relief::Full.percent().to_string(), "100");
    /// ```
    pub fn percent(&self) -> Decimal {
        match self {
            Relief::Full => Decimal::ONE_HUNDRED,
            Relief::Percent(p) => *p,
        }
    }
}

/// A tax rate and the dates it is in force (both inclusive; no `effective_to` means "until
/// further notice").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxRate {
    /// First day in force.
    #[serde(deserialize_with = "de::date")]
    pub effective_from: NaiveDate,
    /// Last day in force.
    #[serde(
        default,
        deserialize_with = "de::opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub effective_to: Option<NaiveDate>,
    /// The rate in percent (e.g. `15`).
    #[serde(deserialize_with = "de::non_negative")]
    pub percent: Decimal,
    /// The law that sets it.
    pub legal_reference: String,
}

impl TaxRate {
    /// Whether this rate is in force on `date`.
    ///
    /// ```
    /// use eservices::catalogue::TaxRate;
    /// use chrono::NaiveDate;
    /// let r = TaxRate { effective_from: NaiveDate::from_ymd_opt(2018, 4, 1).ok_or("d")?,
    ///   effective_to: None, percent: 15.into(), legal_reference: "VAT Act".into() };
    /// assert!(r.in_force_on(NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("d")?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        date >= self.effective_from && self.effective_to.is_none_or(|to| date <= to)
    }
}

/// The JSON shape of a rule: every member of every kind, optional. Converted to and from
/// [`Rule`], refusing members that do not belong to the kind.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    kind: String,
    description: String,
    #[serde(default, skip_serializing_if = "de::is_false")]
    taxable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    #[serde(
        default,
        deserialize_with = "de::opt_non_negative",
        skip_serializing_if = "Option::is_none"
    )]
    amount: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    options: Option<Vec<PriceOption>>,
    #[serde(
        default,
        deserialize_with = "de::opt_non_negative",
        skip_serializing_if = "Option::is_none"
    )]
    unit_amount: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    free_units: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_charged_units: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bands: Option<Vec<Band>>,
    #[serde(
        default,
        deserialize_with = "de::opt_non_negative",
        skip_serializing_if = "Option::is_none"
    )]
    percent: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "de::opt_non_negative",
        skip_serializing_if = "Option::is_none"
    )]
    minimum: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "de::opt_non_negative",
        skip_serializing_if = "Option::is_none"
    )]
    maximum: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    grace_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    penalty: Option<Penalty>,
    #[serde(
        default,
        deserialize_with = "de::opt_non_negative",
        skip_serializing_if = "Option::is_none"
    )]
    cap: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    categories: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    relief: Option<Relief>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    applies_to: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rates: Option<Vec<TaxRate>>,
}

impl RawRule {
    /// The kind-specific members that are present, by JSON name.
    fn present(&self) -> Vec<&'static str> {
        let mut p = Vec::new();
        let mut add = |name, here: bool| {
            if here {
                p.push(name)
            }
        };
        add("taxable", self.taxable);
        add("field", self.field.is_some());
        add("amount", self.amount.is_some());
        add("options", self.options.is_some());
        add("unit_amount", self.unit_amount.is_some());
        add("free_units", self.free_units.is_some());
        add("max_charged_units", self.max_charged_units.is_some());
        add("bands", self.bands.is_some());
        add("percent", self.percent.is_some());
        add("minimum", self.minimum.is_some());
        add("maximum", self.maximum.is_some());
        add("grace_days", self.grace_days.is_some());
        add("penalty", self.penalty.is_some());
        add("cap", self.cap.is_some());
        add("categories", self.categories.is_some());
        add("relief", self.relief.is_some());
        add("reason", self.reason.is_some());
        add("applies_to", self.applies_to.is_some());
        add("rates", self.rates.is_some());
        p
    }
}

fn member_error(member: &str, reason: String) -> String {
    de::tag("member", &format!(".{member}"), "", &reason)
}

fn need<T>(v: Option<T>, member: &str, kind: &str) -> Result<T, String> {
    v.ok_or_else(|| member_error(member, format!("required for kind {kind:?}")))
}

impl TryFrom<RawRule> for Rule {
    type Error = String;

    fn try_from(r: RawRule) -> Result<Rule, String> {
        let kind = r.kind.as_str();
        let allowed: &[&str] = match kind {
            "flat" => &["taxable", "amount"],
            "option_price" => &["taxable", "field", "options"],
            "per_unit" => &[
                "taxable",
                "field",
                "unit_amount",
                "free_units",
                "max_charged_units",
            ],
            "bands" => &["taxable", "field", "bands"],
            "percentage" => &["taxable", "field", "percent", "minimum", "maximum"],
            "surcharge" => &["taxable", "field", "amount"],
            "late_penalty" => &["taxable", "field", "grace_days", "penalty", "cap"],
            "exemption" => &["categories", "relief", "reason", "applies_to"],
            "tax" => &["rates"],
            other => return Err(de::tag("kind", ".kind", other, "unknown rule kind")),
        };
        if let Some(extra) = r.present().into_iter().find(|m| !allowed.contains(m)) {
            return Err(member_error(
                extra,
                format!("does not apply to kind {kind:?}"),
            ));
        }
        let rule_kind = match kind {
            "flat" => RuleKind::Flat {
                amount: need(r.amount, "amount", kind)?,
            },
            "option_price" => RuleKind::OptionPrice {
                field: need(r.field, "field", kind)?,
                options: need(r.options, "options", kind)?,
            },
            "per_unit" => RuleKind::PerUnit {
                field: need(r.field, "field", kind)?,
                unit_amount: need(r.unit_amount, "unit_amount", kind)?,
                free_units: r.free_units.unwrap_or(0),
                max_charged_units: r.max_charged_units,
            },
            "bands" => RuleKind::Bands {
                field: need(r.field, "field", kind)?,
                bands: need(r.bands, "bands", kind)?,
            },
            "percentage" => RuleKind::Percentage {
                field: need(r.field, "field", kind)?,
                percent: need(r.percent, "percent", kind)?,
                minimum: r.minimum,
                maximum: r.maximum,
            },
            "surcharge" => RuleKind::Surcharge {
                field: need(r.field, "field", kind)?,
                amount: need(r.amount, "amount", kind)?,
            },
            "late_penalty" => RuleKind::LatePenalty {
                field: need(r.field, "field", kind)?,
                grace_days: need(r.grace_days, "grace_days", kind)?,
                penalty: need(r.penalty, "penalty", kind)?,
                cap: r.cap,
            },
            "exemption" => RuleKind::Exemption {
                categories: need(r.categories, "categories", kind)?,
                relief: need(r.relief, "relief", kind)?,
                reason: need(r.reason, "reason", kind)?,
                applies_to: r.applies_to.unwrap_or_default(),
            },
            _ => RuleKind::Tax {
                rates: need(r.rates, "rates", kind)?,
            },
        };
        Ok(Rule {
            id: r.id,
            description: r.description,
            taxable: r.taxable,
            kind: rule_kind,
        })
    }
}

impl From<Rule> for RawRule {
    fn from(rule: Rule) -> RawRule {
        let mut r = RawRule {
            id: rule.id,
            kind: rule.kind.name().to_string(),
            description: rule.description,
            taxable: rule.taxable,
            field: None,
            amount: None,
            options: None,
            unit_amount: None,
            free_units: None,
            max_charged_units: None,
            bands: None,
            percent: None,
            minimum: None,
            maximum: None,
            grace_days: None,
            penalty: None,
            cap: None,
            categories: None,
            relief: None,
            reason: None,
            applies_to: None,
            rates: None,
        };
        match rule.kind {
            RuleKind::Flat { amount } => r.amount = Some(amount),
            RuleKind::OptionPrice { field, options } => {
                r.field = Some(field);
                r.options = Some(options);
            }
            RuleKind::PerUnit {
                field,
                unit_amount,
                free_units,
                max_charged_units,
            } => {
                r.field = Some(field);
                r.unit_amount = Some(unit_amount);
                r.free_units = (free_units > 0).then_some(free_units);
                r.max_charged_units = max_charged_units;
            }
            RuleKind::Bands { field, bands } => {
                r.field = Some(field);
                r.bands = Some(bands);
            }
            RuleKind::Percentage {
                field,
                percent,
                minimum,
                maximum,
            } => {
                r.field = Some(field);
                r.percent = Some(percent);
                r.minimum = minimum;
                r.maximum = maximum;
            }
            RuleKind::Surcharge { field, amount } => {
                r.field = Some(field);
                r.amount = Some(amount);
            }
            RuleKind::LatePenalty {
                field,
                grace_days,
                penalty,
                cap,
            } => {
                r.field = Some(field);
                r.grace_days = Some(grace_days);
                r.penalty = Some(penalty);
                r.cap = cap;
            }
            RuleKind::Exemption {
                categories,
                relief,
                reason,
                applies_to,
            } => {
                r.categories = Some(categories);
                r.relief = Some(relief);
                r.reason = Some(reason);
                r.applies_to = (!applies_to.is_empty()).then_some(applies_to);
            }
            RuleKind::Tax { rates } => r.rates = Some(rates),
        }
        r
    }
}
