//! Access: the seed's sharing matrix, groups, tenants, authorization of edits, deployability,
//! and the command line.

use sig_studio_core::access::{
    self, AccessIndex, Action, Refusal, authorize, can_deploy, principal_access, who,
};
use sig_studio_core::model::{
    Edit, Gallery, Grant, ImageDefinition, ImageVersion, Principal, PrincipalKind, Region,
    ReplicaStatus, ResourcePath, Role, TargetRegion, Tenant, Workspace,
};
use sig_studio_core::sample::sample;
use sig_studio_core::validate;

const G: &str = "contoso_images";
const WIN: &str = "win2022-datacenter";
const UBUNTU: &str = "ubuntu-2204-base";

fn today() -> sig_studio_core::model::Date {
    "2026-12-01".parse().unwrap()
}

fn principal(name: &str, kind: PrincipalKind, tenant: &str, members: &[&str]) -> Principal {
    Principal {
        name: name.into(),
        kind,
        tenant: tenant.into(),
        members: members.iter().map(|m| (*m).to_owned()).collect(),
    }
}

fn user(name: &str) -> Principal {
    principal(name, PrincipalKind::User, "contoso", &[])
}

fn group(name: &str, members: &[&str]) -> Principal {
    principal(name, PrincipalKind::Group, "contoso", members)
}

fn grant(principal: &str, role: Role, scope: &str) -> Grant {
    Grant {
        principal: principal.into(),
        role,
        scope: scope.into(),
    }
}

fn version(name: &str) -> ImageVersion {
    ImageVersion {
        name: name.into(),
        source: "img".into(),
        target_regions: vec![TargetRegion {
            status: ReplicaStatus::completed(),
            ..TargetRegion::new(Region::default())
        }],
        ..ImageVersion::default()
    }
}

/// Gallery `g` (tenant contoso) with definitions `d` and `e`, each with versions 1.0.0 and 1.0.1.
fn small() -> Workspace {
    let definition = |name: &str| ImageDefinition {
        name: name.into(),
        publisher: "Contoso".into(),
        offer: "Offer".into(),
        sku: name.into(),
        versions: vec![version("1.0.0"), version("1.0.1")],
        ..ImageDefinition::default()
    };
    Workspace {
        tenants: vec![
            Tenant {
                name: "contoso".into(),
                domain: String::new(),
            },
            Tenant {
                name: "fabrikam".into(),
                domain: String::new(),
            },
        ],
        principals: vec![user("u@contoso.com")],
        galleries: vec![Gallery {
            name: "g".into(),
            tenant: "contoso".into(),
            definitions: vec![definition("d"), definition("e")],
            ..Gallery::default()
        }],
        ..Workspace::default()
    }
}

fn path(text: &str) -> ResourcePath {
    ResourcePath::parse(text).unwrap()
}

fn add_grant(ws: &mut Workspace, grant: Grant) {
    Edit::AddGrant { index: None, grant }
        .apply(ws)
        .expect("grant applies");
}

fn sees(ws: &Workspace, who_name: &str, at: &str) -> bool {
    let index = AccessIndex::new(ws);
    let access = index.principal_access(who_name).unwrap();
    let by_principal = access.can(Action::See, &path(at));
    let by_resource = index
        .who(&path(at))
        .unwrap()
        .principals
        .iter()
        .any(|h| h.principal == who_name && h.can_see);
    assert_eq!(
        by_principal, by_resource,
        "both questions agree for {who_name} on {at}"
    );
    by_principal
}

