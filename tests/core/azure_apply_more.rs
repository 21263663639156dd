//! More of the apply against the mock ARM server: Azure's refusals reported with their code (a
//! property fixed at creation, an operation that ends Failed), `Retry-After` waited, cancel
//! between steps, bounded concurrency, what only Azure knows looked up (principals in Graph,
//! managed images), the dry run, and refused steps never sent.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::json;
use sig_studio_core::azure::apply::{
    self, ApplyLimits, ApplyLog, Control, Ending, Op, Prepared, StepState, Target,
};
use sig_studio_core::azure::{Client, read};
use sig_studio_core::model::{
    Grant, ManagedImage, OsType, Principal, PrincipalKind, Region, Role, TargetRegion, Workspace,
    seen,
};
use sig_studio_core::plan::{self, Plan};

use super::azure_apply::limits;
use super::azure_read::{client_for, clock, options};
use crate::common::mock_arm::{self, Fault, MockArm, MockImage};
use crate::common::{tempdir, today};

const G: &str = "contosoGallery";

fn pulled(mock: &MockArm, name: &str) -> (Client, Workspace, std::path::PathBuf) {
    let dir = tempdir(name);
    let client = client_for(mock, &dir);
    let ws = read(&client, &options()).unwrap().ws;
    (client, ws, dir)
}

/// The plan from Azure as last seen, and what `apply::prepare` makes of it.
fn prepare(client: &Client, ws: &Workspace) -> (Plan, Result<Vec<Prepared>, Vec<String>>) {
    let plan = plan::from_azure(ws, today());
    let before = seen::before(ws);
    let prepared = apply::prepare(&plan, &before, ws, &client.arm, &Target::of(ws).unwrap());
    (plan, prepared)
}

fn prepared(client: &Client, ws: &Workspace) -> (Plan, Vec<Prepared>) {
    let (plan, prepared) = prepare(client, ws);
    (plan, prepared.unwrap())
}

fn run(
    client: &Client,
    ws: &Workspace,
    dir: &std::path::Path,
    limits: &ApplyLimits,
    control: Option<Control>,
) -> (Plan, apply::Outcome) {
    let (plan, prepared) = prepared(client, ws);
    let log = ApplyLog::create(dir, "ws", clock()).unwrap();
    let control = control.unwrap_or_else(|| Control::new(&plan));
    let outcome = apply::run(client, &prepared, limits, &log, &control);
    (plan, outcome)
}

fn describe_versions(ws: &mut Workspace, text: &str) {
    for g in &mut ws.galleries {
        for d in &mut g.definitions {
            for v in &mut d.versions {
                v.tags.insert("note".into(), text.into());
            }
        }
    }
}

#[test]
fn azure_refusing_a_fixed_property_is_reported_with_its_code() {
    let mock = MockArm::start(mock_arm::small());
    let (client, ws, dir) = pulled(&mock, "apply-fixed");
    // A request the plan would never send (it refuses the change), sent as it is.
    let d = ws.gallery(G).unwrap().definition("win2022").unwrap();
    let mut body = sig_studio_core::export::arm::definition_body(ws.gallery(G).unwrap(), d);
    for key in ["type", "apiVersion", "name"] {
        body.as_object_mut().unwrap().remove(key);
    }
    body["properties"]["osType"] = json!("Linux");
    let url = client.arm.url(
        &format!(
            "/subscriptions/{}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/{G}/images/win2022",
            mock_arm::SUBSCRIPTION
        ),
        "api-version=2025-03-03",
    );
    let plan = plan::from_azure(&ws, today());
    assert!(plan.is_empty());
    let prepared = [Prepared {
        index: 0,
        level: 0,
        ops: vec![Op::Put {
            url,
            body,
            source: None,
        }],
    }];
    let mut one = plan::plan(&Workspace::default(), &ws, today());
    one.steps.truncate(1);
    let control = Control::new(&one);
    let log = ApplyLog::create(&dir, "ws", clock()).unwrap();
    let outcome = apply::run(&client, &prepared, &limits(), &log, &control);
    assert_eq!(outcome.ending, Ending::Failed);
    let failure = outcome.steps[0].failure.as_ref().unwrap();
    assert_eq!(
        (
            failure.status,
            failure.code.as_str(),
            failure.message.as_str()
        ),
        (
            Some(409),
            "PropertyChangeNotAllowed",
            "Changing property 'osType' is not allowed."
        )
    );
}

