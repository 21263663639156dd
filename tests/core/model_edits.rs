//! Edits: the service's structural rules, references that follow renames, and exact undo.

use sig_studio_core::model::{
    Edit, Grant, ImageVersion, OsType, Region, Role, TargetRegion, Workspace,
};
use sig_studio_core::sample::sample;

const G: &str = "contoso_images";
const WIN: &str = "win2022-datacenter";
const UBUNTU: &str = "ubuntu-2204-base";

fn apply_and_undo(ws: &mut Workspace, edit: Edit) -> Edit {
    let before = ws.clone();
    let inverse = edit.clone().apply(ws).expect("edit applies");
    let after = ws.clone();
    let redo = inverse.apply(ws).expect("undo applies");
    assert_eq!(*ws, before, "undo restores everything");
    redo.apply(ws).expect("redo applies");
    assert_eq!(*ws, after, "redo gives the same result");
    edit
}

#[test]
fn fields_fixed_at_creation_cannot_change() {
    let mut ws = sample();
    let mut definition = ws.gallery(G).unwrap().definition(WIN).unwrap().clone();
    definition.versions.clear();
    definition.os_type = OsType::Linux;
    let err = Edit::UpdateDefinition {
        gallery: G.into(),
        name: WIN.into(),
        definition: definition.clone(),
    }
    .apply(&mut ws)
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "contoso_images/win2022-datacenter: Changing property 'osType' is not allowed: it is fixed when the image definition is created"
    );
    definition.os_type = OsType::Windows;
    definition.sku = "other".into();
    assert!(
        Edit::UpdateDefinition {
            gallery: G.into(),
            name: WIN.into(),
            definition
        }
        .apply(&mut ws)
        .unwrap_err()
        .message
        .contains("identifier.sku")
    );

    let mut version = ws
        .gallery(G)
        .unwrap()
        .definition(WIN)
        .unwrap()
        .version("2026.9.0")
        .unwrap()
        .clone();
    version.source = "win2022-dc-2026-10".into();
    let err = Edit::UpdateVersion {
        gallery: G.into(),
        definition: WIN.into(),
        name: "2026.9.0".into(),
        version,
    }
    .apply(&mut ws)
    .unwrap_err();
    assert!(err.message.contains("storageProfile.source"), "{err}");
}

#[test]
fn updatable_fields_change_and_undo() {
    let mut ws = sample();
    let mut definition = ws.gallery(G).unwrap().definition(WIN).unwrap().clone();
    definition.versions.clear();
    definition.description = "new text".into();
    definition.memory_gb_max = Some(128);
    apply_and_undo(
        &mut ws,
        Edit::UpdateDefinition {
            gallery: G.into(),
            name: WIN.into(),
            definition,
        },
    );

    let mut version = ws
        .gallery(G)
        .unwrap()
        .definition(WIN)
        .unwrap()
        .version("2026.8.0")
        .unwrap()
        .clone();
    version.target_regions.push(TargetRegion::with_replicas(
        Region::parse("eastus").unwrap(),
        4,
    ));
    version.exclude_from_latest = true;
    apply_and_undo(
        &mut ws,
        Edit::UpdateVersion {
            gallery: G.into(),
            definition: WIN.into(),
            name: "2026.8.0".into(),
            version,
        },
    );
}

#[test]
fn deletes_do_not_cascade() {
    let mut ws = sample();
    let err = Edit::DeleteGallery {
        name: G.into(),
        cascade: false,
    }
    .apply(&mut ws)
    .unwrap_err();
    assert!(
        err.message
            .starts_with("Can not delete resource before nested resources are deleted"),
        "{err}"
    );
    assert!(
        err.message.contains("win2022-datacenter, ubuntu-2204-base"),
        "names the children: {err}"
    );
    let err = Edit::DeleteDefinition {
        gallery: G.into(),
        name: UBUNTU.into(),
        cascade: false,
    }
    .apply(&mut ws)
    .unwrap_err();
    assert!(err.message.contains("1.0.8"), "{err}");
    let err = Edit::DeleteImage {
        name: "ubuntu2204-2026-08".into(),
    }
    .apply(&mut ws)
    .unwrap_err();
    assert!(
        err.message
            .contains("contoso_images/ubuntu-2204-base/1.0.8"),
        "{err}"
    );
    assert_eq!(ws, sample(), "refused edits change nothing");
}

