//! The domain model of shared image galleries: plain data, serde, and pure rules.
//! Nothing here knows about the UI, threads or files.

pub mod assignment;
pub mod azure;
pub mod edit;
pub mod fixed;
pub mod flags;
pub mod latest;
pub mod path;
pub mod prices;
pub mod region;
pub mod retention;
pub mod rules;
pub mod seen;
pub mod simulation;
pub mod time_model;
pub mod version_name;

use serde::{Deserialize, Serialize};

pub use assignment::RoleAssignment;
pub use azure::{
    AzureSource, ImageFeature, Presence, PurchasePlan, ReplicaSet, ReplicaSets, SecurityType,
    SharingProfile, StorageAccountStrategy, Tags, Verbatim,
};
pub use edit::{Edit, EditError, Resources, delete_blocker};
pub use path::ResourcePath;
pub use prices::PriceTable;
pub use region::Region;
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

/// A directory tenant. Galleries belong to one; sharing stays inside it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    pub name: String,
    /// The tenant's primary domain, e.g. `contoso.onmicrosoft.com`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub domain: String,
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum PrincipalKind {
    #[default]
    User,
    ServicePrincipal,
    Group,
}

impl PrincipalKind {
    pub const ALL: [Self; 3] = [Self::User, Self::ServicePrincipal, Self::Group];
    pub fn label(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::ServicePrincipal => "Service principal",
            Self::Group => "Group",
        }
    }
}

/// A user, service principal or group of a tenant.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Principal {
    pub name: String,
    pub kind: PrincipalKind,
    pub tenant: String,
    /// Members of a group, by principal name (users, service principals, other groups).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

/// Built-in roles that matter for galleries.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Role {
    /// See and deploy.
    #[default]
    Reader,
    /// Also create, edit and delete.
    Contributor,
    /// Everything: also share galleries, grant and revoke.
    Owner,
    /// Change a gallery's sharing profile only (it does not even read).
    ComputeGallerySharingAdmin,
    /// Read, grant and revoke.
    UserAccessAdministrator,
    /// Read, grant and revoke.
    RoleBasedAccessControlAdministrator,
}

/// A role assignment: a principal holds a role at a scope and everything below it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    pub principal: String,
    pub role: Role,
    /// `gallery`, `gallery/definition` or `gallery/definition/1.0.0`.
    pub scope: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OsType {
    #[default]
    Linux,
    Windows,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OsState {
    #[default]
    Generalized,
    Specialized,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HyperVGeneration {
    /// The service's default when none is given.
    #[default]
    V1,
    V2,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Architecture {
    #[default]
    X64,
    Arm64,
}

/// Storage of a version's replicas.
#[allow(non_camel_case_types)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum StorageType {
    #[default]
    Standard_LRS,
    Standard_ZRS,
    Premium_LRS,
    /// Premium SSD v2 (API 2025-03-03).
    PremiumV2_LRS,
}

impl StorageType {
    pub const ALL: [Self; 4] = [
        Self::Standard_LRS,
        Self::Standard_ZRS,
        Self::Premium_LRS,
        Self::PremiumV2_LRS,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Self::Standard_LRS => "Standard_LRS",
            Self::Standard_ZRS => "Standard_ZRS",
            Self::Premium_LRS => "Premium_LRS",
            Self::PremiumV2_LRS => "PremiumV2_LRS",
        }
    }

    /// Parses Azure's name (`storageAccountType`), in any letter case.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.label().eq_ignore_ascii_case(text.trim()))
    }
}

/// Disk types a definition can disallow for VMs created from it.
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DiskType {
    Standard_LRS,
    StandardSSD_LRS,
    StandardSSD_ZRS,
    Premium_LRS,
    Premium_ZRS,
    PremiumV2_LRS,
    UltraSSD_LRS,
}

impl DiskType {
    pub const ALL: [Self; 7] = [
        Self::Standard_LRS,
        Self::StandardSSD_LRS,
        Self::StandardSSD_ZRS,
        Self::Premium_LRS,
        Self::Premium_ZRS,
        Self::PremiumV2_LRS,
        Self::UltraSSD_LRS,
    ];
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReplicationMode {
    #[default]
    Full,
    /// Skips the copy: fast, for dev/test with few VMs.
    Shallow,
}

/// What a managed image was captured from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaptureKind {
    /// OS disk and every attached data disk.
    #[default]
    WholeVm,
    OsDiskOnly,
}

