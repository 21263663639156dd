//! Properties over random workspaces and random edit sequences (issue 13):
//! - every edit either applies and its inverse restores the workspace exactly (and the inverse
//!   of the inverse redoes it), or is refused and changes nothing;
//! - save → load returns an equal workspace, for every workspace along the way.
//!
//! A small seeded generator rather than proptest: it needs no new crate (proptest and its
//! dependencies would add a minute to every cold build on the project's 2-core machines), and
//! a failure prints the seed and the step, which replays it exactly. It does not shrink; the
//! workspaces it builds are small enough to read.
// Struct literals end in `..Default::default()` even where every field is set today: the model
// gains fields (ARM properties), and this test should keep compiling when it does.
#![allow(clippy::needless_update)]

use crate::common;

use common::rng::Rng;
use sig_studio_core::model::{
    Architecture, CaptureKind, DataDisk, DiskType, Edit, Gallery, Grant, HyperVGeneration,
    ImageDefinition, ImageVersion, ManagedImage, OsState, OsType, Principal, PrincipalKind, Region,
    RegionState, ReplicaStatus, ReplicationMode, RetentionPolicy, Role, StorageType, TargetRegion,
    Tenant, Workspace,
};
use sig_studio_core::sample::{sample, synthetic};
use sig_studio_core::workspace::{from_ron_bytes, load, save, to_ron_string};

/// Random values of the model's kinds, on top of the shared generator.
trait Random {
    fn text(&mut self) -> String;
    fn name(&mut self, prefix: &str) -> String;
    fn float(&mut self) -> f64;
    fn region(&mut self) -> Region;
    fn date(&mut self) -> Option<jiff::civil::Date>;
}

impl Random for Rng {
    /// Text that is hard on a file format: quotes, backslashes, comment and format look-alikes,
    /// line breaks, control characters, non-ASCII.
    fn text(&mut self) -> String {
        const PIECES: [&str; 16] = [
            "a",
            "Z",
            "0",
            "-",
            "_",
            ".",
            " ",
            "\"",
            "\\",
            "\n",
            "\u{1b}[2J",
            "é",
            "✔",
            "// format: 9",
            "/* x */",
            "r#\"",
        ];
        let len = self.below(6);
        (0..len).map(|_| PIECES[self.below(PIECES.len())]).collect()
    }

    /// A name: usually plain, sometimes anything.
    fn name(&mut self, prefix: &str) -> String {
        if self.chance(85) {
            format!("{prefix}{}", self.below(40))
        } else {
            // Anything but '/', which separates the names in a path, and white space at the
            // ends, which a path drops.
            format!("{prefix}{}", self.text().replace('/', "|"))
                .trim()
                .to_owned()
        }
    }

    fn float(&mut self) -> f64 {
        match self.below(6) {
            0 => 0.0,
            1 => 1e-300,
            2 => 1e300,
            3 => 0.1,
            _ => (self.next() % 1_000_000) as f64 / 997.0,
        }
    }

    fn region(&mut self) -> Region {
        let all: Vec<Region> = Region::all().collect();
        all[self.below(all.len())]
    }

    fn date(&mut self) -> Option<jiff::civil::Date> {
        self.chance(50).then(|| {
            jiff::civil::date(
                2020 + self.below(10) as i16,
                1 + self.below(12) as i8,
                1 + self.below(28) as i8,
            )
        })
    }
}

fn image(rng: &mut Rng) -> ManagedImage {
    ManagedImage {
        name: rng.name("img-"),
        region: rng.region(),
        os_type: if rng.chance(50) {
            OsType::Linux
        } else {
            OsType::Windows
        },
        capture: if rng.chance(50) {
            CaptureKind::WholeVm
        } else {
            CaptureKind::OsDiskOnly
        },
        os_disk_gb: rng.below(200) as u32,
        data_disks: (0..rng.below(3))
            .map(|lun| DataDisk {
                lun: lun as u32,
                size_gb: rng.below(100) as u32,
            })
            .collect(),
        occupied_gb: rng.float(),
        ..ManagedImage::default()
    }
}