#[test]
fn deleting_a_version_removes_its_grants_and_undo_restores_them() {
    let mut ws = sample();
    let scope = "contoso_images/win2022-datacenter/2026.9.0";
    assert!(ws.grants.iter().any(|g| g.scope == scope));
    let before = ws.clone();
    let inverse = Edit::DeleteVersion {
        gallery: G.into(),
        definition: WIN.into(),
        name: "2026.9.0".into(),
    }
    .apply(&mut ws)
    .unwrap();
    assert!(!ws.grants.iter().any(|g| g.scope == scope));
    inverse.apply(&mut ws).unwrap();
    assert_eq!(ws, before);
}

#[test]
fn deleting_every_version_then_the_definition_works_and_undoes() {
    let mut ws = sample();
    let before = ws.clone();
    let mut undo = Vec::new();
    for name in ["1.0.8", "1.0.9", "1.0.12"] {
        undo.push(
            Edit::DeleteVersion {
                gallery: G.into(),
                definition: UBUNTU.into(),
                name: name.into(),
            }
            .apply(&mut ws)
            .unwrap(),
        );
    }
    undo.push(
        Edit::DeleteDefinition {
            gallery: G.into(),
            name: UBUNTU.into(),
            cascade: false,
        }
        .apply(&mut ws)
        .unwrap(),
    );
    assert!(ws.gallery(G).unwrap().definition(UBUNTU).is_none());
    assert!(
        !ws.grants.iter().any(|g| g.scope.contains(UBUNTU)),
        "grants on the definition go with it"
    );
    for inverse in undo.into_iter().rev() {
        inverse.apply(&mut ws).unwrap();
    }
    assert_eq!(ws, before);
}

#[test]
fn renames_follow_references() {
    let mut ws = sample();
    let mut gallery = ws.gallery(G).unwrap().clone();
    gallery.definitions.clear();
    gallery.name = "contoso_golden".into();
    apply_and_undo(
        &mut ws,
        Edit::UpdateGallery {
            name: G.into(),
            gallery,
        },
    );
    assert!(
        ws.grants
            .iter()
            .any(|g| g.scope == "contoso_golden/win2022-datacenter/2026.9.0")
    );
    assert!(
        !ws.grants
            .iter()
            .any(|g| g.scope.starts_with("contoso_images"))
    );

    let mut image = ws.managed_image("ubuntu2204-2026-08").unwrap().clone();
    image.name = "ubuntu-aug".into();
    Edit::UpdateImage {
        name: "ubuntu2204-2026-08".into(),
        image,
    }
    .apply(&mut ws)
    .unwrap();
    let v = ws
        .gallery("contoso_golden")
        .unwrap()
        .definition(UBUNTU)
        .unwrap()
        .version("1.0.8")
        .unwrap();
    assert_eq!(v.source, "ubuntu-aug");

    let mut principal = ws.principal("web-team").unwrap().clone();
    principal.name = "frontend-team".into();
    Edit::UpdatePrincipal {
        name: "web-team".into(),
        principal,
    }
    .apply(&mut ws)
    .unwrap();
    assert_eq!(
        ws.principal("app-teams").unwrap().members,
        vec!["frontend-team".to_owned()]
    );
}

#[test]
fn sibling_names_stay_unique() {
    let mut ws = sample();
    let version = ImageVersion {
        name: "1.0.9".into(),
        source: "ubuntu2204-2026-09".into(),
        ..ImageVersion::default()
    };
    let err = Edit::AddVersion {
        gallery: G.into(),
        definition: UBUNTU.into(),
        index: None,
        version,
    }
    .apply(&mut ws)
    .unwrap_err();
    assert!(err.message.contains("already exists"));
    let mut definition = ws.gallery(G).unwrap().definition(UBUNTU).unwrap().clone();
    definition.versions.clear();
    definition.name = "WIN2022-DATACENTER".into();
    assert!(
        Edit::UpdateDefinition {
            gallery: G.into(),
            name: UBUNTU.into(),
            definition
        }
        .apply(&mut ws)
        .is_err()
    );
}

#[test]
fn cross_tenant_grant_is_refused_naming_both_tenants() {
    let mut ws = sample();
    let err = Edit::AddGrant {
        index: None,
        grant: Grant {
            principal: "dave@fabrikam.com".into(),
            role: Role::Reader,
            scope: G.into(),
        },
    }
    .apply(&mut ws)
    .unwrap_err();
    assert!(
        err.message.contains("\"fabrikam\"") && err.message.contains("\"contoso\""),
        "{err}"
    );
}

