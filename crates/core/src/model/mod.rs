//! The domain model of shared image galleries: plain data, serde, and pure rules.
//! Nothing here knows about the UI, threads or files.

//!
//! By role: `directory` (tenants, principals, grants), `image` (Azure's enums and managed
//! images), `gallery` (galleries and definitions), `version` (versions, target regions and
//! their replication state); this module holds the workspace and its settings.

pub mod assignment;
pub mod azure;
mod azure_enum;
mod directory;
pub mod edit;
mod exact;
pub mod fixed;
pub mod flags;
mod gallery;
mod image;
pub mod latest;
pub mod path;
pub mod prices;
pub mod region;
mod resolve;
pub mod retention;
pub mod rules;
pub mod seen;
pub mod simulation;
pub mod time_model;
mod verbatim;
mod version;
pub mod version_name;

use serde::{Deserialize, Serialize};

pub use assignment::RoleAssignment;
pub use directory::{Grant, Principal, PrincipalKind, Role, Tenant};
pub use gallery::{Gallery, ImageDefinition};
pub use image::{
    Architecture, CaptureKind, DataDisk, DiskType, HyperVGeneration, ManagedImage, OsState, OsType,
    ReplicationMode, StorageType,
};
pub use version::{AggregateState, ImageVersion, RegionState, ReplicaStatus, TargetRegion};

pub use azure::{
    AzureSource, ImageFeature, Presence, PurchasePlan, ReplicaSet, ReplicaSets, SecurityType,
    SharingProfile, StorageAccountStrategy, Tags, Verbatim,
};
pub use edit::{Edit, EditError, EditErrorKind, Resources, delete_blocker};
pub use path::ResourcePath;
pub use prices::PriceTable;
pub use region::Region;
pub use resolve::{Resource, ResourceMut};
pub use retention::RetentionPolicy;
pub use rules::{Problem, Severity, validate};
pub use seen::{AzureSeen, Origin};
pub use simulation::{JobClock, SimulationState};
pub use time_model::TimeModel;
pub use version_name::VersionNumber;

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_true(value: &bool) -> bool {
    *value
}

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

fn is_fifty(value: &u32) -> bool {
    *value == 50
}

fn is_twenty(value: &u32) -> bool {
    *value == 20
}

fn is_one(value: &u32) -> bool {
    *value == 1
}

fn is_zero_f64(value: &f64) -> bool {
    *value == 0.0
}

pub(crate) fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// A calendar date (end of life, published), saved as `"2027-06-30"`.
pub type Date = jiff::civil::Date;

/// A time of day (UTC), saved as `"12:59:59"`.
pub type Time = jiff::civil::Time;

/// The document a user opens and saves: one subscription's galleries and what surrounds them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Workspace {
    pub settings: Settings,
    pub tenants: Vec<Tenant>,
    pub principals: Vec<Principal>,
    pub grants: Vec<Grant>,
    /// What Azure knows of role assignments beyond a grant's principal, role and scope: their
    /// names, object ids and real scopes (filled by the import; see `assignment`).
    pub assignments: Vec<RoleAssignment>,
    pub managed_images: Vec<ManagedImage>,
    pub galleries: Vec<Gallery>,
    /// The replication simulation's clock, outages and seed.
    #[serde(skip_serializing_if = "SimulationState::is_default")]
    pub simulation: SimulationState,
    /// Azure as last seen (read from ARM or imported), beside the planned state above; `None`
    /// when Azure was never seen. Written by the file format itself (`workspace::format`).
    #[serde(skip)]
    pub azure: Option<std::sync::Arc<AzureSeen>>,
}

/// Workspace-wide settings that the rules and estimates use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// A replica count above this is allowed but warned about ("50 should be sufficient").
    #[serde(skip_serializing_if = "is_fifty")]
    pub replica_warning_above: u32,
    /// Scaling guidance: one replica per this many VMs created at once (docs say 20, newer text 50).
    #[serde(skip_serializing_if = "is_twenty")]
    pub vms_per_replica: u32,
    /// Restricts where galleries may be created and versions replicated, as the preview did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_policy: Option<RegionPolicy>,
    /// The principal the app acts as; `None` acts as the workspace's owner (no restrictions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acting_as: Option<String>,
    /// Replication simulation parameters.
    #[serde(skip_serializing_if = "is_default")]
    pub time_model: TimeModel,
    /// Prices for cost estimates.
    #[serde(skip_serializing_if = "is_default")]
    pub prices: PriceTable,
    /// What a new image definition starts with (generation and security type).
    #[serde(skip_serializing_if = "is_default")]
    pub new_definitions: DefinitionDefaults,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            replica_warning_above: 50,
            vms_per_replica: 20,
            region_policy: None,
            acting_as: None,
            time_model: TimeModel::default(),
            prices: PriceTable::default(),
            new_definitions: DefinitionDefaults::default(),
        }
    }
}

