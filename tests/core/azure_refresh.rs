//! Refresh (issue 20, part 3): Azure read again from the mock and merged three ways with Azure
//! as last seen and the planned state: Azure-only changes taken in, the user's edits kept,
//! conflicts left for the user (and found again until resolved), replication state from
//! Azure, one undo step that leaves Azure as last seen alone.

use std::sync::Arc;

use sig_studio_core::azure::refresh::{Outcome, Side};
use sig_studio_core::azure::{Refresh, Resolution, read};
use sig_studio_core::document::Document;
use sig_studio_core::model::{Edit, Presence, ResourcePath, Workspace};

use super::azure_read::{client_for, options};
use crate::common::mock_arm::{self, MockArm, MockVersion, READER};
use crate::common::tempdir;

fn definition(ws: &Workspace, g: &str, d: &str) -> sig_studio_core::model::ImageDefinition {
    ws.gallery(g).unwrap().definition(d).unwrap().clone()
}

fn set_description(ws: &mut Workspace, g: &str, d: &str, text: &str) {
    let mut def = definition(ws, g, d);
    def.versions.clear();
    def.description = text.to_owned();
    Edit::UpdateDefinition {
        gallery: g.into(),
        name: d.into(),
        definition: def,
    }
    .apply(ws)
    .unwrap();
}

const G: &str = "contosoGallery";

/// Pulls the small subscription, then the user edits and Azure changes, as the test needs.
fn scene(name: &str) -> (MockArm, sig_studio_core::azure::Client, Workspace) {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir(name);
    let client = client_for(&mock, &dir);
    let mut ws = read(&client, &options()).unwrap().ws;
    // The user: the lab gallery's definition, win2022's description, deletes 1.0.1.
    set_description(&mut ws, "labGallery", "centos-lab", "mine only");
    set_description(&mut ws, G, "win2022", "mine");
    Edit::delete(&ResourcePath::version(G, "ubuntu-base", "1.0.1"))
        .unwrap()
        .apply(&mut ws)
        .unwrap();
    // Azure: ubuntu-base's description, win2022's too, a new version, one deleted, a new
    // role assignment.
    mock.change(|c| {
        let gallery = &mut c.galleries[0];
        gallery.definitions[0].description = "Azure's".into();
        gallery.definitions[1].description = "theirs".into();
        let versions = &mut gallery.definitions[0].versions;
        versions.retain(|v| v.name != "1.0.0");
        versions.push(MockVersion {
            name: "1.2.0".into(),
            regions: vec![("West US".into(), "Completed".into(), 100)],
            growing: false,
        });
        gallery.assignments.push((
            "11111111-0000-0000-0000-000000000003".into(),
            "ServicePrincipal".into(),
            READER.into(),
        ));
    });
    (mock, client, ws)
}

#[test]
fn azure_only_changes_are_taken_the_users_kept_and_conflicts_left() {
    let (_mock, client, ws) = scene("refresh-three-ways");
    let refresh = Refresh::read(&client, &ws, &Default::default()).unwrap();
    let outcome = |path: &str| {
        refresh
            .changes
            .iter()
            .find(|c| c.path == path)
            .map(|c| (c.change, c.outcome))
    };
    assert_eq!(
        outcome("contosoGallery/ubuntu-base"),
        Some((Side::Changed, Outcome::Taken))
    );
    assert_eq!(
        outcome("contosoGallery/ubuntu-base/1.2.0"),
        Some((Side::Added, Outcome::Taken))
    );
    assert_eq!(
        outcome("contosoGallery/ubuntu-base/1.0.0"),
        Some((Side::Deleted, Outcome::Taken))
    );
    assert_eq!(
        outcome("contosoGallery/win2022"),
        Some((Side::Changed, Outcome::Conflict))
    );
    assert_eq!(
        outcome("labGallery/centos-lab"),
        None,
        "Azure did not change it"
    );
    let replication = refresh
        .changes
        .iter()
        .find(|c| c.kind == "replication of image version")
        .expect("the growing version moved");
    assert!(
        replication
            .detail
            .contains("eastus: Replicating 40 % → Replicating 60 %"),
        "{}",
        replication.detail
    );
    assert!(
        refresh
            .changes
            .iter()
            .any(|c| c.kind == "role assignment" && c.change == Side::Added)
    );
    assert_eq!(refresh.conflicts.len(), 1);
    assert_eq!(
        refresh.conflicts[0].describe(),
        "image definition contosoGallery/win2022: Azure changed it; you changed it"
    );

    // Nothing resolved: the conflict stays as the user had it; the rest is taken.
    let mut merged = refresh.merge(&ws, &|_| None);
    assert_eq!(merged.unresolved.len(), 1);
    let mut after = ws.clone();
    let seen = Arc::clone(&merged.seen);
    let edit = merged
        .edit("Refresh from Azure")
        .expect("the planned state changed");
    edit.apply(&mut after).unwrap();
    after.azure = Some(seen);
    assert_eq!(definition(&after, G, "ubuntu-base").description, "Azure's");
    assert_eq!(definition(&after, G, "win2022").description, "mine");
    assert_eq!(
        definition(&after, "labGallery", "centos-lab").description,
        "mine only"
    );
    let ubuntu = definition(&after, G, "ubuntu-base");
    let names: Vec<&str> = ubuntu.versions.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        ["1.1.0", "1.2.0"],
        "1.0.0 gone in Azure, 1.0.1 deleted by the user"
    );
    assert_eq!(
        ubuntu.version("1.1.0").unwrap().target_regions[1]
            .status
            .progress,
        60
    );
    assert_eq!(
        after.presence_of(G, Some("ubuntu-base"), Some("1.0.1")),
        Presence::InAzure,
        "still in Azure: the plan deletes it"
    );
    assert!(
        after
            .grants
            .iter()
            .any(|g| g.principal == "11111111-0000-0000-0000-000000000003")
    );

    // The conflict is found again next time, since Azure as last seen kept its old copy.
    let again = Refresh::read(&client, &after, &Default::default()).unwrap();
    assert_eq!(again.conflicts.len(), 1, "{:?}", again.conflicts);
    assert!(
        again
            .changes
            .iter()
            .all(|c| c.outcome == Outcome::Conflict || c.kind == "replication of image version"),
        "{:?}",
        again.changes
    );
}