#[test]
fn deleting_a_principal_removes_grants_and_memberships_and_undo_restores() {
    let mut ws = sample();
    let before = ws.clone();
    let inverse = Edit::DeletePrincipal {
        name: "web-team".into(),
    }
    .apply(&mut ws)
    .unwrap();
    assert!(ws.principal("app-teams").unwrap().members.is_empty());
    let inverse2 = Edit::DeletePrincipal {
        name: "image-admins".into(),
    }
    .apply(&mut ws)
    .unwrap();
    assert!(!ws.grants.iter().any(|g| g.principal == "image-admins"));
    inverse2.apply(&mut ws).unwrap();
    inverse.apply(&mut ws).unwrap();
    assert_eq!(ws, before);
}

#[test]
fn removing_a_replicated_region_is_refused_when_the_version_blocks_it() {
    let mut ws = sample();
    let path = |ws: &Workspace| {
        ws.gallery(G)
            .unwrap()
            .definition(WIN)
            .unwrap()
            .version("2026.9.0")
            .unwrap()
            .clone()
    };
    let mut version = path(&ws);
    version.allow_deletion_of_replicated_locations = false;
    Edit::UpdateVersion {
        gallery: G.into(),
        definition: WIN.into(),
        name: "2026.9.0".into(),
        version,
    }
    .apply(&mut ws)
    .unwrap();
    let mut version = path(&ws);
    version
        .target_regions
        .retain(|t| t.region.name() != "eastus");
    let err = Edit::UpdateVersion {
        gallery: G.into(),
        definition: WIN.into(),
        name: "2026.9.0".into(),
        version,
    }
    .apply(&mut ws)
    .unwrap_err();
    assert!(
        err.message
            .contains("Removing the replicated region East US is not allowed"),
        "{err}"
    );
}

#[test]
fn a_failed_batch_changes_nothing() {
    let mut ws = sample();
    let before = ws.clone();
    let err = Edit::Batch {
        label: "two things".into(),
        edits: vec![
            Edit::DeleteVersion {
                gallery: G.into(),
                definition: UBUNTU.into(),
                name: "1.0.8".into(),
            },
            Edit::DeleteGallery {
                name: G.into(),
                cascade: false,
            },
        ],
    }
    .apply(&mut ws);
    assert!(err.is_err());
    assert_eq!(ws, before);
}

#[test]
fn replication_status_is_not_edited_by_updates() {
    let mut ws = sample();
    let get = |ws: &Workspace| {
        ws.gallery(G)
            .unwrap()
            .definition(UBUNTU)
            .unwrap()
            .version("1.0.12")
            .unwrap()
            .clone()
    };
    let before = get(&ws);
    let mut version = before.clone();
    // An editor holding a stale copy: statuses reset, one region removed then re-added.
    for t in &mut version.target_regions {
        t.status = Default::default();
    }
    version.target_regions[1].replicas = Some(4);
    Edit::UpdateVersion {
        gallery: G.into(),
        definition: UBUNTU.into(),
        name: "1.0.12".into(),
        version,
    }
    .apply(&mut ws)
    .unwrap();
    let after = get(&ws);
    for (i, (a, b)) in before
        .target_regions
        .iter()
        .zip(&after.target_regions)
        .enumerate()
    {
        if i == 1 {
            // The raised count: the region records the one replica it holds, so the
            // simulation adds the other three.
            let mut expected = a.status.clone();
            expected.replicas_ready = Some(1);
            assert_eq!(b.status, expected);
        } else {
            assert_eq!(a.status, b.status, "{:?}", a.region);
        }
    }
    assert_eq!(after.target_regions[1].replicas, Some(4));
}