/// The generation and security type a new image definition starts with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DefinitionDefaults {
    /// Azure's default for new definitions today (Microsoft's docs): Hyper-V generation V2 with
    /// security type TrustedLaunchSupported, so VMs may be created with Trusted Launch or not.
    #[default]
    TrustedLaunchSupported,
    /// The service's former default, for teams whose VM sizes or tooling need it: generation
    /// V1 and no security type (Standard).
    Classic,
}

impl DefinitionDefaults {
    /// Why a new definition starts as it does, for the Add image definition dialog.
    pub fn reason(self) -> &'static str {
        match self {
            Self::TrustedLaunchSupported => {
                "New definitions start as Hyper-V generation V2 with security type TrustedLaunchSupported: Microsoft's docs say the service now defaults to these, so VMs can be created with Trusted Launch or without it."
            }
            Self::Classic => {
                "New definitions start as Hyper-V generation V1 with no security type (Standard): this workspace keeps the service's former defaults."
            }
        }
    }
}

/// Allowed regions for galleries (sources) and replicas (targets).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionPolicy {
    pub sources: Vec<Region>,
    pub targets: Vec<Region>,
}

impl RegionPolicy {
    /// The seed's preview: galleries in West Central US, versions to the 13 listed regions.
    pub fn preview() -> Self {
        Self {
            sources: region::regions_of(&region::PREVIEW_SOURCE_REGIONS),
            targets: region::regions_of(&region::PREVIEW_TARGET_REGIONS),
        }
    }

    /// A policy that allows what the workspace uses now: its galleries' regions as sources,
    /// every target region of its versions as targets (turning a policy on breaks nothing).
    pub fn in_use(ws: &Workspace) -> Self {
        let mut sources: Vec<Region> = ws.galleries.iter().map(|g| g.region).collect();
        let mut targets: Vec<Region> = ws
            .versions()
            .flat_map(|(_, _, v)| v.target_regions.iter().map(|t| t.region))
            .collect();
        for list in [&mut sources, &mut targets] {
            list.sort_by_key(|r| r.index());
            list.dedup();
        }
        Self { sources, targets }
    }

    /// Whether galleries may be created in `region`.
    pub fn allows_gallery(&self, region: Region) -> bool {
        self.sources.contains(&region)
    }

    /// Whether versions may be replicated to `region`: a listed target, or a region galleries
    /// may be created in (a version's source region holds a replica).
    pub fn allows_replica(&self, region: Region) -> bool {
        self.targets.contains(&region) || self.sources.contains(&region)
    }

    /// Allows or forbids galleries in `region` (in catalog order when the list is).
    pub fn set_gallery(&mut self, region: Region, allowed: bool) {
        set_listed(&mut self.sources, region, allowed);
    }

    /// Allows or forbids `region` as a listed target (in catalog order when the list is).
    pub fn set_target(&mut self, region: Region, allowed: bool) {
        set_listed(&mut self.targets, region, allowed);
    }
}

fn set_listed(list: &mut Vec<Region>, region: Region, allowed: bool) {
    list.retain(|r| *r != region);
    if allowed {
        // A list kept in catalog order stays so; one written in another order (by hand, or
        // the preview's) gets the region at its end.
        let at = if list.is_sorted_by_key(|r| r.index()) {
            list.partition_point(|r| r.index() < region.index())
        } else {
            list.len()
        };
        list.insert(at, region);
    }
}

impl Workspace {
    pub fn gallery(&self, name: &str) -> Option<&Gallery> {
        self.galleries.iter().find(|g| g.name == name)
    }

    pub fn gallery_mut(&mut self, name: &str) -> Option<&mut Gallery> {
        self.galleries.iter_mut().find(|g| g.name == name)
    }

    pub fn managed_image(&self, name: &str) -> Option<&ManagedImage> {
        self.managed_images.iter().find(|m| m.name == name)
    }

    pub fn principal(&self, name: &str) -> Option<&Principal> {
        self.principals.iter().find(|p| p.name == name)
    }