fn status(rng: &mut Rng) -> ReplicaStatus {
    let states = [
        RegionState::Unknown,
        RegionState::Queued,
        RegionState::Replicating,
        RegionState::Completed,
        RegionState::Failed,
    ];
    ReplicaStatus {
        state: states[rng.below(states.len())],
        progress: rng.below(101) as u8,
        details: if rng.chance(30) {
            rng.text()
        } else {
            String::new()
        },
        copied_gb: rng.float(),
        local_copied_gb: rng.float(),
        replicas_ready: rng.chance(30).then(|| rng.below(5) as u32),
        elapsed_secs: rng.float(),
        attempt: rng.below(3) as u32,
        ..ReplicaStatus::default()
    }
}

/// A version whose completed regions holding all their replicas say so with `None` (as the
/// engine and the edits write it).
fn version(rng: &mut Rng, ws: &Workspace) -> ImageVersion {
    let mut version = any_version(rng, ws);
    let default = version.default_replica_count;
    for t in &mut version.target_regions {
        if t.status.state == RegionState::Completed
            && t.status.replicas_ready == Some(t.replicas.unwrap_or(default))
        {
            t.status.replicas_ready = None;
        }
    }
    version
}

fn any_version(rng: &mut Rng, ws: &Workspace) -> ImageVersion {
    let mut regions: Vec<Region> = (0..rng.below(5)).map(|_| rng.region()).collect();
    regions.sort_by_key(|r| r.index());
    regions.dedup();
    let storage = [
        StorageType::Standard_LRS,
        StorageType::Standard_ZRS,
        StorageType::Premium_LRS,
    ];
    ImageVersion {
        name: if rng.chance(90) {
            format!("{}.{}.{}", rng.below(3), rng.below(20), rng.below(50))
        } else {
            rng.name("v")
        },
        // An existing image (the editors offer no other); with none, a name no image can have.
        source: rng
            .pick(&ws.managed_images)
            .map(|m| m.name)
            .unwrap_or_default(),
        published: rng.date(),
        end_of_life: rng.date(),
        exclude_from_latest: rng.chance(20),
        default_replica_count: 1 + rng.below(4) as u32,
        storage_type: storage[rng.below(3)],
        replication_mode: if rng.chance(80) {
            ReplicationMode::Full
        } else {
            ReplicationMode::Shallow
        },
        allow_deletion_of_replicated_locations: rng.chance(80),
        retention_exempt: rng.chance(10),
        target_regions: regions
            .into_iter()
            .map(|region| TargetRegion {
                region,
                replicas: rng.chance(50).then(|| rng.below(60) as u32),
                storage_type: rng.chance(20).then(|| storage[rng.below(3)]),
                exclude_from_latest: rng.chance(20).then(|| rng.chance(50)),
                status: status(rng),
                ..TargetRegion::default()
            })
            .collect(),
        ..ImageVersion::default()
    }
}

/// A definition whose versions have unique names.
fn definition(rng: &mut Rng, ws: &Workspace) -> ImageDefinition {
    let mut definition = any_definition(rng, ws);
    let mut seen = std::collections::HashSet::new();
    definition.versions.retain(|v| seen.insert(v.name.clone()));
    definition
}

