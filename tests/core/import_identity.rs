//! What an import must keep so that an export or a plan does what Azure holds (issue 22):
//! identities, Azure's defaults, role assignments' names, object ids and scopes, end-of-life
//! times and locations; and which resource a payload describes when names alone would merge
//! two into one.

use serde_json::{Value, json};
use sig_studio_core::export::{Scope, arm, az};
use sig_studio_core::import::{Input, import};
use sig_studio_core::model::{Presence, RegionPolicy, Role, Workspace};
use sig_studio_core::plan;
use sig_studio_core::sample::sample;

const SUB: &str = "11111111-1111-4111-8111-111111111111";

fn gid(rg: &str, g: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{rg}/providers/Microsoft.Compute/galleries/{g}")
}

fn gallery(rg: &str, g: &str, description: &str) -> Value {
    json!({"id": gid(rg, g), "name": g, "type": "Microsoft.Compute/galleries", "location": "westus",
           "properties": {"description": description}})
}

fn version(rg: &str, body: Value) -> Value {
    let mut v = json!({
        "id": format!("{}/images/d/versions/1.0.0", gid(rg, "g")),
        "name": "1.0.0", "type": "Microsoft.Compute/galleries/images/versions", "location": "eastus",
        "properties": {"storageProfile": {"source": {"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/images/i"}},
                        "publishingProfile": {"targetRegions": [{"name": "East US"}]}}
    });
    if let (Some(props), Value::Object(extra)) = (v["properties"].as_object_mut(), body) {
        props.extend(extra);
    }
    v
}

fn import_values(values: &[Value]) -> (Workspace, Vec<String>) {
    let mut ws = Workspace::default();
    let inputs: Vec<Input> = values
        .iter()
        .enumerate()
        .map(|(i, v)| Input::new(format!("f{i}.json"), v.to_string()))
        .collect();
    let summary = import(&mut ws, &inputs).unwrap();
    let warnings = summary.warnings.iter().map(|w| w.to_string()).collect();
    (ws, warnings)
}

#[test]
fn user_assigned_identities_survive_and_read_only_ids_are_not_exported() {
    let body = json!({
        "id": gid("rg", "g"), "name": "g", "type": "Microsoft.Compute/galleries", "location": "westus",
        "identity": {"type": "SystemAssigned, UserAssigned", "principalId": "p", "tenantId": "t",
                     "userAssignedIdentities": {"/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1": {},
                                                "/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id2": {"principalId": "x", "clientId": "y"}}},
        "properties": {"description": "d"}
    });
    let (ws, _) = import_values(&[body]);
    let template = arm::template(&ws, &Scope::default()).unwrap();
    let identity = &template["resources"][0]["identity"];
    assert_eq!(identity["type"], "SystemAssigned, UserAssigned");
    let ids = identity["userAssignedIdentities"].as_object().unwrap();
    assert_eq!(ids.len(), 2, "{identity}");
    assert!(ids.values().all(|v| v == &json!({})), "{identity}");
    assert!(identity.get("principalId").is_none() && identity.get("tenantId").is_none());
}

#[test]
fn a_version_without_a_safety_profile_is_azures_default_and_the_script_says_it() {
    let (ws, _) = import_values(&[version("rg", json!({}))]);
    let v = &ws.galleries[0].definitions[0].versions[0];
    assert!(!v.allow_deletion_of_replicated_locations);
    let mut planned = sample();
    planned.galleries[0].definitions[0].versions[0].allow_deletion_of_replicated_locations = true;
    let text = az::to_string(&planned, &Scope::default()).unwrap();
    assert!(
        text.contains("--allow-replicated-location-deletion true"),
        "{text}"
    );
}

