//! Totals and breakdowns of a whole workspace: per region, version, definition and gallery.
//! Each total is the sum of its parts; versions that cannot be priced are listed apart.

use serde::Serialize;

use super::estimate::{Sources, VersionCost};
use super::{CURRENCY, Totals};
use crate::model::{Region, ResourcePath, Workspace};

/// A version's cost with its path.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VersionEntry {
    pub name: String,
    pub cost: VersionCost,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DefinitionCost {
    pub name: String,
    pub versions: Vec<VersionEntry>,
    /// The sum of `versions`.
    pub totals: Totals,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GalleryCost {
    pub name: String,
    pub definitions: Vec<DefinitionCost>,
    /// The sum of `definitions`.
    pub totals: Totals,
}

/// One region across every version replicated there.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegionTotal {
    pub region: Region,
    pub versions: usize,
    pub totals: Totals,
}

/// A version left out of the totals, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unpriced {
    pub path: String,
    pub reason: String,
}

/// The cost of a workspace, nested gallery → definition → version → region, plus per region.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostReport {
    pub currency: &'static str,
    /// True when the prices are the built-in estimates.
    pub default_prices: bool,
    pub galleries: Vec<GalleryCost>,
    /// Regions in catalog order, only those with replicas.
    pub regions: Vec<RegionTotal>,
    pub unpriced: Vec<Unpriced>,
    /// The sum of `galleries` (and of `regions`).
    pub totals: Totals,
}

/// How `sig-studio cost --by` and the cost view group rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    Region,
    Version,
    Definition,
    Gallery,
}

impl GroupBy {
    pub const ALL: [Self; 4] = [Self::Region, Self::Version, Self::Definition, Self::Gallery];

    pub fn label(self) -> &'static str {
        match self {
            Self::Region => "region",
            Self::Version => "version",
            Self::Definition => "definition",
            Self::Gallery => "gallery",
        }
    }
}

/// One row of a breakdown: a region name or a resource path, and its totals.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BreakdownRow {
    pub key: String,
    pub totals: Totals,
}

/// Prices every version of the workspace.
pub fn workspace_cost(ws: &Workspace) -> CostReport {
    let sources = Sources::new(ws);
    let mut unpriced = Vec::new();
    let mut per_region: Vec<Option<RegionTotal>> = Region::all().map(|_| None).collect();
    let galleries: Vec<GalleryCost> = ws
        .galleries
        .iter()
        .map(|g| {
            let definitions: Vec<DefinitionCost> = g
                .definitions
                .iter()
                .map(|d| {
                    let mut versions = Vec::new();
                    for v in &d.versions {
                        match sources.version_cost(v) {
                            Ok(cost) => {
                                for r in &cost.regions {
                                    if let Some(slot) = per_region.get_mut(r.region.index()) {
                                        let entry = slot.get_or_insert(RegionTotal {
                                            region: r.region,
                                            versions: 0,
                                            totals: Totals::default(),
                                        });
                                        entry.versions += 1;
                                        entry.totals += r.totals;
                                    }
                                }
                                versions.push(VersionEntry {
                                    name: v.name.clone(),
                                    cost,
                                });
                            }
                            Err(err) => unpriced.push(Unpriced {
                                path: ResourcePath::version(&g.name, &d.name, &v.name).to_string(),
                                reason: err.to_string(),
                            }),
                        }
                    }
                    DefinitionCost {
                        name: d.name.clone(),
                        totals: versions.iter().map(|v| v.cost.totals).sum(),
                        versions,
                    }
                })
                .collect();
            GalleryCost {
                name: g.name.clone(),
                totals: definitions.iter().map(|d| d.totals).sum(),
                definitions,
            }
        })
        .collect();
    CostReport {
        currency: CURRENCY,
        default_prices: ws.settings.prices.is_default_estimate(),
        totals: galleries.iter().map(|g| g.totals).sum(),
        galleries,
        regions: per_region.into_iter().flatten().collect(),
        unpriced,
    }
}

impl CostReport {
    /// Rows grouped by region (catalog order) or by resource (document order).
    pub fn rows(&self, by: GroupBy) -> Vec<BreakdownRow> {
        match by {
            GroupBy::Region => self
                .regions
                .iter()
                .map(|r| BreakdownRow {
                    key: r.region.name().to_owned(),
                    totals: r.totals,
                })
                .collect(),
            GroupBy::Gallery => self
                .galleries
                .iter()
                .map(|g| BreakdownRow {
                    key: g.name.clone(),
                    totals: g.totals,
                })
                .collect(),
            GroupBy::Definition => self
                .galleries
                .iter()
                .flat_map(|g| {
                    g.definitions.iter().map(|d| BreakdownRow {
                        key: ResourcePath::definition(&g.name, &d.name).to_string(),
                        totals: d.totals,
                    })
                })
                .collect(),
            GroupBy::Version => self
                .galleries
                .iter()
                .flat_map(|g| {
                    g.definitions.iter().flat_map(move |d| {
                        d.versions.iter().map(move |v| BreakdownRow {
                            key: ResourcePath::version(&g.name, &d.name, &v.name).to_string(),
                            totals: v.cost.totals,
                        })
                    })
                })
                .collect(),
        }
    }
}