    /// What is known of a version's source: its region and the size replicas are billed and
    /// copied by. A managed image of the workspace gives its occupied size; a source that lives
    /// in Azure gives the disk sizes its payload reported, or says that none is known.
    pub fn source_size(&self, version: &ImageVersion) -> SourceSize {
        let image = (!version.source.is_empty())
            .then(|| {
                self.managed_images
                    .iter()
                    .find(|m| m.name.eq_ignore_ascii_case(&version.source))
            })
            .flatten();
        SourceSize::of(version, image)
    }

    /// Every version with its gallery and definition, in document order.
    pub fn versions(&self) -> impl Iterator<Item = (&Gallery, &ImageDefinition, &ImageVersion)> {
        self.galleries.iter().flat_map(|g| {
            g.definitions
                .iter()
                .flat_map(move |d| d.versions.iter().map(move |v| (g, d, v)))
        })
    }

    pub fn version_count(&self) -> usize {
        self.galleries
            .iter()
            .flat_map(|g| &g.definitions)
            .map(|d| d.versions.len())
            .sum()
    }
}

/// What is known of a version's source size (see `Workspace::source_size`).
#[derive(Clone, Debug, PartialEq)]
pub enum SourceSize {
    Known {
        region: Region,
        gb: f64,
    },
    /// The source lives in Azure and its payload gave no size (or no region): the text says
    /// what the source is.
    Unknown(String),
    /// The named managed image is not in the workspace (empty: no source at all).
    Missing(String),
}

impl SourceSize {
    /// The source size of `version`, whose managed image (found by the caller, e.g. through an
    /// index) is `image`.
    pub fn of(version: &ImageVersion, image: Option<&ManagedImage>) -> Self {
        if let Some(image) = image {
            return Self::Known {
                region: image.region,
                gb: image.occupied_gb,
            };
        }
        match &version.azure_source {
            Some(azure) => match (azure.region, azure.size_gb()) {
                (Some(region), Some(gb)) => Self::Known {
                    region,
                    gb: gb as f64,
                },
                _ => Self::Unknown(azure.describe()),
            },
            None => Self::Missing(version.source.clone()),
        }
    }

    pub fn known(&self) -> Option<(Region, f64)> {
        match self {
            Self::Known { region, gb } => Some((*region, *gb)),
            _ => None,
        }
    }

    /// Why no size is known, as a sentence to show instead of an estimate.
    pub fn why_unknown(&self) -> Option<String> {
        match self {
            Self::Known { .. } => None,
            Self::Unknown(what) => Some(format!(
                "the source ({what}) lives in Azure and its size was not in the imported payload"
            )),
            Self::Missing(name) if name.is_empty() => Some("the version has no source".to_owned()),
            Self::Missing(name) => Some(format!(
                "the source managed image \"{name}\" is not in this workspace"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_policy_keeps_catalog_order_and_a_gallery_region_takes_replicas() {
        let r = |n| Region::parse(n).unwrap();
        let mut policy = RegionPolicy::preview();
        assert!(policy.allows_replica(r("westcentralus")), "a source region");
        assert!(!policy.allows_replica(r("japaneast")));
        policy.set_target(r("japaneast"), true);
        policy.set_target(r("japaneast"), true);
        assert!(policy.allows_replica(r("japaneast")));
        assert_eq!(
            policy
                .targets
                .iter()
                .filter(|t| **t == r("japaneast"))
                .count(),
            1
        );
        assert_eq!(
            policy.targets.last(),
            Some(&r("japaneast")),
            "the preview's order kept"
        );
        policy.set_gallery(r("eastus"), true);
        assert_eq!(policy.sources, vec![r("eastus"), r("westcentralus")]);
        policy.set_target(r("japaneast"), false);
        assert_eq!(policy, {
            let mut p = RegionPolicy::preview();
            p.set_gallery(r("eastus"), true);
            p
        });

        let mut ws = Workspace::default();
        ws.galleries.push(Gallery {
            name: "g".to_owned(),
            region: r("westeurope"),
            ..Gallery::default()
        });
        let mut in_use = RegionPolicy::in_use(&ws);
        assert_eq!(in_use.sources, vec![r("westeurope")]);
        assert!(in_use.targets.is_empty());
        for name in ["westeurope", "eastus", "japaneast"] {
            in_use.set_target(r(name), true);
        }
        assert!(in_use.targets.is_sorted_by_key(|t| t.index()));
    }
}
