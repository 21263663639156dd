//! Where the command line writes: never over one of its inputs, quietly into a closed pipe,
//! and nothing from a file that could fake a line or drive the terminal.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::cli::run;
use crate::common::tempdir;
use sig_studio::sample::{SAMPLE_RON, synthetic};
use sig_studio::workspace::save;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sig-studio"))
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Every spelling of `file` the tests try: itself, `./`, through the folder's parent, a
/// symbolic link and a hard link.
fn spellings(dir: &Path, file: &Path) -> Vec<PathBuf> {
    let name = file.file_name().unwrap();
    let symlink = dir.join("link.ron");
    let hard = dir.join("hard.ron");
    let _ = fs::remove_file(&symlink);
    let _ = fs::remove_file(&hard);
    std::os::unix::fs::symlink(name, &symlink).unwrap();
    fs::hard_link(file, &hard).unwrap();
    let parent = dir.file_name().unwrap();
    vec![
        file.to_owned(),
        dir.join(".").join(name),
        dir.join("..").join(parent).join(name),
        symlink,
        hard,
    ]
}

#[test]
fn export_plan_and_import_refuse_an_output_that_is_one_of_their_inputs() {
    let dir = tempdir("cli-out-is-input");
    let ws = dir.join("ws.ron");
    let after = dir.join("after.ron");
    fs::write(&ws, SAMPLE_RON).unwrap();
    fs::write(&after, SAMPLE_RON.replacen("Contoso", "Contoso, edited", 1)).unwrap();
    let sample = sig_studio::sample::sample();
    let (g, d, v) = sample.versions().next().unwrap();
    let version = format!("{}/{}/{}", g.name, d.name, v.name);
    let refused = |args: &[&str], out: &Path| {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert!(
            stderr.contains("is the input") && stderr.contains("give another file"),
            "{args:?}: {stderr}"
        );
        assert!(!out.with_extension("ron.bak").exists());
    };
    for out in spellings(&dir, &ws) {
        for format in ["arm", "az"] {
            refused(
                &["export", s(&ws), "--format", format, "--out", s(&out)],
                &out,
            );
        }
        refused(&["plan", s(&ws), s(&after), "--out", s(&out)], &out);
        // One workspace planned from its Azure as last seen; one version handed to a build.
        refused(&["plan", s(&ws), "--out", s(&out)], &out);
        refused(
            &[
                "export",
                s(&ws),
                "--format",
                "packer",
                "--version",
                &version,
                "--out",
                s(&out),
            ],
            &out,
        );
        refused(
            &["plan", s(&after), s(&ws), "--json", "--out", s(&out)],
            &out,
        );
        assert_eq!(fs::read_to_string(&ws).unwrap(), SAMPLE_RON, "{out:?}");
    }
    // An import's OUT may be the workspace it merges into (a checked save), never a JSON input.
    let json = dir.join("galleries.json");
    let text = fs::read_to_string("tests/fixtures/import/az-sig-list.json").unwrap();
    fs::write(&json, &text).unwrap();
    let link = dir.join("json-link.ron");
    std::os::unix::fs::symlink(&json, &link).unwrap();
    for out in [&json, &link] {
        refused(&["import", s(&json), "--out", s(out)], out);
        refused(
            &["import", s(&json), "--into", s(&ws), "--out", s(out)],
            out,
        );
        assert_eq!(fs::read_to_string(&json).unwrap(), text);
    }
    // Other files are written as before.
    let (code, _, stderr) = run(&[
        "export",
        s(&ws),
        "--format",
        "arm",
        "--out",
        s(&dir.join("t.json")),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run(&["import", s(&json), "--into", s(&ws), "--out", s(&ws)]);
    assert_eq!(code, 0, "{stderr}");
}

/// A workspace whose text reports are far larger than a pipe's buffer.
fn big_workspace(dir: &Path) -> PathBuf {
    let file = dir.join("big.ron");
    let mut ws = synthetic(3_000);
    sig_studio::sample::with_access(&mut ws, 50, 2_000);
    save(&file, &ws).unwrap();
    file
}

fn commands(file: &str) -> Vec<Vec<String>> {
    let empty = Path::new(file).with_file_name("empty.ron");
    save(&empty, &sig_studio::model::Workspace::default()).unwrap();
    let owned = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    let ws = sig_studio::workspace::load(Path::new(file)).unwrap();
    let (g, d, v) = ws.versions().next().unwrap();
    let version = format!("{}/{}/{}", g.name, d.name, v.name);
    vec![
        owned(&["summary", file]),
        owned(&["summary", file, "--json"]),
        owned(&["cost", file, "--by", "version"]),
        owned(&["cost", file, "--json"]),
        owned(&["plan", s(&empty), file]),
        owned(&["plan", s(&empty), file, "--format", "az"]),
        owned(&["plan", file]),
        owned(&["export", file, "--format", "packer", "--version", &version]),
        owned(&["preflight", file, "--version", &version]),
        owned(&["diff", "/dev/null", file]),
        owned(&["simulate", file, "--for", "1h"]),
        owned(&["--help"]),
    ]
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let dir = tempdir("cli-closed-pipe");
    let file = big_workspace(&dir);
    for args in commands(s(&file)) {
        let mut child = bin()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before the command has written anything (`| head -0`).
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {stderr}");
        if args[0] != "--help" {
            // Help is clap's, which stops at the first failed write without saying why.
            assert_eq!(out.status.code(), Some(141), "{args:?}: {stderr}");
            assert!(stderr.is_empty(), "{args:?}: {stderr}");
        }
    }
}

#[test]
fn a_full_output_is_said_once_with_exit_2() {
    let dir = tempdir("cli-full");
    let file = big_workspace(&dir);
    for args in commands(s(&file)) {
        if args[0] == "--help" {
            continue;
        }
        let out = bin()
            .args(&args)
            .stdout(
                fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            )
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write the output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

/// Whether text shows a terminal only what it says: no control character but line breaks, no
/// bidirectional override.
fn is_inert(text: &str) -> bool {
    !text
        .chars()
        .any(|c| c != '\n' && sig_studio::cli::term::is_unsafe(c))
}

#[test]
fn the_import_summary_and_its_json_escape_what_the_input_holds() {
    let dir = tempdir("cli-import-escapes");
    let hostile = "g1\u{1b}[2J\nfake: 0 problems\u{202e}\u{85}";
    let body = serde_json::json!({
        "id": format!("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/galleries/{hostile}"),
        "name": hostile,
        "type": "Microsoft.Compute/galleries",
        "location": "westeurope\u{202e}\nfake: location",
        "properties": {"description": "x", "weird\u{1b}[31m\nfake: key": "\u{202e}y"},
    });
    // The file's own name is hostile too.
    let json = dir.join("in\nfake: file\u{1b}[1A.json");
    fs::write(&json, body.to_string()).unwrap();
    let out = dir.join("out.ron");
    let (code, stdout, stderr) = run(&["import", s(&json), "--out", s(&out)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(is_inert(&stdout), "{stdout}");
    assert!(
        !stdout.lines().any(|l| l.starts_with("fake")),
        "an input faked a line:\n{stdout}"
    );
    let (code, stdout, stderr) = run(&["import", s(&json), "--out", s(&out), "--json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(is_inert(&stdout), "{stdout}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        summary["files"][0]["file"],
        s(&json),
        "the JSON still says it as it is"
    );
    // Reports of the imported workspace are inert too, as text and as JSON.
    for args in [
        vec!["summary", s(&out)],
        vec!["summary", s(&out), "--json"],
        vec!["validate", s(&out)],
        vec!["plan", "/dev/null", s(&out), "--json"],
    ] {
        let (_, stdout, stderr) = run(&args);
        assert!(
            is_inert(&stdout) && is_inert(&stderr),
            "{args:?}: {stdout}{stderr}"
        );
    }
}

fn git(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_git_diff_driver_follows_renames_and_takes_option_like_names_as_files() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("git is not installed: skipped");
        return;
    }
    let dir = tempdir("cli-git-driver");
    let driver = format!("{} diff", env!("CARGO_BIN_EXE_sig-studio"));
    for args in [
        vec!["init", "-q"],
        vec!["config", "user.email", "t@example.com"],
        vec!["config", "user.name", "t"],
        vec!["config", "diff.sig-studio.command", driver.as_str()],
    ] {
        assert!(git(&dir, &args).0);
    }
    fs::write(dir.join(".gitattributes"), "*.ron diff=sig-studio\n").unwrap();
    fs::write(dir.join("ws.ron"), SAMPLE_RON).unwrap();
    fs::write(dir.join("-x.ron"), SAMPLE_RON).unwrap();
    assert!(git(&dir, &["add", "."]).0);
    assert!(git(&dir, &["commit", "-q", "-m", "one"]).0);
    // A rename with a change (git passes 9 arguments), and a change to a file named like an
    // option.
    let edited = SAMPLE_RON.replacen("Contoso", "Contoso, edited", 1);
    assert!(git(&dir, &["mv", "ws.ron", "renamed.ron"]).0);
    fs::write(dir.join("renamed.ron"), &edited).unwrap();
    fs::write(dir.join("-x.ron"), &edited).unwrap();
    assert!(git(&dir, &["add", "-A"]).0);
    let (ok, stdout, stderr) = git(&dir, &["diff", "--cached", "-M50%", "--ext-diff"]);
    assert!(ok, "git diff failed: {stderr}\n{stdout}");
    assert!(
        stdout.contains("sig-studio diff a/ws.ron b/renamed.ron"),
        "{stdout}"
    );
    assert!(stdout.contains("rename from ws.ron"), "{stdout}");
    assert!(
        stdout.contains("sig-studio diff a/-x.ron b/-x.ron"),
        "{stdout}"
    );
    assert!(stdout.matches("Plan from").count() >= 2, "{stdout}");
    // Git's form for an unmerged file: one argument.
    let (code, stdout, _) = run(&["diff", "-x.ron"]);
    assert_eq!((code, stdout.trim()), (0, "* Unmerged path -x.ron"));
    // Two files named like options, given directly.
    let (code, stdout, stderr) = {
        let out = bin()
            .args(["diff", "-x.ron", "renamed.ron"])
            .current_dir(&dir)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("Plan from -x.ron to renamed.ron"),
        "{stdout}"
    );
}

#[test]
fn plan_and_diff_name_two_galleries_azure_takes_for_one_instead_of_picking_one() {
    let dir = tempdir("cli-name-clash");
    let good = dir.join("good.ron");
    fs::write(&good, SAMPLE_RON).unwrap();
    let mut ws = sig_studio::sample::sample();
    let mut twin = ws.galleries[0].clone();
    twin.name = twin.name.to_uppercase();
    twin.definitions.truncate(1);
    ws.galleries.push(twin);
    let clash = dir.join("clash.ron");
    save(&clash, &ws).unwrap();
    for args in [
        vec!["plan", s(&good), s(&clash)],
        vec!["plan", s(&clash), s(&good), "--json"],
        // One workspace, planned from its Azure as last seen.
        vec!["plan", s(&clash)],
    ] {
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(
            stderr.contains("\"contoso_images\" and \"CONTOSO_IMAGES\"")
                && stderr.contains("ignores the case"),
            "{stderr}"
        );
    }
    // As git's driver, the diff says so and lets git go on.
    let (code, stdout, _) = run(&["diff", s(&good), s(&clash)]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("Cannot plan from") && stdout.contains("ignores the case"),
        "{stdout}"
    );
}
