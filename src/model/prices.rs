//! Prices used by cost estimates (USD), stored in the workspace so they can be edited.

use serde::{Deserialize, Serialize};

/// Storage and transfer prices. Filled in with the cost model.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PriceTable {}