fn any_definition(rng: &mut Rng, ws: &Workspace) -> ImageDefinition {
    ImageDefinition {
        name: rng.name("def-"),
        publisher: rng.name("pub"),
        offer: rng.name("offer"),
        sku: rng.name("sku"),
        os_type: if rng.chance(50) {
            OsType::Linux
        } else {
            OsType::Windows
        },
        os_state: if rng.chance(80) {
            OsState::Generalized
        } else {
            OsState::Specialized
        },
        generation: if rng.chance(50) {
            HyperVGeneration::V1
        } else {
            HyperVGeneration::V2
        },
        architecture: if rng.chance(80) {
            Architecture::X64
        } else {
            Architecture::Arm64
        },
        description: rng.text(),
        eula: rng.text(),
        vcpus_min: rng.chance(30).then(|| rng.below(64) as u32),
        memory_gb_max: rng.chance(30).then(|| rng.below(512) as u32),
        end_of_life: rng.date(),
        disallowed_disk_types: if rng.chance(20) {
            vec![DiskType::Standard_LRS]
        } else {
            Vec::new()
        },
        retention: rng.chance(20).then(|| RetentionPolicy {
            keep_latest: 1 + rng.below(3) as u32,
            delete_beyond: rng.chance(50).then(|| 3 + rng.below(5) as u32),
            delete_published_before: rng.date(),
        }),
        versions: (0..rng.below(4)).map(|_| version(rng, ws)).collect(),
        ..ImageDefinition::default()
    }
}

/// A gallery whose definitions, and their versions, have unique names (as edits keep them).
fn gallery(rng: &mut Rng, ws: &Workspace) -> Gallery {
    let mut gallery = any_gallery(rng, ws);
    let mut seen = std::collections::HashSet::new();
    gallery.definitions.retain(|d| seen.insert(d.name.clone()));
    for d in &mut gallery.definitions {
        let mut seen = std::collections::HashSet::new();
        d.versions.retain(|v| seen.insert(v.name.clone()));
    }
    gallery
}

fn any_gallery(rng: &mut Rng, ws: &Workspace) -> Gallery {
    Gallery {
        name: rng.name("gallery_"),
        region: rng.region(),
        tenant: ws
            .tenants
            .first()
            .map_or_else(|| rng.name("t"), |t| t.name.clone()),
        description: rng.text(),
        definitions: (0..rng.below(3)).map(|_| definition(rng, ws)).collect(),
        ..Gallery::default()
    }
}

fn principal(rng: &mut Rng, ws: &Workspace) -> Principal {
    let kind = [
        PrincipalKind::User,
        PrincipalKind::ServicePrincipal,
        PrincipalKind::Group,
    ][rng.below(3)];
    Principal {
        name: rng.name("p"),
        kind,
        tenant: ws
            .tenants
            .first()
            .map_or_else(String::new, |t| t.name.clone()),
        members: if kind == PrincipalKind::Group {
            (0..rng.below(3))
                .filter_map(|_| rng.pick(&ws.principals).map(|p| p.name))
                .collect()
        } else {
            Vec::new()
        },
    }
}

fn roles() -> [Role; 4] {
    [
        Role::Reader,
        Role::Contributor,
        Role::Owner,
        Role::ComputeGallerySharingAdmin,
    ]
}

fn scope(rng: &mut Rng, ws: &Workspace) -> String {
    let paths: Vec<String> = ws
        .galleries
        .iter()
        .flat_map(|g| {
            std::iter::once(g.name.clone()).chain(g.definitions.iter().flat_map(move |d| {
                std::iter::once(format!("{}/{}", g.name, d.name)).chain(
                    d.versions
                        .iter()
                        .map(move |v| format!("{}/{}/{}", g.name, d.name, v.name)),
                )
            }))
        })
        .collect();
    rng.pick(&paths).unwrap_or_else(|| rng.name("nowhere"))
}