#[test]
fn the_seeds_sharing_matrix_all_nine_cells() {
    // (shared at, [sees gallery, sees definition, sees version]) exactly as the seed's table.
    let matrix = [
        ("g", [true, true, true]),
        ("g/d", [false, true, true]),
        ("g/d/1.0.0", [false, false, true]),
    ];
    for (shared_at, expected) in matrix {
        let mut ws = small();
        add_grant(&mut ws, grant("u@contoso.com", Role::Reader, shared_at));
        let seen = ["g", "g/d", "g/d/1.0.0"].map(|at| sees(&ws, "u@contoso.com", at));
        assert_eq!(seen, expected, "shared at {shared_at}");
        // Never sideways: a definition grant does not reach its sibling, a version grant not its
        // sibling version.
        if shared_at != "g" {
            assert!(!sees(&ws, "u@contoso.com", "g/e"));
            assert!(!sees(&ws, "u@contoso.com", "g/e/1.0.0"));
        }
        if shared_at == "g/d/1.0.0" {
            assert!(!sees(&ws, "u@contoso.com", "g/d/1.0.1"));
        }
    }
}

#[test]
fn inherited_roles_say_where_they_come_from() {
    let mut ws = small();
    add_grant(&mut ws, grant("u@contoso.com", Role::Contributor, "g/d"));
    let report = principal_access(&ws, "u@contoso.com").unwrap();
    let paths: Vec<&str> = report.resources.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["g/d", "g/d/1.0.0", "g/d/1.0.1"]);
    assert_eq!(
        report.resources[0].why,
        ["u@contoso.com: Contributor on g/d"]
    );
    assert_eq!(
        report.resources[1].why,
        ["u@contoso.com: Contributor on g/d (inherited from the image definition)"]
    );
    assert_eq!(
        report.resources[1].actions,
        [
            Action::See,
            Action::Deploy,
            Action::Create,
            Action::Edit,
            Action::Delete
        ]
    );
}

#[test]
fn group_members_get_the_groups_grants() {
    let mut ws = small();
    ws.principals.push(principal(
        "sp-build",
        PrincipalKind::ServicePrincipal,
        "contoso",
        &[],
    ));
    ws.principals.push(user("outsider@contoso.com"));
    ws.principals
        .push(group("readers", &["u@contoso.com", "sp-build"]));
    add_grant(&mut ws, grant("readers", Role::Reader, "g/d"));
    assert!(sees(&ws, "u@contoso.com", "g/d/1.0.1"));
    assert!(sees(&ws, "sp-build", "g/d/1.0.1"));
    assert!(sees(&ws, "readers", "g/d"));
    assert!(!sees(&ws, "outsider@contoso.com", "g/d"));
    let report = who(&ws, &path("g/d/1.0.1")).unwrap();
    let names: Vec<&str> = report
        .principals
        .iter()
        .map(|h| h.principal.as_str())
        .collect();
    assert_eq!(names, ["u@contoso.com", "sp-build", "readers"]);
    assert_eq!(
        report.principals[1].why,
        ["sp-build ← readers: Reader on g/d (inherited from the image definition)"]
    );
}

#[test]
fn nested_groups_at_any_depth_with_the_chain() {
    let mut ws = small();
    ws.principals.push(group("level1", &["u@contoso.com"]));
    ws.principals.push(group("level2", &["level1"]));
    ws.principals.push(group("level3", &["level2"]));
    ws.principals.push(group("level4", &["level3"]));
    add_grant(&mut ws, grant("level4", Role::Reader, "g"));
    let index = AccessIndex::new(&ws);
    let access = index.principal_access("u@contoso.com").unwrap();
    assert!(access.can(Action::Deploy, &path("g/e/1.0.1")));
    assert!(!access.can(Action::Edit, &path("g/e/1.0.1")));
    let reasons = access.reasons_on(&path("g"));
    assert_eq!(reasons.len(), 1);
    assert_eq!(
        reasons[0].text(),
        "u@contoso.com ← level1 ← level2 ← level3 ← level4: Reader on g"
    );
    assert_eq!(reasons[0].holder(), "level4");
    let groups: Vec<String> = access.member_of().into_iter().map(|m| m.group).collect();
    assert_eq!(groups, ["level1", "level2", "level3", "level4"]);
}

