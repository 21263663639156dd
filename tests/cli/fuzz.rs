//! Fuzz-style: a few thousand mutations of the sample workspace (truncation, byte flips, huge
//! and infinite numbers, deep nesting, control characters) fed to the loader and to what every
//! command runs (issue 13). No panic; every failure is an error with a message. In process for
//! all of them (the commands' cores and their text), and through the real binary for a sample
//! of them, where the exit code and the message are checked.
//!
//! The mutations are drawn from a fixed seed, so a failure replays; set
//! `SIG_STUDIO_FUZZ_MUTATIONS` to run more.

use crate::common;

use common::rng::Rng;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::process::Command;

use sig_studio::access::{self, AccessIndex};
use sig_studio::cli;
use sig_studio::cost::{self, GroupBy};
use sig_studio::model::{Region, ResourcePath, validate};
use sig_studio::replication::deploy::{DeployKind, check};
use sig_studio::sample::SAMPLE_RON;
use sig_studio::workspace::{from_ron_bytes, to_ron_string};

const HUGE: [&str; 16] = [
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "-inf",
    "1e300",
    "1e-320",
    "-1",
    "0",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999999",
    "0x7fffffffffffffff",
    "255",
];

/// Byte ranges of the number tokens in the text.
fn numbers(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let starts = text[i].is_ascii_digit() && (i == 0 || !text[i - 1].is_ascii_alphanumeric());
        if starts {
            let start = i;
            while i < text.len() && (text[i].is_ascii_alphanumeric() || text[i] == b'.') {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// One mutation of `base`, of kind `n % 6`.
fn mutate(rng: &mut Rng, base: &[u8], n: usize) -> Vec<u8> {
    let mut bytes = base.to_vec();
    match n % 6 {
        // Truncation anywhere (also inside a UTF-8 sequence).
        0 => bytes.truncate(rng.below(base.len())),
        // One to four flipped bytes.
        1 => {
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
        }
        // A number replaced by a huge, negative, infinite or not-a-number one.
        2 => {
            let found = numbers(base);
            let (start, end) = found[rng.below(found.len())];
            let with = HUGE[rng.below(HUGE.len())];
            bytes.splice(start..end, with.bytes());
        }
        // Deep nesting in place of a value (and unbalanced).
        3 => {
            let found = numbers(base);
            let (start, end) = found[rng.below(found.len())];
            let depth = [10, 200, 10_000, 100_000][rng.below(4)];
            let (open, close) = [("[", "]"), ("(", ")"), ("Some(", ")"), ("{", "}")][rng.below(4)];
            let mut nested = open.repeat(depth);
            nested.push('1');
            if rng.below(2) == 0 {
                nested.push_str(&close.repeat(depth));
            }
            bytes.splice(start..end, nested.bytes());
        }
        // Control characters, quotes and escapes inside strings.
        4 => {
            let quotes: Vec<usize> = (0..base.len()).filter(|&i| base[i] == b'"').collect();
            let at = quotes[rng.below(quotes.len())] + 1;
            let with = [
                "\\n",
                "\\u{1b}[2J",
                "\n",
                "\u{7}",
                "\\\"",
                "\\",
                "\\u{202e}",
                "\r",
            ][rng.below(8)];
            bytes.splice(at..at, with.bytes());
        }
        // A line removed or repeated.
        _ => {
            let lines: Vec<usize> = std::iter::once(0)
                .chain((0..base.len()).filter(|&i| base[i] == b'\n').map(|i| i + 1))
                .filter(|&i| i < base.len())
                .collect();
            let start = lines[rng.below(lines.len())];
            let end = base[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(base.len(), |i| start + i + 1);
            if rng.below(2) == 0 {
                bytes.drain(start..end);
            } else {
                let line = base[start..end].to_vec();
                bytes.splice(start..start, line);
            }
        }
    }
    bytes
}

/// What the commands run on a loaded workspace, with their text: none may panic.
fn exercise(ws: &sig_studio::model::Workspace) {
    let today = jiff::civil::date(2026, 11, 26);
    for problem in validate(ws, today) {
        assert!(!problem.to_string().is_empty());
    }
    let shown = cli::term::sanitized(ws.clone());
    let summary = cli::summary::summarize(&shown);
    let _ = cli::summary::to_text(&summary);
    let _ = serde_json::to_string(&summary);
    if ws.settings.prices.check().is_ok() {
        let report = cost::workspace_cost(ws);
        for by in [
            GroupBy::Gallery,
            GroupBy::Region,
            GroupBy::Version,
            GroupBy::Definition,
        ] {
            let _ = cli::cost::to_text(&report, by);
        }
        let _ = serde_json::to_string(&report);
    }
    for (g, d) in ws
        .galleries
        .iter()
        .flat_map(|g| g.definitions.iter().map(move |d| (g, d)))
        .take(3)
    {
        if let Ok(preview) = cost::retention::preview_stored_policy(ws, &g.name, &d.name) {
            let _ = preview.to_text();
            let mut applied = ws.clone();
            if let Some(edit) = preview.edit() {
                let _ = edit.apply(&mut applied);
            }
        }
    }
    let index = AccessIndex::new(ws);
    for name in ["carol@contoso.com", "app-teams", "nobody"] {
        if let Ok(access) = index.principal_access(name) {
            let _ = cli::access::to_text(&access.report());
        }
    }
    for path in ["contoso_images", "contoso_images/ubuntu-2204-base"] {
        if let Some(path) = ResourcePath::parse(path)
            && let Ok(report) = access::who(ws, &path)
        {
            let _ = cli::who::to_text(&report);
        }
    }
    let target = ResourcePath::definition("contoso_images", "ubuntu-2204-base");
    if let Ok(plan) = check(ws, today, &target, Region::default(), DeployKind::Vms, 40) {
        let _ = cli::deploy::render(&plan);
    }
    if ws.settings.time_model.problems().is_empty() {
        let mut run = ws.clone();
        let options = cli::simulate::Options {
            for_secs: Some(3600.0),
            seed: Some(7),
            ..Default::default()
        };
        let outcome = cli::simulate::simulate(&mut run, &options);
        let _ = cli::simulate::render(&run, &[], &outcome);
        // What the simulation leaves is a workspace that saves and loads.
        let text = to_ron_string(&run);
        assert!(from_ron_bytes(text.as_bytes()).is_ok());
    }
    let text = to_ron_string(ws);
    assert_eq!(from_ron_bytes(text.as_bytes()).ok().as_ref(), Some(ws));
}

#[test]
fn mutations_of_the_sample_never_panic_and_every_failure_says_why() {
    let count: usize = std::env::var("SIG_STUDIO_FUZZ_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3_000);
    let base = SAMPLE_RON.as_bytes();
    let mut rng = Rng(0x5EED_0013);
    let (mut loaded, mut refused) = (0, 0);
    for n in 0..count {
        let bytes = mutate(&mut rng, base, n);
        let outcome = catch_unwind(AssertUnwindSafe(|| match from_ron_bytes(&bytes) {
            Ok(ws) => {
                exercise(&ws);
                true
            }
            Err(err) => {
                let message = err.to_string();
                assert!(!message.trim().is_empty(), "mutation {n}: an empty message");
                false
            }
        }));
        match outcome {
            Ok(true) => loaded += 1,
            Ok(false) => refused += 1,
            Err(_) => panic!(
                "mutation {n} (kind {}) panicked; its text:\n{}",
                n % 6,
                String::from_utf8_lossy(&bytes)
            ),
        }
    }
    // Both sides are reached: some mutations still load, most are refused.
    assert!(
        loaded > count / 20 && refused > count / 4,
        "{loaded} loaded, {refused} refused"
    );
}

fn commands(file: &str) -> Vec<Vec<String>> {
    let c = |args: &[&str]| args.iter().map(|a| a.replace("FILE", file)).collect();
    vec![
        c(&["validate", "FILE", "--today", "2026-11-26"]),
        c(&["summary", "FILE"]),
        c(&["summary", "FILE", "--json"]),
        c(&["fmt", "FILE", "--check"]),
        c(&["cost", "FILE", "--by", "region"]),
        c(&[
            "retention",
            "FILE",
            "--definition",
            "contoso_images/ubuntu-2204-base",
        ]),
        c(&["simulate", "FILE", "--for", "2h", "--seed", "3"]),
        c(&[
            "deploy",
            "FILE",
            "contoso_images/ubuntu-2204-base",
            "--region",
            "eastus",
            "--vms",
            "30",
        ]),
        c(&["access", "FILE", "--principal", "carol@contoso.com"]),
        c(&["who", "FILE", "contoso_images"]),
    ]
}

#[test]
fn the_binary_answers_mutations_with_an_exit_code_and_a_message() {
    let dir = std::env::temp_dir().join(format!("sig-studio-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = SAMPLE_RON.as_bytes();
    let mut rng = Rng(0xB1_0013);
    // 24 mutations × 10 commands: a few hundred processes, a few seconds.
    for n in 0..24 {
        let bytes = mutate(&mut rng, base, n);
        let file = dir.join(format!("m{n}.ron"));
        std::fs::write(&file, &bytes).unwrap();
        let file_text = file.to_str().unwrap();
        for args in commands(file_text) {
            let out = Command::new(env!("CARGO_BIN_EXE_sig-studio"))
                .args(&args)
                .output()
                .expect("runs");
            let code = out.status.code();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                matches!(code, Some(0..=3)),
                "mutation {n}, {args:?}: exit {code:?}\n{stderr}"
            );
            if code != Some(0) {
                assert!(
                    !(stderr.trim().is_empty() && stdout.trim().is_empty()),
                    "mutation {n}, {args:?}: exit {code:?} without a message"
                );
            }
            assert!(
                !stderr.contains("panicked"),
                "mutation {n}, {args:?}: {stderr}"
            );
            let raw = |s: &str| s.chars().any(|c| c.is_control() && c != '\n');
            assert!(!raw(&stdout) && !raw(&stderr), "mutation {n}, {args:?}");
        }
    }
    assert!(Path::new(&dir).exists());
    let _ = std::fs::remove_dir_all(&dir);
}