#[test]
fn an_operation_that_ends_failed_fails_its_step() {
    let mut config = mock_arm::small();
    config.faults.push(Fault {
        in_operation: true,
        code: "ReplicationSourceNotFound".into(),
        message: "The source of the version was deleted.".into(),
        ..Fault::server_error("PUT", "/versions/1.0.1?")
    });
    let mock = MockArm::start(config);
    let (client, mut ws, dir) = pulled(&mock, "apply-operation-failed");
    describe_versions(&mut ws, "tagged");
    let (plan, outcome) = run(&client, &ws, &dir, &limits(), None);
    assert_eq!(outcome.ending, Ending::Failed);
    let i = outcome
        .steps
        .iter()
        .position(|s| s.state == StepState::Failed)
        .unwrap();
    assert!(plan.steps[i].path.ends_with("/1.0.1"));
    let failure = outcome.steps[i].failure.as_ref().unwrap();
    assert_eq!(failure.code, "ReplicationSourceNotFound");
    assert_eq!(
        failure.message,
        "the operation ended Failed: The source of the version was deleted."
    );
}

#[test]
fn retry_after_is_waited_between_polls() {
    let mut config = mock_arm::small();
    config.retry_after = 1;
    let mock = MockArm::start(config);
    let (client, mut ws, dir) = pulled(&mock, "apply-retry-after");
    ws.galleries[1].description = "one step".into();
    let (_, outcome) = run(&client, &ws, &dir, &limits(), None);
    assert_eq!(outcome.ending, Ending::Completed);
    let log = std::fs::read_to_string(&outcome.log).unwrap();
    assert_eq!(
        log.matches("waiting 1 s (Retry-After)").count(),
        2,
        "before each of the two polls: {log}"
    );
}

#[test]
fn cancel_stops_before_the_next_step_and_the_one_in_flight_finishes() {
    let mock = MockArm::start(mock_arm::large(1, 1, 12));
    let (client, mut ws, dir) = pulled(&mock, "apply-cancel");
    describe_versions(&mut ws, "tagged");
    let plan = plan::from_azure(&ws, today());
    let mut control = Control::new(&plan);
    let (cancel, board) = (Arc::clone(&control.cancel), Arc::clone(&control.board));
    control.notify = Some(Arc::new(move || {
        if board
            .snapshot()
            .iter()
            .any(|s| s.state == StepState::Running)
        {
            cancel.store(true, Ordering::Relaxed);
        }
    }));
    let one_at_a_time = ApplyLimits {
        parallel: 1,
        ..limits()
    };
    let (_, outcome) = run(&client, &ws, &dir, &one_at_a_time, Some(control));
    assert_eq!(outcome.ending, Ending::Cancelled);
    assert_eq!(outcome.count(StepState::Done), 1, "{}", outcome.summary());
    assert_eq!(outcome.count(StepState::NotStarted), 11);
    assert_eq!(
        mock.operations_running(),
        0,
        "the step in flight was followed to its end"
    );
}

#[test]
fn at_most_eight_steps_run_at_once() {
    let mock = MockArm::start(mock_arm::large(1, 2, 30));
    let (client, mut ws, dir) = pulled(&mock, "apply-parallel");
    describe_versions(&mut ws, "tagged");
    let (plan, outcome) = run(&client, &ws, &dir, &limits(), None);
    assert_eq!(outcome.ending, Ending::Completed);
    assert_eq!(outcome.count(StepState::Done), 60);
    assert!(plan.steps.iter().all(|s| s.kind == plan::Kind::Version));
    let most = mock.max_in_flight();
    assert!((2..=8).contains(&most), "{most} requests at once");
}

