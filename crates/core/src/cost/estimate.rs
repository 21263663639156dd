//! The cost of one version: snapshot storage per month and transfer once (DOMAIN.md §6).
//!
//! Every replica in every region is billed as a snapshot of the version's occupied size at the
//! price of that region's storage type. The first copy into each target region other than the
//! source region is billed as transfer from the source region; extra replicas inside a region
//! are free.

use std::collections::HashMap;

use serde::Serialize;

use super::Totals;
use crate::model::{
    ImageVersion, ManagedImage, PriceTable, Region, SourceSize, StorageType, Workspace,
};

/// One target region of a version.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegionCost {
    pub region: Region,
    pub replicas: u32,
    pub storage_type: StorageType,
    pub usd_per_gb_month: f64,
    /// Zero for the source region.
    pub transfer_usd_per_gb: f64,
    pub totals: Totals,
}

/// The cost of a version in each of its target regions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VersionCost {
    pub occupied_gb: f64,
    /// Where replication copies from: the source managed image's region.
    pub source_region: Region,
    pub regions: Vec<RegionCost>,
    /// The sum of `regions`.
    pub totals: Totals,
}

impl VersionCost {
    pub fn region(&self, region: Region) -> Option<&RegionCost> {
        self.regions.iter().find(|r| r.region == region)
    }
}

/// Why a version cannot be priced.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CostError {
    #[error(
        "the source managed image \"{0}\" is not in this workspace, so the version's size and source region are unknown"
    )]
    MissingSource(String),
    /// The source's occupied size is not a size its disks can hold (the file was edited by hand).
    #[error(
        "the source managed image \"{image}\" occupies {occupied} GB, which is not between 0 and its disks' {disk_gb} GB, so the version cannot be priced"
    )]
    BadSize {
        image: String,
        /// The occupied size as written (a number that may be infinite).
        occupied: String,
        disk_gb: u64,
    },
    /// The source lives in Azure and the imported payload gave no size: nothing is guessed.
    #[error("the version's size is unknown: {0}")]
    UnknownSize(String),
    /// A price is not one to compute with (negative, not a number, or beyond the maximum, where
    /// sums would overflow to infinity).
    #[error(transparent)]
    Price(#[from] crate::model::prices::PriceError),
}

/// Whether an image's occupied size is one its disks can hold (a validation rule too): a
/// price is never made of an impossible or infinite size.
fn check_size(image: &ManagedImage) -> Result<(), CostError> {
    let disk_gb = image.total_disk_gb();
    if image.occupied_gb.is_finite()
        && image.occupied_gb >= 0.0
        && image.occupied_gb <= disk_gb as f64
    {
        Ok(())
    } else {
        Err(CostError::BadSize {
            image: image.name.clone(),
            occupied: if image.occupied_gb.abs() >= 1e9 {
                format!("{:e}", image.occupied_gb)
            } else {
                image.occupied_gb.to_string()
            },
            disk_gb,
        })
    }
}

/// Prices a version whose source image is known.
pub fn version_cost(
    prices: &PriceTable,
    image: &ManagedImage,
    version: &ImageVersion,
) -> VersionCost {
    version_cost_from(prices, image.region, image.occupied_gb, version)
}

/// Prices a version whose source region and size are known.
pub fn version_cost_from(
    prices: &PriceTable,
    source_region: Region,
    occupied_gb: f64,
    version: &ImageVersion,
) -> VersionCost {
    let image = ManagedImage {
        region: source_region,
        ..ManagedImage::default()
    };
    let regions: Vec<RegionCost> = version
        .target_regions
        .iter()
        .map(|target| {
            let replicas = version.replica_count(target);
            let storage_type = version.storage_type_in(target);
            let usd_per_gb_month = prices.storage_usd_per_gb_month(storage_type);
            let transfer_usd_per_gb = prices.transfer_usd_per_gb(image.region, target.region);
            let snapshot_gb = occupied_gb * f64::from(replicas);
            let egress_gb = if target.region == image.region {
                0.0
            } else {
                occupied_gb
            };
            RegionCost {
                region: target.region,
                replicas,
                storage_type,
                usd_per_gb_month,
                transfer_usd_per_gb,
                totals: Totals {
                    monthly_usd: snapshot_gb * usd_per_gb_month,
                    egress_usd: egress_gb * transfer_usd_per_gb,
                    snapshot_gb,
                    egress_gb,
                    replicas: u64::from(replicas),
                },
            }
        })
        .collect();
    VersionCost {
        occupied_gb,
        source_region: image.region,
        totals: regions.iter().map(|r| r.totals).sum(),
        regions,
    }
}