#[test]
fn a_conflict_resolved_either_way() {
    let (_mock, client, ws) = scene("refresh-resolve");
    let refresh = Refresh::read(&client, &ws, &Default::default()).unwrap();
    let take = refresh.merge(&ws, &|_| Some(Resolution::TakeAzure));
    let mut taken = ws.clone();
    take.apply_to(&mut taken);
    assert_eq!(definition(&taken, G, "win2022").description, "theirs");
    let keep = refresh.merge(&ws, &|_| Some(Resolution::KeepMine));
    let mut kept = ws.clone();
    keep.apply_to(&mut kept);
    assert_eq!(definition(&kept, G, "win2022").description, "mine");
    // Resolved: Azure as last seen is Azure's now, so nothing is in conflict any more.
    let again = Refresh::read(&client, &kept, &Default::default()).unwrap();
    assert!(again.conflicts.is_empty());
}

#[test]
fn a_refresh_is_one_undo_step_and_undo_leaves_azure_as_last_seen() {
    let (_mock, client, ws) = scene("refresh-undo");
    let mut doc = Document::new(ws.clone(), None);
    let refresh = Refresh::read(&client, doc.ws(), &Default::default()).unwrap();
    let mut merged = refresh.merge(doc.ws(), &|_| Some(Resolution::KeepMine));
    let seen = Arc::clone(&merged.seen);
    let depth = doc.undo_depth();
    doc.apply(merged.edit("Refresh from Azure").unwrap())
        .unwrap();
    doc.set_azure(Some(seen));
    assert_eq!(doc.undo_depth(), depth + 1);
    assert_eq!(doc.undo_label(), Some("Refresh from Azure"));
    doc.undo();
    assert_eq!(
        doc.ws().galleries,
        ws.galleries,
        "the planned state back exactly"
    );
    assert_ne!(
        doc.ws().azure,
        ws.azure,
        "Azure as last seen stays the new one"
    );
}

#[test]
fn nothing_changed_in_azure_is_no_change() {
    let mock = MockArm::start(mock_arm::Config {
        galleries: mock_arm::small()
            .galleries
            .into_iter()
            .map(|mut g| {
                for d in &mut g.definitions {
                    for v in &mut d.versions {
                        v.growing = false;
                    }
                }
                g
            })
            .collect(),
        ..mock_arm::small()
    });
    let dir = tempdir("refresh-nothing");
    let client = client_for(&mock, &dir);
    let ws = read(&client, &options()).unwrap().ws;
    let refresh = Refresh::read(&client, &ws, &Default::default()).unwrap();
    assert!(refresh.is_unchanged(), "{:?}", refresh.changes);
    let merged = refresh.merge(&ws, &|_| None);
    assert!(!merged.planned_changed);
}

#[test]
fn azure_deleting_a_gallery_the_user_planned_in_is_a_conflict() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("refresh-parent");
    let client = client_for(&mock, &dir);
    let mut ws = read(&client, &options()).unwrap().ws;
    // The user plans a new version in the lab gallery; Azure deletes the gallery.
    let mut version = ws.gallery("labGallery").unwrap().definitions[0].versions[0].clone();
    version.name = "0.9.1".into();
    Edit::AddVersion {
        gallery: "labGallery".into(),
        definition: "centos-lab".into(),
        index: None,
        version,
    }
    .apply(&mut ws)
    .unwrap();
    mock.change(|c| c.galleries.retain(|g| g.name != "labGallery"));
    let refresh = Refresh::read(&client, &ws, &Default::default()).unwrap();
    let paths: Vec<&str> = refresh.conflicts.iter().map(|c| c.path.as_str()).collect();
    assert!(
        paths.contains(&"labGallery") && paths.contains(&"labGallery/centos-lab"),
        "{paths:?}"
    );
    let merged = refresh.merge(&ws, &|_| None);
    let mut after = ws.clone();
    merged.apply_to(&mut after);
    assert!(
        after
            .gallery("labGallery")
            .and_then(|g| g.definition("centos-lab"))
            .and_then(|d| d.version("0.9.1"))
            .is_some(),
        "the planned version is not lost"
    );
}