/// A data disk of a managed image.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataDisk {
    pub lun: u32,
    pub size_gb: u32,
}

/// The source of image versions: a copy of a VM's disks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedImage {
    pub name: String,
    pub region: Region,
    pub os_type: OsType,
    #[serde(default, skip_serializing_if = "is_default")]
    pub capture: CaptureKind,
    pub os_disk_gb: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_disks: Vec<DataDisk>,
    /// Space actually used across the disks; what replicas are billed and copied by.
    pub occupied_gb: f64,
}

impl ManagedImage {
    /// Provisioned size of all disks.
    pub fn total_disk_gb(&self) -> u64 {
        u64::from(self.os_disk_gb)
            + self
                .data_disks
                .iter()
                .map(|d| u64::from(d.size_gb))
                .sum::<u64>()
    }
}

/// A repository of image definitions, with a home region.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gallery {
    pub name: String,
    pub region: Region,
    pub tenant: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Cost: the retention policy of definitions that have none of their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_retention: Option<RetentionPolicy>,
    /// The Azure subscription id the gallery lives in (empty: not known yet).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subscription: String,
    /// The Azure resource group the gallery lives in (empty: not known yet).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource_group: String,
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    /// Deleted versions are kept and can be restored (`softDeletePolicy.isSoftDeleteEnabled`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub soft_delete: bool,
    #[serde(default, skip_serializing_if = "SharingProfile::is_default")]
    pub sharing: SharingProfile,
    /// Format 3 stored here whether the resource exists in Azure; it is read only to move it
    /// into Azure as last seen ([`seen`]) and is `Planned` once a file is loaded. Whether a
    /// resource exists in Azure is [`Workspace::presence`].
    #[doc(hidden)]
    #[serde(default, rename = "presence", skip_serializing)]
    pub format3_presence: Presence,
    /// Properties the app does not model, kept verbatim for the export.
    #[serde(default, skip_serializing_if = "Verbatim::is_empty")]
    pub unmodeled: Verbatim,
    #[serde(default, skip_serializing)]
    pub definitions: Vec<ImageDefinition>,
}

/// A type of image with its requirements; versions live under it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageDefinition {
    pub name: String,
    pub publisher: String,
    pub offer: String,
    pub sku: String,
    pub os_type: OsType,
    pub os_state: OsState,
    #[serde(default, skip_serializing_if = "is_default")]
    pub generation: HyperVGeneration,
    #[serde(default, skip_serializing_if = "is_default")]
    pub architecture: Architecture,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub release_notes: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub release_note_uri: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub eula: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub privacy_uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcpus_min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcpus_max: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_gb_min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_gb_max: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_life: Option<Date>,
    /// The time of day (UTC) of the end of life when Azure gave one other than midnight; only
    /// used while `end_of_life` is the date it came with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_life_time: Option<Time>,
    /// Where the definition lives in Azure when not in its gallery's region (`None`: the
    /// gallery's region).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Region>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disallowed_disk_types: Vec<DiskType>,
    /// Cost: which versions keep all regions, shrink to the source region or are deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<RetentionPolicy>,
    /// Name/value pairs (`SecurityType`, `IsAcceleratedNetworkSupported`, …); see
    /// `security_type`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<ImageFeature>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_plan: Option<PurchasePlan>,
    /// `allowUpdateImage`: whether the definition's image may be updated (None: not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_update_image: Option<bool>,
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    /// Format 3 stored here whether the resource exists in Azure; it is read only to move it
    /// into Azure as last seen ([`seen`]) and is `Planned` once a file is loaded. Whether a
    /// resource exists in Azure is [`Workspace::presence`].
    #[doc(hidden)]
    #[serde(default, rename = "presence", skip_serializing)]
    pub format3_presence: Presence,
    #[serde(default, skip_serializing_if = "Verbatim::is_empty")]
    pub unmodeled: Verbatim,
    #[serde(default, skip_serializing)]
    pub versions: Vec<ImageVersion>,
}