#[test]
fn a_membership_cycle_is_reported_and_resolution_terminates() {
    let mut ws = small();
    ws.principals.push(group("a", &["u@contoso.com", "b"]));
    ws.principals.push(group("b", &["a"]));
    ws.principals.push(group("c", &["c"]));
    add_grant(&mut ws, grant("b", Role::Reader, "g/d"));
    let report = principal_access(&ws, "u@contoso.com").unwrap();
    assert_eq!(report.resources.len(), 3, "access still resolves");
    assert_eq!(
        report.resources[0].why,
        ["u@contoso.com ← a ← b: Reader on g/d"]
    );
    let cycles: Vec<String> = report.cycles.iter().map(|c| c.text()).collect();
    assert_eq!(cycles, ["a ← b ← a"]);
    let index = AccessIndex::new(&ws);
    let all: Vec<String> = index.cycles().iter().map(|c| c.text()).collect();
    assert_eq!(all, ["a ← b ← a", "c ← c"]);
    assert!(
        who(&ws, &path("g/d"))
            .unwrap()
            .cycles
            .iter()
            .any(|c| c.text() == "a ← b ← a")
    );
    let problems: Vec<String> = validate(&ws, today())
        .into_iter()
        .filter(|p| p.field == Some("members"))
        .map(|p| p.to_string())
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("principal:a: error: Group membership cycle: a ← b ← a"));
    assert!(problems[1].starts_with("principal:c: error: Group membership cycle: c ← c"));
}

#[test]
fn a_cross_tenant_grant_is_refused_and_one_in_a_file_gives_nothing() {
    let mut ws = small();
    ws.principals.push(principal(
        "dave@fabrikam.com",
        PrincipalKind::User,
        "fabrikam",
        &[],
    ));
    let err = Edit::AddGrant {
        index: None,
        grant: grant("dave@fabrikam.com", Role::Reader, "g/d"),
    }
    .apply(&mut ws)
    .unwrap_err();
    assert!(err.message.contains("\"fabrikam\"") && err.message.contains("\"contoso\""));

    // A file can still contain one: validation reports it and the grant gives nothing.
    ws.grants
        .push(grant("dave@fabrikam.com", Role::Reader, "g/d"));
    let problems: Vec<String> = validate(&ws, today())
        .into_iter()
        .filter(|p| p.field == Some("grants"))
        .map(|p| p.to_string())
        .collect();
    assert_eq!(
        problems,
        [
            "g/d: error: Reader on g/d is granted to user \"dave@fabrikam.com\" of tenant \"fabrikam\", but gallery \"g\" belongs to tenant \"contoso\": sharing stays within one tenant, so the grant gives nothing"
        ]
    );
    let report = principal_access(&ws, "dave@fabrikam.com").unwrap();
    assert!(report.resources.is_empty());
    assert_eq!(report.ignored.len(), 1);
    assert!(
        report.ignored[0]
            .why
            .contains("dave@fabrikam.com belongs to tenant \"fabrikam\", but gallery \"g\" belongs to tenant \"contoso\""),
        "{}",
        report.ignored[0].why
    );
    let holders = who(&ws, &path("g/d/1.0.0")).unwrap();
    assert!(holders.principals.is_empty());
    assert_eq!(holders.ignored.len(), 1);
}

#[test]
fn a_member_of_another_tenant_gets_nothing_from_a_group() {
    let mut ws = small();
    ws.principals.push(principal(
        "dave@fabrikam.com",
        PrincipalKind::User,
        "fabrikam",
        &[],
    ));
    ws.principals
        .push(group("team", &["u@contoso.com", "dave@fabrikam.com"]));
    add_grant(&mut ws, grant("team", Role::Reader, "g"));
    assert!(sees(&ws, "u@contoso.com", "g"));
    assert!(!sees(&ws, "dave@fabrikam.com", "g"));
    let report = principal_access(&ws, "dave@fabrikam.com").unwrap();
    assert_eq!(report.ignored.len(), 1);
    assert_eq!(report.ignored[0].chain, ["dave@fabrikam.com", "team"]);
}

