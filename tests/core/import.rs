//! Import of Azure JSON: the spec's own examples (`tests/fixtures/arm-examples`), the project's
//! fixtures in every supported format, merging, placeholders, warnings with JSON paths, and the
//! round trip through the workspace file.

use std::path::{Path, PathBuf};

use sig_studio_core::cost::estimate::{CostError, version_cost_in};
use sig_studio_core::import::{Counts, ImportError, Input, Summary, import};
use sig_studio_core::model::azure::{DiskSource, SharingPermission, SourceRef};
use sig_studio_core::model::{
    Presence, RegionState, Role, SecurityType, StorageAccountStrategy, StorageType, Workspace,
};
use sig_studio_core::workspace::{from_ron_str, to_ron_string};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");
/// The service's REST examples (a copy in the repository: `tests/fixtures/arm-examples/README.md`).
const ARM_EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/arm-examples");

fn fixture(name: &str) -> Input {
    Input::read(&Path::new(FIXTURES).join(name)).expect("fixture readable")
}

fn import_new(inputs: &[Input]) -> (Workspace, Summary) {
    let mut ws = Workspace::default();
    let summary = import(&mut ws, inputs).expect("imports");
    (ws, summary)
}

/// Galleries, definitions and versions in a workspace.
fn totals(ws: &Workspace) -> (usize, usize, usize) {
    let definitions = ws.galleries.iter().map(|g| g.definitions.len()).sum();
    (ws.galleries.len(), definitions, ws.version_count())
}

