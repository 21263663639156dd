//! Bad arguments and bad text (issue 13, points 10–12): numbers out of range or infinite,
//! the format number wherever and however it is written, a byte order mark, and names with
//! control characters, which never reach the terminal raw.

use crate::common;

use common::cli::run;

use std::path::PathBuf;

use sig_studio_core::model::Severity;
use sig_studio_core::sample::SAMPLE_RON;
use sig_studio_core::validate;
use sig_studio_core::workspace::{LoadError, from_ron_bytes, from_ron_str};

fn tempfile(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sig-studio-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn today() -> sig_studio_core::model::Date {
    jiff::civil::date(2026, 11, 26)
}

#[test]
fn simulate_refuses_speeds_and_durations_out_of_range() {
    let file = tempfile("sim.ron", SAMPLE_RON);
    let file = file.to_str().unwrap();
    for (args, says) in [
        (vec!["--speed", "1e-300"], "out of range"),
        (vec!["--speed", "0"], "out of range"),
        (vec!["--speed", "inf"], "out of range"),
        (vec!["--speed", "NaN"], "out of range"),
        (vec!["--speed", "fast"], "not a number"),
        (vec!["--for", "1e308h"], "too long"),
        (vec!["--for", "31d"], "too long"),
        (vec!["--for", "31x"], "not a duration"),
        (vec!["--for", "721h"], "too long"),
        (vec!["--for", "NaN"], "not a duration"),
        (vec!["--for", "infs"], "not a duration"),
        (vec!["--failure-rate", "NaN"], "probability"),
        (vec!["--failure-rate", "1.5"], "probability"),
    ] {
        let mut all = vec!["simulate", file];
        all.extend(&args);
        let (code, _, stderr) = run(&all);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

#[test]
fn infinite_numbers_in_a_file_are_refused_with_where_they_are() {
    let text = SAMPLE_RON.replacen("occupied_gb: 41.5", "occupied_gb: 1e309", 1);
    let err = from_ron_str(&text)
        .map(|_| ())
        .and_then(|()| from_ron_bytes(text.as_bytes()).map(|_| ()));
    let err = err.unwrap_err();
    assert!(matches!(err, LoadError::Invalid { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "managed-images/win2022-dc-2026-07: occupied_gb is inf, but it must be a finite number"
    );
    let file = tempfile("inf.ron", &text);
    let file = file.to_str().unwrap();
    for command in ["cost", "validate", "summary"] {
        let (code, stdout, stderr) = run(&[command, file]);
        assert_eq!(code, 2, "{command}: {stdout}{stderr}");
        assert!(
            stderr.contains("inf.ron: managed-images/win2022-dc-2026-07: occupied_gb is inf"),
            "{command}: {stderr}"
        );
        assert!(!stdout.contains("inf USD"), "{stdout}");
    }
    // NaN (valid RON) and engine progress below zero too.
    let nan = SAMPLE_RON.replacen("occupied_gb: 41.5", "occupied_gb: NaN", 1);
    assert!(matches!(
        from_ron_bytes(nan.as_bytes()),
        Err(LoadError::Invalid { .. })
    ));
    let clock = SAMPLE_RON.replacen(
        "format: 4,",
        "format: 4, simulation: (clock_secs: -5.0),",
        1,
    );
    let err = from_ron_bytes(clock.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("clock_secs is -5"), "{err}");
}

#[test]
fn a_finite_but_impossible_size_is_a_problem_and_never_priced() {
    let text = SAMPLE_RON.replacen("occupied_gb: 41.5", "occupied_gb: 1e300", 1);
    let ws = from_ron_bytes(text.as_bytes()).expect("loads: a validation problem");
    assert!(
        validate(&ws, today())
            .iter()
            .any(|p| p.severity == Severity::Error && p.field == Some("occupied_gb"))
    );
    let report = sig_studio_core::cost::workspace_cost(&ws);
    assert!(report.totals.monthly_usd.is_finite());
    assert!(
        report
            .unpriced
            .iter()
            .any(|u| u.reason.contains("occupies 1e300 GB")),
        "{:?}",
        report.unpriced
    );
}

#[test]
fn the_format_number_is_found_wherever_and_however_it_is_written() {
    // Newer, as the last field: refused before the unknown fields, with LINE:COL.
    let newer = SAMPLE_RON.replacen("    format: 4,\n", "", 1).replacen(
        "\n)\n",
        "\n    some_future_field: 1,\n    format: 9,\n)\n",
        1,
    );
    let file = tempfile("newer.ron", &newer);
    let line = newer.lines().position(|l| l.contains("format: 9")).unwrap() + 1;
    let (code, _, stderr) = run(&["validate", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!(
            "newer.ron:{line}:13: this workspace was written by a newer SIG Studio (file format 9)"
        )),
        "{stderr}"
    );
    // Hexadecimal, octal, binary and underscores are RON integers.
    for written in ["0x4", "0o4", "0b100", "+4", "0_4"] {
        let text = SAMPLE_RON.replacen("format: 4,", &format!("format: {written},"), 1);
        assert!(from_ron_str(&text).is_ok(), "format: {written}");
    }
    let err = from_ron_str(&SAMPLE_RON.replacen("format: 4,", "format: 0x0,", 1)).unwrap_err();
    assert_eq!(err.position(), Some((3, 13)), "{err}");
    assert!(err.to_string().contains("format 0"), "{err}");
    // A UTF-8 byte order mark.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(SAMPLE_RON.as_bytes());
    assert!(from_ron_bytes(&bom).is_ok());
    let file = tempfile("bom.ron", std::str::from_utf8(&bom).unwrap());
    let (code, _, stderr) = run(&["validate", file.to_str().unwrap(), "--today", "2026-11-26"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn control_characters_never_reach_the_terminal_and_are_problems() {
    let evil = "contoso_images\nsample.ron: valid (0 problems)\u{1b}[2K";
    let text = SAMPLE_RON
        .replace("\"contoso_images", &format!("\"{}", evil.escape_debug()))
        .replacen(
            "(name: \"bob@contoso.com\"",
            "(name: \"bob\\u{1b}]0;pwned\\u{7}@contoso.com\"",
            1,
        )
        .replace(
            "\"bob@contoso.com\"",
            "\"bob\\u{1b}]0;pwned\\u{7}@contoso.com\"",
        );
    let ws = from_ron_str(&text).expect("loads");
    let problems = validate(&ws, today());
    assert!(
        problems
            .iter()
            .any(|p| p.field == Some("name") && p.message.contains("gallery name")),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("control character") && p.message.contains("bob")),
        "{problems:#?}"
    );
    let file = tempfile("evil.ron", &text);
    let file = file.to_str().unwrap();
    let raw = |s: &str| s.chars().any(|c| c.is_control() && c != '\n');
    for args in [
        vec!["validate", file, "--today", "2026-11-26"],
        vec!["summary", file],
        vec!["cost", file],
        vec!["cost", file, "--by", "version"],
        vec![
            "who",
            file,
            "contoso_images\nsample.ron: valid (0 problems)\u{1b}[2K",
        ],
        vec![
            "access",
            file,
            "--principal",
            "bob\u{1b}]0;pwned\u{7}@contoso.com",
        ],
        vec!["simulate", file],
        vec![
            "retention",
            file,
            "--definition",
            "contoso_images\nsample.ron: valid (0 problems)\u{1b}[2K/ubuntu-2204-base",
            "--keep-latest",
            "1",
        ],
        vec![
            "deploy",
            file,
            "x/y/1.0.0",
            "--region",
            "eastus",
            "--vms",
            "1",
        ],
    ] {
        let (code, stdout, stderr) = run(&args);
        assert!(code >= 0 && code != 101, "{args:?}: {stderr}");
        assert!(
            !raw(&stdout) && !raw(&stderr),
            "{args:?}: {stdout:?} {stderr:?}"
        );
        for line in stdout.lines().chain(stderr.lines()) {
            assert!(!line.starts_with("sample.ron: valid"), "{args:?}: {line}");
        }
        if !matches!(args[0], "deploy" | "simulate") {
            assert!(
                stdout.contains("contoso_images\\nsample.ron: valid (0 problems)\\u{1b}[2K")
                    || stdout.contains("bob\\u{1b}]0;pwned\\u{7}@contoso.com"),
                "{args:?}: {stdout}"
            );
        }
    }
}
