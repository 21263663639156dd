//! The command line as the tests run it: the binary with arguments, and generated bash scripts
//! with `az` replaced by a function that records every call's arguments.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Runs `sig-studio` with `args`: the exit code, standard output and standard error.
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sig-studio"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs a script in `dir` with `az` replaced by a function that records each call's arguments
/// (count, then each argument, NUL-terminated) and the environment `vars`; returns the calls.
pub fn run_with_fake_az(
    script: &str,
    dir: &Path,
    vars: &BTreeMap<String, String>,
) -> Vec<Vec<String>> {
    let path = dir.join("script.sh");
    std::fs::write(&path, script).unwrap();
    let log = dir.join("az.log");
    let fake = r#"az() { { printf '%s\0' "$#"; for a in "$@"; do printf '%s\0' "$a"; done; } >> "$AZ_LOG"; }"#;
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("{fake}\n. \"$1\""))
        .arg("bash")
        .arg(&path)
        .env("AZ_LOG", &log)
        .envs(vars)
        .current_dir(dir)
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "the script failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&log).unwrap_or_default();
    let fields: Vec<String> = bytes
        .split(|b| *b == 0)
        .map(|f| String::from_utf8(f.to_vec()).unwrap())
        .collect();
    let mut calls = Vec::new();
    let mut i = 0;
    while i + 1 < fields.len() {
        let n: usize = fields[i].parse().unwrap();
        calls.push(fields[i + 1..i + 1 + n].to_vec());
        i += 1 + n;
    }
    calls
}

/// Checks a script with shellcheck (skipped with a message when it cannot run: `.ci/run`
/// installs it).
pub fn shellcheck(path: &Path) {
    match Command::new("shellcheck")
        .arg("--shell=bash")
        .arg(path)
        .output()
    {
        Err(err) => eprintln!("skipped: shellcheck cannot run ({err}); .ci/run installs it"),
        Ok(out) => assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        ),
    }
}

/// Runs the rendered `text` of `script` against the recording `az`, each required variable set
/// to a value of its subject (see `oracle::value_of`); returns the calls recorded and the calls
/// the script means to make.
pub fn recorded_and_intended(
    script: &sig_studio_core::export::az::Script,
    text: &str,
    dir: &Path,
) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let vars: BTreeMap<String, String> = super::oracle::script_vars(script);
    let calls = run_with_fake_az(text, dir, &vars);
    let intended = script
        .commands
        .iter()
        .map(|c| c.iter().map(|w| w.value(&vars)).collect())
        .collect();
    (calls, intended)
}

/// `sig-studio pull --subscription SUBSCRIPTION --arm-endpoint ARM --out FILE` with the fake az
/// of `az_dir`: the exit code, standard output and standard error.
pub fn pull_with_az(
    arm: &str,
    subscription: &str,
    az_dir: &Path,
    file: &Path,
) -> (i32, String, String) {
    let file = file.display().to_string();
    let args = [
        "pull",
        "--subscription",
        subscription,
        "--arm-endpoint",
        arm,
        "--out",
        &file,
    ];
    run_with_az(&args, az_dir)
}

/// Runs `sig-studio` with `args` and the fake az of `az_dir` first on `PATH`: the exit code,
/// standard output and standard error.
pub fn run_with_az(args: &[&str], az_dir: &Path) -> (i32, String, String) {
    let path = format!(
        "{}:{}",
        az_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new(env!("CARGO_BIN_EXE_sig-studio"))
        .args(args)
        .env("PATH", path)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
