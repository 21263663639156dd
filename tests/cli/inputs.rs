//! Every input a command reads is a regular file of a bounded size: `/dev/zero`, a FIFO or a
//! file over the limit is refused at once, exit 2, with what it is or the limit (issue 23,
//! point 8).
#![cfg(unix)]

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::tempdir;
use sig_studio::sample::SAMPLE_RON;

/// Runs the binary, killing it if it has not ended after a while: (exit code, stderr).
fn run_briefly(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sig-studio"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = sig_studio::clock::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("{args:?} is still running after 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Each command with `X` where the input goes (a workspace, or an import's JSON).
fn commands(good: &str, out: &str) -> Vec<Vec<String>> {
    let forms: [&[&str]; 18] = [
        &["validate", "X"],
        &["summary", "X"],
        &["cost", "X"],
        &["access", "X", "--principal", "carol@contoso.com"],
        &["who", "X", "contoso_images"],
        &["fmt", "X"],
        &["fmt", "X", "--check"],
        &["simulate", "X"],
        &[
            "deploy",
            "X",
            "contoso_images/ubuntu-2204-base",
            "--region",
            "eastus",
            "--vms",
            "1",
        ],
        &[
            "retention",
            "X",
            "--definition",
            "contoso_images/ubuntu-2204-base",
        ],
        &["export", "X", "--format", "arm", "--out", "OUT"],
        &["plan", "X", "GOOD"],
        &["plan", "GOOD", "X"],
        &["diff", "X", "GOOD"],
        &["diff", "GOOD", "X"],
        &["import", "X", "--out", "OUT"],
        &["import", "GOOD_JSON", "X", "--out", "OUT"],
        &["import", "GOOD_JSON", "--into", "X", "--out", "OUT"],
    ];
    forms
        .iter()
        .map(|form| {
            form.iter()
                .map(|a| match *a {
                    "GOOD" => good.to_owned(),
                    "GOOD_JSON" => "tests/fixtures/import/az-sig-list.json".to_owned(),
                    "OUT" => out.to_owned(),
                    a => a.to_owned(),
                })
                .collect()
        })
        .collect()
}

fn with_input(form: &[String], input: &Path) -> Vec<String> {
    form.iter()
        .map(|a| {
            if a == "X" {
                input.display().to_string()
            } else {
                a.clone()
            }
        })
        .collect()
}

#[test]
fn every_command_refuses_a_device_a_fifo_and_an_oversized_file_at_once() {
    let dir = tempdir("cli-special-inputs");
    let good = dir.join("good.ron");
    fs::write(&good, SAMPLE_RON).unwrap();
    let out = dir.join("out.ron");
    let fifo = dir.join("fifo.ron");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let big = dir.join("big.ron");
    // Sparse: no disk is used.
    fs::File::create(&big)
        .unwrap()
        .set_len(sig_studio::workspace::MAX_INPUT_BYTES + 1)
        .unwrap();
    let cases = [
        (
            Path::new("/dev/zero"),
            "not a regular file but a character device",
        ),
        (fifo.as_path(), "not a regular file but a FIFO (named pipe)"),
        (big.as_path(), "more than the 1 GiB SIG Studio reads"),
    ];
    for form in commands(good.to_str().unwrap(), out.to_str().unwrap()) {
        for (input, why) in cases {
            let args = with_input(&form, input);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, stderr) = run_briefly(&args);
            assert_eq!(code, Some(2), "{args:?}: {stderr}");
            assert!(
                stderr.contains(why) && stderr.contains(&input.display().to_string()),
                "{args:?}: {stderr}"
            );
            assert!(!out.exists(), "{args:?} wrote {}", out.display());
        }
    }
}