#[test]
fn the_compute_gallery_sharing_admin_neither_sees_nor_grants() {
    // Azure's Compute Gallery Sharing Admin holds only Microsoft.Compute/galleries/share/action:
    // it changes the gallery's sharing profile, does not read and cannot create role assignments.
    let mut ws = small();
    add_grant(
        &mut ws,
        grant("u@contoso.com", Role::ComputeGallerySharingAdmin, "g"),
    );
    assert!(!sees(&ws, "u@contoso.com", "g/d/1.0.0"));
    let on_gallery = who(&ws, &path("g")).unwrap();
    assert_eq!(on_gallery.principals[0].actions, [Action::Share]);
    // A sharing profile belongs to the gallery: below it the role allows nothing.
    let holders = who(&ws, &path("g/d/1.0.0")).unwrap();
    assert_eq!(holders.principals.len(), 1);
    assert!(!holders.principals[0].can_deploy);
    assert!(holders.principals[0].actions.is_empty());
    let edit = Edit::AddGrant {
        index: None,
        grant: grant("u@contoso.com", Role::Reader, "g/d"),
    };
    assert_eq!(
        authorize(&ws, Some("u@contoso.com"), &edit)
            .unwrap_err()
            .message,
        "u@contoso.com cannot grant access on g/d: needs Owner, User Access Administrator or Role Based Access Control Administrator on it or on g (holds Compute Gallery Sharing Admin)"
    );
    let delete = Edit::DeleteVersion {
        gallery: "g".into(),
        definition: "d".into(),
        name: "1.0.0".into(),
    };
    assert_eq!(
        authorize(&ws, Some("u@contoso.com"), &delete)
            .unwrap_err()
            .message,
        "u@contoso.com cannot delete image version g/d/1.0.0: needs Contributor or Owner on it, on g/d or on g (holds Compute Gallery Sharing Admin)"
    );
}

#[test]
fn user_access_and_rbac_administrators_grant_and_revoke_but_do_not_edit() {
    // Creating or removing a role assignment needs Owner, User Access Administrator or Role
    // Based Access Control Administrator at the scope or above; both read (*/read) too.
    for role in [
        Role::UserAccessAdministrator,
        Role::RoleBasedAccessControlAdministrator,
    ] {
        let mut ws = small();
        add_grant(&mut ws, grant("u@contoso.com", role, "g/d"));
        assert!(sees(&ws, "u@contoso.com", "g/d/1.0.0"));
        let holders = who(&ws, &path("g/d")).unwrap();
        assert_eq!(
            holders.principals[0].actions,
            [Action::See, Action::Deploy, Action::Grant, Action::Revoke]
        );
        let add = Edit::AddGrant {
            index: None,
            grant: grant("u@contoso.com", Role::Reader, "g/d/1.0.0"),
        };
        assert_eq!(authorize(&ws, Some("u@contoso.com"), &add), Ok(()));
        let revoke = Edit::DeleteGrant { index: 0 };
        assert_eq!(authorize(&ws, Some("u@contoso.com"), &revoke), Ok(()));
        // Above its scope it grants nothing.
        let above = Edit::AddGrant {
            index: None,
            grant: grant("u@contoso.com", Role::Reader, "g"),
        };
        assert!(authorize(&ws, Some("u@contoso.com"), &above).is_err());
        let delete = Edit::DeleteVersion {
            gallery: "g".into(),
            definition: "d".into(),
            name: "1.0.0".into(),
        };
        assert!(
            authorize(&ws, Some("u@contoso.com"), &delete)
                .unwrap_err()
                .message
                .contains("needs Contributor or Owner")
        );
    }
}

fn refused(ws: &Workspace, actor: &str, edit: &Edit) -> Refusal {
    authorize(ws, Some(actor), edit).expect_err("refused")
}