#[test]
fn end_of_life_times_and_own_locations_come_back_out() {
    let (ws, _) = import_values(&[version(
        "rg",
        json!({"publishingProfile": {"targetRegions": [{"name": "East US"}], "endOfLifeDate": "2027-04-30T12:59:59Z"}}),
    )]);
    let template = arm::template(&ws, &Scope::default()).unwrap();
    let v = template["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == arm::VERSION_TYPE)
        .unwrap();
    assert_eq!(
        v["properties"]["publishingProfile"]["endOfLifeDate"],
        "2027-04-30T12:59:59Z"
    );
    assert_eq!(v["location"], "eastus");
}

#[test]
fn rest_role_assignments_keep_their_name_object_id_and_scope() {
    let assignment = json!({"value": [{
        "id": format!("{}/providers/Microsoft.Authorization/roleAssignments/9a1c2d3e-0000-4000-8000-000000000001", gid("rg", "g")),
        "name": "9a1c2d3e-0000-4000-8000-000000000001",
        "type": "Microsoft.Authorization/roleAssignments",
        "properties": {
            "roleDefinitionId": format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"),
            "principalId": "5f2504e0-4f89-41d3-9a0c-0305e82c3301",
            "principalType": "User",
            "scope": gid("rg", "g")
        }
    }, {
        "id": format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/9a1c2d3e-0000-4000-8000-000000000002"),
        "name": "9a1c2d3e-0000-4000-8000-000000000002",
        "properties": {
            "roleDefinitionId": format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"),
            "principalId": "6f2504e0-4f89-41d3-9a0c-0305e82c3301",
            "principalType": "Group",
            "scope": format!("/subscriptions/{SUB}/resourceGroups/rg")
        }
    }]});
    let (ws, warnings) = import_values(&[gallery("rg", "g", "d"), assignment]);
    assert_eq!(ws.grants.len(), 2, "{warnings:?}");
    assert!(ws.grants.iter().any(|g| g.role == Role::Reader));
    let record = ws.assignment_of(&ws.grants[0]).unwrap();
    assert_eq!(record.name, "9a1c2d3e-0000-4000-8000-000000000001");
    assert_eq!(record.principal_id, "5f2504e0-4f89-41d3-9a0c-0305e82c3301");
    let above = ws
        .grants
        .iter()
        .find(|g| g.role == Role::Contributor)
        .and_then(|g| ws.assignment_of(g))
        .unwrap();
    assert_eq!(
        above.arm_scope,
        format!("/subscriptions/{SUB}/resourceGroups/rg")
    );
    // Redeploying uses the same names (no RoleAssignmentExists) and the real scopes.
    let template = arm::template(&ws, &Scope::default()).unwrap().to_string();
    assert!(template.contains("\"name\":\"9a1c2d3e-0000-4000-8000-000000000001\""));
    assert!(template.contains("\"name\":\"9a1c2d3e-0000-4000-8000-000000000002\""));
    let script = az::to_string(&ws, &Scope::default()).unwrap();
    assert!(
        script.contains(&format!("--scope /subscriptions/{SUB}/resourceGroups/rg ")),
        "{script}"
    );
    // A revoked one is deleted by its id, whatever became of its principal.
    let mut after = ws.clone();
    after.grants.retain(|g| g.role != Role::Reader);
    let plan = plan::plan(&ws, &after, crate::common::today());
    let text = plan::to_script(&plan, &ws, &after);
    assert!(text.contains("role assignment delete"), "{text}");
    assert!(
        text.contains("roleAssignments/9a1c2d3e-0000-4000-8000-000000000001"),
        "{text}"
    );
    assert!(!text.contains("--assignee "), "{text}");
}

#[test]
fn a_grant_listed_twice_is_one_template_resource() {
    let mut ws = sample();
    let grant = ws.grants[0].clone();
    ws.grants.push(grant);
    let template = arm::template(&ws, &Scope::default()).unwrap();
    let assignments = template["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == arm::ROLE_ASSIGNMENT_TYPE)
        .count();
    assert_eq!(assignments, sample().grants.len());
}

#[test]
fn same_named_galleries_in_two_resource_groups_are_kept_apart_whatever_the_order() {
    let a = gallery("rg-a", "g", "in a");
    let b = gallery("rg-b", "g", "in b");
    for files in [[a.clone(), b.clone()], [b, a]] {
        let (ws, warnings) = import_values(&files);
        assert_eq!(ws.galleries.len(), 1);
        assert_eq!(ws.galleries[0].resource_group, "rg-a");
        assert_eq!(ws.galleries[0].description, "in a");
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(&gid("rg-a", "g")) && w.contains(&gid("rg-b", "g"))),
            "{warnings:?}"
        );
    }
}

#[test]
fn two_files_describing_one_version_differently_are_not_merged() {
    let first = version(
        "rg",
        json!({"publishingProfile": {"targetRegions": [{"name": "East US"}], "replicaCount": 2}}),
    );
    let second = version(
        "rg",
        json!({"publishingProfile": {"targetRegions": [{"name": "West US"}], "excludeFromLatest": true}}),
    );
    let (ws, warnings) = import_values(&[first.clone(), second]);
    let (alone, _) = import_values(&[first]);
    assert_eq!(
        ws.galleries[0].definitions[0].versions[0],
        alone.galleries[0].definitions[0].versions[0]
    );
    assert!(
        warnings.iter().any(|w| w.contains("already describes")),
        "{warnings:?}"
    );
}

