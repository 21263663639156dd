//! The real az CLI as the oracle of the az scripts (tests/oracle, docs/export.md): each script's
//! calls, as bash passes them, go through azure-cli's parser and request builder with the
//! network cut, and what Azure would hold afterwards must be what the ARM template of the same
//! workspace deploys: every writable property, no resource the workspace does not name, no
//! local file read. Over the bundled sample, a workspace using every exported property, every
//! REST example of the spec imported, a hostile workspace, and plans.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sig_studio_core::export::{ExportError, Scope, arm, az};
use sig_studio_core::import::{Input, import};
use sig_studio_core::model::azure::SharingPermission;
use sig_studio_core::model::{Gallery, Workspace};
use sig_studio_core::plan;
use sig_studio_core::sample::sample;

use crate::common::cli::run_with_fake_az;
use crate::common::oracle::{self, RESOURCE_GROUP, SUBSCRIPTION};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sig-studio-oracle-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The subscription and resource group a workspace's galleries deploy to.
fn place(ws: &Workspace) -> (String, String) {
    let g = ws.galleries.iter().find(|g| !g.subscription.is_empty());
    let sub = g.map_or(SUBSCRIPTION.to_owned(), |g| g.subscription.clone());
    let rg = ws
        .galleries
        .iter()
        .find(|g| !g.resource_group.is_empty())
        .map_or(RESOURCE_GROUP.to_owned(), |g| g.resource_group.clone());
    (sub, rg)
}

fn subscriptions(workspaces: &[&Workspace]) -> Vec<String> {
    let mut subs = vec![SUBSCRIPTION.to_owned()];
    for ws in workspaces {
        for g in &ws.galleries {
            if !g.subscription.is_empty() && !subs.contains(&g.subscription) {
                subs.push(g.subscription.clone());
            }
        }
    }
    subs
}

/// Runs a script's text with the recording `az`, then its calls through the oracle.
fn replay(python: &Path, script: &az::Script, dir: &Path, mut job: Value) -> oracle::Report {
    let text = az::render(script);
    std::fs::write(dir.join("script.sh"), &text).unwrap();
    let calls = run_with_fake_az(&text, dir, &oracle::script_vars(script));
    job["calls"] = json!(calls);
    oracle::run(python, &job, dir)
}

/// The export of `scope` as az script and as template, checked against each other by az.
fn check_export(python: &Path, ws: &Workspace, scope: &Scope, name: &str) -> oracle::Report {
    let dir = temp_dir(name);
    let script = az::script(ws, scope).unwrap();
    let template = arm::template(ws, scope).unwrap();
    let (sub, rg) = place(ws);
    let job = json!({
        "subscriptions": subscriptions(&[ws]),
        "expect_template": oracle::deployment(&template, &sub, &rg),
        "context": parents(ws, &sub, &rg),
        "sharing": sharing(ws, &sub, &rg),
    });
    let report = replay(python, &script, &dir, job);
    assert!(
        report.mismatches.is_empty(),
        "{name}: az does not do what the template says ({} calls, script in {}):\n{}",
        report.calls,
        dir.display(),
        report.mismatches.join("\n")
    );
    let _ = std::fs::remove_dir_all(&dir);
    report
}

/// Each gallery's direct sharing, which the script sets by `az sig share`.
fn sharing(ws: &Workspace, sub: &str, rg: &str) -> Value {
    let mut out = serde_json::Map::new();
    for g in &ws.galleries {
        let gid = format!(
            "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/galleries/{}",
            g.name
        );
        out.insert(
            gid,
            json!({"subscriptions": g.sharing.subscriptions, "tenants": g.sharing.tenants}),
        );
    }
    Value::Object(out)
}

