//! Parameters of the replication time model (see `docs/replication.md`), stored in the workspace
//! so that a simulation is reproducible and the figures can be tuned in the app.

use serde::{Deserialize, Serialize};

/// How long replication takes. Filled in with the replication engine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TimeModel {}
