//! `sig-studio pull`, `refresh` and `plan FILE` against the mock ARM server with a fake az on
//! PATH (issue 20): exit codes, what they print, the safe write, the token nowhere on disk or
//! in the output, and an edit that survives a save (the plan still shows it).

use std::path::{Path, PathBuf};

use sig_studio_core::model::{Edit, ResourcePath};
use sig_studio_core::workspace;

use crate::common::cli::{pull_with_az, run_with_az};
use crate::common::mock_arm::{self, ListFault, MockArm, SUBSCRIPTION, TOKEN_PREFIX};
use crate::common::tempdir;

/// A mock whose versions do not move (so that a refresh can find nothing changed).
fn still() -> mock_arm::Config {
    let mut config = mock_arm::small();
    for g in &mut config.galleries {
        for d in &mut g.definitions {
            for v in &mut d.versions {
                v.growing = false;
            }
        }
    }
    config
}

fn setup(name: &str, config: mock_arm::Config) -> (MockArm, PathBuf, PathBuf) {
    let mock = MockArm::start(config);
    let dir = tempdir(name);
    mock_arm::fake_az(&dir, &mock.url, &mock.graph_url());
    let file = dir.join("prod.ron");
    (mock, dir, file)
}

fn pull(mock: &MockArm, dir: &Path, file: &Path) -> (i32, String, String) {
    pull_with_az(&mock.url, SUBSCRIPTION, dir, file)
}

fn refresh(mock: &MockArm, dir: &Path, file: &Path, extra: &[&str]) -> (i32, String, String) {
    let file = file.display().to_string();
    let mut args = vec![
        "refresh",
        file.as_str(),
        "--arm-endpoint",
        mock.url.as_str(),
    ];
    args.extend_from_slice(extra);
    run_with_az(&args, dir)
}

/// No file in `dir` holds a token.
fn no_token_on_disk(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && path.file_name().is_some_and(|n| n != "az") {
            let bytes = std::fs::read(&path).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains(TOKEN_PREFIX),
                "{} holds a token",
                path.display()
            );
        }
    }
}

#[test]
fn pull_creates_a_workspace_from_azure_and_refuses_to_overwrite_one() {
    let (mock, dir, file) = setup("cli-pull", still());
    let (code, out, err) = pull(&mock, &dir, &file);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Read 2 galleries, 3 image definitions, 5 versions, 2 role assignments"),
        "{out}"
    );
    let ws = workspace::load(&file).unwrap();
    assert_eq!(ws.version_count(), 5);
    assert!(ws.azure.is_some());
    for request in mock.requests() {
        assert_eq!(request.method, "GET");
        assert!(
            request
                .authorization
                .unwrap()
                .starts_with(&format!("Bearer {TOKEN_PREFIX}"))
        );
    }
    // A subscription by its name works too; an existing file is not overwritten.
    let (code, _, err) = pull(&mock, &dir, &file);
    assert_eq!(code, 2);
    assert!(err.contains("the file exists: refresh it"), "{err}");
    let by_name = dir.join("by-name.ron");
    let (code, _, err) = pull_with_az(&mock.url, "contoso production", &dir, &by_name);
    assert_eq!(code, 0, "{err}");
    no_token_on_disk(&dir);
}

