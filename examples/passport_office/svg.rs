//! SVG drawings: the printable certificate with its QR code, and the QR code alone.
//!
//! Every piece of text put into the SVG goes through [`escape`]: the fields come from a
//! signed payload that anyone could have filled with `<`, `&` or quotes.

use std::fmt::Write as _;

use crate::qr::Modules;

/// Light modules around the code, in modules (the QR specification's minimum).
const QUIET_ZONE: usize = 4;

/// Text escaped for XML character data and attribute values. Characters XML 1.0 does not
/// allow (most control characters) become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Path data drawing the dark modules as unit squares (runs of a row merged), offset by the
/// quiet zone.
fn modules_path(modules: &Modules) -> String {
    let mut d = String::new();
    for y in 0..modules.width {
        let mut x = 0;
        while x < modules.width {
            if !modules.is_dark(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < modules.width && modules.is_dark(x, y) {
                x += 1;
            }
            let run = x - start;
            // Writing to a String cannot fail.
            let _ = write!(
                d,
                "M{} {}h{run}v1h-{run}z",
                start + QUIET_ZONE,
                y + QUIET_ZONE
            );
        }
    }
    d
}

/// The QR code (with its quiet zone) as a group of `size` user units square at (`x`, `y`).
fn qr_group(modules: &Modules, x: f64, y: f64, size: f64) -> String {
    let side = modules.width + 2 * QUIET_ZONE;
    let scale = size / side as f64;
    format!(
        concat!(
            r##"<g transform="translate({x:.2} {y:.2}) scale({scale:.5})" shape-rendering="crispEdges">"##,
            r##"<rect width="{side}" height="{side}" fill="#ffffff"/>"##,
            r##"<path fill="#000000" d="{d}"/></g>"##
        ),
        x = x,
        y = y,
        scale = scale,
        side = side,
        d = modules_path(modules)
    )
}

/// The QR code alone: `module_px` pixels a module, quiet zone included.
pub fn qr_code(modules: &Modules, title: &str, module_px: usize) -> String {
    let side = modules.width + 2 * QUIET_ZONE;
    let px = side * module_px;
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            "\n",
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" viewBox="0 0 {side} {side}" shape-rendering="crispEdges">"#,
            "\n<title>{title}</title>\n",
            r##"<rect width="{side}" height="{side}" fill="#ffffff"/>"##,
            "\n",
            r##"<path fill="#000000" d="{d}"/>"##,
            "\n</svg>\n"
        ),
        px = px,
        side = side,
        title = escape(title),
        d = modules_path(modules)
    )
}

/// What a certificate shows.
pub struct Certificate {
    /// The state, above everything.
    pub authority: String,
    /// The issuing ministry.
    pub ministry: String,
    /// The issuing office.
    pub office: String,
    /// The document's title.
    pub title: String,
    /// One sentence under the title.
    pub statement: String,
    /// Label and value of each field, in order.
    pub fields: Vec<(String, String)>,
    /// Under the QR code: how to verify.
    pub qr_caption: Vec<String>,
    /// A warning across the foot (e.g. that demonstration keys signed it).
    pub notice: String,
}

/// Longest value shown on one line; longer values are cut with an ellipsis (the QR code
/// carries the full signed content).
const MAX_VALUE_CHARS: usize = 52;

fn fit(value: &str) -> String {
    if value.chars().count() <= MAX_VALUE_CHARS {
        value.to_string()
    } else {
        let cut: String = value.chars().take(MAX_VALUE_CHARS - 1).collect();
        format!("{cut}\u{2026}")
    }
}

