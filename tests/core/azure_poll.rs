//! Live replication progress (issue 20, part 2): only the versions Azure has replicating are
//! read again, one GET each with `$expand=ReplicationStatus`; their regions' state goes into
//! Azure as last seen and the planned versions; the simulation leaves regions Azure reports
//! alone.

use std::sync::Arc;

use sig_studio_core::azure::poll::{poll, replicating};
use sig_studio_core::azure::{Hooks, read};
use sig_studio_core::model::{Origin, RegionState, ResourcePath, TargetRegion, Workspace};
use sig_studio_core::replication::Engine;

use crate::azure_read::{client_for, only_gets_with_the_token, options};
use crate::common::gallery::{D, G, r, version, workspace};
use crate::common::mock_arm::{self, MockArm};
use crate::common::{self, tempdir};

fn east_us(ws: &Workspace) -> (RegionState, u8) {
    let v = ws
        .gallery("contosoGallery")
        .and_then(|g| g.definition("ubuntu-base"))
        .and_then(|d| d.version("1.1.0"))
        .expect("the replicating version");
    let t = v.target(r("eastus")).expect("East US");
    (t.status.state, t.status.progress)
}

#[test]
fn a_poll_reads_only_the_replicating_version_and_moves_its_bar() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("azure-poll-moves");
    let client = client_for(&mock, &dir);
    let mut ws = read(&client, &options()).expect("reads").ws;
    assert_eq!(east_us(&ws), (RegionState::Replicating, 40));
    let seen = ws.azure.clone().expect("Azure as last seen");
    let watched = replicating(&seen, mock_arm::SUBSCRIPTION);
    assert_eq!(watched.len(), 1, "only 1.1.0 replicates: {watched:?}");
    assert!(replicating(&seen, "another-subscription").is_empty());

    let before = mock.requests().len();
    let polled = poll(&client.with_hooks(Hooks::default()), &watched).expect("polls");
    let requests = mock.requests();
    let asked: Vec<&str> = requests[before..]
        .iter()
        .map(|r| r.target.as_str())
        .collect();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(
        asked[0].ends_with(
            "/galleries/contosoGallery/images/ubuntu-base/versions/1.1.0?api-version=2025-03-03&$expand=ReplicationStatus"
        ),
        "{asked:?}"
    );
    only_gets_with_the_token(&mock);
    assert!(polled.warnings.is_empty(), "{:?}", polled.warnings);

    let after = polled.seen_after(&seen).expect("the progress moved");
    assert_eq!(
        after.origin, seen.origin,
        "a poll is not a read of everything"
    );
    assert!(polled.apply_planned(&mut ws.galleries));
    ws.azure = Some(Arc::new(after));
    assert_eq!(east_us(&ws), (RegionState::Replicating, 60));
    let seen_v = ws.azure.as_ref().unwrap();
    let seen_v = seen_v
        .version("CONTOSOGALLERY", "ubuntu-base", "1.1.0")
        .unwrap();
    assert_eq!(seen_v.target(r("eastus")).unwrap().status.progress, 60);

    // Two more reads complete it: nothing is left to poll.
    for _ in 0..2 {
        let seen = ws.azure.clone().unwrap();
        let watched = replicating(&seen, mock_arm::SUBSCRIPTION);
        let polled = poll(&client, &watched).expect("polls");
        polled.apply_planned(&mut ws.galleries);
        ws.azure = Some(Arc::new(polled.seen_after(&seen).expect("moved")));
    }
    assert_eq!(east_us(&ws), (RegionState::Completed, 100));
    assert!(replicating(ws.azure.as_ref().unwrap(), mock_arm::SUBSCRIPTION).is_empty());
}

#[test]
fn a_version_gone_from_azure_is_a_warning_and_changes_nothing() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("azure-poll-gone");
    let client = client_for(&mock, &dir);
    let mut ws = read(&client, &options()).expect("reads").ws;
    let seen = ws.azure.clone().unwrap();
    let watched = replicating(&seen, mock_arm::SUBSCRIPTION);
    mock.change(|c| {
        c.galleries[0].definitions[0]
            .versions
            .retain(|v| v.name != "1.1.0")
    });
    let polled = poll(&client, &watched).expect("a 404 is no failure");
    assert_eq!(polled.polled.len(), 1);
    assert!(polled.polled[0].regions.is_none());
    assert!(
        polled.warnings[0].contains("contosoGallery/ubuntu-base/1.1.0 is gone from Azure"),
        "{:?}",
        polled.warnings
    );
    assert!(polled.seen_after(&seen).is_none());
    assert!(!polled.apply_planned(&mut ws.galleries));
}

/// A region Azure reports is Azure's: the simulation neither starts nor moves it, while a
/// planned region beside it replicates as before.
#[test]
fn the_simulation_leaves_regions_azure_reports_alone() {
    let (east, west) = (r("eastus"), r("westeurope"));
    let mut ws = workspace(30.0, &[east]);
    let path = ResourcePath::version(G, D, "1.0.0");
    // Azure has the version with East US replicating at 40 %.
    common::mark_in_azure(&mut ws, &path, sig_studio_core::model::Presence::InAzure);
    let (origin, mut galleries, principals, grants, references) =
        Arc::unwrap_or_clone(ws.azure.take().unwrap()).into_parts();
    for t in &mut galleries[0].definitions[0].versions[0].target_regions {
        t.status.state = RegionState::Replicating;
        t.status.progress = 40;
    }
    ws.azure = Some(Arc::new(sig_studio_core::model::AzureSeen::new(
        Origin {
            subscription: "s".into(),
            ..origin
        },
        galleries,
        principals,
        grants,
        references,
    )));
    let planned = &mut ws.galleries[0].definitions[0].versions[0];
    for t in &mut planned.target_regions {
        t.status.state = RegionState::Replicating;
        t.status.progress = 40;
    }
    planned.target_regions.push(TargetRegion::new(west));
    let mut engine = Engine::new(common::today());
    for _ in 0..2000 {
        engine.step(&mut ws, 10.0);
    }
    let v = version(&ws, "1.0.0");
    let east_status = &v.target(east).unwrap().status;
    assert_eq!(
        (east_status.state, east_status.progress),
        (RegionState::Replicating, 40)
    );
    assert_eq!(v.target(west).unwrap().status.state, RegionState::Completed);
}