#[test]
fn refresh_exit_codes_no_change_changes_conflicts() {
    let (mock, dir, file) = setup("cli-refresh", still());
    assert_eq!(pull(&mock, &dir, &file).0, 0);
    // Nothing changed in Azure: 0.
    let (code, out, err) = refresh(&mock, &dir, &file, &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("Azure has not changed since it was last seen"),
        "{out}"
    );
    // Azure changed a description the user did not touch: taken in, 1.
    mock.change(|c| c.galleries[0].definitions[0].description = "Azure's".into());
    let (code, out, _) = refresh(&mock, &dir, &file, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("image definition contosoGallery/ubuntu-base: changed in Azure; taken in"),
        "{out}"
    );
    let ws = workspace::load(&file).unwrap();
    assert_eq!(
        ws.gallery("contosoGallery")
            .unwrap()
            .definition("ubuntu-base")
            .unwrap()
            .description,
        "Azure's"
    );
    assert!(
        file.with_extension("ron.bak").exists() || dir.join("prod.ron.bak").exists(),
        "the safe write keeps a .bak"
    );

    // The user and Azure both change win2022: 3, the plan keeps the user's.
    let mut ws = workspace::load(&file).unwrap();
    let mut def = ws
        .gallery("contosoGallery")
        .unwrap()
        .definition("win2022")
        .unwrap()
        .clone();
    def.versions.clear();
    def.description = "mine".into();
    Edit::UpdateDefinition {
        gallery: "contosoGallery".into(),
        name: "win2022".into(),
        definition: def,
    }
    .apply(&mut ws)
    .unwrap();
    workspace::save(&file, &ws).unwrap();
    mock.change(|c| c.galleries[0].definitions[1].description = "theirs".into());
    let (code, out, _) = refresh(&mock, &dir, &file, &["--json"]);
    assert_eq!(code, 3, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(report["unresolved"][0]["path"], "contosoGallery/win2022");
    assert_eq!(report["unresolved"][0]["azure"], "changed");
    let kept = workspace::load(&file).unwrap();
    assert_eq!(
        kept.gallery("contosoGallery")
            .unwrap()
            .definition("win2022")
            .unwrap()
            .description,
        "mine"
    );
    // Still a conflict next time; resolved by taking Azure's: 1, then nothing left.
    assert_eq!(refresh(&mock, &dir, &file, &[]).0, 3);
    let (code, out, _) = refresh(
        &mock,
        &dir,
        &file,
        &["--take-azure", "contosoGallery/win2022"],
    );
    assert_eq!(code, 1, "{out}");
    let taken = workspace::load(&file).unwrap();
    assert_eq!(
        taken
            .gallery("contosoGallery")
            .unwrap()
            .definition("win2022")
            .unwrap()
            .description,
        "theirs"
    );
    assert_eq!(refresh(&mock, &dir, &file, &[]).0, 0);
    no_token_on_disk(&dir);
}

#[test]
fn refresh_that_cannot_read_azure_exits_2_and_leaves_the_file() {
    let (mock, dir, file) = setup("cli-refresh-fail", still());
    assert_eq!(pull(&mock, &dir, &file).0, 0);
    let before = std::fs::read(&file).unwrap();
    for fault in [
        ListFault::Truncated,
        ListFault::ForeignNextLink,
        ListFault::Huge,
        ListFault::DotDotId,
    ] {
        mock.change(|c| c.galleries_list = fault.clone());
        let (code, out, err) = refresh(&mock, &dir, &file, &[]);
        assert_eq!(code, 2, "{fault:?}: {out}{err}");
        assert!(
            err.contains("cannot read Azure") && err.contains("GET http://127.0.0.1"),
            "{err}"
        );
        assert_eq!(
            std::fs::read(&file).unwrap(),
            before,
            "{fault:?}: the file is unchanged"
        );
        assert!(!err.contains(TOKEN_PREFIX) && !out.contains(TOKEN_PREFIX));
    }
}

#[test]
fn without_az_or_signed_out_the_message_says_what_to_run() {
    let (mock, dir, file) = setup("cli-no-az", still());
    std::fs::remove_file(dir.join("az")).unwrap();
    // PATH holds only the empty folder (and what the system has, which has no az).
    let (code, _, err) = pull(&mock, &dir, &file);
    if which_az().is_none() {
        assert_eq!(code, 2);
        assert!(
            err.contains("The Azure CLI (az) was not found") && err.contains("az login"),
            "{err}"
        );
    }
    mock_arm::signed_out_az(&dir);
    let (code, _, err) = pull(&mock, &dir, &file);
    assert_eq!(code, 2);
    assert!(err.contains("not signed in: run `az login`"), "{err}");
    assert!(!file.exists());
}

fn which_az() -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("az"))
            .find(|p| p.is_file())
    })
}

/// The bug: edit, save, reopen, plan FILE still shows the edit.
#[test]
fn an_edit_saved_and_reopened_is_still_in_plan_file() {
    let (mock, dir, file) = setup("cli-plan-file", still());
    assert_eq!(pull(&mock, &dir, &file).0, 0);
    let (code, out, _) = run_with_az(&["plan", &file.display().to_string()], &dir);
    assert_eq!(code, 0, "nothing planned yet: {out}");
    let mut ws = workspace::load(&file).unwrap();
    Edit::delete(&ResourcePath::version(
        "contosoGallery",
        "ubuntu-base",
        "1.0.0",
    ))
    .unwrap()
    .apply(&mut ws)
    .unwrap();
    workspace::save(&file, &ws).unwrap();
    let reopened = workspace::load(&file).unwrap();
    workspace::save(&file, &reopened).unwrap();
    let (code, out, _) = run_with_az(&["plan", &file.display().to_string()], &dir);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Plan from Azure as last seen (subscription"),
        "{out}"
    );
    assert!(
        out.contains("delete image version contosoGallery/ubuntu-base/1.0.0"),
        "{out}"
    );
    // `plan BEFORE AFTER` stays.
    let (code, _, _) = run_with_az(
        &[
            "plan",
            &file.display().to_string(),
            &file.display().to_string(),
        ],
        &dir,
    );
    assert_eq!(code, 0);
}
