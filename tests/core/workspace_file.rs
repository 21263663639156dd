//! The workspace file: round trips, broken files with their messages and positions, safe saving.

use sig_studio_core::model::{ResourcePath, Severity};
use sig_studio_core::sample::{SAMPLE_RON, sample, synthetic};
use sig_studio_core::validate;
use sig_studio_core::workspace::{
    self, LoadError, backup_path, from_ron_bytes, from_ron_str, to_ron_string,
};

fn today() -> sig_studio_core::model::Date {
    jiff::civil::date(2026, 11, 26)
}

#[test]
fn sample_is_canonical_and_valid() {
    let ws = from_ron_str(SAMPLE_RON).expect("sample parses");
    assert_eq!(
        to_ron_string(&ws),
        SAMPLE_RON,
        "assets/sample.ron is not in the canonical layout"
    );
    let problems = validate(&ws, today());
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(ws.galleries.len(), 1);
    assert_eq!(ws.version_count(), 7);
}

#[test]
fn round_trip_gives_equal_value_and_identical_bytes() {
    for ws in [sample(), synthetic(1_000)] {
        let text = to_ron_string(&ws);
        let back = from_ron_str(&text).expect("parses");
        assert_eq!(back, ws);
        assert_eq!(to_ron_string(&back), text);
    }
}

#[test]
fn one_line_per_target_region_and_defaults_omitted() {
    let text = to_ron_string(&sample());
    assert!(text.contains(
        "(region: \"eastus\", replicas: Some(3), status: (state: Completed, progress: 100)),"
    ));
    assert!(
        !text.contains("allow_deletion_of_replicated_locations"),
        "default values are omitted"
    );
    assert!(!text.contains("exclude_from_latest: false"));
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "sample lacks {from:?}");
    text.replacen(from, to, 1)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle present")
        + 1
}

