//! Lesotho phone numbers.

/// Normalises a Lesotho phone number to `+266` followed by its 8 digits, e.g.
/// `"+26658812345"`; `None` when it is not one.
///
/// Accepted spellings: the 8 digits alone (`"58812345"`, `"5881 2345"`), or preceded by the
/// country code written `+266`, `00266` or `266`. Spaces, hyphens, dots and parentheses may
/// separate digits. Anything else (letters, a `+` not at the start, another country code, a
/// wrong number of digits) is refused. The 8 digits are not checked against the numbering
/// plan, which changes over time.
///
/// ```
/// use eservices::catalogue::form::normalise_phone;
/// assert_eq!(normalise_phone("+266 5881-2345").as_deref(), Some("+26658812345"));
/// assert_eq!(normalise_phone("00266 2231 2345").as_deref(), Some("+26622312345"));
/// assert_eq!(normalise_phone("+27 82 123 4567"), None);
/// ```
pub fn normalise_phone(text: &str) -> Option<String> {
    let text = text.trim();
    // "(+266) ..." puts the plus after a parenthesis.
    if let Some(rest) = text.strip_prefix("(+") {
        return normalise_phone(&format!("+({rest}"));
    }
    let (plus, rest) = match text.strip_prefix('+') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let mut digits = String::with_capacity(16);
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    let local = if plus {
        digits.strip_prefix("266")?
    } else if let Some(l) = digits.strip_prefix("00266") {
        l
    } else if digits.len() == 11 {
        digits.strip_prefix("266")?
    } else {
        &digits
    };
    (local.len() == 8).then(|| format!("+266{local}"))
}