fn warnings_text(summary: &Summary) -> String {
    summary
        .warnings
        .iter()
        .map(|w| w.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The project's fixtures, in the order a user would export them.
const ALL_FIXTURES: [&str; 7] = [
    "az-sig-list.json",
    "az-image-definition-list.json",
    "az-image-version-list.json",
    "az-role-assignment-list.json",
    "rest-version-list.json",
    "arm-template.json",
    "example-version-get.json",
];

#[test]
fn every_fixture_imports_with_its_counts() {
    // file → (galleries, definitions, versions) in a fresh workspace.
    let expected: [(&str, (usize, usize, usize)); 7] = [
        ("az-sig-list.json", (2, 0, 0)),
        ("az-image-definition-list.json", (1, 2, 0)),
        ("az-image-version-list.json", (1, 2, 4)),
        // Role assignments name no resource of an empty workspace: nothing to grant on.
        ("az-role-assignment-list.json", (0, 0, 0)),
        ("rest-version-list.json", (1, 1, 4)),
        ("arm-template.json", (1, 1, 1)),
        ("example-version-get.json", (1, 1, 1)),
    ];
    for (file, resources) in expected {
        let mut ws = Workspace::default();
        let summary = import(&mut ws, &[fixture(file)]).expect(file);
        assert_eq!(totals(&ws), resources, "{file}");
        assert!(ws.principals.is_empty() && ws.grants.is_empty(), "{file}");
        assert_eq!(
            summary.imported_anything(),
            resources != (0, 0, 0),
            "{file}: {}",
            warnings_text(&summary)
        );
    }
}

#[test]
fn all_fixtures_together() {
    let inputs: Vec<Input> = ALL_FIXTURES.iter().map(|f| fixture(f)).collect();
    let (ws, summary) = import_new(&inputs);
    // fabrikam_images, fabrikam_public, contoso_lab (placeholder), tailwind_images,
    // example_gallery (placeholder).
    assert_eq!(totals(&ws), (5, 5, 10));
    assert_eq!(
        summary.galleries,
        Counts {
            added: 5,
            updated: 0,
            unchanged: 0,
            known_only_by_reference: 2
        }
    );
    assert_eq!(summary.definitions.added, 5);
    assert_eq!(summary.definitions.known_only_by_reference, 2);
    assert_eq!(summary.versions.added, 10);
    assert_eq!(summary.principals.added, 4);
    // dana Owner on the gallery, web-team Reader on a definition, the pipeline Contributor on
    // a version, erin Sharing Admin on both galleries of rg-images.
    assert_eq!(summary.grants.added, 5);
    assert_eq!(
        summary.known_only_by_reference,
        [
            "contoso_lab",
            "contoso_lab/centos-lab",
            "example_gallery",
            "example_gallery/example-image"
        ]
    );
    let text = warnings_text(&summary);
    for expected in [
        "rest-version-list.json: value[3].properties.storageProfile.osDiskImage.hostCaching: \"ReadOnlyy\" is not a host caching mode",
        "az-image-version-list.json: [3].publishingProfile.targetRegions[0].storageAccountType: \"StandardSSD_LRS(default)\" is not a storage account type",
        "az-role-assignment-list.json: [4].roleDefinitionName: \"Virtual Machine Contributor\" is not a role SIG Studio models",
        "az-role-assignment-list.json: [5].scope:",
        "arm-template.json: resources[3].type: \"Microsoft.Storage/storageAccounts\" is not a gallery, image definition or image version: skipped",
        "rest-version-list.json: nextLink: this is one page of a longer list",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn fields_of_api_2025_03_03_arrive() {
    let inputs: Vec<Input> = ALL_FIXTURES.iter().map(|f| fixture(f)).collect();
    let (ws, _) = import_new(&inputs);
    let gallery = ws.gallery("fabrikam_images").unwrap();
    assert_eq!(
        ws.presence_of("fabrikam_images", None, None),
        Presence::InAzure
    );
    assert_eq!(gallery.subscription, "11111111-2222-3333-4444-555555555555");
    assert_eq!(gallery.resource_group, "rg-images");
    assert_eq!(gallery.region.name(), "westeurope");
    assert_eq!(gallery.tags.get("env").map(String::as_str), Some("prod"));
    assert!(gallery.soft_delete);
    assert_eq!(gallery.sharing.permission, SharingPermission::Groups);
    assert_eq!(
        gallery.sharing.subscriptions,
        ["9a8b7c6d-1111-2222-3333-444455556666"]
    );
    assert_eq!(
        gallery.sharing.tenants,
        ["0f0e0d0c-aaaa-bbbb-cccc-ddddeeeeffff"]
    );
    assert_eq!(
        gallery.arm_id(),
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/fabrikam_images"
    );
    let public = ws.gallery("fabrikam_public").unwrap();
    assert_eq!(public.sharing.permission, SharingPermission::Community);
    let community = public.sharing.community.as_ref().unwrap();
    assert_eq!(community.public_name_prefix, "fabrikam");
    assert_eq!(community.publisher_contact, "images@fabrikam.example");
    // The managed identity is not modelled: kept verbatim for the export.
    assert!(public.unmodeled.get("identity").is_some());

    let web = gallery.definition("ubuntu-2204-web").unwrap();
    assert_eq!(
        web.security_type(),
        Some(Ok(SecurityType::TrustedLaunchSupported))
    );
    assert_eq!(web.features.len(), 2);
    assert_eq!(web.allow_update_image, Some(true));
    assert_eq!(web.vcpus_max, Some(16));
    assert_eq!(
        web.end_of_life.map(|d| d.to_string()).as_deref(),
        Some("2030-04-30")
    );
    let win = gallery.definition("win2022-app").unwrap();
    assert_eq!(win.purchase_plan.as_ref().unwrap().product, "windows-app");
    assert_eq!(win.features[0].starts_at_version, "2.0.0");

    let v100 = web.version("1.0.0").unwrap();
    let source = v100.azure_source.as_ref().unwrap();
    assert!(matches!(source.whole, Some(SourceRef::VirtualMachine(_))));
    assert_eq!(source.size_gb(), Some(94));
    assert_eq!(
        v100.storage_account_strategy,
        Some(StorageAccountStrategy::PreferStandard_ZRS)
    );
    let north = v100
        .target(sig_studio_core::model::Region::parse("northeurope").unwrap())
        .unwrap();
    assert_eq!(
        north.additional_replica_sets[0].storage_type,
        StorageType::PremiumV2_LRS
    );
    // Succeeded without a per-region status: every region holds its replicas.
    assert!(
        v100.target_regions
            .iter()
            .all(|t| t.status.state == RegionState::Completed)
    );

    let v110 = web.version("1.1.0").unwrap();
    assert!(v110.block_deletion_before_end_of_life);
    let source = v110.azure_source.as_ref().unwrap();
    assert!(matches!(
        source.os_disk.as_ref().unwrap().source,
        Some(DiskSource::Snapshot(_))
    ));
    assert_eq!(source.data_disks[0].lun, Some(1));
    assert!(matches!(
        source.data_disks[0].source,
        Some(DiskSource::ManagedDisk(_))
    ));
    // Still being created: the regions' state is not known.
    assert!(
        v110.target_regions
            .iter()
            .all(|t| t.status.state == RegionState::Unknown)
    );

    let v200 = win.version("2.0.0").unwrap();
    assert_eq!(v200.storage_type, StorageType::PremiumV2_LRS);
    assert!(matches!(
        v200.azure_source
            .as_ref()
            .unwrap()
            .os_disk
            .as_ref()
            .unwrap()
            .source,
        Some(DiskSource::Vhd { .. })
    ));
    assert_eq!(v200.azure_source.as_ref().unwrap().size_gb(), None);

    let v210 = win.version("2.1.0").unwrap();
    assert!(matches!(
        v210.azure_source.as_ref().unwrap().whole,
        Some(SourceRef::GalleryImageVersion(_))
    ));
    assert!(
        v210.unmodeled.get("properties").is_some(),
        "securityProfile kept"
    );
    assert!(v210.target_regions[0].unmodeled.get("encryption").is_some());
    // The value outside the spec's enum is kept verbatim and the region still imported.
    assert!(
        v210.target_regions[0]
            .unmodeled
            .get("storageAccountType")
            .is_some()
    );

    // A REST list with replication status: per-region state and progress.
    let lab = ws.gallery("contoso_lab").unwrap();
    assert_eq!(
        ws.presence_of("contoso_lab", None, None),
        Presence::Reference
    );
    assert_eq!(lab.region.name(), "northeurope");
    let centos = lab.definition("centos-lab").unwrap();
    let v101 = centos.version("1.0.1").unwrap();
    let west = v101
        .target(sig_studio_core::model::Region::parse("West Europe").unwrap())
        .unwrap();
    assert_eq!(west.status.state, RegionState::Replicating);
    assert_eq!(west.status.progress, 40);

    // The template: a community image as source, Shallow, Arm64, a confidential-ready type.
    let tailwind = ws.gallery("tailwind_images").unwrap();
    assert!(!tailwind.soft_delete);
    let debian = tailwind.definition("debian-12").unwrap();
    assert_eq!(
        debian.security_type(),
        Some(Ok(SecurityType::TrustedLaunchAndConfidentialVmSupported))
    );
    let v010 = debian.version("0.1.0").unwrap();
    assert!(matches!(
        v010.azure_source.as_ref().unwrap().whole,
        Some(SourceRef::CommunityGalleryImage(_))
    ));

    // The example document: names from its parameters, a snapshot with its size.
    let example = ws.gallery("example_gallery").unwrap();
    assert_eq!(example.subscription, "33333333-4444-5555-6666-777777777777");
    assert_eq!(example.resource_group, "rg-example");
    let v300 = example
        .definition("example-image")
        .unwrap()
        .version("3.0.0")
        .unwrap();
    assert!(v300.exclude_from_latest);
    assert_eq!(v300.azure_source.as_ref().unwrap().size_gb(), Some(40));
}

#[test]
fn role_assignments_become_principals_and_grants() {
    let inputs: Vec<Input> = ALL_FIXTURES.iter().map(|f| fixture(f)).collect();
    let (ws, _) = import_new(&inputs);
    let has = |principal: &str, role: Role, scope: &str| {
        ws.grants
            .iter()
            .any(|g| g.principal == principal && g.role == role && g.scope == scope)
    };
    assert!(has("dana@fabrikam.example", Role::Owner, "fabrikam_images"));
    assert!(has(
        "web-team",
        Role::Reader,
        "fabrikam_images/ubuntu-2204-web"
    ));
    // `/Galleries/FABRIKAM_IMAGES/Images/…` joins the workspace's names case-insensitively.
    assert!(has(
        "5d1c0b2a-1111-4222-8333-944455556666",
        Role::Contributor,
        "fabrikam_images/win2022-app/2.1.0"
    ));
    // A resource group scope covers every gallery in it.
    assert!(has(
        "erin@fabrikam.example",
        Role::ComputeGallerySharingAdmin,
        "fabrikam_images"
    ));
    assert!(has(
        "erin@fabrikam.example",
        Role::ComputeGallerySharingAdmin,
        "fabrikam_public"
    ));
    let team = ws.principal("web-team").unwrap();
    assert_eq!(team.kind, sig_studio_core::model::PrincipalKind::Group);
    // Principals join the tenant of the galleries they are granted on.
    assert_eq!(team.tenant, ws.gallery("fabrikam_images").unwrap().tenant);
}

#[test]
fn importing_twice_changes_nothing_the_second_time() {
    let inputs: Vec<Input> = ALL_FIXTURES.iter().map(|f| fixture(f)).collect();
    let (mut ws, _) = import_new(&inputs);
    let once = ws.clone();
    let again = import(&mut ws, &inputs).unwrap();
    assert_eq!(ws, once);
    for counts in [
        again.galleries,
        again.definitions,
        again.versions,
        again.principals,
        again.grants,
    ] {
        assert_eq!((counts.added, counts.updated), (0, 0), "{again:?}");
    }
    assert_eq!(again.versions.unchanged, 10);
}

#[test]
fn import_save_load_gives_the_same_workspace() {
    let inputs: Vec<Input> = ALL_FIXTURES.iter().map(|f| fixture(f)).collect();
    let (ws, _) = import_new(&inputs);
    let text = to_ron_string(&ws);
    let back = from_ron_str(&text).expect("reloads");
    assert_eq!(back, ws);
    assert_eq!(to_ron_string(&back), text);
}

#[test]
fn merging_keeps_progress_prices_and_simulation() {
    let mut ws = sig_studio_core::sample::sample();
    ws.settings.prices.transfer_within_continent_usd_per_gb = 0.07;
    ws.simulation.seed = 42;
    import(&mut ws, &[fixture("rest-version-list.json")]).unwrap();
    // Progress the simulation made in the workspace is the workspace's own.
    let region = sig_studio_core::model::Region::parse("westeurope").unwrap();
    let path = |ws: &mut Workspace| {
        let g = ws
            .galleries
            .iter_mut()
            .find(|g| g.name == "contoso_lab")
            .unwrap();
        let v = g.definitions[0]
            .versions
            .iter_mut()
            .find(|v| v.name == "1.0.1")
            .unwrap();
        v.target_regions
            .iter_mut()
            .find(|t| t.region == region)
            .unwrap()
            .status
            .progress
    };
    let target = {
        let g = ws
            .galleries
            .iter_mut()
            .find(|g| g.name == "contoso_lab")
            .unwrap();
        let v = &mut g.definitions[0].versions[0];
        v.target_regions
            .iter_mut()
            .find(|t| t.region == region)
            .unwrap()
    };
    target.status.progress = 77;
    let galleries_before = ws.galleries.len();
    let summary = import(&mut ws, &[fixture("rest-version-list.json")]).unwrap();
    assert_eq!(path(&mut ws), 77);
    assert_eq!(
        ws.settings.prices.transfer_within_continent_usd_per_gb,
        0.07
    );
    assert_eq!(ws.simulation.seed, 42);
    // Nothing deleted; the sample's galleries are still there.
    assert_eq!(ws.galleries.len(), galleries_before);
    assert!(ws.gallery("contoso_images").is_some());
    assert_eq!(summary.versions.added, 0);
}

#[test]
fn a_placeholder_is_filled_in_when_its_payload_arrives() {
    let mut ws = Workspace::default();
    import(&mut ws, &[fixture("az-image-version-list.json")]).unwrap();
    let gallery = ws.gallery("fabrikam_images").unwrap();
    assert!(gallery.definition("win2022-app").is_some());
    assert_eq!(
        ws.presence_of("fabrikam_images", None, None),
        Presence::Reference
    );
    assert_eq!(
        ws.presence_of("fabrikam_images", Some("win2022-app"), None),
        Presence::Reference
    );
    // Validation says what a placeholder is, without errors about the fields it lacks.
    let problems = sig_studio_core::model::validate(&ws, jiff::civil::date(2026, 11, 29));
    assert!(
        problems
            .iter()
            .any(|p| p.message.starts_with("Known only by reference"))
    );
    assert!(
        !problems
            .iter()
            .any(|p| p.path.to_string() == "fabrikam_images/win2022-app"
                && p.severity == sig_studio_core::model::Severity::Error),
        "{problems:?}"
    );
    let summary = import(
        &mut ws,
        &[
            fixture("az-sig-list.json"),
            fixture("az-image-definition-list.json"),
        ],
    )
    .unwrap();
    let gallery = ws.gallery("fabrikam_images").unwrap();
    assert_eq!(
        ws.presence_of("fabrikam_images", None, None),
        Presence::InAzure
    );
    let win = gallery.definition("win2022-app").unwrap();
    assert_eq!(
        ws.presence_of("fabrikam_images", Some("win2022-app"), None),
        Presence::InAzure
    );
    assert_eq!(win.publisher, "Fabrikam");
    assert_eq!(summary.galleries.updated, 1);
    assert_eq!(summary.galleries.added, 1);
    assert_eq!(summary.definitions.updated, 2);
    assert!(summary.known_only_by_reference.is_empty());
}

#[test]
fn not_json_names_file_line_and_column_and_changes_nothing() {
    let mut ws = sig_studio_core::sample::sample();
    let before = ws.clone();
    let err = import(
        &mut ws,
        &[fixture("az-sig-list.json"), fixture("not-json.json")],
    )
    .unwrap_err();
    let ImportError::NotJson { line, column, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!((*line, *column), (4, 18));
    assert!(
        err.to_string()
            .contains("not-json.json:4:18: not JSON: expected value"),
        "{err}"
    );
    assert_eq!(ws, before);
}

#[test]
fn another_resource_type_is_skipped_with_a_warning() {
    let (ws, summary) = import_new(&[fixture("other-type.json")]);
    assert!(!summary.imported_anything());
    assert_eq!(totals(&ws), (0, 0, 0));
    assert!(
        warnings_text(&summary).contains("type \"Microsoft.Compute/virtualMachines\""),
        "{}",
        warnings_text(&summary)
    );
}

#[test]
fn a_version_without_a_known_size_is_not_priced_by_guess() {
    let (ws, _) = import_new(&[fixture("az-image-version-list.json")]);
    let win = ws
        .gallery("fabrikam_images")
        .unwrap()
        .definition("win2022-app")
        .unwrap();
    let vhd = win.version("2.0.0").unwrap();
    match version_cost_in(&ws, vhd) {
        Err(CostError::UnknownSize(why)) => assert!(why.contains("VHD"), "{why}"),
        other => panic!("{other:?}"),
    }
    // With sizes in the payload the version is priced from its location.
    let sized = win.version("2.1.0").unwrap();
    let cost = version_cost_in(&ws, sized).unwrap();
    assert_eq!(cost.occupied_gb, 127.0);
    assert_eq!(cost.source_region.name(), "westeurope");
}

/// Counts per file of the spec's own examples: (galleries, definitions, versions) after
/// importing the file into an empty workspace. Files whose responses hold no gallery,
/// definition or version (deletes, soft-deleted artifacts) import nothing.
const EXAMPLE_COUNTS: [(&str, (usize, usize, usize)); 37] = [
    ("CommunityGallery_Create.json", (1, 0, 0)),
    ("GalleryImageVersion_Create.json", (1, 1, 1)),
    (
        "GalleryImageVersion_Create_WithCommunityImageVersionAsSource.json",
        (1, 1, 1),
    ),
    (
        "GalleryImageVersion_Create_WithImageVersionAsSource.json",
        (1, 1, 1),
    ),
    (
        "GalleryImageVersion_Create_WithStorageAccountStrategy.json",
        (1, 1, 1),
    ),
    (
        "GalleryImageVersion_Create_WithTargetExtendedLocations.json",
        (1, 1, 1),
    ),
    (
        "GalleryImageVersion_Create_WithVHD_UefiSettings.json",
        (1, 1, 1),
    ),
    ("GalleryImageVersion_Delete.json", (0, 0, 0)),
    ("GalleryImageVersion_Get.json", (1, 1, 1)),
    (
        "GalleryImageVersion_Get_WithReplicationStatus.json",
        (1, 1, 1),
    ),
    (
        "GalleryImageVersion_Get_WithSnapshotsAsSource.json",
        (1, 1, 1),
    ),
    (
        "GalleryImageVersion_Get_WithValidationProfile.json",
        (1, 1, 1),
    ),
    ("GalleryImageVersion_Get_WithVhdAsSource.json", (1, 1, 1)),
    ("GalleryImageVersion_ListByGalleryImage.json", (1, 1, 1)),
    ("GalleryImageVersion_Update.json", (1, 1, 1)),
    (
        "GalleryImageVersion_Update_RestoreSoftDeleted.json",
        (1, 1, 1),
    ),
    ("GalleryImageVersion_Update_WithoutSourceId.json", (1, 1, 1)),
    ("GalleryImage_Create.json", (1, 1, 0)),
    ("GalleryImage_Delete.json", (0, 0, 0)),
    ("GalleryImage_Get.json", (1, 1, 0)),
    ("GalleryImage_ListByGallery.json", (1, 1, 0)),
    ("GalleryImage_Update.json", (1, 1, 0)),
    ("GalleryImage_UpdateFeatures.json", (1, 1, 0)),
    (
        "GallerySoftDeletedResource_ListByArtifactName.json",
        (0, 0, 0),
    ),
    ("Gallery_AddToSharingProfile.json", (1, 0, 0)),
    ("Gallery_Create.json", (1, 0, 0)),
    ("Gallery_Create_SoftDeletionEnabled.json", (1, 0, 0)),
    ("Gallery_Create_WithManagedIdentity.json", (1, 0, 0)),
    ("Gallery_Delete.json", (0, 0, 0)),
    ("Gallery_EnableCommunityGallery.json", (1, 0, 0)),
    ("Gallery_Get.json", (1, 0, 0)),
    ("Gallery_Get_WithManagedIdentity.json", (1, 0, 0)),
    ("Gallery_Get_WithSelectPermissions.json", (1, 0, 0)),
    ("Gallery_ListByResourceGroup.json", (1, 0, 0)),
    ("Gallery_ListBySubscription.json", (1, 0, 0)),
    ("Gallery_ResetSharingProfile.json", (1, 0, 0)),
    ("Gallery_Update.json", (1, 0, 0)),
];

fn arm_examples() -> Option<Vec<PathBuf>> {
    let dir = Path::new(ARM_EXAMPLES);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Some(files)
}

#[test]
fn every_spec_example_imports_with_its_counts() {
    let files = arm_examples().expect("the examples are in the repository");
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let listed: Vec<&str> = EXAMPLE_COUNTS.iter().map(|(f, _)| *f).collect();
    assert_eq!(names, listed, "every example file has its expected counts");
    for (path, (name, expected)) in files.iter().zip(EXAMPLE_COUNTS) {
        let mut ws = Workspace::default();
        let summary = import(&mut ws, &[Input::read(path).unwrap()]).expect(name);
        assert_eq!(totals(&ws), expected, "{name}: {}", warnings_text(&summary));
        assert_eq!(summary.imported_anything(), expected != (0, 0, 0), "{name}");
        // Round trip and idempotence hold for real payloads too.
        let back = from_ron_str(&to_ron_string(&ws)).expect(name);
        assert_eq!(back, ws, "{name}");
        let once = ws.clone();
        import(&mut ws, &[Input::read(path).unwrap()]).unwrap();
        assert_eq!(ws, once, "{name}: a second import changed something");
    }
}

#[test]
fn spec_examples_carry_their_details() {
    let read = |name: &str| Input::read(&Path::new(ARM_EXAMPLES).join(name)).unwrap();
    let (ws, summary) = import_new(&[read(
        "GalleryImageVersion_Create_WithTargetExtendedLocations.json",
    )]);
    let text = warnings_text(&summary);
    assert!(
        text.contains("responses.200.body.properties.publishingProfile.targetExtendedLocations[0].storageAccountType: \"StandardSSD_LRS(default)\" is not an edge zone storage account type"),
        "{text}"
    );
    let (_, _, version) = ws.versions().next().unwrap();
    assert!(
        version.unmodeled.get("properties").is_some(),
        "targetExtendedLocations kept"
    );

    let (ws, _) = import_new(&[read("Gallery_AddToSharingProfile.json")]);
    let gallery = &ws.galleries[0];
    assert_eq!(gallery.name, "myGalleryName");
    assert_eq!(gallery.sharing.permission, SharingPermission::Groups);
    assert_eq!(gallery.sharing.subscriptions.len(), 2);
    assert_eq!(gallery.sharing.tenants.len(), 1);

    // All examples together: ids in any case join into one gallery per name.
    let all: Vec<Input> = arm_examples()
        .unwrap()
        .iter()
        .map(|p| Input::read(p).unwrap())
        .collect();
    let (ws, _) = import_new(&all);
    let mut names: Vec<&str> = ws.galleries.iter().map(|g| g.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["myGallery", "myGalleryName"]);
}