fn workspace(rng: &mut Rng) -> Workspace {
    let mut ws = match rng.below(3) {
        0 => sample(),
        1 => synthetic(1 + rng.below(30)),
        _ => Workspace::default(),
    };
    // Principals and galleries name one of these tenants (an undefined one is a validation
    // problem a file can hold, but not a state edits produce).
    for _ in 0..1 + rng.below(2) {
        ws.tenants.push(Tenant {
            name: rng.name("tenant"),
            domain: rng.text(),
        });
    }
    for _ in 0..rng.below(5) {
        let p = principal(rng, &ws);
        ws.principals.push(p);
    }
    for _ in 0..rng.below(4) {
        ws.managed_images.push(image(rng));
    }
    for _ in 0..rng.below(3) {
        let g = gallery(rng, &ws);
        ws.galleries.push(g);
    }
    for _ in 0..rng.below(4) {
        let grant = Grant {
            principal: rng
                .pick(&ws.principals)
                .map_or_else(|| rng.name("p"), |p| p.name),
            role: roles()[rng.below(4)],
            scope: scope(rng, &ws),
        };
        ws.grants.push(grant);
    }
    if rng.chance(30) {
        ws.settings.replica_warning_above = rng.below(100) as u32;
        ws.settings.prices.transfer_within_continent_usd_per_gb = rng.float();
        ws.settings.time_model.failure_rate = rng.float().min(1.0);
    }
    consistent(&mut ws);
    if rng.chance(30) {
        ws.simulation.clock_secs = rng.float();
        ws.simulation.seed = rng.next();
        ws.simulation.outages = vec![rng.region()];
    }
    ws
}

/// Keeps what edits themselves maintain (a hand-edited file may break it; see below): unique
/// names among siblings, members and grants that name principals and resources that exist.
fn consistent(ws: &mut Workspace) {
    fn unique<T>(items: &mut Vec<T>, key: impl Fn(&T) -> String) {
        let mut seen = std::collections::HashSet::new();
        items.retain(|item| seen.insert(key(item)));
    }
    unique(&mut ws.tenants, |t| t.name.clone());
    unique(&mut ws.principals, |p| p.name.clone());
    unique(&mut ws.managed_images, |m| m.name.to_lowercase());
    unique(&mut ws.galleries, |g| g.name.clone());
    for g in &mut ws.galleries {
        unique(&mut g.definitions, |d| d.name.clone());
        for d in &mut g.definitions {
            unique(&mut d.versions, |v| v.name.clone());
        }
    }
    // A completed region holding all its replicas says so with `None` (as the engine writes it).
    for g in &mut ws.galleries {
        for d in &mut g.definitions {
            for v in &mut d.versions {
                let default = v.default_replica_count;
                for t in &mut v.target_regions {
                    if t.status.state == RegionState::Completed
                        && t.status.replicas_ready == Some(t.replicas.unwrap_or(default))
                    {
                        t.status.replicas_ready = None;
                    }
                }
            }
        }
    }
    // Every version's source exists.
    let missing: Vec<String> = ws
        .versions()
        .map(|(_, _, v)| v.source.clone())
        .filter(|s| {
            !ws.managed_images
                .iter()
                .any(|m| m.name.eq_ignore_ascii_case(s))
        })
        .collect();
    for name in missing {
        if !ws
            .managed_images
            .iter()
            .any(|m| m.name.eq_ignore_ascii_case(&name))
        {
            ws.managed_images.push(ManagedImage {
                name,
                ..ManagedImage::default()
            });
        }
    }
    let names: Vec<String> = ws.principals.iter().map(|p| p.name.clone()).collect();
    for p in &mut ws.principals {
        let own = p.name.clone();
        p.members.retain(|m| *m != own && names.contains(m));
        unique(&mut p.members, Clone::clone);
    }
    let scopes: Vec<String> = ws
        .versions()
        .map(|(g, d, v)| format!("{}/{}/{}", g.name, d.name, v.name))
        .chain(ws.galleries.iter().map(|g| g.name.clone()))
        .chain(ws.galleries.iter().flat_map(|g| {
            g.definitions
                .iter()
                .map(move |d| format!("{}/{}", g.name, d.name))
        }))
        .collect();
    ws.grants
        .retain(|g| names.contains(&g.principal) && scopes.contains(&g.scope));
    unique(&mut ws.grants, |g| {
        format!("{}|{:?}|{}", g.principal, g.role, g.scope)
    });
    // Sharing stays within the gallery's tenant.
    let tenant_of = |name: &str| {
        ws.principals
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.tenant.clone())
    };
    let gallery_tenant = |scope: &str| {
        let gallery = scope.split('/').next().unwrap_or_default();
        ws.galleries
            .iter()
            .find(|g| g.name == gallery)
            .map(|g| g.tenant.clone())
    };
    let keep: Vec<bool> = ws
        .grants
        .iter()
        .map(|g| tenant_of(&g.principal) == gallery_tenant(&g.scope))
        .collect();
    let mut keep = keep.into_iter();
    ws.grants.retain(|_| keep.next().unwrap_or(false));
}

