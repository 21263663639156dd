//! `sig-studio export --format packer|image-builder --version …` and `sig-studio preflight`:
//! what they write where, and their exit codes.

use crate::common;

use common::cli::run;

use sig_studio::sample::SAMPLE_RON;

const V: &str = "contoso_images/win2022-datacenter/2026.9.0";
const TODAY: &str = "2026-11-26";

fn dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "sig-studio-cli-handoff-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sample_file(dir: &std::path::Path, text: &str) -> String {
    let path = dir.join("ws.ron");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn packer_and_image_builder_to_a_file_or_standard_output() {
    let dir = dir("export");
    let file = sample_file(&dir, SAMPLE_RON);
    let out = dir.join("gallery.pkr.hcl");
    let args = [
        "export",
        &file,
        "--format",
        "packer",
        "--version",
        V,
        "--today",
        TODAY,
    ];
    let (code, stdout, stderr) = run(&[&args[..], &["--out", out.to_str().unwrap()]].concat());
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(
        written.contains("image_version = \"2026.9.0\""),
        "{written}"
    );
    assert!(
        written.contains("shared_image_gallery_timeout = \"400m\""),
        "{written}"
    );
    assert!(
        stderr.contains("note: shared_image_gallery_timeout 400 min"),
        "{stderr}"
    );
    assert!(
        stderr.contains("follow-up: The default replica count is 2"),
        "{stderr}"
    );

    let (code, stdout, _) = run(&args);
    assert_eq!(code, 0);
    assert_eq!(stdout, written, "standard output holds the same text");

    let (code, stdout, stderr) = run(&[
        "export",
        &file,
        "--format",
        "image-builder",
        "--version",
        V,
        "--build-minutes",
        "120",
        "--versioning",
        "latest:2026",
        "--today",
        TODAY,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let entry = &doc["properties"]["distribute"][0];
    assert_eq!(entry["versioning"]["major"], 2026);
    assert_eq!(entry["targetRegions"].as_array().unwrap().len(), 14);
    assert!(
        stderr.contains("120 min for the build before distribution"),
        "{stderr}"
    );
}

#[test]
fn export_arguments_that_do_not_fit() {
    let dir = dir("arguments");
    let file = sample_file(&dir, SAMPLE_RON);
    let (code, _, stderr) = run(&["export", &file, "--format", "packer"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("give --version"), "{stderr}");
    let (code, _, stderr) = run(&["export", &file, "--format", "arm"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("give --out"), "{stderr}");
    let (code, _, stderr) = run(&[
        "export",
        &file,
        "--format",
        "packer",
        "--version",
        "contoso_images/nope/1.0.0",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("has no image definition \"nope\""),
        "{stderr}"
    );
    let (code, _, stderr) = run(&[
        "export",
        &file,
        "--format",
        "image-builder",
        "--version",
        V,
        "--build-minutes",
        "961",
    ]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = run(&[
        "export",
        &file,
        "--format",
        "image-builder",
        "--version",
        V,
        "--versioning",
        "newest",
    ]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn a_version_that_cannot_be_handed_off_exits_1_with_the_reason() {
    let dir = dir("blocked");
    let file = sample_file(
        &dir,
        &SAMPLE_RON.replacen(
            "(name: \"2026.9.0\", source: \"win2022-dc-2026-09\"",
            "(name: \"2026.9.0\", source: \"win2022-dc-2026-09\", replication_mode: Shallow",
            1,
        ),
    );
    let (code, stdout, stderr) = run(&[
        "export",
        &file,
        "--format",
        "image-builder",
        "--version",
        V,
        "--today",
        TODAY,
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stdout.is_empty(), "the text is still written");
    assert!(
        stderr.contains("cannot hand off: Shallow replication"),
        "{stderr}"
    );
}

#[test]
fn preflight_exit_codes() {
    let dir = dir("preflight");
    let file = sample_file(&dir, SAMPLE_RON);
    let (code, stdout, _) = run(&[
        "preflight",
        &file,
        "--version",
        V,
        "--for",
        "packer",
        "--today",
        TODAY,
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.starts_with(&format!("{V} for Packer (azure-arm): clean")),
        "{stdout}"
    );

    let (code, stdout, _) = run(&[
        "preflight",
        &file,
        "--version",
        V,
        "--for",
        "image-builder",
        "--today",
        TODAY,
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("warning: build tool: galleryImageId holds"),
        "{stdout}"
    );

    let (code, stdout, _) = run(&[
        "preflight",
        &file,
        "--version",
        V,
        "--source-generation",
        "V1",
        "--today",
        TODAY,
    ]);
    assert_eq!(code, 3, "{stdout}");
    assert!(
        stdout.contains("would fail (1 error, 0 warnings)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("    quoted: \"The resource with id '<the build's source>' has a different Hypervisor generation ['V1'] than the parent gallery image Hypervisor generation ['V2']\" (Microsoft docs, Troubleshoot shared images)"),
        "{stdout}"
    );

    let (code, _, stderr) = run(&[
        "preflight",
        &file,
        "--version",
        "contoso_images/win2022-datacenter/9.9.9",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("has no version \"9.9.9\""), "{stderr}");
    let (code, _, _) = run(&["preflight", "/nonexistent.ron", "--version", V]);
    assert_eq!(code, 2);
    let (code, _, stderr) = run(&[
        "preflight",
        &file,
        "--version",
        V,
        "--source-security-type",
        "TrustedLaunchSupported",
    ]);
    assert_eq!(
        code, 2,
        "a build VM is not TrustedLaunchSupported: {stderr}"
    );
}
