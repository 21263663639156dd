//! The command line, run as a user would: exit codes and output.

use crate::common;

use common::cli::run;

use sig_studio::sample::SAMPLE_RON;

fn tempfile(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sig-studio-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn help_lists_every_subcommand() {
    let (code, stdout, _) = run(&["--help"]);
    assert_eq!(code, 0);
    for sub in ["validate", "summary", "fmt", "screenshot"] {
        assert!(stdout.contains(sub), "{sub} missing from --help:\n{stdout}");
    }
}

#[test]
fn validate_exit_codes() {
    let good = tempfile("good.ron", SAMPLE_RON);
    let (code, _, stderr) = run(&["validate", good.to_str().unwrap(), "--today", "2026-11-26"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("valid"));

    let bad = tempfile(
        "bad.ron",
        &SAMPLE_RON.replacen("replicas: Some(3)", "replicas: Some(0)", 1),
    );
    let (code, stdout, _) = run(&["validate", bad.to_str().unwrap(), "--today", "2026-11-26"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("contoso_images/win2022-datacenter/2026.9.0: error: West Central US: The replica count must be between 1 and 100; got 0"),
        "{stdout}"
    );

    let broken = tempfile(
        "broken.ron",
        &SAMPLE_RON.replacen("os_type: Linux", "os_type: Solaris", 1),
    );
    let (code, _, stderr) = run(&["validate", broken.to_str().unwrap()]);
    assert_eq!(code, 2);
    let line = SAMPLE_RON
        .lines()
        .position(|l| l.contains("os_type: Linux"))
        .unwrap()
        + 1;
    assert!(
        stderr.starts_with(&format!("{}:{line}:", broken.display())),
        "{stderr}"
    );

    let (code, _, stderr) = run(&["validate", "/nonexistent/file.ron"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("/nonexistent/file.ron"), "{stderr}");
}

#[test]
fn summary_text_and_json() {
    let file = tempfile("summary.ron", SAMPLE_RON);
    let (code, stdout, _) = run(&["summary", file.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("1 gallery, 2 image definitions, 7 image versions"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ubuntu-2204-base (Linux), latest: 1.0.12"),
        "{stdout}"
    );
    assert!(stdout.contains("canadacentral×1 (72 %)"), "{stdout}");

    let (code, stdout, _) = run(&["summary", file.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["counts"]["versions"], 7);
    assert_eq!(json["galleries"][0]["definitions"][0]["latest"], "2026.9.0");
    let regions = &json["galleries"][0]["definitions"][0]["versions"][2]["regions"];
    assert_eq!(regions.as_array().unwrap().len(), 14);
}

#[test]
fn fmt_rewrites_to_the_canonical_layout() {
    let messy =
        SAMPLE_RON
            .replace("    ", "  ")
            .replacen("(\n", "(\n  // a hand-written comment\n", 1);
    let file = tempfile("messy.ron", &messy);
    let (code, _, _) = run(&["fmt", file.to_str().unwrap(), "--check"]);
    assert_eq!(code, 1);
    let (code, _, _) = run(&["fmt", file.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), SAMPLE_RON);
    let (code, _, _) = run(&["fmt", file.to_str().unwrap(), "--check"]);
    assert_eq!(code, 0);
}

#[test]
fn deploy_latest_when_every_version_is_excluded_gives_the_services_message() {
    // Microsoft's troubleshooting table: "There is no latest image version exists for
    // \"<imageDefinitionResourceID>\"" when no version has 'Exclude from latest' set to false.
    let mut text = SAMPLE_RON.to_owned();
    for version in ["1.0.8", "1.0.9", "1.0.12"] {
        text = text.replacen(
            &format!("(name: \"{version}\", "),
            &format!("(name: \"{version}\", exclude_from_latest: true, "),
            1,
        );
    }
    let file = tempfile("all-excluded.ron", &text);
    let (code, stdout, stderr) = run(&[
        "deploy",
        file.to_str().unwrap(),
        "contoso_images/ubuntu-2204-base",
        "--region",
        "eastus",
        "--vms",
        "1",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stdout,
        "refused: contoso_images/ubuntu-2204-base: There is no latest image version exists for \"contoso_images/ubuntu-2204-base\" (every version is excluded from latest: 1.0.12, 1.0.9, 1.0.8)\n"
    );
}

fn import_fixture(name: &str) -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/").to_owned() + name
}

#[test]
fn import_exit_codes() {
    let dir = std::env::temp_dir().join(format!("sig-studio-cli-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("imported.ron");
    let out_arg = out.to_str().unwrap();

    // Imported: exit 0, the summary on stdout, OUT written and valid to load.
    let (code, stdout, stderr) = run(&[
        "import",
        &import_fixture("az-sig-list.json"),
        &import_fixture("az-image-definition-list.json"),
        &import_fixture("az-image-version-list.json"),
        &import_fixture("az-role-assignment-list.json"),
        "--out",
        out_arg,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("galleries: 2 added, 0 updated, 0 unchanged"),
        "{stdout}"
    );
    assert!(stdout.contains("image versions: 4 added"), "{stdout}");
    assert!(stdout.contains("grants: 5 added"), "{stdout}");
    assert!(
        stdout.contains("[3].publishingProfile.targetRegions[0].storageAccountType: \"StandardSSD_LRS(default)\" is not a storage account type"),
        "{stdout}"
    );
    let ws = sig_studio::workspace::load(&out).expect("OUT loads");
    assert_eq!(ws.version_count(), 4);

    // Merged again with --into and --json: nothing new, nothing changed.
    let (code, stdout, stderr) = run(&[
        "import",
        &import_fixture("az-image-version-list.json"),
        "--into",
        out_arg,
        "--out",
        out_arg,
        "--json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).expect("JSON summary");
    assert_eq!(summary["versions"]["added"], 0);
    assert_eq!(summary["versions"]["updated"], 0);
    assert_eq!(summary["versions"]["unchanged"], 4);
    assert_eq!(sig_studio::workspace::load(&out).unwrap(), ws);

    // Not JSON: FILE:LINE:COLUMN, exit 2, OUT untouched.
    let before = std::fs::read(&out).unwrap();
    let bad = import_fixture("not-json.json");
    let (code, _, stderr) = run(&["import", &bad, "--into", out_arg, "--out", out_arg]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!("{bad}:4:18: not JSON")),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&out).unwrap(), before);

    // Another resource type only: a warning, exit 1, nothing written.
    let nothing = dir.join("nothing.ron");
    let (code, stdout, stderr) = run(&[
        "import",
        &import_fixture("other-type.json"),
        "--out",
        nothing.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("Microsoft.Compute/virtualMachines"),
        "{stdout}"
    );
    assert!(stderr.contains("nothing could be imported"), "{stderr}");
    assert!(!nothing.exists());

    // A missing input file: exit 2.
    let (code, _, _) = run(&["import", "/nonexistent/x.json", "--out", out_arg]);
    assert_eq!(code, 2);
}
