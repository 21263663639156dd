//! Applying a plan to Azure (issue 21), against the mock ARM server: an edited sample applied
//! end to end leaves Azure as planned (refresh, then the plan says nothing to do), every body
//! sent validates against the REST spec, a failure in the middle stops and a second apply
//! finishes, an expiring token is renewed, nested-resource 409s are waited out, Azure's errors
//! are reported with their code, and the token is written nowhere.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;
use sig_studio_core::azure::apply::{
    self, ApplyLimits, ApplyLog, Control, Ending, Outcome, StepState, Target,
};
use sig_studio_core::azure::{Client, Refresh, read};
use sig_studio_core::model::{
    Grant, ImageVersion, Region, Role, TargetRegion, Workspace, azure::SharingPermission, seen,
};
use sig_studio_core::plan::{self, Plan};

use super::azure_read::{client_for, clock, options};
use crate::common::mock_arm::{self, Fault, MockArm, TOKEN_PREFIX};
use crate::common::{spec, tempdir, today};

const G: &str = "contosoGallery";
const LAB: &str = "labGallery";

pub fn limits() -> ApplyLimits {
    ApplyLimits {
        poll_interval: std::time::Duration::from_millis(1),
        nested_backoff: std::time::Duration::from_millis(5),
        ..ApplyLimits::default()
    }
}

fn region(name: &str) -> Region {
    Region::parse(name).unwrap()
}

/// Refreshes `ws` (no conflicts expected) and returns the plan from Azure as last seen.
fn refreshed_plan(client: &Client, ws: &mut Workspace) -> Plan {
    let refresh = Refresh::read(client, ws, &Default::default()).expect("refresh");
    assert!(refresh.conflicts.is_empty(), "{:?}", refresh.conflicts);
    refresh.merge(ws, &|_| None).apply_to(ws);
    plan::from_azure(ws, today())
}

/// What `sig-studio apply` does, in the core: refresh, plan, prepare, run, record.
fn apply_once(
    client: &Client,
    ws: &mut Workspace,
    dir: &Path,
    control: Option<Control>,
) -> (Plan, Outcome) {
    let plan = refreshed_plan(client, ws);
    let before = seen::before(ws);
    let target = Target::of(ws).expect("read from ARM");
    let prepared = apply::prepare(&plan, &before, ws, &client.arm, &target).expect("prepared");
    let log = ApplyLog::create(dir, "ws", clock()).unwrap();
    let control = control.unwrap_or_else(|| Control::new(&plan));
    let outcome = apply::run(client, &prepared, &limits(), &log, &control);
    let (seen, assignments) = apply::record(ws, &plan, &outcome.steps);
    ws.azure = Some(Arc::new(seen));
    ws.assignments = assignments;
    (plan, outcome)
}

fn new_version(
    ws: &Workspace,
    from: (&str, &str, &str),
    name: &str,
    regions: &[&str],
) -> ImageVersion {
    let mut v = ws
        .gallery(from.0)
        .unwrap()
        .definition(from.1)
        .unwrap()
        .version(from.2)
        .unwrap()
        .clone();
    v.name = name.to_owned();
    v.target_regions = regions
        .iter()
        .map(|r| TargetRegion::new(region(r)))
        .collect();
    v
}

