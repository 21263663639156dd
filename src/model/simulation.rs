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
