//! A pragmatic e-mail address check.

/// True for an address of the everyday form `local@domain.tld`:
///
/// * at most 254 characters, exactly one `@`, no spaces;
/// * the local part: 1–64 characters from letters, digits and ``!#$%&'*+/=?^_`{|}~.-``,
///   not starting or ending with `.`, no `..`;
/// * the domain: two or more dot-separated labels of 1–63 letters, digits or `-` (not at a
///   label's edge); the last label is at least two letters.
///
/// Quoted local parts, comments and IP-literal domains (legal but not seen on forms) are
/// refused. Whether the mailbox exists is not checked.
///
/// ```
/// use eservices::catalogue::form::is_valid_email;
/// assert!(is_valid_email("lineo.mokoena+passport@gov.ls"));
/// assert!(!is_valid_email("lineo@gov"));
/// assert!(!is_valid_email("lineo..m@gov.ls"));
/// ```
pub fn is_valid_email(text: &str) -> bool {
    if text.len() > 254 {
        return false;
    }
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    if !local_ok {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let tld_ok = labels
        .last()
        .is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
    labels.len() >= 2 && labels.iter().all(|l| label_ok(l)) && tld_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragmatic() {
        for ok in [
            "a@b.ls",
            "first.last@sub.example.co.ls",
            "x_y-z@ex-ample.org",
        ] {
            assert!(is_valid_email(ok), "{ok}");
        }
        for bad in [
            "",
            "@b.ls",
            "a@",
            "a@b",
            "a b@c.ls",
            "a@b@c.ls",
            ".a@b.ls",
            "a.@b.ls",
            "a@-b.ls",
            "a@b-.ls",
            "a@b..ls",
            "a@b.l",
            "a@b.1s",
            "\"a\"@b.ls",
            "a@[127.0.0.1]",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
        let long_local = format!("{}@b.ls", "a".repeat(65));
        assert!(!is_valid_email(&long_local));
    }
}