#[test]
fn a_non_owner_is_refused_a_grant_naming_the_missing_role_and_scope() {
    let ws = sample();
    let edit = Edit::AddGrant {
        index: None,
        grant: grant("bob@contoso.com", Role::Reader, &format!("{G}/{UBUNTU}")),
    };
    let refusal = refused(&ws, "bob@contoso.com", &edit);
    assert_eq!(
        refusal.message,
        "bob@contoso.com cannot grant access on contoso_images/ubuntu-2204-base: needs Owner, User Access Administrator or Role Based Access Control Administrator on it or on contoso_images"
    );
    assert_eq!(refusal.action, Action::Grant);
    assert_eq!(
        refusal.needed,
        [
            Role::Owner,
            Role::UserAccessAdministrator,
            Role::RoleBasedAccessControlAdministrator
        ]
    );
    // A Contributor may edit but not share.
    let refusal = refused(&ws, "sp-image-pipeline", &edit);
    assert!(
        refusal.message.ends_with("(holds Contributor)"),
        "{refusal}"
    );
    // alice is an Owner through image-admins; the workspace owner (None) may do anything.
    assert_eq!(authorize(&ws, Some("alice@contoso.com"), &edit), Ok(()));
    assert_eq!(authorize(&ws, None, &edit), Ok(()));
    // Revoking needs the same roles where the grant is.
    let revoke = Edit::DeleteGrant { index: 2 };
    assert!(
        refused(&ws, "carol@contoso.com", &revoke)
            .message
            .starts_with("carol@contoso.com cannot revoke access on contoso_images/ubuntu-2204-base: needs Owner, User Access Administrator or Role Based Access Control Administrator on it or on contoso_images (holds Reader)")
    );
    assert_eq!(authorize(&ws, Some("alice@contoso.com"), &revoke), Ok(()));
}

#[test]
fn a_reader_is_refused_an_edit_naming_the_missing_role_and_scope() {
    let ws = sample();
    let mut definition = ws
        .gallery(G)
        .unwrap()
        .definition(UBUNTU)
        .unwrap()
        .without_versions();
    definition.description = "changed".into();
    let edit = Edit::UpdateDefinition {
        gallery: G.into(),
        name: UBUNTU.into(),
        definition,
    };
    assert_eq!(
        refused(&ws, "carol@contoso.com", &edit).message,
        "carol@contoso.com cannot edit image definition contoso_images/ubuntu-2204-base: needs Contributor or Owner on it or on contoso_images (holds Reader)"
    );
    assert_eq!(authorize(&ws, Some("sp-image-pipeline"), &edit), Ok(()));

    // Creating is checked on the parent: a version needs it on the definition or the gallery.
    let add = Edit::AddVersion {
        gallery: G.into(),
        definition: UBUNTU.into(),
        index: None,
        version: version("1.0.13"),
    };
    assert_eq!(
        refused(&ws, "carol@contoso.com", &add).message,
        "carol@contoso.com cannot create image version contoso_images/ubuntu-2204-base/1.0.13: needs Contributor or Owner on contoso_images/ubuntu-2204-base or on contoso_images (holds Reader)"
    );
    assert_eq!(authorize(&ws, Some("sp-image-pipeline"), &add), Ok(()));
    let add_definition = Edit::AddDefinition {
        gallery: G.into(),
        index: None,
        definition: ImageDefinition {
            name: "new".into(),
            ..ImageDefinition::default()
        },
    };
    assert_eq!(
        refused(&ws, "bob@contoso.com", &add_definition).message,
        "bob@contoso.com cannot create image definition contoso_images/new: needs Contributor or Owner on contoso_images"
    );
    // A batch is refused when any part is.
    let batch = Edit::Batch {
        label: "two".into(),
        edits: vec![add.clone(), edit.clone()],
    };
    assert!(
        refused(&ws, "bob@contoso.com", &batch)
            .message
            .contains("1.0.13")
    );
    // The directory and new galleries are the workspace owner's.
    let delete = Edit::DeletePrincipal {
        name: "bob@contoso.com".into(),
    };
    assert!(
        refused(&ws, "alice@contoso.com", &delete)
            .message
            .starts_with("alice@contoso.com cannot delete principal bob@contoso.com: only the workspace owner may")
    );
    assert!(
        refused(&ws, "nobody", &edit)
            .message
            .contains("\"nobody\" is not a principal")
    );
    assert_eq!(
        authorize(
            &ws,
            Some("carol@contoso.com"),
            &Edit::SetSettings {
                settings: ws.settings.clone()
            }
        ),
        Ok(())
    );
}

