//! Typed refusals of edits: each kind keeps the service's text and names the field the editor
//! focuses, and the path of the resource it is about.

use sig_studio_core::model::{
    Edit, EditError, EditErrorKind, Gallery, Grant, ImageDefinition, ImageVersion, OsType,
    Presence, Principal, PrincipalKind, Region, ResourceMut, ResourcePath, Role, Tenant, Workspace,
};
use sig_studio_core::replication::{cancel, retry};
use sig_studio_core::sample::sample;

use crate::common::today;

const G: &str = "contoso_images";
const WIN: &str = "win2022-datacenter";
const UBUNTU: &str = "ubuntu-2204-base";
const V: &str = "2026.9.0";

fn refused(ws: &mut Workspace, edit: Edit) -> EditError {
    let before = ws.clone();
    let describe = edit.describe();
    let Err(err) = edit.apply_at(ws, today()) else {
        panic!("{describe} was not refused");
    };
    assert_eq!(*ws, before, "a refused edit changes nothing");
    err
}

fn definition(ws: &Workspace, name: &str) -> ImageDefinition {
    let mut d = ws.gallery(G).unwrap().definition(name).unwrap().clone();
    d.versions.clear();
    d
}

fn version(ws: &Workspace) -> ImageVersion {
    let path = ResourcePath::version(G, WIN, V);
    ws.resolve(&path).and_then(|r| r.version()).unwrap().clone()
}

fn principal(name: &str, kind: PrincipalKind, tenant: &str, members: &[&str]) -> Principal {
    Principal {
        name: name.into(),
        kind,
        tenant: tenant.into(),
        members: members.iter().map(|m| (*m).to_owned()).collect(),
    }
}

fn grant(principal: &str, role: Role, scope: &str) -> Edit {
    Edit::AddGrant {
        index: None,
        grant: Grant {
            principal: principal.into(),
            role,
            scope: scope.into(),
        },
    }
}

/// Which kind, as a number: the match is exhaustive, so a new kind must be added here (and to
/// the cases below, which the test checks all numbers against).
fn number(kind: &EditErrorKind) -> usize {
    use EditErrorKind as K;
    match kind {
        K::NotFound { .. } => 0,
        K::NameMissing { .. } => 1,
        K::NameTaken { .. } => 2,
        K::IdentityTaken { .. } => 3,
        K::Fixed { .. } => 4,
        K::ProtectedRegion { .. } => 5,
        K::Blocked { .. } => 6,
        K::DatePassed { .. } => 7,
        K::ExistsInAzure { .. } => 8,
        K::UnknownTenant { .. } => 9,
        K::MembersOfNonGroup => 10,
        K::MemberOfItself => 11,
        K::UnknownMember { .. } => 12,
        K::NoSuchGrant { .. } => 13,
        K::NotAScope => 14,
        K::NotGrantable => 15,
        K::UnknownPrincipal { .. } => 16,
        K::OtherTenant(_) => 17,
        K::GrantHeld { .. } => 18,
        K::NotAVersion => 19,
        K::NotATarget { .. } => 20,
        K::RegionNotFailed { .. } => 21,
        K::NothingFailed => 22,
        K::NoJobToCancel { .. } => 23,
    }
}
const KINDS: usize = 24;

