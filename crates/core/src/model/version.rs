//! Image versions and their target regions, with the replication state of each region and the
//! version's aggregate state as Azure reports it.

use serde::{Deserialize, Serialize};

use super::azure::{AzureSource, Presence, ReplicaSets, StorageAccountStrategy, Tags, Verbatim};
use super::azure_enum::azure_enum;
use super::{
    Date, Region, ReplicationMode, StorageType, Time, VersionNumber, is_default, is_false, is_one,
    is_true, is_zero_f64, one, simulation, yes,
};

/// What a VM is created from.
#[derive(Clone, Debug, PartialEq, Hash, Serialize, Deserialize)]
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
    /// into Azure as last seen ([`super::seen`]) and is `Planned` once a file is loaded. Whether a
    /// resource exists in Azure is [`super::Workspace::presence`].
    #[doc(hidden)]
    #[serde(default, rename = "presence", skip_serializing)]
    pub format3_presence: Presence,
    #[serde(default, skip_serializing_if = "Verbatim::is_empty")]
    pub unmodeled: Verbatim,
    #[serde(default, skip_serializing, deserialize_with = "super::exact::vec")]
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
#[derive(Clone, Debug, Default, PartialEq, Hash, Serialize, Deserialize)]
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

/// Every field, its numbers by value (a zero of either sign alike, as they compare).
impl std::hash::Hash for ReplicaStatus {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let Self {
            state: region_state,
            progress,
            details,
            copied_gb,
            local_copied_gb,
            replicas_ready,
            elapsed_secs,
            attempt,
            clock,
        } = self;
        (
            region_state,
            progress,
            details,
            replicas_ready,
            attempt,
            clock,
        )
            .hash(state);
        for x in [copied_gb, local_copied_gb, elapsed_secs] {
            super::simulation::float_bits(*x).hash(state);
        }
    }
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

azure_enum! {
    /// Per-region replication state (`replicationStatus.summary[].state`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum RegionState {
        #[default]
        Unknown = "Unknown",
        /// Waiting for the source to start the copy: the simulation's own state, which Azure
        /// never reports (it says Replicating), so the import refuses it.
        Queued = "Queued",
        Replicating = "Replicating",
        Completed = "Completed",
        Failed = "Failed",
    }
}

impl RegionState {
    /// For people too: Azure's name.
    pub fn label(self) -> &'static str {
        self.name()
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
}