/// An A4 portrait certificate (794 × 1123 user units, 96 per inch).
pub fn certificate(c: &Certificate, modules: &Modules) -> String {
    const W: f64 = 794.0;
    const BLUE: &str = "#00209f";
    const GREEN: &str = "#009a44";
    let mut s = String::new();
    let mut put = |line: String| {
        s.push_str(&line);
        s.push('\n');
    };
    put(r#"<?xml version="1.0" encoding="UTF-8"?>"#.into());
    put(format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 {W} 1123" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">"#
    ));
    put(format!("<title>{}</title>", escape(&c.title)));
    put(r##"<rect width="794" height="1123" fill="#fdfcf7"/>"##.into());
    // The flag's blue, white and green as a band across the top, and a double frame.
    put(format!(
        r##"<rect x="0" y="0" width="{W}" height="14" fill="{BLUE}"/><rect x="0" y="14" width="{W}" height="10" fill="#ffffff"/><rect x="0" y="24" width="{W}" height="14" fill="{GREEN}"/>"##
    ));
    put(format!(
        r#"<rect x="30" y="56" width="734" height="1037" fill="none" stroke="{BLUE}" stroke-width="3"/><rect x="38" y="64" width="718" height="1021" fill="none" stroke="{BLUE}" stroke-width="1"/>"#
    ));
    let centred = |y: f64, size: f64, weight: &str, fill: &str, extra: &str, text: &str| {
        format!(
            r#"<text x="{x}" y="{y}" text-anchor="middle" font-size="{size}" font-weight="{weight}" fill="{fill}"{extra}>{t}</text>"#,
            x = W / 2.0,
            t = escape(text)
        )
    };
    put(centred(
        108.0,
        15.0,
        "bold",
        BLUE,
        r#" letter-spacing="4""#,
        &c.authority,
    ));
    put(centred(138.0, 21.0, "bold", "#1a1a1a", "", &c.ministry));
    put(centred(162.0, 15.0, "normal", "#333333", "", &c.office));
    put(format!(
        r#"<line x1="180" y1="184" x2="614" y2="184" stroke="{GREEN}" stroke-width="2"/>"#
    ));
    put(centred(
        232.0,
        32.0,
        "bold",
        "#1a1a1a",
        r#" font-family="DejaVu Serif, Georgia, serif""#,
        &c.title,
    ));
    put(centred(266.0, 15.0, "normal", "#333333", "", &c.statement));

    // The fields, as a two-column table.
    let mut y = 318.0;
    for (label, value) in &c.fields {
        put(format!(
            r##"<text x="96" y="{y}" font-size="14" fill="#555555">{}</text><text x="286" y="{y}" font-size="16" font-weight="bold" fill="#1a1a1a">{}</text>"##,
            escape(label),
            escape(&fit(value))
        ));
        put(format!(
            r##"<line x1="96" y1="{l}" x2="698" y2="{l}" stroke="#d8d8d8" stroke-width="1"/>"##,
            l = y + 11.0
        ));
        y += 34.0;
    }

    // The QR code, centred under the table, with its caption: three user units (0.79 mm)
    // a module, a whole number so that every module lands on the same pixel grid on screen.
    // (A larger code than a letter needs is scaled down to fit the page.)
    let size = (((modules.width + 2 * QUIET_ZONE) * 3) as f64).min(330.0);
    let qr_y = y + 14.0;
    put(qr_group(modules, (W - size) / 2.0, qr_y, size));
    let mut cy = qr_y + size + 22.0;
    for line in &c.qr_caption {
        put(centred(cy, 12.0, "normal", "#333333", "", line));
        cy += 17.0;
    }
    put(centred(
        1062.0,
        13.0,
        "bold",
        "#b00020",
        r#" letter-spacing="1""#,
        &c.notice,
    ));
    put("</svg>".into());
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape(r#"<b a="1">'x' & y</b>"#),
            "&lt;b a=&quot;1&quot;&gt;&apos;x&apos; &amp; y&lt;/b&gt;"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\td"), "a\u{FFFD}b\u{FFFD}c\td");
        assert_eq!(escape("Lesotho — Sesotho ê"), "Lesotho — Sesotho ê");
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(80);
        assert_eq!(fit(&long).chars().count(), MAX_VALUE_CHARS);
        assert!(fit(&long).ends_with('\u{2026}'));
        assert_eq!(fit("short"), "short");
    }
}