#[test]
fn the_region_policy_is_about_what_the_user_creates() {
    let (mut ws, _) = import_values(&[gallery("rg", "g", "d")]);
    assert_eq!(
        ws.presence_of(&ws.galleries[0].name, None, None),
        Presence::InAzure
    );
    ws.settings.region_policy = Some(RegionPolicy::preview());
    let problems = sig_studio_core::validate(&ws, crate::common::today());
    assert!(
        !problems.iter().any(|p| p.message.contains("region policy")),
        "{problems:?}"
    );
}

#[test]
fn template_keywords_and_expressions_in_names_are_never_template_syntax() {
    let template = json!({"resources": [{
        "type": "Microsoft.Compute/galleries", "apiVersion": "2025-03-03", "name": "g", "location": "westus",
        "condition": false, "copy": {"name": "c", "count": 2},
        "tags": {"[concat('a')]": "[x]"},
        "properties": {"description": "d"}
    }]});
    let (ws, warnings) = import_values(&[template]);
    assert!(
        warnings.iter().any(|w| w.contains("condition")),
        "{warnings:?}"
    );
    let out = arm::template(&ws, &Scope::default()).unwrap();
    let g = &out["resources"][0];
    assert!(
        g.get("condition").is_none() && g.get("copy").is_none(),
        "{g}"
    );
    assert_eq!(g["tags"]["[[concat('a')]"], "[[x]", "{g}");
}

/// A region's disk encryption sets (kept verbatim) are named for the editor's region table
/// (issue 24 item 3: they were kept in the file and shown nowhere).
#[test]
fn a_regions_disk_encryption_sets_are_named() {
    let des = |name: &str| {
        format!(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/{name}"
        )
    };
    let encrypted = version(
        "rg",
        json!({"publishingProfile": {"targetRegions": [
            {"name": "East US", "encryption": {
                "osDiskImage": {"diskEncryptionSetId": des("des-eastus")},
                "dataDiskImages": [{"lun": 1, "diskEncryptionSetId": des("des-eastus-data")}]}},
            {"name": "West US"}
        ]}}),
    );
    let (ws, _) = import_values(&[encrypted]);
    let v = &ws.galleries[0].definitions[0].versions[0];
    let sets: Vec<Vec<String>> = v
        .target_regions
        .iter()
        .map(|t| t.disk_encryption_sets())
        .collect();
    assert_eq!(
        sets,
        [
            vec![
                "OS disk: des-eastus".to_owned(),
                "data disk LUN 1: des-eastus-data".to_owned()
            ],
            vec![]
        ]
    );
}

#[test]
fn a_flagged_version_is_reported_warned_on_deploy_and_not_exported_as_a_property() {
    use sig_studio_core::model::{Region, ResourcePath};
    use sig_studio_core::replication::deploy::{DeployKind, check};
    let flagged = version(
        "rg",
        json!({
            "provisioningState": "Succeeded",
            "safetyProfile": {"allowDeletionOfReplicatedLocations": false, "reportedForPolicyViolation": true,
                              "policyViolations": [{"category": "ImageFlaggedUnsafe", "details": "unsafe"}]},
            "validationsProfile": {"executedValidations": [{"type": "LinuxSecurityBaseline", "status": "Failed"}]}
        }),
    );
    let (ws, _) = import_values(&[flagged]);
    let v = &ws.galleries[0].definitions[0].versions[0];
    let why = v.flagged().expect("flagged");
    assert!(
        why.contains("ImageFlaggedUnsafe: unsafe") && why.contains("LinuxSecurityBaseline"),
        "{why}"
    );
    let problems = sig_studio_core::validate(&ws, crate::common::today());
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("flags this version")),
        "{problems:?}"
    );
    let path = ResourcePath::version("g", "d", "1.0.0");
    let deploy = check(
        &ws,
        crate::common::today(),
        &path,
        Region::parse("eastus").unwrap(),
        DeployKind::Vms,
        1,
    )
    .expect("allowed");
    assert!(
        deploy
            .warnings
            .iter()
            .any(|w| w.contains("flags this version")),
        "{deploy:?}"
    );
    let template = arm::template(&ws, &Scope::default()).unwrap().to_string();
    for read_only in [
        "policyViolations",
        "reportedForPolicyViolation",
        "validationsProfile",
    ] {
        assert!(!template.contains(read_only), "{read_only}: {template}");
    }
    // A plan that touches it says so.
    let mut after = ws.clone();
    after.galleries[0].definitions[0].versions[0].default_replica_count = 2;
    let plan = plan::plan(&ws, &after, crate::common::today());
    assert!(plan::to_text(&plan, "a", "b").contains("flags this version"));
}