/// The edits of the end-to-end test: every kind of step.
fn edit(ws: &mut Workspace) {
    // An update of a gallery and of a definition.
    let lab = ws.galleries.iter_mut().find(|g| g.name == LAB).unwrap();
    lab.description = "Lab images, applied".into();
    // A new definition with a version in it.
    let mut rocky = lab.definitions[0].clone();
    rocky.name = "rocky9".into();
    rocky.sku = "rocky9".into();
    rocky.description = "Rocky".into();
    rocky.versions = Vec::new();
    lab.definitions.push(rocky);
    let v = new_version(
        ws,
        (LAB, "centos-lab", "0.9.0"),
        "1.0.0",
        &["westus", "eastus"],
    );
    let lab = ws.galleries.iter_mut().find(|g| g.name == LAB).unwrap();
    lab.definitions[1].versions.push(v);
    // A new version, a region added to an existing one, a version deleted.
    let v = new_version(
        ws,
        (G, "ubuntu-base", "1.1.0"),
        "1.2.0",
        &["westus", "eastus", "westeurope"],
    );
    let g = ws.galleries.iter_mut().find(|g| g.name == G).unwrap();
    let ubuntu = g
        .definitions
        .iter_mut()
        .find(|d| d.name == "ubuntu-base")
        .unwrap();
    ubuntu.versions.retain(|v| v.name != "1.0.0");
    ubuntu.versions.push(v);
    let win = g
        .definitions
        .iter_mut()
        .find(|d| d.name == "win2022")
        .unwrap();
    win.versions[0]
        .target_regions
        .push(TargetRegion::new(region("westeurope")));
    // A new gallery shared directly with a subscription.
    let mut shared = ws.gallery(LAB).unwrap().without_definitions();
    shared.name = "sharedGallery".into();
    shared.description = "Shared with the partner".into();
    shared.sharing.permission = SharingPermission::Groups;
    shared.sharing.subscriptions = vec!["22222222-0000-0000-0000-000000000001".into()];
    ws.galleries.push(shared);
    // A role assignment added (the principal's object id from another assignment), one removed.
    ws.grants.push(Grant {
        principal: "alice@contoso.com".into(),
        role: Role::Contributor,
        scope: LAB.into(),
    });
    ws.grants.retain(|g| g.principal != "image-builders");
}

#[test]
fn an_edited_sample_applied_leaves_azure_as_planned() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("apply-end-to-end");
    let client = client_for(&mock, &dir);
    let mut ws = read(&client, &options()).unwrap().ws;
    edit(&mut ws);
    let (plan, outcome) = apply_once(&client, &mut ws, &dir, None);
    assert_eq!(outcome.ending, Ending::Completed, "{outcome:#?}");
    let kinds: std::collections::BTreeSet<String> = plan
        .steps
        .iter()
        .map(|s| format!("{} {}", s.action.label(), s.kind.label()))
        .collect();
    let expected = [
        "create gallery",
        "create image definition",
        "create image version",
        "create role assignment",
        "delete image version",
        "delete role assignment",
        "update gallery",
        "update image version",
    ];
    assert_eq!(
        kinds.iter().map(String::as_str).collect::<Vec<_>>(),
        expected
    );
    assert_eq!(
        plan.refused(),
        0,
        "{}",
        plan::to_text(&plan, "Azure", "planned")
    );
    assert_eq!(outcome.count(StepState::Done), plan.steps.len());
    // Azure as last seen recorded it: the plan from it is empty before any read.
    let left = plan::from_azure(&ws, today());
    assert!(
        left.is_empty(),
        "{}",
        plan::to_text(&left, "recorded", "planned")
    );
    // Azure holds what was planned: refreshed, nothing is left to do.
    let again = refreshed_plan(&client, &mut ws);
    assert!(
        again.is_empty(),
        "{}",
        plan::to_text(&again, "Azure", "planned")
    );
    let ids: Vec<String> = mock.resources().into_iter().map(|(id, _)| id).collect();
    assert!(
        ids.iter()
            .any(|id| id.ends_with("/galleries/labgallery/images/rocky9/versions/1.0.0"))
    );
    assert!(
        !ids.iter()
            .any(|id| id.ends_with("/ubuntu-base/versions/1.0.0"))
    );
    let shared = mock
        .resources()
        .into_iter()
        .find(|(id, _)| id.ends_with("/galleries/sharedgallery"))
        .unwrap()
        .1;
    assert_eq!(
        shared["properties"]["sharingProfile"]["groups"][0]["ids"][0],
        "22222222-0000-0000-0000-000000000001"
    );
    // Every request had the token; every body sent is valid by the REST spec.
    let requests = mock.requests();
    let writes: Vec<_> = requests.iter().filter(|r| r.method != "GET").collect();
    assert!(
        writes
            .iter()
            .any(|r| r.method == "POST" && r.target.contains("/share?"))
    );
    assert!(
        writes
            .iter()
            .any(|r| r.method == "DELETE" && r.target.contains("roleAssignments"))
    );
    {
        let spec = spec::spec();
        let mut errors = Vec::new();
        for r in writes
            .iter()
            .filter(|r| r.method == "PUT" && !r.target.contains("roleAssignments"))
        {
            let path = r.target.split('?').next().unwrap();
            let kind = match path.split('/').rev().nth(1).unwrap() {
                "galleries" => "Microsoft.Compute/galleries",
                "images" => "Microsoft.Compute/galleries/images",
                _ => "Microsoft.Compute/galleries/images/versions",
            };
            spec.rest_body(kind, r.body.as_ref().unwrap(), &mut errors);
        }
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // The log names every request, and never the token.
    let log = std::fs::read_to_string(&outcome.log).unwrap();
    assert_eq!(
        log.lines()
            .filter(|l| l.contains("\"method\":\"PUT\""))
            .count(),
        writes.iter().filter(|r| r.method == "PUT").count()
    );
    assert!(log.contains("correlationId"));
    assert!(!log.contains(TOKEN_PREFIX));
    for line in log.lines() {
        serde_json::from_str::<Value>(line).expect("one JSON object a line");
    }
}