#[test]
fn an_end_of_life_date_set_in_the_past_is_refused_with_the_services_text() {
    // Microsoft's troubleshooting table: "EndOfLifeDate must be set to a future date."
    let today: sig_studio_core::model::Date = "2026-12-01".parse().unwrap();
    let mut ws = sample();
    let mut definition = ws
        .gallery(G)
        .unwrap()
        .definition(UBUNTU)
        .unwrap()
        .without_versions();
    for (date, refused) in [
        ("2026-11-30", true),
        ("2026-12-01", true),
        ("2026-12-02", false),
    ] {
        definition.end_of_life = Some(date.parse().unwrap());
        let edit = Edit::UpdateDefinition {
            gallery: G.into(),
            name: UBUNTU.into(),
            definition: definition.clone(),
        };
        let before = ws.clone();
        match edit.apply_at(&mut ws, today) {
            Err(err) => {
                assert!(refused, "{date}: {err}");
                assert_eq!(
                    err.to_string(),
                    format!(
                        "contoso_images/ubuntu-2204-base: EndOfLifeDate must be set to a future date. The end-of-life date {date} is not after today, 2026-12-01"
                    )
                );
                assert_eq!(ws, before, "a refused edit changes nothing");
            }
            Ok(_) => assert!(!refused, "{date} was accepted"),
        }
    }

    // A new version with a passed date is refused too; one without a date is not.
    let mut version = ImageVersion {
        name: "9.9.9".into(),
        source: "ubuntu2204-2026-11".into(),
        end_of_life: Some("2026-01-01".parse().unwrap()),
        target_regions: vec![TargetRegion::new(Region::default())],
        ..ImageVersion::default()
    };
    let add = |version: &ImageVersion| Edit::AddVersion {
        gallery: G.into(),
        definition: UBUNTU.into(),
        index: None,
        version: version.clone(),
    };
    let err = add(&version).check_at(&ws, today).unwrap_err();
    assert_eq!(err.path, "contoso_images/ubuntu-2204-base/9.9.9");
    assert!(
        err.message
            .starts_with(sig_studio_core::model::edit::END_OF_LIFE_IN_THE_PAST)
    );
    // Inside a batch as well.
    let batch = Edit::Batch {
        label: "Add".into(),
        edits: vec![add(&version)],
    };
    assert!(batch.check_at(&ws, today).is_err());
    version.end_of_life = None;
    assert!(add(&version).apply_at(&mut ws, today).is_ok());
}

#[test]
fn a_file_holding_a_passed_end_of_life_date_stays_editable_and_warned() {
    // Once it passes, the date is informational: VMs can still be created, and edits that leave
    // it alone go through.
    let later: sig_studio_core::model::Date = "2032-01-01".parse().unwrap();
    let mut ws = sample();
    let warnings: Vec<String> = sig_studio_core::model::validate(&ws, later)
        .iter()
        .map(|p| p.to_string())
        .filter(|p| p.contains("end-of-life"))
        .collect();
    assert!(
        warnings.contains(&"contoso_images/win2022-datacenter: warning: The end-of-life date 2031-10-14 has passed; VMs can still be created from this definition".to_owned()),
        "{warnings:?}"
    );
    let mut definition = ws
        .gallery(G)
        .unwrap()
        .definition(WIN)
        .unwrap()
        .without_versions();
    definition.description = "still editable".into();
    Edit::UpdateDefinition {
        gallery: G.into(),
        name: WIN.into(),
        definition,
    }
    .apply_at(&mut ws, later)
    .expect("an unchanged passed date does not block other changes");
}

/// ARM cannot rename a gallery, definition or version: an edit that renames one that exists in
/// Azure is refused with the reason; one planned only in the workspace may be renamed.
#[test]
fn a_resource_in_azure_keeps_its_name() {
    use sig_studio_core::model::{Presence, ResourcePath};
    let today = jiff::civil::date(2026, 11, 26);
    let mut ws = sample();
    crate::common::mark_in_azure(
        &mut ws,
        &ResourcePath::gallery("contoso_images"),
        Presence::InAzure,
    );
    let mut renamed = ws.galleries[0].clone();
    renamed.definitions.clear();
    renamed.name = "golden_images".to_owned();
    let edit = Edit::UpdateGallery {
        name: "contoso_images".to_owned(),
        gallery: renamed.clone(),
    };
    let before = ws.clone();
    let err = edit.clone().apply_at(&mut ws, today).unwrap_err();
    assert_eq!(err.path, "contoso_images");
    assert!(
        err.message
            .contains("ARM cannot rename it: a rename is a delete plus a create"),
        "{err}"
    );
    assert_eq!(ws, before, "nothing changed");
    // Other edits of it still apply.
    let mut described = ws.galleries[0].clone();
    described.definitions.clear();
    described.description = "edited".to_owned();
    Edit::UpdateGallery {
        name: "contoso_images".to_owned(),
        gallery: described,
    }
    .apply_at(&mut ws, today)
    .unwrap();
    // Planned only in the workspace: renamed as before.
    let mut ws = sample();
    edit.apply_at(&mut ws, today).unwrap();
    assert!(ws.gallery("golden_images").is_some());
}