/// The galleries and definitions known only by reference, as Azure holds them (the export
/// writes their children only).
fn parents(ws: &Workspace, sub: &str, rg: &str) -> Value {
    use sig_studio_core::model::Presence;
    let mut out = Vec::new();
    for g in &ws.galleries {
        let gid = format!(
            "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/galleries/{}",
            g.name
        );
        if ws.presence_of(&g.name, None, None) == Presence::Reference {
            out.push(json!({"id": gid, "type": arm::GALLERY_TYPE, "location": g.region.name(), "properties": {}}));
        }
        for d in &g.definitions {
            if ws.presence_of(&g.name, Some(&d.name), None) == Presence::Reference {
                out.push(json!({"id": format!("{gid}/images/{}", d.name), "type": arm::DEFINITION_TYPE, "location": g.region.name(), "properties": {}}));
            }
        }
    }
    json!(out)
}

#[test]
fn the_sample_export_does_what_its_template_says() {
    let Some(python) = oracle::python() else {
        return;
    };
    let report = check_export(&python, &sample(), &Scope::default(), "sample");
    assert!(report.calls >= 10, "{report:?}");
    eprintln!(
        "az oracle: sample, {} calls in {:.1} s",
        report.calls, report.seconds
    );
}

#[test]
fn what_az_sig_image_definition_create_drops_is_set_by_an_update() {
    let Some(python) = oracle::python() else {
        return;
    };
    let mut ws = sample();
    for d in &mut ws.galleries[0].definitions {
        d.set_security_type(Some(
            sig_studio_core::model::SecurityType::TrustedLaunchSupported,
        ));
        d.privacy_uri = "https://contoso.com/privacy".into();
        d.allow_update_image = Some(true);
        d.tags.insert("team".into(), "images".into());
    }
    let script = az::script(&ws, &Scope::default()).unwrap();
    let written = az::render(&script);
    assert!(
        written.contains("az sig image-definition create"),
        "{written}"
    );
    assert!(
        written.contains("az sig image-definition update"),
        "{written}"
    );
    check_export(&python, &ws, &Scope::default(), "definition-update");
}

#[test]
fn every_exported_property_survives_az() {
    let Some(python) = oracle::python() else {
        return;
    };
    let ws = crate::export::rich();
    check_export(&python, &ws, &Scope::default(), "rich");
}

/// The service's REST examples (a copy in the repository: `tests/fixtures/arm-examples/README.md`).
fn arm_examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/arm-examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_spec_example_imported_exports_what_az_sends() {
    let Some(python) = oracle::python() else {
        return;
    };
    let mut checked = 0;
    for file in arm_examples() {
        let mut ws = Workspace::default();
        import(&mut ws, &[Input::read(&file).unwrap()]).unwrap();
        // The examples name `{subscription-id}`: a real one stands in.
        for g in &mut ws.galleries {
            g.subscription = SUBSCRIPTION.to_owned();
        }
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        match az::script(&ws, &Scope::default()) {
            Ok(_) => {}
            Err(ExportError::Nothing(_)) => continue,
            Err(err) => panic!("{name}: {err}"),
        }
        check_export(&python, &ws, &Scope::default(), &name);
        checked += 1;
    }
    assert!(
        checked >= 15,
        "only {checked} examples had something to export"
    );
}