#[test]
fn a_failure_in_the_middle_stops_records_and_a_second_apply_finishes() {
    let mut config = mock_arm::small();
    config
        .faults
        .push(Fault::server_error("PUT", "/versions/1.2.0?"));
    let mock = MockArm::start(config);
    let dir = tempdir("apply-failure");
    let client = client_for(&mock, &dir);
    let mut ws = read(&client, &options()).unwrap().ws;
    edit(&mut ws);
    let (plan, outcome) = apply_once(&client, &mut ws, &dir, None);
    assert_eq!(outcome.ending, Ending::Failed);
    let failed: Vec<usize> = (0..plan.steps.len())
        .filter(|&i| outcome.steps[i].state == StepState::Failed)
        .collect();
    assert_eq!(failed.len(), 1, "{outcome:#?}");
    let failure = outcome.steps[failed[0]].failure.as_ref().unwrap();
    assert_eq!(
        (failure.status, failure.code.as_str()),
        (Some(500), "InternalServerError")
    );
    assert!(failure.message.contains("injected"), "{failure}");
    assert!(plan.steps[failed[0]].path.ends_with("/1.2.0"));
    // What came before is done (steps are taken in the plan's order), what comes after never
    // started.
    assert!(
        outcome.steps[..failed[0]]
            .iter()
            .all(|s| s.state == StepState::Done),
        "{outcome:#?}"
    );
    assert!(
        outcome.count(StepState::NotStarted) > 0,
        "{}",
        outcome.summary()
    );
    let role_puts = mock
        .requests()
        .iter()
        .filter(|r| r.method == "PUT" && r.target.contains("roleAssignments"))
        .count();
    assert_eq!(role_puts, 0, "role assignments come after the versions");
    // Azure as last seen says what was done: the plan from it holds the rest only.
    let rest = plan::from_azure(&ws, today());
    assert_eq!(
        rest.steps.len(),
        plan.steps.len() - outcome.count(StepState::Done)
    );
    // A second apply continues: it does not send again what was done.
    let puts_before = mock.requests().iter().filter(|r| r.method != "GET").count();
    let (second, outcome) = apply_once(&client, &mut ws, &dir, None);
    assert_eq!(outcome.ending, Ending::Completed, "{outcome:#?}");
    assert_eq!(second.steps.len(), rest.steps.len());
    assert!(mock.requests().iter().filter(|r| r.method != "GET").count() > puts_before);
    assert!(refreshed_plan(&client, &mut ws).is_empty());
    let logs = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".apply-")
        })
        .count();
    assert_eq!(logs, 2, "one log per run");
}