/// What a VM is created from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageVersion {
    /// `Major.Minor.Patch`.
    pub name: String,
    /// Name of the workspace's managed image this version was created from; empty when the
    /// source lives only in Azure (`azure_source`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// A source that lives in Azure (VM, disks, snapshots, VHDs, another version, a community
    /// image), referred to by ARM id, with the sizes the payload gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_source: Option<Box<AzureSource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_life: Option<Date>,
    /// The time of day (UTC) of the end of life when Azure gave one other than midnight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_life_time: Option<Time>,
    /// The version's location in Azure, when known (`None`: its source's region, else the
    /// gallery's). The service requires a version to be created in its source's region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Region>,
    /// Keeps this version from being picked as "latest" (a region may override it).
    #[serde(default, skip_serializing_if = "is_false")]
    pub exclude_from_latest: bool,
    /// Replicas in a target region that does not set its own count.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub default_replica_count: u32,
    #[serde(default, skip_serializing_if = "is_default")]
    pub storage_type: StorageType,
    /// Instead of one storage type: a preference regions may override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_account_strategy: Option<StorageAccountStrategy>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub replication_mode: ReplicationMode,
    /// When false, removing a region that holds replicas is refused.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub allow_deletion_of_replicated_locations: bool,
    /// `safetyProfile.blockDeletionBeforeEndOfLife`: the version cannot be deleted before its
    /// end-of-life date.
    #[serde(default, skip_serializing_if = "is_false")]
    pub block_deletion_before_end_of_life: bool,
    /// Cost: retention policies never shrink or delete this version.
    #[serde(default, skip_serializing_if = "is_false")]
    pub retention_exempt: bool,
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    /// Format 3 stored here whether the resource exists in Azure; it is read only to move it
    /// into Azure as last seen ([`seen`]) and is `Planned` once a file is loaded. Whether a
    /// resource exists in Azure is [`Workspace::presence`].
    #[doc(hidden)]
    #[serde(default, rename = "presence", skip_serializing)]
    pub format3_presence: Presence,
    #[serde(default, skip_serializing_if = "Verbatim::is_empty")]
    pub unmodeled: Verbatim,
    #[serde(default, skip_serializing)]
    pub target_regions: Vec<TargetRegion>,
}

impl Default for ImageVersion {
    fn default() -> Self {
        Self {
            name: String::new(),
            source: String::new(),
            azure_source: None,
            published: None,
            end_of_life: None,
            end_of_life_time: None,
            location: None,
            exclude_from_latest: false,
            default_replica_count: 1,
            storage_type: StorageType::Standard_LRS,
            storage_account_strategy: None,
            replication_mode: ReplicationMode::Full,
            allow_deletion_of_replicated_locations: true,
            block_deletion_before_end_of_life: false,
            retention_exempt: false,
            tags: Tags::new(),
            format3_presence: Presence::Planned,
            unmodeled: Verbatim::default(),
            target_regions: Vec::new(),
        }
    }
}

impl ImageVersion {
    pub fn number(&self) -> Option<VersionNumber> {
        VersionNumber::parse(&self.name)
    }

    pub fn target(&self, region: Region) -> Option<&TargetRegion> {
        self.target_regions.iter().find(|t| t.region == region)
    }

    /// Replicas in a target region: its own count, else the version's default.
    pub fn replica_count(&self, target: &TargetRegion) -> u32 {
        target.replicas.unwrap_or(self.default_replica_count)
    }

    /// Storage type of a target region: its own, else the version's.
    pub fn storage_type_in(&self, target: &TargetRegion) -> StorageType {
        target.storage_type.unwrap_or(self.storage_type)
    }

    /// Whether "latest" may pick this version in a region (the region's flag overrides the version's).
    pub fn excluded_from_latest_in(&self, target: &TargetRegion) -> bool {
        target
            .exclude_from_latest
            .unwrap_or(self.exclude_from_latest)
    }

    /// Source region and size of a source that lives in Azure, when its payload gave both.
    pub fn azure_source_size(&self) -> Option<(Region, f64)> {
        let azure = self.azure_source.as_ref()?;
        Some((azure.region?, azure.size_gb()? as f64))
    }