/// The hostile values: az options as tag keys, `@file` values, ARM expressions, every
/// character from U+0001 to U+00FF, quotes and shell syntax.
fn hostile() -> Workspace {
    let every: String = (1u8..=255).map(char::from).collect();
    let mut ws = crate::export::rich();
    let g = &mut ws.galleries[0];
    g.description = "@/etc/passwd".into();
    g.tags.clear();
    g.tags.insert("--managed-image".into(), "x".into());
    g.tags.insert("--subscription=".into(), "y".into());
    g.tags.insert("[concat('a')]".into(), "[x]".into());
    g.tags.insert("owner".into(), "a=@/etc/passwd".into());
    g.tags.insert("every".into(), every.clone());
    g.tags.insert("null".into(), "null".into());
    g.sharing.permission = SharingPermission::Community;
    let d = &mut g.definitions[0];
    d.description = every.clone();
    d.eula = "@/etc/hostname".into();
    d.release_note_uri = "--resource-group=evil".into();
    d.tags
        .insert("notes".into(), "$(touch CANARY) `x` ; '\" \\".into());
    for v in &mut d.versions {
        v.tags.insert("-x".into(), "??".into());
        v.tags.insert("[x]".into(), "'quoted'".into());
    }
    // What az's flags cannot say: PremiumV2_LRS (az refuses it), a region's own exclusion.
    let d = &mut ws.galleries[0].definitions[1];
    let v = &mut d.versions[0];
    v.storage_type = sig_studio_core::model::StorageType::PremiumV2_LRS;
    v.target_regions[0].exclude_from_latest = Some(true);
    ws
}

#[test]
fn hostile_values_stay_values() {
    let Some(python) = oracle::python() else {
        return;
    };
    check_export(&python, &hostile(), &Scope::default(), "hostile");
}

#[test]
fn names_azure_would_not_take_are_refused_not_written() {
    for bad in ["..", "a/b", "-x", "--managed-image"] {
        let mut ws = sample();
        ws.galleries[0].definitions[0].name = bad.to_owned();
        for format in [
            sig_studio_core::export::Format::Arm,
            sig_studio_core::export::Format::Az,
        ] {
            let err =
                sig_studio_core::export::export(&ws, &Scope::default(), format).expect_err(bad);
            assert!(matches!(err, ExportError::BadName { .. }), "{bad}: {err}");
        }
    }
}

/// A plan's script, run against Azure as BEFORE's template deploys it, leaves Azure as
/// AFTER's template deploys it.
fn check_plan(python: &Path, before: &Workspace, after: &Workspace, name: &str) {
    let dir = temp_dir(name);
    let plan = plan::plan(before, after, crate::common::today());
    assert_eq!(
        plan.refused(),
        0,
        "{name}: {}",
        plan::to_text(&plan, "a", "b")
    );
    let script = plan::script(&plan, before, after);
    let (sub, rg) = place(after);
    let before_template = arm::template(before, &Scope::default()).unwrap();
    let after_template = arm::template(after, &Scope::default()).unwrap();
    let job = json!({
        "subscriptions": subscriptions(&[before, after]),
        "seed_template": oracle::deployment(&before_template, &sub, &rg),
        "expect_template": oracle::deployment(&after_template, &sub, &rg),
        "allowed": [],
        "sharing": sharing(after, &sub, &rg),
    });
    let report = replay(python, &script, &dir, job);
    assert!(
        report.mismatches.is_empty(),
        "{name}: the plan's script does not take Azure to AFTER ({} calls, script in {}):\n{}",
        report.calls,
        dir.display(),
        report.mismatches.join("\n")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn gallery(ws: &mut Workspace) -> &mut Gallery {
    &mut ws.galleries[0]
}

#[test]
fn a_plans_script_takes_azure_exactly_to_after() {
    let Some(python) = oracle::python() else {
        return;
    };
    check_plan(
        &python,
        &sample(),
        &crate::plan::edited_sample(),
        "plan-edited",
    );
    // Text that looks like an ARM expression arrives as written.
    let before = sample();
    let mut after = before.clone();
    gallery(&mut after).description = "[x]".into();
    gallery(&mut after).tags.insert("[k]".into(), "[v]".into());
    check_plan(&python, &before, &after, "plan-brackets");
    // A version's regions change while a region keeps its encryption and replica sets.
    let before = crate::export::rich();
    let mut after = before.clone();
    let v = &mut gallery(&mut after).definitions[0].versions[0];
    v.default_replica_count = 3;
    v.end_of_life = Some("2028-01-31".parse().unwrap());
    check_plan(&python, &before, &after, "plan-encrypted-region");
}