#[test]
fn principals_and_managed_images_are_looked_up_in_azure() {
    let mut config = mock_arm::small();
    config.graph.insert(
        "33333333-0000-0000-0000-000000000001".into(),
        ("bob@contoso.com".into(), "#microsoft.graph.user".into()),
    );
    config.graph.insert(
        "33333333-0000-0000-0000-000000000002".into(),
        ("release-managers".into(), "#microsoft.graph.group".into()),
    );
    config.images.push(MockImage {
        resource_group: "rg-build".into(),
        name: "golden-ubuntu".into(),
        location: "westus".into(),
    });
    let mock = MockArm::start(config);
    let (client, mut ws, dir) = pulled(&mock, "apply-lookups");
    let tenant = ws.tenants[0].name.clone();
    for (name, kind) in [
        ("bob@contoso.com", PrincipalKind::User),
        ("release-managers", PrincipalKind::Group),
    ] {
        ws.principals.push(Principal {
            name: name.into(),
            kind,
            tenant: tenant.clone(),
            members: Vec::new(),
        });
        ws.grants.push(Grant {
            principal: name.into(),
            role: Role::Reader,
            scope: "labGallery".into(),
        });
    }
    ws.managed_images.push(ManagedImage {
        name: "golden-ubuntu".into(),
        region: Region::parse("westus").unwrap(),
        // The mock's definitions are Windows (the REST example's).
        os_type: OsType::Windows,
        capture: Default::default(),
        os_disk_gb: 30,
        data_disks: Vec::new(),
        occupied_gb: 10.0,
    });
    let d = &mut ws.galleries[0].definitions[0];
    let mut v = d.versions[0].clone();
    v.name = "3.0.0".into();
    v.azure_source = None;
    v.location = None;
    v.source = "golden-ubuntu".into();
    v.target_regions = vec![TargetRegion::new(Region::parse("westus").unwrap())];
    d.versions.push(v);
    let (plan, outcome) = run(&client, &ws, &dir, &limits(), None);
    assert_eq!(outcome.ending, Ending::Completed, "{outcome:#?}");
    let requests = mock.requests();
    let put = |needle: &str| {
        requests
            .iter()
            .find(|r| r.method == "PUT" && r.target.contains(needle))
            .and_then(|r| r.body.clone())
            .unwrap_or_else(|| panic!("no PUT of {needle}: {}", plan::to_text(&plan, "a", "b")))
    };
    assert_eq!(
        put("/versions/3.0.0?")["properties"]["storageProfile"]["source"]["id"],
        format!(
            "/subscriptions/{}/resourceGroups/rg-build/providers/Microsoft.Compute/images/golden-ubuntu",
            mock_arm::SUBSCRIPTION
        )
    );
    let ids: Vec<String> = requests
        .iter()
        .filter(|r| r.method == "PUT" && r.target.contains("roleAssignments"))
        .map(|r| r.body.as_ref().unwrap()["properties"]["principalId"].to_string())
        .collect();
    assert!(
        ids.iter()
            .any(|i| i.contains("33333333-0000-0000-0000-000000000001"))
    );
    assert!(
        ids.iter()
            .any(|i| i.contains("33333333-0000-0000-0000-000000000002"))
    );
    assert!(
        requests
            .iter()
            .any(|r| r.target.starts_with("/graph/v1.0/users/bob%40contoso.com"))
    );
    // The names and object ids written are recorded for the next plan.
    let (_, assignments) = apply::record(&ws, &plan, &outcome.steps);
    let bob = assignments
        .iter()
        .find(|a| a.principal == "bob@contoso.com")
        .unwrap();
    assert_eq!(bob.principal_id, "33333333-0000-0000-0000-000000000001");
    assert!(sig_studio_core::export::is_object_id(&bob.name));
}

#[test]
fn a_dry_run_sends_nothing_and_refused_steps_are_never_sent() {
    let mock = MockArm::start(mock_arm::small());
    let (client, mut ws, dir) = pulled(&mock, "apply-dry-run");
    // Removing a replicated region a version protects is refused; a description change is not.
    let v = &mut ws.galleries[0].definitions[1].versions[0];
    v.target_regions.retain(|t| t.region.name() != "eastus");
    ws.galleries[1].description = "applied".into();
    let tenant = ws.tenants[0].name.clone();
    ws.principals.push(Principal {
        name: "carol@contoso.com".into(),
        kind: PrincipalKind::User,
        tenant,
        members: Vec::new(),
    });
    ws.grants.push(Grant {
        principal: "carol@contoso.com".into(),
        role: Role::Reader,
        scope: "labGallery".into(),
    });
    let (plan, prepared) = prepared(&client, &ws);
    assert_eq!(plan.refused(), 1, "{}", plan::to_text(&plan, "a", "b"));
    assert_eq!(prepared.len(), plan.steps.len() - 1);
    let text = apply::dry_run(&plan, &prepared, &client.arm);
    assert!(text.contains("PUT http://127.0.0.1:"), "{text}");
    assert!(
        text.contains("/galleries/labGallery?api-version=2025-03-03"),
        "{text}"
    );
    assert!(text.contains("<object id of carol@contoso.com: looked up in Microsoft Graph>"));
    assert!(text.contains("(refused: not sent)"), "{text}");
    assert!(mock.requests().iter().all(|r| r.method == "GET"));
    let confirm = apply::Confirmation::of(&plan);
    assert!(
        confirm.is_empty(),
        "a refused removal is not confirmed: {confirm:?}"
    );
    let log = ApplyLog::create(&dir, "ws", clock()).unwrap();
    let control = Control::new(&plan);
    let outcome = apply::run(&client, &prepared, &limits(), &log, &control);
    assert_eq!(outcome.count(StepState::Refused), 1);
    let writes: Vec<String> = mock
        .requests()
        .iter()
        .filter(|r| r.method != "GET")
        .map(|r| r.target.clone())
        .collect();
    assert!(writes.iter().all(|t| !t.contains("win2022")), "{writes:?}");
}