/// Every refusal: the error, then its path, text and field.
fn cases() -> Vec<(EditError, &'static str, String, Option<&'static str>)> {
    let mut ws = sample();
    let mut cases = Vec::new();
    let mut case = |err: EditError, path: &'static str, text: &str, field: Option<&'static str>| {
        cases.push((err, path, text.to_owned(), field));
    };

    let err = refused(
        &mut ws,
        Edit::delete(&ResourcePath::version(G, WIN, "9.9.9")).unwrap(),
    );
    case(
        err,
        "contoso_images/win2022-datacenter/9.9.9",
        "The image version was not found",
        None,
    );
    let err = refused(
        &mut ws,
        Edit::delete(&ResourcePath::definition("nope", WIN)).unwrap(),
    );
    case(err, "nope", "The gallery was not found", None);

    let add_tenant = Edit::AddTenant {
        index: None,
        tenant: Tenant::default(),
    };
    case(
        refused(&mut ws, add_tenant),
        "tenant:",
        "A tenant needs a name",
        Some("name"),
    );

    let add_gallery = Edit::AddGallery {
        index: None,
        gallery: Gallery {
            name: "CONTOSO_IMAGES".into(),
            ..Gallery::default()
        },
    };
    let text = "A gallery with this name already exists in the subscription";
    case(
        refused(&mut ws, add_gallery),
        "CONTOSO_IMAGES",
        text,
        Some("name"),
    );
    let mut renamed = definition(&ws, WIN);
    renamed.name = UBUNTU.into();
    let rename = Edit::UpdateDefinition {
        gallery: G.into(),
        name: WIN.into(),
        definition: renamed,
    };
    let text = "An image definition named \"ubuntu-2204-base\" already exists in the gallery";
    case(
        refused(&mut ws, rename),
        "contoso_images/win2022-datacenter",
        text,
        Some("name"),
    );
    let rename = Edit::UpdatePrincipal {
        name: "bob@contoso.com".into(),
        principal: principal("alice@contoso.com", PrincipalKind::User, "contoso", &[]),
    };
    let text = "A principal with this name already exists";
    case(
        refused(&mut ws, rename),
        "principal:alice@contoso.com",
        text,
        Some("name"),
    );

    let mut twin = definition(&ws, WIN);
    twin.name = "win-twin".into();
    let add_twin = Edit::AddDefinition {
        gallery: G.into(),
        index: None,
        definition: twin,
    };
    let text = "Publisher, offer and sku are already used by image definition \"win2022-datacenter\"; they must be unique in the gallery";
    case(
        refused(&mut ws, add_twin),
        "contoso_images/win-twin",
        text,
        Some("publisher"),
    );

    let mut linux = definition(&ws, WIN);
    linux.os_type = OsType::Linux;
    let change = Edit::UpdateDefinition {
        gallery: G.into(),
        name: WIN.into(),
        definition: linux,
    };
    let text = "Changing property 'osType' is not allowed: it is fixed when the image definition is created";
    case(
        refused(&mut ws, change),
        "contoso_images/win2022-datacenter",
        text,
        Some("os_type"),
    );

    let path = ResourcePath::version(G, WIN, V);
    let protect = ws
        .resolve_mut(&path)
        .and_then(ResourceMut::version)
        .unwrap();
    protect.allow_deletion_of_replicated_locations = false;
    let mut fewer = version(&ws);
    let east = Region::parse("eastus").unwrap();
    fewer.target_regions.retain(|t| t.region != east);
    let remove = Edit::UpdateVersion {
        gallery: G.into(),
        definition: WIN.into(),
        name: V.into(),
        version: fewer,
    };
    let text = "Removing the replicated region East US is not allowed: the version blocks deletion of replicated regions (allowDeletionOfReplicatedLocations is false)";
    case(
        refused(&mut ws, remove),
        "contoso_images/win2022-datacenter/2026.9.0",
        text,
        Some("target_regions"),
    );

    let delete = Edit::delete(&ResourcePath::definition(G, UBUNTU)).unwrap();
    let err = refused(&mut ws, delete);
    assert!(matches!(err.kind, EditErrorKind::Blocked { .. }));
    let text = err.message.clone();
    assert!(text.starts_with("Can not delete resource before nested resources are deleted: the image definition still has"), "{text}");
    case(err, "contoso_images/ubuntu-2204-base", &text, None);

    let mut ending = version(&ws);
    ending.name = "9.9.9".into();
    ending.end_of_life = Some(today());
    let add = Edit::AddVersion {
        gallery: G.into(),
        definition: WIN.into(),
        index: None,
        version: ending,
    };
    let text = "EndOfLifeDate must be set to a future date. The end-of-life date 2026-11-26 is not after today, 2026-11-26";
    case(
        refused(&mut ws, add),
        "contoso_images/win2022-datacenter/9.9.9",
        text,
        Some("end_of_life"),
    );

    let mut in_azure = ws.clone();
    crate::common::mark_in_azure(&mut in_azure, &ResourcePath::gallery(G), Presence::InAzure);
    let mut gallery = in_azure.galleries[0].without_definitions();
    gallery.name = "contoso_images2".into();
    let rename = Edit::UpdateGallery {
        name: G.into(),
        gallery,
    };
    let text = "The gallery contoso_images exists in Azure, and ARM cannot rename it: a rename is a delete plus a create. Duplicate it with a new name instead (the copy is planned here, and the original stays until you delete it).";
    case(
        refused(&mut in_azure, rename),
        "contoso_images",
        text,
        Some("name"),
    );

    let add = |p: Principal| Edit::AddPrincipal {
        index: None,
        principal: p,
    };
    let nowhere = add(principal(
        "eve@nowhere.com",
        PrincipalKind::User,
        "nowhere",
        &[],
    ));
    let text = "The tenant \"nowhere\" is not defined in this workspace";
    case(
        refused(&mut ws, nowhere),
        "principal:eve@nowhere.com",
        text,
        Some("tenant"),
    );
    let user = add(principal(
        "eve@contoso.com",
        PrincipalKind::User,
        "contoso",
        &["bob@contoso.com"],
    ));
    case(
        refused(&mut ws, user),
        "principal:eve@contoso.com",
        "Only groups have members",
        Some("members"),
    );
    let selfish = add(principal("ops", PrincipalKind::Group, "contoso", &["ops"]));
    case(
        refused(&mut ws, selfish),
        "principal:ops",
        "A group cannot be a member of itself",
        Some("members"),
    );
    let stranger = add(principal("ops", PrincipalKind::Group, "contoso", &["zed"]));
    let text = "The member \"zed\" is not a principal of this workspace";
    case(
        refused(&mut ws, stranger),
        "principal:ops",
        text,
        Some("members"),
    );

    let err = refused(&mut ws, Edit::DeleteGrant { index: 99 });
    case(err, "grants", "There is no grant number 100", None);
    let err = refused(&mut ws, grant("bob@contoso.com", Role::Reader, "a//b"));
    case(
        err,
        "a//b",
        "The scope is not a gallery, definition or version path",
        Some("scope"),
    );
    let err = refused(
        &mut ws,
        grant("bob@contoso.com", Role::Reader, "managed-images/x"),
    );
    let text = "Access is granted on galleries, image definitions and image versions only";
    case(err, "managed-images/x", text, Some("scope"));
    let err = refused(&mut ws, grant("zed", Role::Reader, G));
    case(
        err,
        "contoso_images",
        "The principal \"zed\" is not in this workspace",
        Some("principal"),
    );
    let err = refused(&mut ws, grant("dave@fabrikam.com", Role::Reader, G));
    let text = "Cannot share with user \"dave@fabrikam.com\" of tenant \"fabrikam\": gallery \"contoso_images\" belongs to tenant \"contoso\", and sharing stays within one tenant";
    case(err, "contoso_images", text, Some("principal"));
    let err = refused(&mut ws, grant("image-admins", Role::Owner, G));
    case(
        err,
        "contoso_images",
        "\"image-admins\" already holds Owner here",
        Some("role"),
    );

    let version_path = ResourcePath::version(G, WIN, V);
    let err = retry(&mut ws, &ResourcePath::gallery(G), None).unwrap_err();
    case(
        err,
        "contoso_images",
        "Replication is run per image version",
        None,
    );
    let japan = Region::parse("japaneast").unwrap();
    let err = retry(&mut ws, &version_path, Some(japan)).unwrap_err();
    let text = "Japan East is not a target region of the version";
    case(
        err,
        "contoso_images/win2022-datacenter/2026.9.0",
        text,
        Some("target_regions"),
    );
    let err = retry(&mut ws, &version_path, Some(east)).unwrap_err();
    let text = "Replication to East US is completed, not failed: there is nothing to retry";
    case(
        err,
        "contoso_images/win2022-datacenter/2026.9.0",
        text,
        Some("target_regions"),
    );
    let err = retry(&mut ws, &version_path, None).unwrap_err();
    let text = "No region of the version has failed: there is nothing to retry";
    case(
        err,
        "contoso_images/win2022-datacenter/2026.9.0",
        text,
        Some("target_regions"),
    );
    let err = cancel(&mut ws, &version_path, east).unwrap_err();
    let text = "Replication to East US is completed: there is no job to cancel";
    case(
        err,
        "contoso_images/win2022-datacenter/2026.9.0",
        text,
        Some("target_regions"),
    );
    cases
}

#[test]
fn every_kind_keeps_its_text_and_names_its_field() {
    let cases = cases();
    for (err, path, text, field) in &cases {
        assert_eq!(err.path, *path, "{err}");
        assert_eq!(err.message, *text, "{err:?}");
        assert_eq!(
            err.kind.to_string(),
            *text,
            "the message is the kind's text"
        );
        assert_eq!(err.to_string(), format!("{path}: {text}"));
        assert_eq!(err.field(), *field, "{err}");
    }
    let mut seen: Vec<usize> = cases.iter().map(|(err, ..)| number(&err.kind)).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(
        seen,
        (0..KINDS).collect::<Vec<_>>(),
        "every kind has a case"
    );
}

#[test]
fn the_resource_of_a_refusal_is_its_path() {
    for (err, path, ..) in cases() {
        assert_eq!(
            err.resource().map(|r| r.to_string()),
            ResourcePath::parse(path).map(|r| r.to_string())
        );
    }
    let err = refused(
        &mut sample(),
        Edit::delete(&ResourcePath::version(G, WIN, "9.9.9")).unwrap(),
    );
    assert_eq!(err.resource(), Some(ResourcePath::version(G, WIN, "9.9.9")));
}
