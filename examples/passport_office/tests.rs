//! The whole day, run into a temporary directory: verdicts, totals, files, and the QR code
//! read back from the SVG the example wrote.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::*;

/// A fresh directory under the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "eservices-passport-office-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The dark modules drawn by an SVG written by `svg::qr_code`, and the code's width.
fn modules_of_svg(svg: &str) -> (usize, BTreeSet<(usize, usize)>) {
    let view = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
    let side: usize = view.split(' ').next().unwrap().parse().unwrap();
    let width = side - 8;
    let d = svg
        .split("<path fill=\"#000000\" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let mut dark = BTreeSet::new();
    for segment in d.split('M').filter(|s| !s.is_empty()) {
        // `x y`, then `h<run>v1h-<run>z`.
        let (xy, rest) = segment.split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let run: usize = rest.split('v').next().unwrap().parse().unwrap();
        assert_eq!(rest, format!("{run}v1h-{run}z"));
        for i in 0..run {
            dark.insert((x + i - 4, y - 4));
        }
    }
    (width, dark)
}

#[test]
fn the_day_runs_end_to_end() {
    let tmp = TempDir::new("day");
    let mut printed = Vec::new();
    let day = run(&tmp.0, &mut printed).unwrap();
    let text = String::from_utf8(printed).unwrap();

    assert_eq!(day.quote_total, "M 800.00");
    assert_eq!(day.legal_reference, "Legal Notice No. 95 of 2019");
    assert_eq!(
        (day.paid.as_str(), day.outstanding.as_str()),
        ("M 800.00", "M 0.00")
    );
    assert_eq!(day.payments, 2);
    assert!(day.retry_counted_once);
    assert_eq!(day.refusal, "maker_checker");
    assert_eq!(day.receipts, ["MSU/2026/1", "MSU/2026/2"]);
    assert!(day.series_audit_ok);
    assert_eq!((day.z_count, day.z_total.as_str()), (2, "M 800.00"));
    assert_eq!(day.final_state, "issued");
    // create, submit, 2 payments, review, return, resubmit, review, approve, issue.
    assert_eq!(day.audit_entries, 10);
    let verdicts: Vec<&str> = day.verdicts.iter().map(|(_, v)| v.as_str()).collect();
    assert_eq!(
        verdicts,
        ["valid", "valid", "bad_signature", "revoked", "valid"]
    );

    for needle in [
        "M 800.00",
        "Legal Notice No. 95 of 2019",
        "refused, maker_checker",
        "INVALID bad_signature",
        "INVALID revoked",
        "approval-letter.qr.txt: VALID ls.gov.home-affairs.passport.approval-letter AL-MSU-PSP-2026-000123-",
        "counted once",
        "TOTAL (2 payments)",
        "\u{2580}", // the terminal QR code
    ] {
        assert!(text.contains(needle), "output lacks {needle:?}:\n{text}");
    }
    assert!(!text.contains("{\""), "no JSON dumped in the output");

    let dir = &tmp.0;
    for name in [
        "trust-list.json",
        "root.pub",
        "approval-letter.json",
        "approval-letter.qr.txt",
        "approval-letter.svg",
        "approval-letter.qr.svg",
        "status-list.json",
        "audit-log.json",
        "audit-checkpoint.json",
        "z-report.json",
        "application.json",
        "receipts/MSU-2026-1.json",
        "receipts/MSU-2026-2.json",
        "revoked-letter.json",
        "tampered-letter.json",
    ] {
        assert!(
            day.files.iter().any(|f| f == name),
            "{name} not reported as written"
        );
        let content = read(dir, name);
        if name.ends_with(".json") {
            eservices::json::parse_strict(&content).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
    assert!(read(dir, "root.pub").starts_with("Ed25519 "));
    assert!(read(dir, "z-report.json")
        .contains(r#""by_channel":{"cash":{"LSL":"300.00"},"mpesa":{"LSL":"500.00"}}"#));
    assert_eq!(read(dir, "approval-letter.qr.txt").trim(), day.qr_text);

    // The files verify with the command-line verifier's inputs alone.
    let root: eservices::document::PublicKey = read(dir, "root.pub").trim().parse().unwrap();
    let clock = Arc::new(eservices::FixedClock::parse("2026-03-02T15:00:00Z").unwrap());
    let mut verifier = Verifier::new(root, &read(dir, "trust-list.json"), clock).unwrap();
    verifier
        .add_status_list(&read(dir, "status-list.json"))
        .unwrap();
    assert!(verifier
        .verify(&read(dir, "approval-letter.json"))
        .is_valid());
    assert!(verifier
        .verify(&read(dir, "approval-letter.qr.txt"))
        .is_valid());
    assert_eq!(
        code_of(&verifier.verify(&read(dir, "revoked-letter.json"))),
        "revoked"
    );
    assert_eq!(
        code_of(&verifier.verify(&read(dir, "tampered-letter.json"))),
        "bad_signature"
    );
    for receipt in ["receipts/MSU-2026-1.json", "receipts/MSU-2026-2.json"] {
        assert!(verifier.verify(&read(dir, receipt)).is_valid(), "{receipt}");
    }
    let log = AuditLog::from_json(&read(dir, "audit-log.json")).unwrap();
    let checkpoint =
        Checkpoint::verify_signed(&read(dir, "audit-checkpoint.json"), &verifier).unwrap();
    log.verify_against(&checkpoint).unwrap();
    let app = Application::from_json(&read(dir, "application.json")).unwrap();
    app.check_recorded_in(&log).unwrap();

    // The certificate shows the signed fields, escaped, and embeds the same QR modules.
    let certificate = read(dir, "approval-letter.svg");
    for needle in [
        "Passport approval letter",
        "Ministry of Home Affairs",
        "Lineo MOKOENA",
        "17 May 1990",
        "M 800.00",
        "MSU-PSP-2026-000123-",
        "2 March 2026, 11:30",
        "SPECIMEN",
    ] {
        assert!(certificate.contains(needle), "certificate lacks {needle:?}");
    }
    let qr_svg = read(dir, "approval-letter.qr.svg");
    let qr_path = qr_svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(
        certificate.contains(qr_path),
        "the certificate has another QR code"
    );

    // Read the QR code back from the SVG's modules: it holds exactly the QR text.
    let (width, dark) = modules_of_svg(&qr_svg);
    let grid = rqrr::SimpleGrid::from_func(width, |x, y| dark.contains(&(x, y)));
    let (meta, decoded) = rqrr::Grid::new(grid).decode().unwrap();
    assert_eq!(decoded, day.qr_text);
    assert_eq!(meta.ecc_level, 0, "level M"); // rqrr numbers M as 0 (its format bits)

    // And as a scanner would: find it in a picture, quiet zone included.
    let side = width + 8;
    let rows: Vec<Vec<bool>> = (0..side)
        .map(|y| {
            (0..side)
                .map(|x| x >= 4 && y >= 4 && dark.contains(&(x - 4, y - 4)))
                .collect()
        })
        .collect();
    assert_eq!(scan(&rows), day.qr_text);
}

#[test]
fn the_qr_text_is_refused_outside_the_alphanumeric_set() {
    assert!(qr::alphanumeric("LS1:ABC 123$%*+-./").is_ok());
    for bad in ["ls1:abc", "LS1:A\u{e9}", "LS1:{}"] {
        assert!(qr::alphanumeric(bad).is_err(), "{bad}");
    }
    let too_long = "A".repeat(5000);
    assert!(qr::alphanumeric(&too_long).is_err());
}

#[test]
fn arguments() {
    let args = |a: &[&str]| parse_args(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(args(&[]).unwrap(), Some(PathBuf::from(DEFAULT_OUT)));
    assert_eq!(args(&["--out", "x"]).unwrap(), Some(PathBuf::from("x")));
    assert_eq!(args(&["--help"]).unwrap(), None);
    assert!(args(&["--out"]).is_err());
    assert!(args(&["--bogus"]).is_err());
}

#[test]
fn the_clock_only_moves_forward() {
    let clock = OfficeClock::new(parse_time("2026-03-02T06:00:00Z").unwrap());
    let monday = date(2026, 3, 2).unwrap();
    assert_eq!(clock.at(monday, "08:30").unwrap(), "08:30");
    assert_eq!(clock.now(), parse_time("2026-03-02T06:30:00Z").unwrap());
    assert!(clock.at(monday, "08:29").is_err());
    assert!(clock.at(monday, "25:00").is_err());
}

/// Reads a QR code back from a picture of dark (`true`) and light modules, quiet zone
/// included, drawn at 4 pixels a module.
fn scan(rows: &[Vec<bool>]) -> String {
    let px = 4;
    let (h, w) = (rows.len(), rows[0].len());
    let mut picture = rqrr::PreparedImage::prepare_from_greyscale(w * px, h * px, |x, y| {
        if rows[y / px][x / px] {
            0
        } else {
            255
        }
    });
    let grids = picture.detect_grids();
    assert_eq!(grids.len(), 1);
    grids[0].decode().unwrap().1
}

#[test]
fn the_terminal_qr_code_reads_back() {
    let text = "LS1:6BFOXN*TS0BI$ZD.P9UU +DJ*N%Z:/ABC$%*+-./ 0123456789".repeat(4);
    let code = qr::alphanumeric(&text).unwrap();
    let printed = qr::terminal_text(&code);
    // Drawn for a dark terminal: a block is a light module; each line is two module rows.
    let mut rows: Vec<Vec<bool>> = Vec::new();
    for line in printed.lines() {
        let (mut top, mut bottom) = (Vec::new(), Vec::new());
        for c in line.chars() {
            let (t, b) = match c {
                '\u{2588}' => (true, true),
                '\u{2580}' => (true, false),
                '\u{2584}' => (false, true),
                ' ' => (false, false),
                other => panic!("unexpected {other:?}"),
            };
            top.push(!t);
            bottom.push(!b);
        }
        rows.push(top);
        rows.push(bottom);
    }
    let side = code.width() + 8;
    rows.truncate(side); // an odd number of rows leaves an empty half line
    assert_eq!((rows.len(), rows[0].len()), (side, side));
    assert_eq!(scan(&rows), text);
}
