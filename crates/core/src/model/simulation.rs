//! The replication simulation's own state, saved with the workspace so that a saved simulation
//! continues where it stopped: its clock, the regions under a simulated outage, and the seed
//! that decides which copies fail.

use serde::{Deserialize, Serialize};

use super::Region;

/// Simulation state that is not part of any one resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimulationState {
    /// Simulated seconds during which replication ran in this workspace.
    #[serde(skip_serializing_if = "is_zero")]
    pub clock_secs: f64,
    /// Seed of the failure draws (see `TimeModel::failure_rate`).
    #[serde(skip_serializing_if = "is_zero_u64")]
    pub seed: u64,
    /// Regions marked unavailable: jobs into or out of them fail.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outages: Vec<Region>,
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

fn is_zero_u64(value: &u64) -> bool {
    *value == 0
}

impl SimulationState {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    pub fn has_outage(&self, region: Region) -> bool {
        self.outages.contains(&region)
    }
}

/// Where a running replication job stands on the engine's clocks, so that a saved workspace
/// continues bit for bit as an uninterrupted run would (`docs/replication.md`, "State in the
/// workspace"). Written by the engine while a job is queued or replicating; files without it
/// (older ones) resume from `copied_gb`, `local_copied_gb` and `elapsed_secs`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JobClock {
    /// The simulation clock (`clock_secs`) when the job started.
    pub started_secs: f64,
    /// The copy's origin on its group's virtual clock: the copy holds `group value - origin` GB.
    #[serde(skip_serializing_if = "is_zero")]
    pub origin_gb: f64,
    /// The group's virtual clock (GB copied per job since the group began) was `group_gb` at
    /// clock time `group_secs`, and advances at `group_gb_per_sec`.
    #[serde(skip_serializing_if = "is_zero")]
    pub group_secs: f64,
    #[serde(skip_serializing_if = "is_zero")]
    pub group_gb: f64,
    #[serde(skip_serializing_if = "is_zero")]
    pub group_gb_per_sec: f64,
}

/// Every field by value (a zero of either sign alike, as they compare).
impl std::hash::Hash for JobClock {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let Self {
            started_secs,
            origin_gb,
            group_secs,
            group_gb,
            group_gb_per_sec,
        } = *self;
        for x in [
            started_secs,
            origin_gb,
            group_secs,
            group_gb,
            group_gb_per_sec,
        ] {
            float_bits(x).hash(state);
        }
    }
}

/// A number's bits for hashing, the same for the two zeros (which compare equal).
pub(crate) fn float_bits(x: f64) -> u64 {
    if x == 0.0 { 0 } else { x.to_bits() }
}
