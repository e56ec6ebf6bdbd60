//! QR codes for signed documents: the `LS1:` text in QR alphanumeric mode, drawn for a
//! terminal.
//!
//! The QR form of a document is `LS1:` followed by base45, and base45's alphabet is exactly
//! QR's alphanumeric character set (`0-9 A-Z`, space, `$ % * + - . / :`), so the whole text
//! fits one alphanumeric segment (5.5 bits a character, against 8 in byte mode). The
//! encoder's automatic mode choice would also split out runs of digits as numeric segments;
//! one segment, forced here, keeps the code simple to check.

use qrcode::bits::Bits;
use qrcode::render::unicode::Dense1x2;
use qrcode::types::{Color, EcLevel, Version};
use qrcode::QrCode;

/// Error correction for printed documents: level M restores about 15 % of the modules
/// (a crease, a stain, a punched hole).
pub const EC_LEVEL: EcLevel = EcLevel::M;

/// Whether `c` is in QR's alphanumeric character set.
pub fn is_qr_alphanumeric(c: char) -> bool {
    matches!(c, '0'..='9' | 'A'..='Z' | ' ' | '$' | '%' | '*' | '+' | '-' | '.' | '/' | ':')
}

/// A QR code of `text` as one alphanumeric segment, in the smallest version that holds it at
/// [`EC_LEVEL`]. Refuses text outside the alphanumeric set (the encoder would silently turn
/// such characters into `0`).
pub fn alphanumeric(text: &str) -> Result<QrCode, String> {
    if let Some(bad) = text.chars().find(|c| !is_qr_alphanumeric(*c)) {
        return Err(format!(
            "{bad:?} is not a QR alphanumeric character; the QR text must be LS1: + base45"
        ));
    }
    for version in 1..=40 {
        let mut bits = Bits::new(Version::Normal(version));
        // Too long for this version: try the next one.
        if bits.push_alphanumeric_data(text.as_bytes()).is_err()
            || bits.push_terminator(EC_LEVEL).is_err()
        {
            continue;
        }
        return QrCode::with_bits(bits, EC_LEVEL).map_err(|e| format!("QR encoding: {e}"));
    }
    Err(format!(
        "{} characters do not fit a QR code at level M",
        text.len()
    ))
}

/// The code's modules, row by row (`true` = dark).
pub struct Modules {
    /// Modules per side.
    pub width: usize,
    dark: Vec<bool>,
}

impl Modules {
    /// The modules of `code`.
    pub fn of(code: &QrCode) -> Modules {
        Modules {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        }
    }

    /// Whether the module at column `x`, row `y` is dark (outside the code: light).
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        if x >= self.width {
            return false;
        }
        y.checked_mul(self.width)
            .and_then(|row| row.checked_add(x))
            .and_then(|i| self.dark.get(i))
            .copied()
            .unwrap_or(false)
    }
}

/// The code as text with Unicode half blocks (two module rows per line), with its quiet zone,
/// drawn for a dark terminal: light modules are printed as blocks.
pub fn terminal_text(code: &QrCode) -> String {
    code.render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build()
}

/// The version number (1–40) of a code.
pub fn version_number(code: &QrCode) -> i16 {
    match code.version() {
        Version::Normal(v) | Version::Micro(v) => v,
    }
}
