//! The bundled sample workspace, and synthetic workspaces of any size for benchmarks and tests.

use crate::model::{
    DataDisk, Gallery, ImageDefinition, ImageVersion, ManagedImage, OsType, Region, ReplicaStatus,
    TargetRegion, Tenant, Workspace, region,
};

/// The text of `assets/sample.ron`, built into the binary so a first start needs no files.
pub const SAMPLE_RON: &str = include_str!("../../../assets/sample.ron");

/// The sample workspace (the seed's scenario).
pub fn sample() -> Workspace {
    // The bundled file is checked by the test suite; an empty workspace is the fallback.
    crate::workspace::from_ron_str(SAMPLE_RON).unwrap_or_default()
}

/// A workspace with `versions` image versions spread over galleries of 50 definitions, each
/// version replicated to nine regions, like a busy real subscription. Deterministic.
pub fn synthetic(versions: usize) -> Workspace {
    const VERSIONS_PER_DEFINITION: usize = 200;
    const DEFINITIONS_PER_GALLERY: usize = 50;
    let targets: Vec<Region> = region::regions_of(&region::PREVIEW_TARGET_REGIONS[..8]);
    let source = Region::default();
    let mut ws = Workspace {
        tenants: vec![Tenant {
            name: "contoso".to_owned(),
            domain: "contoso.onmicrosoft.com".to_owned(),
        }],
        ..Workspace::default()
    };
    for os in [OsType::Linux, OsType::Windows] {
        ws.managed_images.push(ManagedImage {
            name: format!("base-{os:?}").to_lowercase(),
            region: source,
            os_type: os,
            os_disk_gb: 64,
            data_disks: vec![DataDisk {
                lun: 0,
                size_gb: 32,
            }],
            occupied_gb: 21.5,
            ..ManagedImage::default()
        });
    }
    let mut remaining = versions;
    let mut gallery_index = 0;
    while remaining > 0 {
        let mut gallery = Gallery {
            name: format!("gallery{gallery_index:03}"),
            region: source,
            tenant: "contoso".to_owned(),
            description: format!("Synthetic gallery {gallery_index}"),
            definitions: Vec::new(),
            ..Gallery::default()
        };
        for d in 0..DEFINITIONS_PER_GALLERY {
            if remaining == 0 {
                break;
            }
            let os = if d % 2 == 0 {
                OsType::Linux
            } else {
                OsType::Windows
            };
            let mut definition = ImageDefinition {
                name: format!("image-{d:02}"),
                publisher: "Contoso".to_owned(),
                offer: format!("Offer{d:02}"),
                sku: format!("sku-{gallery_index}-{d}"),
                os_type: os,
                ..ImageDefinition::default()
            };
            let count = remaining.min(VERSIONS_PER_DEFINITION);
            for v in 0..count {
                let done = v + 1 < count;
                let mut target_regions = vec![TargetRegion {
                    replicas: Some(2),
                    status: ReplicaStatus::completed(),
                    ..TargetRegion::new(source)
                }];
                target_regions.extend(targets.iter().map(|r| TargetRegion {
                    status: if done {
                        ReplicaStatus::completed()
                    } else {
                        ReplicaStatus::default()
                    },
                    ..TargetRegion::new(*r)
                }));
                definition.versions.push(ImageVersion {
                    name: format!("{}.{}.{}", v / 100, (v / 10) % 10, v % 10),
                    source: format!("base-{os:?}").to_lowercase(),
                    target_regions,
                    ..ImageVersion::default()
                });
            }
            remaining -= count;
            gallery.definitions.push(definition);
        }
        ws.galleries.push(gallery);
        gallery_index += 1;
    }
    ws
}

/// Adds `principals` principals (one in ten a group, groups nested as a binary tree, every user
/// and service principal in two groups) and `grants` grants at every scope to a workspace built by
/// [`synthetic`]: one in twenty on a gallery, one in four on a definition, the rest on versions,
/// roles in turn. Deterministic.
pub fn with_access(ws: &mut Workspace, principals: usize, grants: usize) {
    use crate::model::{Grant, Principal, PrincipalKind, Role};
    let groups = (principals / 10).max(1);
    let tenant = ws
        .tenants
        .first()
        .map(|t| t.name.clone())
        .unwrap_or_default();
    let mut list: Vec<Principal> = (0..groups)
        .map(|g| Principal {
            name: format!("group-{g:04}"),
            kind: PrincipalKind::Group,
            tenant: tenant.clone(),
            members: Vec::new(),
        })
        .collect();
    for g in 1..groups {
        let name = list[g].name.clone();
        list[(g - 1) / 2].members.push(name);
    }
    for i in groups..principals {
        let (name, kind) = if i % 9 == 0 {
            (format!("sp-{i:04}"), PrincipalKind::ServicePrincipal)
        } else {
            (format!("user{i:04}@contoso.com"), PrincipalKind::User)
        };
        for g in [i % groups, (i * 7 + 3) % groups] {
            if !list[g].members.contains(&name) {
                list[g].members.push(name.clone());
            }
        }
        list.push(Principal {
            name,
            kind,
            tenant: tenant.clone(),
            members: Vec::new(),
        });
    }
    /// A definition's name and its versions' names.
    type Definition = (String, Vec<String>);
    let scopes: Vec<(String, Vec<Definition>)> = ws
        .galleries
        .iter()
        .map(|g| {
            (
                g.name.clone(),
                g.definitions
                    .iter()
                    .map(|d| {
                        (
                            d.name.clone(),
                            d.versions.iter().map(|v| v.name.clone()).collect(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let roles = [
        Role::Reader,
        Role::Contributor,
        Role::Owner,
        Role::ComputeGallerySharingAdmin,
    ];
    for k in 0..grants {
        let Some((gallery, definitions)) = scopes.get(k % scopes.len().max(1)) else {
            break;
        };
        let scope = match (k % 20, definitions.get((k * 31) % definitions.len().max(1))) {
            (0, _) | (_, None) => gallery.clone(),
            (1..=5, Some((d, _))) => format!("{gallery}/{d}"),
            (_, Some((d, versions))) => match versions.get((k * 17) % versions.len().max(1)) {
                Some(v) => format!("{gallery}/{d}/{v}"),
                None => format!("{gallery}/{d}"),
            },
        };
        let principal = list[(k * 7919) % list.len()].name.clone();
        ws.grants.push(Grant {
            principal,
            role: roles[k % roles.len()],
            scope,
        });
    }
    ws.principals = list;
}