/// (gallery, definition, version) names that exist, or made up ones now and then.
fn some_version(rng: &mut Rng, ws: &Workspace) -> (String, String, String) {
    let all: Vec<(String, String, String)> = ws
        .versions()
        .map(|(g, d, v)| (g.name.clone(), d.name.clone(), v.name.clone()))
        .collect();
    match rng.pick(&all) {
        Some(found) if rng.chance(90) => found,
        _ => (rng.name("gallery_"), rng.name("def-"), rng.name("1.0.")),
    }
}

fn some_definition(rng: &mut Rng, ws: &Workspace) -> (String, String) {
    let all: Vec<(String, String)> = ws
        .galleries
        .iter()
        .flat_map(|g| {
            g.definitions
                .iter()
                .map(move |d| (g.name.clone(), d.name.clone()))
        })
        .collect();
    match rng.pick(&all) {
        Some(found) if rng.chance(90) => found,
        _ => (rng.name("gallery_"), rng.name("def-")),
    }
}

fn some_gallery(rng: &mut Rng, ws: &Workspace) -> String {
    match rng.pick(&ws.galleries) {
        Some(g) if rng.chance(90) => g.name,
        _ => rng.name("gallery_"),
    }
}

fn edit(rng: &mut Rng, ws: &Workspace, depth: usize) -> Edit {
    let index = |rng: &mut Rng, len: usize| rng.chance(30).then(|| rng.below(len + 2));
    match rng.below(20) {
        0 => Edit::AddTenant {
            index: index(rng, ws.tenants.len()),
            tenant: Tenant {
                name: rng.name("tenant"),
                domain: rng.text(),
            },
        },
        1 => Edit::DeleteTenant {
            name: rng
                .pick(&ws.tenants)
                .map_or_else(|| rng.name("t"), |t| t.name),
        },
        2 => Edit::AddPrincipal {
            index: index(rng, ws.principals.len()),
            principal: principal(rng, ws),
        },
        3 => Edit::DeletePrincipal {
            name: rng
                .pick(&ws.principals)
                .map_or_else(|| rng.name("p"), |p| p.name),
        },
        4 => {
            let existing = rng.pick(&ws.principals);
            let name = existing
                .as_ref()
                .map_or_else(|| rng.name("p"), |p| p.name.clone());
            let mut principal = principal(rng, ws);
            if rng.chance(50) {
                principal.name.clone_from(&name);
            }
            // Moving a principal that holds grants to another tenant is not checked by the
            // edit (its grants then give nothing, a validation problem): keep the tenant.
            if let Some(existing) = existing {
                principal.tenant = existing.tenant;
            }
            Edit::UpdatePrincipal { name, principal }
        }
        5 => Edit::AddGrant {
            index: index(rng, ws.grants.len()),
            grant: Grant {
                principal: rng
                    .pick(&ws.principals)
                    .map_or_else(|| rng.name("p"), |p| p.name),
                role: roles()[rng.below(4)],
                scope: scope(rng, ws),
            },
        },
        6 => Edit::DeleteGrant {
            index: rng.below(ws.grants.len() + 1),
        },
        7 => {
            // A name no version names as its source yet: versions may be added with a source
            // that does not exist (the editors offer only existing ones), and adding an image
            // of that name then cannot be undone while they use it.
            let mut image = image(rng);
            while ws
                .versions()
                .any(|(_, _, v)| v.source.eq_ignore_ascii_case(&image.name))
            {
                image.name.push_str("-new");
            }
            Edit::AddImage {
                index: index(rng, ws.managed_images.len()),
                image,
            }
        }
        8 => Edit::DeleteImage {
            name: rng
                .pick(&ws.managed_images)
                .map_or_else(|| rng.name("img-"), |m| m.name),
        },
        9 => {
            let existing = rng.pick(&ws.managed_images);
            let name = existing
                .as_ref()
                .map_or_else(|| rng.name("img-"), |m| m.name.clone());
            let mut image = existing.unwrap_or_else(|| image(rng));
            if rng.chance(50) {
                image.name = rng.name("img-");
            }
            image.occupied_gb = rng.float();
            Edit::UpdateImage { name, image }
        }
        10 => Edit::AddGallery {
            index: index(rng, ws.galleries.len()),
            gallery: gallery(rng, ws),
        },
        11 => Edit::DeleteGallery {
            name: some_gallery(rng, ws),
            cascade: rng.chance(50),
        },
        12 => {
            let name = some_gallery(rng, ws);
            let mut gallery = ws
                .gallery(&name)
                .map(|g| g.without_definitions())
                .unwrap_or_else(|| gallery(rng, ws));
            if rng.chance(50) {
                gallery.name = rng.name("gallery_");
            }
            gallery.description = rng.text();
            Edit::UpdateGallery { name, gallery }
        }
        13 => Edit::AddDefinition {
            gallery: some_gallery(rng, ws),
            index: index(rng, 3),
            definition: definition(rng, ws),
        },
        14 => {
            let (gallery, name) = some_definition(rng, ws);
            Edit::DeleteDefinition {
                gallery,
                name,
                cascade: rng.chance(50),
            }
        }
        15 => {
            let (gallery, name) = some_definition(rng, ws);
            let mut definition = ws
                .gallery(&gallery)
                .and_then(|g| g.definition(&name))
                .cloned()
                .unwrap_or_else(|| definition(rng, ws));
            definition.versions.clear();
            match rng.below(3) {
                0 => definition.name = rng.name("def-"),
                1 => definition.description = rng.text(),
                _ => definition.os_type = OsType::Windows,
            }
            Edit::UpdateDefinition {
                gallery,
                name,
                definition,
            }
        }
        16 => {
            let (gallery, definition) = some_definition(rng, ws);
            Edit::AddVersion {
                gallery,
                definition,
                index: index(rng, 3),
                version: version(rng, ws),
            }
        }
        17 => {
            let (gallery, definition, name) = some_version(rng, ws);
            Edit::DeleteVersion {
                gallery,
                definition,
                name,
            }
        }
        18 => {
            let (gallery, definition, name) = some_version(rng, ws);
            let stored = ws
                .gallery(&gallery)
                .and_then(|g| g.definition(&definition))
                .and_then(|d| d.version(&name))
                .cloned();
            let mut version = match &stored {
                Some(v) if rng.chance(70) => v.clone(),
                _ => self::version(rng, ws),
            };
            match rng.below(4) {
                0 => version.default_replica_count = 1 + rng.below(5) as u32,
                1 => version.target_regions.truncate(rng.below(3)),
                2 => {
                    let region = rng.region();
                    if version.target(region).is_none() {
                        version.target_regions.push(TargetRegion::new(region));
                    }
                }
                _ => version.end_of_life = rng.date(),
            }
            // As the editors do: a region the version does not have yet comes without a
            // replication state (the service starts one).
            for target in &mut version.target_regions {
                if stored
                    .as_ref()
                    .is_none_or(|v| v.target(target.region).is_none())
                {
                    target.status = ReplicaStatus::default();
                }
            }
            Edit::UpdateVersion {
                gallery,
                definition,
                name,
                version,
            }
        }
        _ if depth == 0 && rng.chance(50) => Edit::Batch {
            label: rng.text(),
            edits: (0..1 + rng.below(3))
                .map(|_| edit(rng, ws, depth + 1))
                .collect(),
        },
        _ => {
            let mut settings = ws.settings.clone();
            settings.vms_per_replica = 1 + rng.below(60) as u32;
            settings.acting_as = rng.chance(30).then(|| rng.name("p"));
            Edit::SetSettings { settings }
        }
    }
}