/// Prices a version with the workspace's prices and its source image. To price many versions,
/// build [`Sources`] once instead.
pub fn version_cost_in(ws: &Workspace, version: &ImageVersion) -> Result<VersionCost, CostError> {
    let image = (!version.source.is_empty())
        .then(|| {
            ws.managed_images
                .iter()
                .find(|m| m.name.eq_ignore_ascii_case(&version.source))
        })
        .flatten();
    price(&ws.settings.prices, version, image)
}

/// The workspace's managed images by name, to find each version's source in constant time:
/// names compare ignoring ASCII case, and the first of equal names wins (as in
/// [`version_cost_in`]).
pub struct Sources<'w> {
    prices: &'w PriceTable,
    by_name: HashMap<String, &'w ManagedImage>,
}

impl<'w> Sources<'w> {
    pub fn new(ws: &'w Workspace) -> Self {
        let mut by_name = HashMap::with_capacity(ws.managed_images.len());
        for image in &ws.managed_images {
            by_name
                .entry(image.name.to_ascii_lowercase())
                .or_insert(image);
        }
        Self {
            prices: &ws.settings.prices,
            by_name,
        }
    }

    /// The managed image named `name` (ignoring ASCII case).
    pub fn image(&self, name: &str) -> Option<&'w ManagedImage> {
        self.by_name.get(&name.to_ascii_lowercase()).copied()
    }

    /// Prices a version, as [`version_cost_in`] does.
    pub fn version_cost(&self, version: &ImageVersion) -> Result<VersionCost, CostError> {
        let image = (!version.source.is_empty())
            .then(|| self.image(&version.source))
            .flatten();
        price(self.prices, version, image)
    }
}

/// Prices `version`, whose managed image in the workspace is `image` (if any): its size is
/// checked; a source that lives only in Azure is priced by the size its payload gave, and
/// never guessed when none is known.
fn price(
    prices: &PriceTable,
    version: &ImageVersion,
    image: Option<&ManagedImage>,
) -> Result<VersionCost, CostError> {
    prices.check()?;
    if let Some(image) = image {
        check_size(image)?;
    }
    match SourceSize::of(version, image) {
        SourceSize::Known { region, gb } => Ok(version_cost_from(prices, region, gb, version)),
        SourceSize::Missing(name) => Err(CostError::MissingSource(name)),
        unknown @ SourceSize::Unknown(_) => Err(CostError::UnknownSize(
            unknown.why_unknown().unwrap_or_default(),
        )),
    }
}

/// What an edit of a version would change in cost, before it is applied.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostChange {
    /// The stored version's cost; `None` for a version not yet in the workspace.
    pub before: Option<VersionCost>,
    pub after: VersionCost,
    /// Monthly storage after minus before.
    pub monthly_change_usd: f64,
    /// Transfer billed once for the regions the edit adds.
    pub added_egress_usd: f64,
    pub added_regions: Vec<Region>,
    pub removed_regions: Vec<Region>,
}

/// The monthly cost change an edited version would make against the stored one (`None` when
/// the version is new), and the one-time transfer for regions it adds.
pub fn what_if(
    ws: &Workspace,
    stored: Option<&ImageVersion>,
    edited: &ImageVersion,
) -> Result<CostChange, CostError> {
    let before = stored.map(|v| version_cost_in(ws, v)).transpose()?;
    let after = version_cost_in(ws, edited)?;
    let had = |region: Region| stored.is_some_and(|v| v.target(region).is_some());
    let added: Vec<&RegionCost> = after.regions.iter().filter(|r| !had(r.region)).collect();
    let removed_regions = stored
        .map(|v| {
            v.target_regions
                .iter()
                .map(|t| t.region)
                .filter(|r| edited.target(*r).is_none())
                .collect()
        })
        .unwrap_or_default();
    Ok(CostChange {
        monthly_change_usd: after.totals.monthly_usd
            - before.as_ref().map_or(0.0, |b| b.totals.monthly_usd),
        added_egress_usd: added.iter().map(|r| r.totals.egress_usd).sum(),
        added_regions: added.iter().map(|r| r.region).collect(),
        removed_regions,
        before,
        after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_find_images_as_the_linear_search_did() {
        let mut ws = crate::sample::sample();
        let first = ws.managed_images[0].clone();
        // A second image whose name differs only in case: the first one still wins.
        ws.managed_images.push(ManagedImage {
            name: first.name.to_uppercase(),
            occupied_gb: 1.0,
            ..first.clone()
        });
        let sources = Sources::new(&ws);
        assert_eq!(
            sources.image(&first.name.to_uppercase()).map(|m| &m.name),
            Some(&first.name)
        );
        for (_, _, version) in ws.versions() {
            assert_eq!(sources.version_cost(version), version_cost_in(&ws, version));
        }
        let mut missing = ws.versions().next().map(|(_, _, v)| v.clone()).unwrap();
        missing.source = "nowhere".to_owned();
        assert_eq!(
            sources.version_cost(&missing),
            Err(CostError::MissingSource("nowhere".to_owned()))
        );
    }
}
