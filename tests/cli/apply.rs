//! `sig-studio apply FILE` against the mock ARM server with a fake az on PATH (issue 21): what it
//! asks and prints, its exit codes, the refresh it always does first (conflicts stop it), the
//! dry run, a failure in the middle and the second apply, `--wait`, Ctrl+C of a real process,
//! and the token nowhere on disk or in the output.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use sig_studio_core::model::{Region, TargetRegion, Workspace};
use sig_studio_core::workspace;

use crate::common::cli::{pull_with_az, run_with_az};
use crate::common::mock_arm::{self, Fault, MockArm, SUBSCRIPTION, TOKEN_PREFIX};
use crate::common::tempdir;

fn setup(name: &str, config: mock_arm::Config) -> (MockArm, PathBuf, PathBuf) {
    let mock = MockArm::start(config);
    let dir = tempdir(name);
    mock_arm::fake_az(&dir, &mock.url, &mock.graph_url());
    let file = dir.join("prod.ron");
    let (code, _, err) = pull_with_az(&mock.url, SUBSCRIPTION, &dir, &file);
    assert_eq!(code, 0, "{err}");
    (mock, dir, file)
}

fn apply(mock: &MockArm, dir: &Path, file: &Path, extra: &[&str]) -> (i32, String, String) {
    let file = file.display().to_string();
    let mut args = vec!["apply", file.as_str(), "--arm-endpoint", mock.url.as_str()];
    args.extend_from_slice(extra);
    run_with_az(&args, dir)
}

fn edit(file: &Path, change: impl FnOnce(&mut Workspace)) {
    let mut ws = workspace::load(file).unwrap();
    change(&mut ws);
    workspace::save(file, &ws).unwrap();
}

fn writes(mock: &MockArm) -> usize {
    mock.requests().iter().filter(|r| r.method != "GET").count()
}

/// A new version with three regions and a deleted one.
fn new_version_and_a_delete(ws: &mut Workspace) {
    let d = &mut ws.galleries[0].definitions[0];
    let mut v = d.versions[2].clone();
    v.name = "1.2.0".into();
    v.target_regions = ["westus", "eastus", "westeurope"]
        .iter()
        .map(|r| TargetRegion::new(Region::parse(r).unwrap()))
        .collect();
    d.versions.retain(|v| v.name != "1.0.0");
    d.versions.push(v);
}

fn logs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".apply-"))
        .collect();
    out.sort();
    out
}