/// A definition known only by reference (its versions imported, it not) exists in Azure too: a
/// rename would delete it and its versions there, so it is refused like one read in full (issue
/// 24 item 2: the tester's F2 was accepted and the plan deleted every version).
#[test]
fn a_definition_known_by_reference_keeps_its_name() {
    use sig_studio_core::model::{Presence, ResourcePath};
    let today = jiff::civil::date(2026, 11, 26);
    let mut ws = sample();
    let name = ws.galleries[0].definitions[1].versions[0].name.clone();
    crate::common::mark_in_azure(
        &mut ws,
        &ResourcePath::version("contoso_images", "ubuntu-2204-base", &name),
        Presence::InAzure,
    );
    let path = ResourcePath::definition("contoso_images", "ubuntu-2204-base");
    assert_eq!(ws.presence(&path), Some(Presence::Reference));
    let mut renamed = ws.galleries[0].definitions[1].clone();
    renamed.versions.clear();
    renamed.name = "ubuntu-base".to_owned();
    let before = ws.clone();
    let err = Edit::UpdateDefinition {
        gallery: "contoso_images".to_owned(),
        name: "ubuntu-2204-base".to_owned(),
        definition: renamed,
    }
    .apply_at(&mut ws, today)
    .unwrap_err();
    assert!(err.message.contains("ARM cannot rename it"), "{err}");
    assert_eq!(ws, before);
}

/// New definitions start as Azure's current default (V2, TrustedLaunchSupported) or, when the
/// workspace keeps them, the former one (V1, no security type).
#[test]
fn new_definition_defaults() {
    use sig_studio_core::model::{
        DefinitionDefaults, HyperVGeneration, ImageDefinition, SecurityType,
    };
    let current = ImageDefinition::with_defaults(DefinitionDefaults::default());
    assert_eq!(current.generation, HyperVGeneration::V2);
    assert_eq!(
        current.security_type(),
        Some(Ok(SecurityType::TrustedLaunchSupported))
    );
    let classic = ImageDefinition::with_defaults(DefinitionDefaults::Classic);
    assert_eq!(classic.generation, HyperVGeneration::V1);
    assert_eq!(classic.security_type(), None);
}

#[test]
fn an_import_replaces_the_resources_as_one_step_and_undo_restores_exactly() {
    use sig_studio_core::import::{Input, import};
    use sig_studio_core::model::Resources;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/");
    let inputs: Vec<Input> = ["az-sig-list.json", "az-role-assignment-list.json"]
        .iter()
        .map(|f| Input::read(std::path::Path::new(&format!("{dir}{f}"))).unwrap())
        .collect();
    let mut ws = sample();
    ws.settings.replica_warning_above = 7;
    let mut imported = ws.clone();
    import(&mut imported, &inputs).unwrap();
    assert_ne!(imported.galleries, ws.galleries);
    // Azure as last seen is not part of the step: the document sets it beside the undo
    // history (`Document::set_azure`).
    assert!(imported.azure.is_some());
    let expected = sig_studio_core::model::Workspace {
        azure: None,
        ..imported.clone()
    };
    let edit = Edit::ReplaceResources {
        label: "Import from Azure JSON".to_owned(),
        resources: Box::new(Resources::take(&mut imported)),
    };
    assert_eq!(edit.describe(), "Import from Azure JSON");
    apply_and_undo(&mut ws, edit.clone());
    edit.apply(&mut ws).unwrap();
    assert_eq!(ws, expected, "the workspace is the imported one");
    assert_eq!(ws.settings.replica_warning_above, 7, "settings stay");
    // Only the workspace owner imports: galleries and principals lie outside every gallery role.
    ws.settings.acting_as = Some("alice@contoso.com".to_owned());
    let again = Edit::ReplaceResources {
        label: "Import".to_owned(),
        resources: Box::default(),
    };
    let refusal = sig_studio_core::access::authorize(&ws, ws.settings.acting_as.as_deref(), &again)
        .unwrap_err();
    assert!(
        refusal.message.contains("only the workspace owner may"),
        "{}",
        refusal.message
    );
}