fn parse_error(text: &str) -> (usize, usize, String) {
    match from_ron_str(text) {
        Err(LoadError::Parse {
            line, col, message, ..
        }) => (line, col, message),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn broken_files_report_message_and_position() {
    struct Case {
        name: &'static str,
        from: &'static str,
        to: &'static str,
        expect: &'static str,
    }
    let cases = [
        Case {
            name: "wrong type",
            from: "os_disk_gb: 30, occupied_gb: 9.75",
            to: "os_disk_gb: \"thirty\", occupied_gb: 9.75",
            expect: "expected",
        },
        Case {
            name: "unknown variant",
            from: "os_type: Linux, capture: OsDiskOnly, os_disk_gb: 30, occupied_gb: 9.75",
            to: "os_type: Solaris, capture: OsDiskOnly, os_disk_gb: 30, occupied_gb: 9.75",
            expect: "Solaris",
        },
        Case {
            name: "number out of range",
            from: "os_disk_gb: 30, occupied_gb: 9.75",
            to: "os_disk_gb: 99999999999, occupied_gb: 9.75",
            expect: "out of bounds",
        },
        Case {
            name: "unknown region",
            from: "(region: \"canadaeast\"",
            to: "(region: \"Canada Middle\"",
            expect: "unknown region \"Canada Middle\"",
        },
        Case {
            name: "misspelt field",
            from: "replicas: Some(3)",
            to: "replica: Some(3)",
            expect: "replica",
        },
        Case {
            name: "invalid date",
            from: "end_of_life: Some(\"2031-10-14\")",
            to: "end_of_life: Some(\"2031-13-14\")",
            expect: "month",
        },
    ];
    for case in cases {
        let text = replace_once(SAMPLE_RON, case.from, case.to);
        let (line, _col, message) = parse_error(&text);
        assert_eq!(line, line_of(&text, case.to), "{}: {message}", case.name);
        assert!(
            message.to_lowercase().contains(&case.expect.to_lowercase()),
            "{}: {message:?} should mention {:?}",
            case.name,
            case.expect
        );
    }
}

#[test]
fn truncated_file_says_so_at_its_end() {
    let cut = &SAMPLE_RON[..SAMPLE_RON.len() / 2];
    let (line, _, message) = parse_error(cut);
    assert!(message.contains("unexpected end of file"), "{message}");
    assert_eq!(line, cut.lines().count());
}

#[test]
fn file_error_names_file_line_and_column() {
    let dir = tempdir();
    let path = dir.join("broken.ron");
    std::fs::write(
        &path,
        replace_once(
            SAMPLE_RON,
            "os_type: Linux, capture",
            "os_type: Solaris, capture",
        ),
    )
    .unwrap();
    let err = workspace::load(&path).unwrap_err();
    let text = err.to_string();
    let (line, col) = err.position().unwrap();
    assert!(
        text.starts_with(&format!("{}:{line}:{col}: ", path.display())),
        "{text}"
    );
}

#[test]
fn newer_format_is_refused_with_a_clear_message() {
    let text = replace_once(
        SAMPLE_RON,
        "format: 4,",
        "format: 9,\n    future_thing: (x: 1),",
    );
    let err = from_ron_str(&text).unwrap_err();
    assert!(matches!(err, LoadError::NewerFormat { found: 9, .. }));
    assert!(err.to_string().contains("newer SIG Studio"), "{err}");
}

#[test]
fn format_1_is_migrated() {
    let v1 = "(\n format: 1,\n tenants: [(name: \"t\")],\n images: [(name: \"img\", region: \"West Central US\", os_type: Linux, os_disk_gb: 30, occupied_gb: 5.0)],\n galleries: [(name: \"g\", region: \"westcentralus\", tenant: \"t\", definitions: [(name: \"d\", publisher: \"p\", offer: \"o\", sku: \"s\", os_type: Linux, os_state: Generalized, versions: [(name: \"1.0.0\", source: \"img\", target_regions: [(name: \"westcentralus\", regional_replica_count: Some(2))])])])],\n)";
    let ws = from_ron_str(v1).expect("format 1 loads");
    assert_eq!(ws.managed_images.len(), 1);
    let version = &ws.galleries[0].definitions[0].versions[0];
    assert_eq!(version.target_regions[0].replicas, Some(2));
    let saved = to_ron_string(&ws);
    assert!(
        saved.contains("format: 4,")
            && saved.contains("managed_images: [")
            && saved.contains("replicas: Some(2)")
    );
    assert!(validate(&ws, today()).is_empty());
}

#[test]
fn format_2_is_migrated_to_4() {
    let v2 = replace_once(SAMPLE_RON, "format: 4,", "format: 2,");
    let ws = from_ron_str(&v2).expect("format 2 loads");
    assert_eq!(ws, from_ron_str(SAMPLE_RON).unwrap());
    // Nothing of API 2025-03-03 is invented for old files.
    for (gallery, definition, version) in ws.versions() {
        assert!(gallery.subscription.is_empty() && gallery.tags.is_empty());
        assert!(definition.features.is_empty());
        assert!(version.azure_source.is_none() && version.unmodeled.is_empty());
    }
    assert_eq!(to_ron_string(&ws), SAMPLE_RON);
}

#[test]
fn fields_of_format_3_round_trip() {
    use sig_studio_core::model::azure::{
        AzureSource, CommunityInfo, DiskImage, DiskSource, HostCaching, ImageFeature, ReplicaSet,
        SharingPermission, SourceRef,
    };
    use sig_studio_core::model::{Presence, Region, StorageAccountStrategy, StorageType};
    let mut ws = from_ron_str(SAMPLE_RON).unwrap();
    let gallery = &mut ws.galleries[0];
    gallery.subscription = "11111111-2222-3333-4444-555555555555".into();
    gallery.resource_group = "rg-images".into();
    gallery.tags.insert("env".into(), "prod \"blue\"".into());
    gallery.soft_delete = true;
    gallery.sharing.permission = SharingPermission::Community;
    gallery.sharing.community = Some(CommunityInfo {
        publisher_uri: "https://x.example".into(),
        publisher_contact: "a@x.example".into(),
        eula: "e".into(),
        public_name_prefix: "x".into(),
    });
    gallery.unmodeled.insert(
        "identity",
        serde_json::json!({"type": "SystemAssigned", "n": 1.5, "list": [null, true, "é\n"]}),
    );
    let definition = &mut gallery.definitions[0];
    definition.features.push(ImageFeature {
        name: "SecurityType".into(),
        value: "TrustedLaunch".into(),
        starts_at_version: "2.0.0".into(),
    });
    definition.allow_update_image = Some(false);
    let version = &mut definition.versions[0];
    version.storage_type = StorageType::PremiumV2_LRS;
    version.storage_account_strategy = Some(StorageAccountStrategy::DefaultStandard_LRS);
    version.block_deletion_before_end_of_life = true;
    version.azure_source = Some(Box::new(AzureSource {
        whole: Some(SourceRef::VirtualMachine("/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/v".into())),
        os_disk: Some(DiskImage {
            lun: None,
            source: Some(DiskSource::Vhd {
                uri: "https://a.blob.core.windows.net/v/x.vhd".into(),
                storage_account_id: "/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/a".into(),
            }),
            size_gb: Some(30),
            host_caching: Some(HostCaching::ReadOnly),
        }),
        data_disks: vec![DiskImage {
            lun: Some(2),
            source: Some(DiskSource::Snapshot("/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/snapshots/d".into())),
            size_gb: None,
            host_caching: None,
        }],
        region: Some(Region::parse("westus").unwrap()),
    }));
    version.target_regions[0]
        .additional_replica_sets
        .push(ReplicaSet {
            storage_type: StorageType::Premium_LRS,
            replicas: 2,
        });
    // Azure as last seen: the gallery in Azure, its first definition known by reference.
    let (g, d) = (
        ws.galleries[0].name.clone(),
        ws.galleries[0].definitions[0].name.clone(),
    );
    crate::common::mark_in_azure(&mut ws, &ResourcePath::gallery(&g), Presence::InAzure);
    crate::common::mark_in_azure(
        &mut ws,
        &ResourcePath::definition(&g, &d),
        Presence::Reference,
    );
    let text = to_ron_string(&ws);
    assert!(text.contains("format: 4,") && text.contains("    azure: (\n"));
    let back = from_ron_str(&text).expect("format 4 reloads");
    assert_eq!(back.presence_of(&g, None, None), Presence::InAzure);
    assert_eq!(back.presence_of(&g, Some(&d), None), Presence::Reference);
    assert_eq!(back, ws);
    assert_eq!(to_ron_string(&back), text);
}

#[test]
fn semantic_problems_name_the_resource_path() {
    // Duplicate definition names.
    let text = replace_once(
        SAMPLE_RON,
        "name: \"ubuntu-2204-base\"",
        "name: \"win2022-datacenter\"",
    );
    let ws = from_ron_str(&text).unwrap();
    let problems = validate(&ws, today());
    assert!(
        problems.iter().any(|p| p.path
            == ResourcePath::definition("contoso_images", "win2022-datacenter")
            && p.severity == Severity::Error
            && p.message.contains("also named")),
        "{problems:#?}"
    );

    // The source region missing from the targets.
    let text = replace_once(
        SAMPLE_RON,
        "(name: \"2026.7.0\", source: \"win2022-dc-2026-07\", published: Some(\"2026-07-14\"), target_regions: [\n                            (region: \"westcentralus\"",
        "(name: \"2026.7.0\", source: \"win2022-dc-2026-07\", published: Some(\"2026-07-14\"), target_regions: [\n                            (region: \"eastus\"",
    );
    let ws = from_ron_str(&text).unwrap();
    let problems = validate(&ws, today());
    let problem = problems
        .iter()
        .find(|p| {
            p.path == ResourcePath::version("contoso_images", "win2022-datacenter", "2026.7.0")
        })
        .expect("a problem on the version");
    assert_eq!(
        problem.to_string(),
        "contoso_images/win2022-datacenter/2026.7.0: error: The source region West Central US of image \"win2022-dc-2026-07\" must be one of the target regions"
    );
}

#[test]
fn loading_never_panics_whatever_the_bytes() {
    let bytes = SAMPLE_RON.as_bytes();
    for cut in (0..bytes.len()).step_by(37) {
        let _ = from_ron_bytes(&bytes[..cut]);
    }
    let mut state = 0x2545_f491_u32;
    for round in 0..300 {
        let mut mutated = bytes.to_vec();
        for _ in 0..(1 + round % 8) {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let at = state as usize % mutated.len();
            mutated[at] = (state >> 8) as u8;
        }
        let _ = from_ron_bytes(&mutated);
    }
    let (line, col, message) = match from_ron_bytes(b"(\n  format: 2,\n  \xff\xfe") {
        Err(LoadError::Parse {
            line, col, message, ..
        }) => (line, col, message),
        other => panic!("{other:?}"),
    };
    assert_eq!((line, col), (3, 3));
    assert!(message.contains("UTF-8"));
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "sig-studio-test-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn save_keeps_a_backup_and_replaces_atomically() {
    let dir = tempdir();
    let path = dir.join("work.ron");
    let mut ws = sample();
    workspace::save(&path, &ws).unwrap();
    let first = std::fs::read_to_string(&path).unwrap();
    ws.galleries[0].description = "changed".to_owned();
    workspace::save(&path, &ws).unwrap();
    assert_eq!(std::fs::read_to_string(backup_path(&path)).unwrap(), first);
    assert_eq!(workspace::load(&path).unwrap(), ws);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn failed_save_keeps_the_old_file_and_says_why() {
    let dir = tempdir();
    // A folder where the file should be: the rename must fail, nothing may change.
    let target = dir.join("taken");
    std::fs::create_dir(&target).unwrap();
    let err = workspace::save(&target, &sample()).unwrap_err();
    assert!(err.to_string().contains("could not save"), "{err}");
    assert!(target.is_dir());
    // A folder that does not exist: the temporary file cannot be created.
    let path = dir.join("missing").join("work.ron");
    let err = workspace::save(&path, &sample()).unwrap_err();
    assert!(err.to_string().contains("temporary file"), "{err}");
    // An existing file is untouched when the write fails half way (simulated by a bad folder).
    let good = dir.join("good.ron");
    std::fs::write(&good, "old contents").unwrap();
    assert!(workspace::save(&dir.join("missing2").join("good.ron"), &sample()).is_err());
    assert_eq!(std::fs::read_to_string(&good).unwrap(), "old contents");
}

#[test]
fn recovery_copy_round_trip() {
    use sig_studio_core::workspace::recovery;
    let dir = tempdir();
    assert!(recovery::find(&dir).is_none());
    let ws = sample();
    recovery::write(&dir, &ws, Some(std::path::Path::new("/home/me/work.ron"))).unwrap();
    let copy = recovery::find(&dir).unwrap();
    assert_eq!(
        copy.origin.as_deref(),
        Some(std::path::Path::new("/home/me/work.ron"))
    );
    assert_eq!(recovery::load(&copy).unwrap(), ws);
    recovery::discard(&dir);
    assert!(recovery::find(&dir).is_none());
}

#[test]
fn the_unfinished_example_is_canonical_and_breaks_the_documented_rules() {
    let text = include_str!("../../assets/examples/unfinished.ron");
    let ws = from_ron_str(text).expect("the example parses");
    assert_eq!(to_ron_string(&ws), text, "not in the canonical layout");
    let problems: Vec<String> = validate(&ws, today())
        .iter()
        .map(|p| format!("{}: {:?}", p.path, p.severity))
        .collect();
    assert_eq!(
        problems,
        [
            "contoso_images/ubuntu-2204-base: Error",
            "contoso_images/ubuntu-2204-base/1.0.13: Warning",
            "contoso_images/ubuntu-2204-base/1.0.13: Error",
        ]
    );
}

#[test]
fn format_4_fields_round_trip_and_format_3_files_load() {
    use sig_studio_core::model::{Region, Role, RoleAssignment};
    let v3 = replace_once(SAMPLE_RON, "format: 4,", "format: 3,");
    let ws = from_ron_str(&v3).expect("format 3 loads");
    assert_eq!(ws, from_ron_str(SAMPLE_RON).unwrap());
    assert!(ws.assignments.is_empty());
    let mut ws = ws;
    let g = &mut ws.galleries[0];
    let d = &mut g.definitions[0];
    d.location = Some(Region::parse("eastus").unwrap());
    d.end_of_life = Some("2031-10-14".parse().unwrap());
    d.end_of_life_time = Some("12:59:59".parse().unwrap());
    d.versions[0].location = Some(Region::parse("westus").unwrap());
    ws.assignments.push(RoleAssignment {
        principal: "bob@contoso.com".into(),
        role: Role::Reader,
        scope: "contoso_images".into(),
        name: "3f2504e0-4f89-11d3-9a0c-0305e82c3301".into(),
        principal_id: "0f2504e0-4f89-11d3-9a0c-0305e82c3301".into(),
        arm_scope: "/subscriptions/s/resourceGroups/rg".into(),
    });
    let text = to_ron_string(&ws);
    assert!(
        text.contains("assignments: [") && text.contains("end_of_life_time: Some(\"12:59:59\")"),
        "{text}"
    );
    let back = from_ron_str(&text).expect("format 4 reloads");
    assert_eq!(back, ws);
    assert_eq!(to_ron_string(&back), text);
}