#[test]
fn apply_carries_out_the_plan_follows_replication_and_records_it() {
    let (mock, dir, file) = setup("cli-apply", mock_arm::small());
    edit(&file, new_version_and_a_delete);
    let (code, out, err) = apply(
        &mock,
        &dir,
        &file,
        &["--yes", "--wait", "--poll-interval", "0"],
    );
    assert_eq!(code, 0, "{out}{err}");
    for expected in [
        "Reading Azure again before anything is sent",
        "\n  1. delete image version contosoGallery/ubuntu-base/1.0.0  (",
        "It deletes 1 resource:",
        "  - image version contosoGallery/ubuntu-base/1.0.0",
        "create image version contosoGallery/ubuntu-base/1.2.0: done",
        "Applied: 2 done.",
        "westeurope Completed 100 %",
        "Replication settled.",
    ] {
        assert!(out.contains(expected), "{expected:?} in {out}");
    }
    let log = logs(&dir);
    assert_eq!(log.len(), 1);
    assert!(out.contains(&log[0].display().to_string()));
    // The file records what was done: nothing is left to apply.
    let (code, out, _) = apply(&mock, &dir, &file, &["--yes"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Nothing to apply."), "{out}");
    // The token is nowhere on disk or in the output.
    assert!(!out.contains(TOKEN_PREFIX) && !err.contains(TOKEN_PREFIX));
    for path in std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()) {
        if path.file_name().is_some_and(|n| n != "az") {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            assert!(!text.contains(TOKEN_PREFIX), "{}", path.display());
        }
    }
}

#[test]
fn without_a_terminal_or_yes_nothing_is_sent_and_a_dry_run_sends_nothing() {
    let (mock, dir, file) = setup("cli-apply-ask", mock_arm::small());
    edit(&file, new_version_and_a_delete);
    let held = std::fs::read(&file).unwrap();
    let (code, out, err) = apply(&mock, &dir, &file, &[]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("standard input is not a terminal"), "{err}");
    assert!(
        out.contains("image version contosoGallery/ubuntu-base/1.0.0"),
        "{out}"
    );
    let (code, out, err) = apply(&mock, &dir, &file, &["--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("nothing was sent"), "{out}");
    assert!(
        out.contains("     PUT http://127.0.0.1:")
            && out.contains("/images/ubuntu-base/versions/1.2.0?api-version=2025-03-03"),
        "{out}"
    );
    assert!(out.contains("     DELETE "), "{out}");
    assert_eq!(writes(&mock), 0);
    assert_eq!(std::fs::read(&file).unwrap(), held, "the file is unchanged");
    assert!(logs(&dir).is_empty());
}

#[test]
fn a_week_old_azure_is_read_again_and_its_conflicts_stop_the_apply() {
    let (mock, dir, file) = setup("cli-apply-stale", mock_arm::small());
    edit(&file, |ws| {
        let seen = ws.azure.take().unwrap();
        let (mut origin, galleries, principals, grants, references) =
            std::sync::Arc::unwrap_or_clone(seen).into_parts();
        origin.read_at = Some(origin.read_at.unwrap() - jiff::SignedDuration::from_hours(24 * 7));
        ws.azure = Some(std::sync::Arc::new(sig_studio_core::model::AzureSeen::new(
            origin, galleries, principals, grants, references,
        )));
        ws.galleries[0].definitions[1].description = "mine".into();
    });
    // Azure changed the same definition meanwhile, and another one the plan does not touch.
    mock.change(|c| {
        c.galleries[0].definitions[1].description = "theirs".into();
        c.galleries[1].definitions[0].description = "Azure's".into();
    });
    let held = std::fs::read(&file).unwrap();
    let (code, out, err) = apply(&mock, &dir, &file, &["--yes"]);
    assert_eq!(code, 3, "{out}{err}");
    assert!(out.contains("Azure as last seen is 7 days old"), "{out}");
    assert!(err.contains("Nothing was sent"), "{err}");
    assert!(
        err.contains("image definition contosoGallery/win2022: Azure changed it; you changed it"),
        "{err}"
    );
    assert_eq!(writes(&mock), 0);
    assert_eq!(std::fs::read(&file).unwrap(), held);
    // Resolved (kept mine): the change Azure made elsewhere is taken in, not undone.
    let name = file.display().to_string();
    let (code, _, err) = run_with_az(
        &[
            "refresh",
            &name,
            "--arm-endpoint",
            &mock.url,
            "--keep-mine",
            "all",
        ],
        &dir,
    );
    assert_eq!(code, 1, "{err}");
    let (code, out, err) = apply(&mock, &dir, &file, &["--yes"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Applied: 1 done."), "{out}");
    let lab = workspace::load(&file).unwrap();
    assert_eq!(lab.galleries[1].definitions[0].description, "Azure's");
}

#[test]
fn a_failure_in_the_middle_exits_4_and_a_second_apply_finishes() {
    let mut config = mock_arm::small();
    config
        .faults
        .push(Fault::server_error("PUT", "/versions/1.2.0?"));
    let (mock, dir, file) = setup("cli-apply-fails", config);
    edit(&file, |ws| {
        new_version_and_a_delete(ws);
        ws.galleries[1].description = "after the versions".into();
    });
    let (code, out, err) = apply(&mock, &dir, &file, &["--yes"]);
    assert_eq!(code, 4, "{out}{err}");
    assert!(
        out.contains("Stopped at a failure: 2 done, 1 failed."),
        "{out}"
    );
    assert!(
        err.contains("HTTP 500 InternalServerError: An internal server error occurred"),
        "{err}"
    );
    let ws = workspace::load(&file).unwrap();
    let left = sig_studio_core::plan::from_azure(&ws, crate::common::today());
    assert_eq!(
        left.steps.len(),
        1,
        "{}",
        sig_studio_core::plan::to_text(&left, "a", "b")
    );
    let (code, out, err) = apply(&mock, &dir, &file, &["--yes"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Applied: 1 done."), "{out}");
    assert_eq!(logs(&dir).len(), 2);
}

#[test]
fn ctrl_c_stops_after_the_steps_in_flight_and_the_file_and_log_say_what_was_done() {
    let mut config = mock_arm::large(1, 1, 12);
    config.retry_after = 1;
    let (mock, dir, file) = setup("cli-apply-interrupt", config);
    edit(&file, |ws| {
        for v in &mut ws.galleries[0].definitions[0].versions {
            v.tags.insert("stage".into(), "prod".into());
        }
    });
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let child = Command::new(env!("CARGO_BIN_EXE_sig-studio"))
        .args([
            "apply",
            &file.display().to_string(),
            "--arm-endpoint",
            &mock.url,
            "--yes",
        ])
        .env("PATH", path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut waited = Duration::ZERO;
    while writes(&mock) == 0 && waited < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
        waited += Duration::from_millis(20);
    }
    assert!(writes(&mock) > 0, "the apply started");
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(130), "{stdout}{stderr}");
    assert!(
        stderr.contains("Interrupted: stopping after the steps in flight"),
        "{stderr}"
    );
    assert!(stdout.contains("Stopped (interrupted):"), "{stdout}");
    // The log lists the PUTs sent; the file records the steps done; the rest is still planned.
    let log = std::fs::read_to_string(&logs(&dir)[0]).unwrap();
    let puts = log.matches("\"method\":\"PUT\"").count();
    assert!((1..12).contains(&puts), "{puts} PUTs");
    assert_eq!(
        mock.operations_running(),
        0,
        "every step sent was followed to its end"
    );
    let ws = workspace::load(&file).unwrap();
    let left = sig_studio_core::plan::from_azure(&ws, crate::common::today());
    assert_eq!(left.steps.len(), 12 - puts, "{log}");
    assert!(!stdout.contains(TOKEN_PREFIX) && !log.contains(TOKEN_PREFIX));
}