#[test]
fn deleting_a_principal_or_resource_removes_access_and_undo_restores_it() {
    let mut ws = sample();
    let ubuntu = path(&format!("{G}/{UBUNTU}"));
    assert!(sees(&ws, "carol@contoso.com", &ubuntu.to_string()));
    let undo = Edit::DeletePrincipal {
        name: "app-teams".into(),
    }
    .apply(&mut ws)
    .unwrap();
    assert!(!ws.grants.iter().any(|g| g.principal == "app-teams"));
    assert!(!sees(&ws, "carol@contoso.com", &ubuntu.to_string()));
    undo.apply(&mut ws).unwrap();
    assert_eq!(ws, sample());
    assert!(sees(&ws, "carol@contoso.com", &ubuntu.to_string()));

    let v = format!("{G}/{WIN}/2026.9.0");
    assert!(sees(&ws, "bob@contoso.com", &v));
    let undo = Edit::DeleteVersion {
        gallery: G.into(),
        definition: WIN.into(),
        name: "2026.9.0".into(),
    }
    .apply(&mut ws)
    .unwrap();
    assert!(!ws.grants.iter().any(|g| g.principal == "bob@contoso.com"));
    assert!(
        principal_access(&ws, "bob@contoso.com")
            .unwrap()
            .resources
            .is_empty()
    );
    undo.apply(&mut ws).unwrap();
    assert_eq!(ws, sample());
    assert!(sees(&ws, "bob@contoso.com", &v));
}

fn region(name: &str) -> Region {
    Region::parse(name).unwrap()
}

#[test]
fn can_deploy_combines_access_and_replication_state() {
    let ws = sample();
    let v = path(&format!("{G}/{UBUNTU}/1.0.12"));
    let yes = can_deploy(&ws, "carol@contoso.com", &v, region("eastus")).unwrap();
    assert!(yes.allowed, "{:?}", yes.why);
    assert_eq!(
        yes.why,
        [
            "contoso_images/ubuntu-2204-base/1.0.12 is replicated to East US (completed)",
            "carol@contoso.com ← web-team ← app-teams: Reader on contoso_images/ubuntu-2204-base (inherited from the image definition)"
        ]
    );
    // Access, but the replica is still being copied.
    let copying = can_deploy(&ws, "carol@contoso.com", &v, region("canadacentral")).unwrap();
    assert!(!copying.allowed);
    assert_eq!(copying.access.len(), 1, "access alone would allow it");
    assert!(
        copying.why[0].contains("not available in Canada Central region")
            && copying.why[0].contains("replicating (72 %)"),
        "{:?}",
        copying.why
    );
    // Not a target region at all.
    let nowhere = can_deploy(&ws, "carol@contoso.com", &v, region("japaneast")).unwrap();
    assert!(!nowhere.allowed);
    assert!(nowhere.why[0].contains("not one of its target regions"));
    // Replicated, but no access.
    let win = path(&format!("{G}/{WIN}/2026.9.0"));
    let no = can_deploy(&ws, "carol@contoso.com", &win, region("eastus")).unwrap();
    assert!(!no.allowed);
    assert_eq!(
        no.why[1],
        "carol@contoso.com has no role that allows deploying contoso_images/win2022-datacenter/2026.9.0: needs Reader, Contributor, Owner, User Access Administrator or Role Based Access Control Administrator on it or above"
    );
    // A definition's latest: resolved per region, then access to that very version.
    let win_def = path(&format!("{G}/{WIN}"));
    let latest = can_deploy(&ws, "bob@contoso.com", &win_def, region("eastus")).unwrap();
    assert!(latest.allowed, "{:?}", latest.why);
    assert_eq!(
        latest.version.as_deref(),
        Some("contoso_images/win2022-datacenter/2026.9.0")
    );
    let ubuntu_def = path(&format!("{G}/{UBUNTU}"));
    let none = can_deploy(&ws, "carol@contoso.com", &ubuntu_def, region("westeurope")).unwrap();
    assert!(!none.allowed);
    assert_eq!(none.version, None);
    assert!(
        none.why[0].starts_with("No version of contoso_images/ubuntu-2204-base can be used as latest in West Europe: 1.0.8: it is not replicated to West Europe"),
        "{:?}",
        none.why
    );
    assert_eq!(
        can_deploy(&ws, "carol@contoso.com", &path(G), region("eastus")),
        Err(access::AccessError::NotDeployable(G.into()))
    );
    assert_eq!(
        can_deploy(&ws, "nobody", &v, region("eastus")),
        Err(access::AccessError::UnknownPrincipal("nobody".into()))
    );
}