/// The first lines where the two workspaces' files differ (or their debug forms, when the
/// files are equal).
fn diff(a: &Workspace, b: &Workspace) -> String {
    let (ta, tb) = (to_ron_string(a), to_ron_string(b));
    let (ta, tb) = if ta == tb {
        (format!("{a:#?}"), format!("{b:#?}"))
    } else {
        (ta, tb)
    };
    let lines: Vec<String> = ta
        .lines()
        .zip(tb.lines())
        .filter(|(x, y)| x != y)
        .take(3)
        .map(|(x, y)| format!("- {x}\n+ {y}"))
        .collect();
    lines.join("\n")
}

fn round_trips(ws: &Workspace, context: &str) {
    let text = to_ron_string(ws);
    match from_ron_bytes(text.as_bytes()) {
        Ok(back) => assert!(
            &back == ws,
            "{context}: save → load differs:\n{}",
            diff(ws, &back)
        ),
        Err(err) => panic!("{context}: the saved text does not load: {err}\n{text}"),
    }
}

#[test]
fn every_edit_undoes_exactly_and_every_state_saves_and_loads_equal() {
    let cases: u64 = std::env::var("SIG_STUDIO_PROPERTY_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(150);
    let (mut applied, mut refused) = (0, 0);
    for seed in 0..cases {
        let mut rng = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
        let mut ws = workspace(&mut rng);
        round_trips(&ws, &format!("seed {seed}, generated"));
        for step in 0..40 {
            let context = format!("seed {seed}, step {step}");
            let edit = edit(&mut rng, &ws, 0);
            let before = ws.clone();
            match edit.clone().apply(&mut ws) {
                Ok(inverse) => {
                    applied += 1;
                    let after = ws.clone();
                    let mut undone = after.clone();
                    let redo = inverse.clone().apply(&mut undone).unwrap_or_else(|e| {
                        panic!("{context}: the inverse of {edit:?} failed: {e}")
                    });
                    assert!(
                        undone == before,
                        "{context}: undo of {edit:?} (inverse {inverse:?}):\n{}",
                        diff(&before, &undone)
                    );
                    redo.apply(&mut undone)
                        .unwrap_or_else(|e| panic!("{context}: redo of {edit:?} failed: {e}"));
                    assert!(
                        undone == after,
                        "{context}: redo of {edit:?}:\n{}",
                        diff(&after, &undone)
                    );
                }
                Err(_) => {
                    refused += 1;
                    assert!(
                        ws == before,
                        "{context}: refused {edit:?} changed the workspace:\n{}",
                        diff(&before, &ws)
                    );
                }
            }
            if step % 10 == 9 {
                round_trips(&ws, &context);
            }
        }
        round_trips(&ws, &format!("seed {seed}, end"));
    }
    // The generator reaches both sides.
    assert!(
        applied > cases * 10 && refused > cases,
        "{applied} applied, {refused} refused"
    );
}

#[test]
fn random_workspaces_survive_a_real_save_and_load() {
    let dir = std::env::temp_dir().join(format!("sig-studio-prop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ws.ron");
    for seed in 0..25u64 {
        let mut rng = Rng(seed ^ 0xDEAD_BEEF);
        let ws = workspace(&mut rng);
        save(&file, &ws).unwrap();
        assert_eq!(load(&file).unwrap(), ws, "seed {seed}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