    /// Why the version's source cannot be used for copies, as the end of a sentence.
    pub fn unresolved_source(&self) -> String {
        match &self.azure_source {
            Some(azure) if self.source.is_empty() => format!(
                "the size of its source ({azure}) is unknown: the imported payload gave none"
            ),
            _ if self.source.is_empty() => "the version has no source".to_owned(),
            _ => format!(
                "the source managed image \"{}\" is not in the workspace",
                self.source
            ),
        }
    }

    /// The version's aggregate replication state, derived from its regions as Azure derives it.
    pub fn aggregate_state(&self) -> AggregateState {
        AggregateState::of(self.target_regions.iter().map(|t| t.status.state))
    }
}

/// A region a version is replicated to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetRegion {
    /// `name` in format 1.
    #[serde(alias = "name")]
    pub region: Region,
    /// Replicas in this region; `None` uses the version's default replica count.
    /// `regional_replica_count` in format 1.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        alias = "regional_replica_count"
    )]
    pub replicas: Option<u32>,
    /// `None` uses the version's storage type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_type: Option<StorageType>,
    /// `None` follows the version's flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_from_latest: Option<bool>,
    /// Extra replicas on other storage types (`additionalReplicaSets`).
    #[serde(default, skip_serializing_if = "ReplicaSets::is_empty")]
    pub additional_replica_sets: ReplicaSets,
    #[serde(default, skip_serializing_if = "ReplicaStatus::is_default")]
    pub status: ReplicaStatus,
    /// Properties of the region entry the app does not model (e.g. `encryption`).
    #[serde(default, skip_serializing_if = "Verbatim::is_empty")]
    pub unmodeled: Verbatim,
}

impl TargetRegion {
    pub fn new(region: Region) -> Self {
        Self {
            region,
            ..Self::default()
        }
    }

    pub fn with_replicas(region: Region, replicas: u32) -> Self {
        Self {
            region,
            replicas: Some(replicas),
            ..Self::default()
        }
    }
}

/// Replication state of one region, shaped like Azure's `replicationStatus.summary[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReplicaStatus {
    #[serde(skip_serializing_if = "is_default")]
    pub state: RegionState,
    /// 0–100.
    #[serde(skip_serializing_if = "is_default")]
    pub progress: u8,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub details: String,
    // The replication engine's progress, so a saved workspace continues where it stopped
    // (see `docs/replication.md`). All are omitted from the file when at their defaults.
    /// GB of the first copy into the region that have arrived.
    #[serde(skip_serializing_if = "is_zero_f64")]
    pub copied_gb: f64,
    /// GB of each extra replica being copied inside the region.
    #[serde(skip_serializing_if = "is_zero_f64")]
    pub local_copied_gb: f64,
    /// Replicas that exist in the region, when the state does not say it: `None` means all
    /// of them when Completed and none otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas_ready: Option<u32>,
    /// Simulated seconds the current (or last) job has taken, queueing included.
    #[serde(skip_serializing_if = "is_zero_f64")]
    pub elapsed_secs: f64,
    /// Retries so far; part of what decides whether a copy fails.
    #[serde(skip_serializing_if = "is_default")]
    pub attempt: u32,
    /// The engine's exact position in a running job (absent in older files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clock: Option<simulation::JobClock>,
}

impl ReplicaStatus {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    pub fn completed() -> Self {
        Self {
            state: RegionState::Completed,
            progress: 100,
            ..Self::default()
        }
    }

    /// Replicas that exist in the region for a target that asks for `replica_count`.
    pub fn ready_replicas(&self, replica_count: u32) -> u32 {
        self.replicas_ready.unwrap_or(match self.state {
            RegionState::Completed => replica_count,
            _ => 0,
        })
    }
}

/// Per-region replication state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RegionState {
    #[default]
    Unknown,
    /// Waiting for the source to start the copy.
    Queued,
    Replicating,
    Completed,
    Failed,
}

impl RegionState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Unknown => "Unknown",
            Self::Queued => "Queued",
            Self::Replicating => "Replicating",
            Self::Completed => "Completed",
            Self::Failed => "Failed",
        }
    }
}

/// A version's replication state across its regions (Azure's `aggregatedState`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AggregateState {
    #[default]
    Unknown,
    InProgress,
    Completed,
    Failed,
}