#[test]
fn the_sample_answers_for_carol_with_the_group_chain() {
    let ws = sample();
    let report = principal_access(&ws, "carol@contoso.com").unwrap();
    let paths: Vec<&str> = report.resources.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "contoso_images/ubuntu-2204-base",
            "contoso_images/ubuntu-2204-base/1.0.8",
            "contoso_images/ubuntu-2204-base/1.0.9",
            "contoso_images/ubuntu-2204-base/1.0.12",
        ]
    );
    assert_eq!(
        report.resources[0].why,
        ["carol@contoso.com ← web-team ← app-teams: Reader on contoso_images/ubuntu-2204-base"]
    );
    assert_eq!(report.resources[0].roles, [Role::Reader]);
    assert_eq!(
        report.resources[0].reasons[0].chain,
        ["carol@contoso.com", "web-team", "app-teams"]
    );
    let groups: Vec<&str> = report.member_of.iter().map(|m| m.group.as_str()).collect();
    assert_eq!(groups, ["web-team", "app-teams"]);
    assert!(!sees(&ws, "carol@contoso.com", G));
    assert!(!sees(&ws, "carol@contoso.com", &format!("{G}/{WIN}")));
    // The sample has no access problems.
    assert!(
        validate(&ws, today())
            .iter()
            .all(|p| p.field != Some("members") && !p.message.contains("tenant")),
    );
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_sig-studio"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn command_line_access_and_who() {
    let (code, out, _) = cli(&[
        "access",
        "assets/sample.ron",
        "--principal",
        "carol@contoso.com",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains(
        "contoso_images/ubuntu-2204-base (image definition): Reader — see, deploy\n  carol@contoso.com ← web-team ← app-teams: Reader on contoso_images/ubuntu-2204-base\n"
    ), "{out}");
    let (code, out, _) = cli(&[
        "access",
        "assets/sample.ron",
        "--principal",
        "carol@contoso.com",
        "--json",
    ]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["resources"].as_array().unwrap().len(), 4);
    assert_eq!(json["resources"][0]["roles"][0], "Reader");

    let (code, out, _) = cli(&[
        "who",
        "assets/sample.ron",
        "contoso_images/win2022-datacenter/2026.9.0",
        "--json",
    ]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> = json["principals"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["principal"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "alice@contoso.com",
            "bob@contoso.com",
            "sp-image-pipeline",
            "image-admins"
        ]
    );

    let (code, _, err) = cli(&["access", "assets/sample.ron", "--principal", "nobody"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("There is no principal named \"nobody\""),
        "{err}"
    );
    let (code, _, err) = cli(&["who", "assets/sample.ron", "contoso_images/nope"]);
    assert_eq!(code, 1);
    assert!(err.contains("contoso_images/nope: there is no"), "{err}");
    let (code, _, _) = cli(&["who", "does-not-exist.ron", "contoso_images"]);
    assert_eq!(code, 2);
}
