//! Export: the ARM template imports back to the same workspace, every resource body is valid
//! against the REST spec's definitions, the az script passes every value to `az` unchanged
//! (hostile text included) and passes shellcheck, and the CLI's exit codes.

use crate::common;

use common::cli::{recorded_and_intended, run};

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use sig_studio_core::export::{Scope, arm, az};
use sig_studio_core::import::{Input, import};
use sig_studio_core::model::azure::{
    CommunityInfo, ImageFeature, PurchasePlan, ReplicaSet, SharingPermission, SourceRef,
};
use sig_studio_core::model::{
    AzureSource, Grant, HyperVGeneration, Principal, PrincipalKind, ReplicaStatus, ReplicationMode,
    Role, StorageAccountStrategy, StorageType, Verbatim, Workspace,
};
use sig_studio_core::sample::sample;

const HOSTILE: &str = "it's \"quoted\" $(touch CANARY) `touch CANARY`; touch CANARY\nsecond line $HOME \\ & | > CANARY '' end";
const OBJECT_ID: &str = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sig-studio-export-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The sample with every exported property set somewhere: tags, sharing, soft delete,
/// features, plans, per-region storage and counts, replica sets, sources in Azure, verbatim
/// properties, texts ARM would take for expressions, and a grant to a bare object id.
pub(crate) fn rich() -> Workspace {
    let mut ws = sample();
    ws.principals.push(Principal {
        name: OBJECT_ID.to_owned(),
        kind: PrincipalKind::ServicePrincipal,
        tenant: ws.tenants[0].name.clone(),
        members: Vec::new(),
    });
    let g = &mut ws.galleries[0];
    let gallery = g.name.clone();
    g.tags.insert("cost-center".into(), "[42]".into());
    g.tags.insert("owner".into(), "it's me".into());
    g.description = "[not an expression]".into();
    g.soft_delete = true;
    g.sharing.permission = SharingPermission::Community;
    g.sharing.community = Some(CommunityInfo {
        publisher_uri: "https://contoso.com".into(),
        publisher_contact: "images@contoso.com".into(),
        eula: "https://contoso.com/eula".into(),
        public_name_prefix: "contoso".into(),
    });
    let d = &mut g.definitions[0];
    let definition = d.name.clone();
    d.tags.insert("team".into(), "images".into());
    d.features = vec![
        ImageFeature {
            name: "SecurityType".into(),
            value: "TrustedLaunchSupported".into(),
            starts_at_version: String::new(),
        },
        ImageFeature {
            name: "IsAcceleratedNetworkSupported".into(),
            value: "True".into(),
            starts_at_version: "2026.8.0".into(),
        },
    ];
    d.generation = HyperVGeneration::V2;
    d.purchase_plan = Some(PurchasePlan {
        name: "plan".into(),
        publisher: "contoso".into(),
        product: "hardened".into(),
    });
    d.allow_update_image = Some(true);
    d.privacy_uri = "https://contoso.com/privacy".into();
    let v = &mut d.versions[0];
    let version = v.name.clone();
    v.tags.insert("build".into(), "1234".into());
    v.exclude_from_latest = true;
    v.default_replica_count = 2;
    v.storage_type = StorageType::Standard_ZRS;
    v.block_deletion_before_end_of_life = true;
    v.allow_deletion_of_replicated_locations = false;
    v.replication_mode = ReplicationMode::Shallow;
    v.end_of_life = Some("2027-06-30".parse().unwrap());
    v.unmodeled.insert(
        "properties",
        json!({"securityProfile": {"uefiSettings": {"signatureTemplateNames": ["MicrosoftUefiCertificateAuthorityTemplate"]}}}),
    );
    let t = &mut v.target_regions[0];
    t.replicas = Some(3);
    t.storage_type = Some(StorageType::Premium_LRS);
    t.exclude_from_latest = Some(false);
    t.additional_replica_sets.push(ReplicaSet {
        storage_type: StorageType::PremiumV2_LRS,
        replicas: 2,
    });
    let mut encryption = Verbatim::default();
    encryption.insert(
        "encryption",
        json!({"osDiskImage": {"diskEncryptionSetId": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/diskEncryptionSets/des"}}),
    );
    t.unmodeled = encryption;
    let region = g.region;
    let v = &mut g.definitions[0].versions[1];
    v.source = String::new();
    v.storage_account_strategy = Some(StorageAccountStrategy::PreferStandard_ZRS);
    v.azure_source = Some(Box::new(AzureSource {
        whole: Some(SourceRef::VirtualMachine(
            "/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/vm"
                .into(),
        )),
        region: Some(region),
        ..AzureSource::default()
    }));
    ws.grants.push(Grant {
        principal: OBJECT_ID.to_owned(),
        role: Role::Contributor,
        scope: format!("{gallery}/{definition}/{version}"),
    });
    ws.grants.push(Grant {
        principal: "carol@contoso.com".to_owned(),
        role: Role::ComputeGallerySharingAdmin,
        scope: gallery,
    });
    ws
}

/// What a template cannot carry (workspace-only fields, replication progress, Azure's own
/// read-only values), cleared so that the rest can be compared.
fn deployable(
    ws: &Workspace,
) -> (
    Vec<sig_studio_core::model::Gallery>,
    Vec<(String, Role, String)>,
) {
    let mut galleries = ws.galleries.clone();
    for g in &mut galleries {
        g.tenant.clear();
        g.default_retention = None;
        for d in &mut g.definitions {
            d.retention = None;
            d.release_notes.clear();
            for v in &mut d.versions {
                v.published = None;
                v.retention_exempt = false;
                for t in &mut v.target_regions {
                    t.status = ReplicaStatus::default();
                }
            }
        }
    }
    let mut grants: Vec<(String, Role, String)> = ws
        .grants
        .iter()
        .map(|g| (g.principal.clone(), g.role, g.scope.clone()))
        .collect();
    grants.sort();
    (galleries, grants)
}

/// The workspace the template is imported into: the same principals, images and settings, no
/// galleries or grants.
fn base_of(ws: &Workspace) -> Workspace {
    Workspace {
        galleries: Vec::new(),
        grants: Vec::new(),
        ..ws.clone()
    }
}

#[test]
fn the_template_imports_back_to_the_same_resources_and_grants() {
    for ws in [sample(), rich()] {
        let text = arm::to_string(&ws, &Scope::default()).expect("exports");
        let mut back = base_of(&ws);
        let summary =
            import(&mut back, &[Input::new("exported.json", text.clone())]).expect("imports");
        assert!(
            summary.warnings.is_empty(),
            "the import did not understand its own export: {:#?}",
            summary.warnings
        );
        let (galleries, grants) = deployable(&ws);
        let (back_galleries, back_grants) = deployable(&back);
        assert_eq!(back_grants, grants);
        assert_eq!(back_galleries.len(), galleries.len());
        for (b, a) in back_galleries.iter().zip(&galleries) {
            assert_eq!(b.without_definitions(), a.without_definitions());
            for (bd, ad) in b.definitions.iter().zip(&a.definitions) {
                assert_eq!(bd.without_versions(), ad.without_versions());
                assert_eq!(bd.versions, ad.versions, "{}/{}", a.name, ad.name);
            }
            assert_eq!(b.definitions.len(), a.definitions.len());
        }
        // Exporting what was imported gives the same template.
        assert_eq!(arm::to_string(&back, &Scope::default()).unwrap(), text);
    }
}

#[test]
fn per_environment_values_are_parameters_never_invented() {
    let ws = rich();
    let template = arm::template(&ws, &Scope::default()).unwrap();
    let params = template["parameters"].as_object().unwrap();
    for p in params.values() {
        assert!(p.get("defaultValue").is_none(), "{p}");
    }
    // A principal known by name only is a parameter; one known by object id is not.
    let names: Vec<&str> = params
        .values()
        .filter_map(|p| p["metadata"][arm::METADATA_PRINCIPAL].as_str())
        .collect();
    assert!(names.contains(&"carol@contoso.com"));
    assert!(!names.contains(&OBJECT_ID));
    let text = template.to_string();
    assert!(text.contains(&format!("'{OBJECT_ID}'")));
    // Role definition GUIDs of the built-in roles.
    assert!(text.contains("1ef6a3be-d0ac-425d-8c01-acb62866290b"));
    assert!(text.contains("b24988ac-6180-42a0-ab88-20f7382dd24c"));
    // Texts that look like expressions are escaped.
    assert!(text.contains("\"[[not an expression]\""));
    for r in template["resources"].as_array().unwrap() {
        if r["type"] == arm::ROLE_ASSIGNMENT_TYPE {
            assert!(
                r["scope"]
                    .as_str()
                    .unwrap()
                    .starts_with("Microsoft.Compute/galleries/")
            );
            assert!(r.get("location").is_none());
        } else {
            assert_eq!(r["apiVersion"], "2025-03-03");
        }
    }
}

#[test]
fn scopes_select_a_gallery_or_a_definition() {
    let ws = rich();
    let g = ws.galleries[0].name.clone();
    let d = ws.galleries[0].definitions[0].name.clone();
    let template = arm::template(&ws, &Scope::parse(&format!("{g}/{d}")).unwrap()).unwrap();
    let resources = template["resources"].as_array().unwrap();
    let names: Vec<&str> = resources
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(names[0], format!("{g}/{d}"));
    assert!(
        names
            .iter()
            .all(|n| n.starts_with('[') || n.starts_with(&format!("{g}/{d}")))
    );
    // The gallery is not in the template, so nothing depends on it.
    assert!(resources[0].get("dependsOn").is_none());
    assert_eq!(
        resources.len() - 1,
        ws.galleries[0].definitions[0].versions.len()
            + ws.grants
                .iter()
                .filter(|x| x.scope.starts_with(&format!("{g}/{d}")))
                .count()
    );
    assert!(arm::template(&ws, &Scope::parse("nope").unwrap()).is_err());
    assert!(arm::template(&ws, &Scope::parse(&format!("{g}/nope")).unwrap()).is_err());
}

// ---- JSON Schema validation against the REST spec (tests/common/spec.rs) ----

#[test]
fn every_resource_body_is_valid_against_the_spec() {
    let spec = common::spec::spec();
    for ws in [sample(), rich(), sig_studio_core::sample::synthetic(300)] {
        let template = arm::template(&ws, &Scope::default()).unwrap();
        let mut errors = Vec::new();
        for resource in template["resources"].as_array().unwrap() {
            spec.resource(resource, &mut errors);
        }
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn the_validator_finds_what_the_spec_forbids() {
    let spec = common::spec::spec();
    let template = arm::template(&rich(), &Scope::default()).unwrap();
    let version = template["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == arm::VERSION_TYPE)
        .unwrap()
        .clone();
    type Spoil = fn(&mut Value);
    let cases: [(&str, Spoil); 6] = [
        ("not a property", |v| {
            v["properties"]["publishingProfile"]["replicas"] = json!(1)
        }),
        ("is not one of", |v| {
            v["properties"]["publishingProfile"]["storageAccountType"] = json!("Fast_LRS")
        }),
        ("is not of type", |v| {
            v["properties"]["publishingProfile"]["replicaCount"] = json!("2")
        }),
        ("read-only", |v| {
            v["properties"]["publishingProfile"]["publishedDate"] = json!("2026-01-01T00:00:00Z")
        }),
        ("is not a date-time", |v| {
            v["properties"]["publishingProfile"]["endOfLifeDate"] = json!("soon")
        }),
        ("is not one of", |v| {
            v["properties"]["publishingProfile"]["targetRegions"][0]["additionalReplicaSets"][0]["storageAccountType"] =
                json!("Nope")
        }),
    ];
    for (expected, spoil) in cases {
        let mut bad = version.clone();
        spoil(&mut bad);
        let mut errors = Vec::new();
        spec.resource(&bad, &mut errors);
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "{expected}: {errors:?}"
        );
    }
}

// ---- the az script ----

/// A workspace whose names and texts hold quotes, `$(…)`, backticks, `;` and newlines.
fn hostile(canary: &Path) -> Workspace {
    let text = HOSTILE.replace("CANARY", &canary.display().to_string());
    let mut ws = rich();
    ws.principals.push(Principal {
        name: format!("evil'{text}"),
        kind: PrincipalKind::User,
        tenant: ws.tenants[0].name.clone(),
        members: Vec::new(),
    });
    let g = &mut ws.galleries[0];
    g.description = text.clone();
    g.tags.insert(format!("k'{text}"), text.clone());
    g.sharing.community.as_mut().unwrap().eula = text.clone();
    let d = &mut g.definitions[0];
    d.description = text.clone();
    d.release_note_uri = text.clone();
    d.eula = text.clone();
    d.features[1].value = text.clone();
    for v in &mut d.versions {
        v.tags.insert("notes".into(), text.clone());
    }
    let scope = format!("{}/{}", g.name, d.name);
    ws.grants.push(Grant {
        principal: format!("evil'{text}"),
        role: Role::Reader,
        scope,
    });
    ws
}

/// Whether a text reached az whole: as one argument, or as a string inside a JSON argument.
pub(crate) fn carried(calls: &[Vec<String>], text: &str) -> bool {
    fn holds(value: &Value, text: &str) -> bool {
        match value {
            Value::String(s) => s == text,
            Value::Array(items) => items.iter().any(|v| holds(v, text)),
            Value::Object(map) => map.iter().any(|(k, v)| k == text || holds(v, text)),
            _ => false,
        }
    }
    calls.iter().flatten().any(|arg| {
        arg == text
            || arg.strip_suffix(text).is_some_and(|k| k.ends_with('='))
            || serde_json::from_str::<Value>(arg.split_once('=').map_or(arg, |(_, v)| v))
                .or_else(|_| serde_json::from_str::<Value>(arg))
                .is_ok_and(|v| holds(&v, text))
    })
}

#[test]
fn every_argument_reaches_az_unchanged_and_nothing_runs() {
    let dir = temp_dir("az");
    let canary = dir.join("canary");
    let ws = hostile(&canary);
    let plan = az::script(&ws, &Scope::default()).unwrap();
    let (calls, intended) = recorded_and_intended(&plan, &az::render(&plan), &dir);
    assert_eq!(calls, intended);
    assert!(!canary.exists(), "the script ran something from a text");
    // The hostile texts arrived whole, as arguments or inside the JSON of a body.
    let text = HOSTILE.replace("CANARY", &canary.display().to_string());
    assert!(carried(&calls, &text), "{calls:#?}");
    assert!(carried(&calls, &format!("k'{text}")), "{calls:#?}");
    // Dependency order: galleries, definitions, versions, role assignments.
    let rank = |c: &Vec<String>| {
        let id = c
            .iter()
            .position(|a| a == "--id")
            .map(|i| c[i + 1].as_str());
        match (c[0].as_str(), c[1].as_str(), id) {
            (_, _, Some(id)) if id.contains("/versions/") => 2,
            (_, _, Some(id)) if id.contains("/images/") => 1,
            (_, _, Some(_)) => 0,
            ("sig", "create" | "share", _) => 0,
            ("sig", "image-definition", _) => 1,
            ("sig", "image-version", _) => 2,
            _ => 3,
        }
    };
    assert!(
        calls.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])),
        "{calls:#?}"
    );
    assert!(
        calls
            .iter()
            .any(|c| c[..3] == ["role", "assignment", "create"]
                && c.contains(&"acdd72a7-3385-48ef-bd42-f606fba81ae7".to_owned()))
    );
}

#[test]
fn the_script_refuses_to_run_without_its_variables() {
    let dir = temp_dir("vars");
    let script = az::to_string(&sample(), &Scope::default()).unwrap();
    let path = dir.join("export.sh");
    std::fs::write(&path, script).unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg("az() { echo called >> az.log; }\n. \"$1\"")
        .arg("bash")
        .arg(&path)
        .env_remove("RESOURCE_GROUP")
        .env_remove("SUBSCRIPTION_ID")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("set SUBSCRIPTION_ID to"));
    assert!(!dir.join("az.log").exists());
}

#[test]
fn shellcheck_passes() {
    let dir = temp_dir("shellcheck");
    let ws = hostile(&dir.join("canary"));
    let path = dir.join("export.sh");
    std::fs::write(&path, az::to_string(&ws, &Scope::default()).unwrap()).unwrap();
    common::cli::shellcheck(&path);
}

// ---- the command line ----

#[test]
fn cli_exit_codes_and_nothing_written_on_failure() {
    let dir = temp_dir("cli");
    let ws_path = dir.join("ws.ron");
    std::fs::write(&ws_path, sig_studio_core::sample::SAMPLE_RON).unwrap();
    let ws = ws_path.to_str().unwrap();
    let out = dir.join("out.json");
    let out_s = out.to_str().unwrap();

    let (code, _, err) = run(&["export", ws, "--format", "arm", "--out", out_s]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text, arm::to_string(&sample(), &Scope::default()).unwrap());

    let script = dir.join("out.sh");
    let (code, _, err) = run(&[
        "export",
        ws,
        "--format",
        "az",
        "--scope",
        "contoso_images",
        "--out",
        script.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(&script)
            .unwrap()
            .starts_with("#!/usr/bin/env bash")
    );

    // A scope that names nothing: exit 1, nothing written.
    let missing = dir.join("missing.json");
    let (code, _, err) = run(&[
        "export",
        ws,
        "--format",
        "arm",
        "--scope",
        "nope",
        "--out",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("no gallery \"nope\""), "{err}");
    assert!(!missing.exists());

    // An unreadable workspace: exit 2 with FILE:LINE:COL, nothing written.
    let broken = dir.join("broken.ron");
    std::fs::write(&broken, "(\n  galleries: [\n    (name: 3,\n").unwrap();
    let (code, _, err) = run(&[
        "export",
        broken.to_str().unwrap(),
        "--format",
        "az",
        "--out",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("{}:3:", broken.display())), "{err}");
    assert!(!missing.exists());

    // An output that cannot be written: exit 2.
    let nowhere = dir.join("no-such-dir").join("out.json");
    let (code, _, _) = run(&[
        "export",
        ws,
        "--format",
        "arm",
        "--out",
        nowhere.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);

    // A bad format is an argument error.
    let (code, _, _) = run(&["export", ws, "--format", "bicep", "--out", out_s]);
    assert_eq!(code, 2);
}

#[test]
fn a_principal_parameter_without_a_name_is_reported_not_guessed() {
    let ws = sample();
    let mut template = arm::template(&ws, &Scope::default()).unwrap();
    for param in template["parameters"].as_object_mut().unwrap().values_mut() {
        param["metadata"]
            .as_object_mut()
            .unwrap()
            .remove(arm::METADATA_PRINCIPAL);
    }
    let mut back = base_of(&ws);
    let summary = import(&mut back, &[Input::new("t.json", template.to_string())]).unwrap();
    assert_eq!(back.grants.len(), 0);
    assert_eq!(
        summary
            .warnings
            .iter()
            .filter(|w| w.message.contains("template expression"))
            .count(),
        ws.grants.len()
    );
}