impl AggregateState {
    /// Failed if any region failed; Completed if all completed; InProgress if any is queued or
    /// replicating; otherwise Unknown.
    pub fn of(states: impl IntoIterator<Item = RegionState>) -> Self {
        let (mut any, mut all_done, mut failed, mut moving) = (false, true, false, false);
        for state in states {
            any = true;
            match state {
                RegionState::Completed => {}
                RegionState::Failed => {
                    failed = true;
                    all_done = false;
                }
                RegionState::Queued | RegionState::Replicating => {
                    moving = true;
                    all_done = false;
                }
                RegionState::Unknown => all_done = false,
            }
        }
        if failed {
            Self::Failed
        } else if any && all_done {
            Self::Completed
        } else if moving {
            Self::InProgress
        } else {
            Self::Unknown
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Unknown => "Unknown",
            Self::InProgress => "In progress",
            Self::Completed => "Completed",
            Self::Failed => "Failed",
        }
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

    /// Where the gallery, definition or version at `path` stands with Azure, derived from
    /// Azure as last seen (`None`: no such resource in the workspace, or another kind).
    pub fn presence(&self, path: &ResourcePath) -> Option<Presence> {
        let exists = match path {
            ResourcePath::Gallery(g) => self.gallery(g).is_some(),
            ResourcePath::Definition(g, d) => {
                self.gallery(g).and_then(|g| g.definition(d)).is_some()
            }
            ResourcePath::Version(g, d, v) => self
                .gallery(g)
                .and_then(|g| g.definition(d))
                .and_then(|d| d.version(v))
                .is_some(),
            _ => false,
        };
        exists.then(|| match path {
            ResourcePath::Gallery(g) => self.presence_of(g, None, None),
            ResourcePath::Definition(g, d) => self.presence_of(g, Some(d), None),
            ResourcePath::Version(g, d, v) => self.presence_of(g, Some(d), Some(v)),
            _ => Presence::Planned,
        })
    }

    /// Where a gallery, definition or version of these names stands with Azure as last seen,
    /// whether or not the workspace plans it (no lookup of the planned resource; names compare
    /// ignoring ASCII case).
    pub fn presence_of(
        &self,
        gallery: &str,
        definition: Option<&str>,
        version: Option<&str>,
    ) -> Presence {
        self.azure.as_ref().map_or(Presence::Planned, |seen| {
            seen.presence_of(gallery, definition, version)
        })
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

impl Gallery {
    /// The gallery's ARM id, derived from its subscription, resource group and name.
    pub fn arm_id(&self) -> String {
        azure::arm_id(
            &self.subscription,
            &self.resource_group,
            &self.name,
            None,
            None,
        )
    }

    /// The ARM id of a definition of this gallery, or of a version when `version` is given.
    pub fn child_arm_id(&self, definition: &str, version: Option<&str>) -> String {
        azure::arm_id(
            &self.subscription,
            &self.resource_group,
            &self.name,
            Some(definition),
            version,
        )
    }

    /// The gallery's own fields, without its definitions (cheap to copy).
    pub fn without_definitions(&self) -> Self {
        Self {
            name: self.name.clone(),
            region: self.region,
            tenant: self.tenant.clone(),
            description: self.description.clone(),
            default_retention: self.default_retention.clone(),
            subscription: self.subscription.clone(),
            resource_group: self.resource_group.clone(),
            tags: self.tags.clone(),
            soft_delete: self.soft_delete,
            sharing: self.sharing.clone(),
            format3_presence: Presence::Planned,
            unmodeled: self.unmodeled.clone(),
            definitions: Vec::new(),
        }
    }

    pub fn definition(&self, name: &str) -> Option<&ImageDefinition> {
        self.definitions.iter().find(|d| d.name == name)
    }
}

impl ImageDefinition {
    /// A new definition with the generation and security type of `defaults`.
    pub fn with_defaults(defaults: DefinitionDefaults) -> Self {
        let mut definition = Self::default();
        match defaults {
            DefinitionDefaults::TrustedLaunchSupported => {
                definition.generation = HyperVGeneration::V2;
                definition.set_security_type(Some(SecurityType::TrustedLaunchSupported));
            }
            DefinitionDefaults::Classic => {
                definition.generation = HyperVGeneration::V1;
                definition.set_security_type(None);
            }
        }
        definition
    }

    /// Sets the `SecurityType` feature (`None` removes it: Standard).
    pub fn set_security_type(&mut self, security: Option<SecurityType>) {
        self.features
            .retain(|f| !f.name.eq_ignore_ascii_case(azure::SECURITY_TYPE));
        if let Some(security) = security {
            self.features.push(ImageFeature {
                name: azure::SECURITY_TYPE.to_owned(),
                value: security.name().to_owned(),
                starts_at_version: String::new(),
            });
        }
    }

    /// The definition's own fields, without its versions (cheap to copy).
    pub fn without_versions(&self) -> Self {
        Self {
            name: self.name.clone(),
            publisher: self.publisher.clone(),
            offer: self.offer.clone(),
            sku: self.sku.clone(),
            os_type: self.os_type,
            os_state: self.os_state,
            generation: self.generation,
            architecture: self.architecture,
            description: self.description.clone(),
            release_notes: self.release_notes.clone(),
            release_note_uri: self.release_note_uri.clone(),
            eula: self.eula.clone(),
            privacy_uri: self.privacy_uri.clone(),
            vcpus_min: self.vcpus_min,
            vcpus_max: self.vcpus_max,
            memory_gb_min: self.memory_gb_min,
            memory_gb_max: self.memory_gb_max,
            end_of_life: self.end_of_life,
            end_of_life_time: self.end_of_life_time,
            location: self.location,
            disallowed_disk_types: self.disallowed_disk_types.clone(),
            retention: self.retention.clone(),
            features: self.features.clone(),
            purchase_plan: self.purchase_plan.clone(),
            allow_update_image: self.allow_update_image,
            tags: self.tags.clone(),
            format3_presence: Presence::Planned,
            unmodeled: self.unmodeled.clone(),
            versions: Vec::new(),
        }
    }

    /// The `SecurityType` feature, when set: `Some(Err(value))` when its value is not one
    /// the service knows.
    pub fn security_type(&self) -> Option<Result<SecurityType, &str>> {
        self.features
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(azure::SECURITY_TYPE))
            .map(|f| SecurityType::parse(&f.value).ok_or(f.value.as_str()))
    }

    pub fn version(&self, name: &str) -> Option<&ImageVersion> {
        self.versions.iter().find(|v| v.name == name)
    }

    /// Indices of the versions in numeric order (unparsable names last).
    pub fn versions_sorted(&self) -> Vec<usize> {
        let mut keyed: Vec<(Option<VersionNumber>, usize)> = self
            .versions
            .iter()
            .enumerate()
            .map(|(i, v)| (v.number(), i))
            .collect();
        keyed.sort_by(|(a, ia), (b, ib)| match (a, b) {
            (Some(x), Some(y)) => x.cmp(y).then(ia.cmp(ib)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => self.versions[*ia].name.cmp(&self.versions[*ib].name),
        });
        keyed.into_iter().map(|(_, i)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregate_state_as_azure() {
        use RegionState::*;
        assert_eq!(AggregateState::of([]), AggregateState::Unknown);
        assert_eq!(
            AggregateState::of([Completed, Completed]),
            AggregateState::Completed
        );
        assert_eq!(
            AggregateState::of([Completed, Replicating]),
            AggregateState::InProgress
        );
        assert_eq!(
            AggregateState::of([Completed, Queued]),
            AggregateState::InProgress
        );
        assert_eq!(
            AggregateState::of([Replicating, Failed]),
            AggregateState::Failed
        );
        assert_eq!(
            AggregateState::of([Unknown, Completed]),
            AggregateState::Unknown
        );
    }

    #[test]
    fn region_overrides() {
        let region = Region::parse("eastus").unwrap();
        let mut version = ImageVersion {
            default_replica_count: 3,
            exclude_from_latest: true,
            ..ImageVersion::default()
        };
        let mut target = TargetRegion::new(region);
        assert_eq!(version.replica_count(&target), 3);
        assert!(version.excluded_from_latest_in(&target));
        target.replicas = Some(5);
        target.exclude_from_latest = Some(false);
        assert_eq!(version.replica_count(&target), 5);
        assert!(!version.excluded_from_latest_in(&target));
        version.storage_type = StorageType::Premium_LRS;
        assert_eq!(version.storage_type_in(&target), StorageType::Premium_LRS);
    }

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