#[test]
fn a_gallery_outside_the_refreshed_subscription_stops_the_apply_before_any_request() {
    let mock = MockArm::start(mock_arm::small());
    let (client, mut ws, _dir) = pulled(&mock, "apply-elsewhere");
    ws.galleries[1].description = "changed".into();
    ws.galleries[1].subscription = "99999999-0000-0000-0000-000000000000".into();
    let mut orphan = ws.galleries[1].without_definitions();
    orphan.name = "noGroup".into();
    orphan.subscription = String::new();
    orphan.resource_group = String::new();
    ws.galleries.push(orphan);
    let problems = prepare(&client, &ws).1.unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("noGroup has no resource group")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("is in subscription 99999999")),
        "{problems:?}"
    );
    assert!(mock.requests().iter().all(|r| r.method == "GET"));
}

#[test]
fn two_galleries_azure_takes_for_one_stop_the_apply_before_any_request() {
    let mock = MockArm::start(mock_arm::small());
    let (client, mut ws, _dir) = pulled(&mock, "apply-case-clash");
    let mut twin = ws.galleries[0].without_definitions();
    twin.name = ws.galleries[0].name.to_uppercase();
    ws.galleries.push(twin);
    let problems = prepare(&client, &ws).1.unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("are one resource to Azure, which ignores the case of names"),
        "{problems:?}"
    );
    assert!(mock.requests().iter().all(|r| r.method == "GET"));
}

#[test]
fn the_confirmation_names_every_delete_and_every_region_removed_but_not_refused_ones() {
    let mut ws =
        sig_studio_core::workspace::load(std::path::Path::new("assets/sample.ron")).unwrap();
    // Azure blocks removing a replicated region from the second definition's newest version.
    let blocked = ws.galleries[0].definitions[1].versions.last_mut().unwrap();
    blocked.allow_deletion_of_replicated_locations = false;
    let origin = sig_studio_core::model::Origin {
        subscription: "00000000-0000-4000-8000-000000000001".into(),
        ..Default::default()
    };
    ws.azure = Some(Arc::new(sig_studio_core::model::AzureSeen::snapshot(
        &ws, origin,
    )));
    let images = ws.managed_images.clone();
    // A region that is not the version's source's (removing that one breaks a rule).
    let not_source = |v: &sig_studio_core::model::ImageVersion| {
        let source = images.iter().find(|i| i.name == v.source).unwrap().region;
        v.target_regions
            .iter()
            .position(|t| t.region != source)
            .unwrap()
    };
    let blocked = ws.galleries[0].definitions[1].versions.last_mut().unwrap();
    blocked.target_regions.remove(not_source(blocked));
    let d = &mut ws.galleries[0].definitions[0];
    let first = d.versions.remove(0).name;
    let widest = d
        .versions
        .iter_mut()
        .max_by_key(|v| v.target_regions.len())
        .unwrap();
    let lost = widest.target_regions.remove(not_source(widest)).region;
    let widest = widest.name.clone();
    let plan = plan::from_azure(&ws, today());
    assert_eq!(plan.refused(), 1, "{}", plan.summary());
    let (g, d) = (&ws.galleries[0].name, &ws.galleries[0].definitions[0].name);
    assert_eq!(
        apply::Confirmation::of(&plan).lines(),
        [
            "It deletes 1 resource:".to_owned(),
            format!("  - image version {g}/{d}/{first}"),
            "It removes 1 region (their replicas are deleted):".to_owned(),
            format!("  - {} from image version {g}/{d}/{widest}", lost.name()),
        ],
    );
}