#[test]
fn a_token_that_expires_mid_run_is_renewed() {
    let mut config = mock_arm::small();
    config.token_uses = Some(12);
    let mock = MockArm::start(config);
    let dir = tempdir("apply-token");
    let client = client_for(&mock, &dir);
    let mut ws = read(&client, &options()).unwrap().ws;
    edit(&mut ws);
    let (_, outcome) = apply_once(&client, &mut ws, &dir, None);
    assert_eq!(outcome.ending, Ending::Completed, "{outcome:#?}");
    let tokens: std::collections::HashSet<String> = mock
        .requests()
        .iter()
        .filter_map(|r| r.authorization.clone())
        .collect();
    assert!(tokens.len() > 2, "{} tokens", tokens.len());
    // The token is in no file the run wrote (the fake az's script hands it out).
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() == "az" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(!text.contains(TOKEN_PREFIX), "{}", path.display());
    }
    sig_studio_core::workspace::save(&dir.join("ws.ron"), &ws).unwrap();
    assert!(
        !std::fs::read_to_string(dir.join("ws.ron"))
            .unwrap()
            .contains(TOKEN_PREFIX)
    );
}

/// Deletes a definition and its versions.
fn delete_ubuntu(ws: &mut Workspace) {
    let g = ws.galleries.iter_mut().find(|g| g.name == G).unwrap();
    g.definitions.retain(|d| d.name != "ubuntu-base");
}

#[test]
fn a_parent_still_counting_its_deleted_children_is_deleted_after_retries() {
    let mut config = mock_arm::small();
    config.delete_lag = 2;
    let mock = MockArm::start(config);
    let dir = tempdir("apply-nested");
    let client = client_for(&mock, &dir);
    let mut ws = read(&client, &options()).unwrap().ws;
    // 1.0.0 and 1.0.1 protect nothing; 1.1.0 is replicating but may go too.
    delete_ubuntu(&mut ws);
    let (_, outcome) = apply_once(&client, &mut ws, &dir, None);
    assert_eq!(outcome.ending, Ending::Completed, "{outcome:#?}");
    let conflicts = mock
        .requests()
        .iter()
        .filter(|r| r.method == "DELETE" && r.target.contains("/images/ubuntu-base?"))
        .count();
    assert_eq!(conflicts, 3, "two 409s waited out, then deleted");
    let log = std::fs::read_to_string(&outcome.log).unwrap();
    assert!(log.contains("retry 1 of 6"), "{log}");
}

#[test]
fn a_parent_whose_children_never_go_fails_with_azures_message() {
    let mut config = mock_arm::small();
    config.delete_lag = 50;
    let mock = MockArm::start(config);
    let dir = tempdir("apply-nested-fails");
    let client = client_for(&mock, &dir);
    let mut ws = read(&client, &options()).unwrap().ws;
    delete_ubuntu(&mut ws);
    let (plan, outcome) = apply_once(&client, &mut ws, &dir, None);
    assert_eq!(outcome.ending, Ending::Failed);
    let i = outcome
        .steps
        .iter()
        .position(|s| s.state == StepState::Failed)
        .unwrap();
    assert_eq!(plan.steps[i].path, "contosoGallery/ubuntu-base");
    let failure = outcome.steps[i].failure.as_ref().unwrap();
    assert_eq!(
        (failure.status, failure.code.as_str()),
        (Some(409), "Conflict")
    );
    assert_eq!(
        failure.message,
        "Can not delete resource before nested resources are deleted."
    );
    // The versions went: Azure as last seen says so.
    assert!(
        ws.azure.as_ref().unwrap().galleries()[0]
            .definitions
            .iter()
            .find(|d| d.name == "ubuntu-base")
            .unwrap()
            .versions
            .is_empty()
    );
}
