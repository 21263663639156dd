//! Prices used by cost estimates (USD), stored in the workspace so they can be edited.
//!
//! The defaults are estimates from DOMAIN.md §6 (see `docs/cost.md`): snapshot storage from a
//! 2021 Microsoft docs issue, transfer prices rough and unconfirmed. The app shows them as
//! editable defaults, never as quotes.

use serde::{Deserialize, Serialize};

use super::{Region, StorageType};

/// The currency of every price and estimate.
pub const CURRENCY: &str = "USD";

/// Where the default prices come from, for display beside estimates.
pub const DEFAULT_PRICES_NOTE: &str = "Prices are default estimates (snapshot storage: Microsoft docs issue 84663, 2021; transfer: rough figures, not confirmed); edit them under Prices in the cost view (settings.prices in the file)";

/// Snapshot storage prices per GB-month, by storage type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoragePrices {
    pub standard_lrs: f64,
    pub standard_zrs: f64,
    pub premium_lrs: f64,
    /// Premium SSD v2: no published snapshot price in the sources; Premium_LRS's by default.
    pub premium_v2_lrs: f64,
}

impl Default for StoragePrices {
    fn default() -> Self {
        Self {
            standard_lrs: 0.05,
            standard_zrs: 0.05,
            premium_lrs: 0.132,
            premium_v2_lrs: 0.132,
        }
    }
}

/// A transfer price for one pair of regions, overriding the continent rule. Applies both ways.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferOverride {
    pub from: Region,
    pub to: Region,
    pub usd_per_gb: f64,
}

/// Storage and transfer prices in USD.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PriceTable {
    /// Snapshot storage per GB-month, by storage type.
    pub storage_usd_per_gb_month: StoragePrices,
    /// Transfer between two regions of the same continent, per GB.
    pub transfer_within_continent_usd_per_gb: f64,
    /// Transfer between regions of different continents, per GB.
    pub transfer_between_continents_usd_per_gb: f64,
    /// Prices for particular region pairs; the first matching entry wins.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transfer_overrides: Vec<TransferOverride>,
}

impl Default for PriceTable {
    fn default() -> Self {
        Self {
            storage_usd_per_gb_month: StoragePrices::default(),
            transfer_within_continent_usd_per_gb: 0.02,
            transfer_between_continents_usd_per_gb: 0.05,
            transfer_overrides: Vec::new(),
        }
    }
}

/// The highest price per GB taken: far above any real one, and low enough that no sum over a
/// workspace (a price × 100 replicas × every region × millions of GB) can overflow to infinity.
pub const MAX_USD_PER_GB: f64 = 1_000_000.0;

/// Whether a price per GB can be used: a number from 0 to [`MAX_USD_PER_GB`].
pub fn usable_price(usd_per_gb: f64) -> bool {
    usd_per_gb.is_finite() && (0.0..=MAX_USD_PER_GB).contains(&usd_per_gb)
}

/// A price as a message shows it: `1e308`, not three hundred digits.
fn show_price(usd: f64) -> String {
    if usd.abs() >= 1e15 {
        format!("{usd:e}")
    } else {
        usd.to_string()
    }
}

/// A price that cannot be used (negative, not a number, or beyond [`MAX_USD_PER_GB`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the price {what} is {value}; prices must be zero or more {CURRENCY}, and at most 1000000 {CURRENCY} per GB"
)]
pub struct PriceError {
    pub what: String,
    pub value: String,
}

/// A region-pair price that cannot be set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    #[error(
        "a transfer price needs two different regions; copies inside {0} are free (extra replicas are local)"
    )]
    SameRegion(Region),
    #[error(transparent)]
    Price(PriceError),
}

impl PriceTable {
    /// Whether these are the built-in estimates (not edited by the user).
    pub fn is_default_estimate(&self) -> bool {
        *self == Self::default()
    }

    /// Snapshot storage price per GB-month for a storage type.
    pub fn storage_usd_per_gb_month(&self, storage: StorageType) -> f64 {
        let prices = &self.storage_usd_per_gb_month;
        match storage {
            StorageType::Standard_LRS => prices.standard_lrs,
            StorageType::Standard_ZRS => prices.standard_zrs,
            StorageType::Premium_LRS => prices.premium_lrs,
            StorageType::PremiumV2_LRS => prices.premium_v2_lrs,
        }
    }

    /// Sets the snapshot storage price per GB-month of a storage type.
    pub fn set_storage_usd_per_gb_month(&mut self, storage: StorageType, usd: f64) {
        let prices = &mut self.storage_usd_per_gb_month;
        match storage {
            StorageType::Standard_LRS => prices.standard_lrs = usd,
            StorageType::Standard_ZRS => prices.standard_zrs = usd,
            StorageType::Premium_LRS => prices.premium_lrs = usd,
            StorageType::PremiumV2_LRS => prices.premium_v2_lrs = usd,
        }
    }

    /// Transfer price per GB from one region to another: zero inside a region, else a pair
    /// override (either direction), else the within- or between-continent price.
    pub fn transfer_usd_per_gb(&self, from: Region, to: Region) -> f64 {
        if from == to {
            return 0.0;
        }
        if let Some(pair) = self
            .transfer_overrides
            .iter()
            .find(|o| (o.from == from && o.to == to) || (o.from == to && o.to == from))
        {
            return pair.usd_per_gb;
        }
        if from.continent() == to.continent() {
            self.transfer_within_continent_usd_per_gb
        } else {
            self.transfer_between_continents_usd_per_gb
        }
    }

    /// Sets the transfer price of a pair of regions (either direction), replacing the pair's
    /// earlier override. Refused for a region paired with itself (transfer inside a region is
    /// free) and for a price that is not a number of zero or more.
    pub fn set_transfer_override(
        &mut self,
        from: Region,
        to: Region,
        usd_per_gb: f64,
    ) -> Result<(), OverrideError> {
        if from == to {
            return Err(OverrideError::SameRegion(from));
        }
        if !usable_price(usd_per_gb) {
            return Err(OverrideError::Price(PriceError {
                what: format!("for transfer between {from} and {to}"),
                value: show_price(usd_per_gb),
            }));
        }
        let same_pair =
            |o: &TransferOverride| (o.from == from && o.to == to) || (o.from == to && o.to == from);
        match self.transfer_overrides.iter_mut().find(|o| same_pair(o)) {
            Some(existing) => existing.usd_per_gb = usd_per_gb,
            None => self.transfer_overrides.push(TransferOverride {
                from,
                to,
                usd_per_gb,
            }),
        }
        Ok(())
    }

    /// Checks that every price is a number of zero or more.
    pub fn check(&self) -> Result<(), PriceError> {
        let mut prices: Vec<(String, f64)> = StorageType::ALL
            .iter()
            .map(|s| {
                (
                    format!("for {} storage", s.label()),
                    self.storage_usd_per_gb_month(*s),
                )
            })
            .collect();
        prices.push((
            "for transfer within a continent".to_owned(),
            self.transfer_within_continent_usd_per_gb,
        ));
        prices.push((
            "for transfer between continents".to_owned(),
            self.transfer_between_continents_usd_per_gb,
        ));
        prices.extend(self.transfer_overrides.iter().map(|o| {
            (
                format!("for transfer between {} and {}", o.from, o.to),
                o.usd_per_gb,
            )
        }));
        match prices.into_iter().find(|(_, v)| !usable_price(*v)) {
            Some((what, value)) => Err(PriceError {
                what,
                value: show_price(value),
            }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(name: &str) -> Region {
        Region::parse(name).unwrap()
    }

    #[test]
    fn transfer_by_continent_and_override() {
        let mut prices = PriceTable::default();
        let (wcus, eus, neu) = (
            region("westcentralus"),
            region("eastus"),
            region("northeurope"),
        );
        assert_eq!(prices.transfer_usd_per_gb(wcus, wcus), 0.0);
        assert_eq!(prices.transfer_usd_per_gb(wcus, eus), 0.02);
        assert_eq!(prices.transfer_usd_per_gb(wcus, neu), 0.05);
        prices.transfer_overrides.push(TransferOverride {
            from: neu,
            to: wcus,
            usd_per_gb: 0.087,
        });
        assert_eq!(prices.transfer_usd_per_gb(wcus, neu), 0.087);
        assert_eq!(prices.transfer_usd_per_gb(neu, wcus), 0.087);
        assert_eq!(prices.transfer_usd_per_gb(eus, neu), 0.05);
    }

    #[test]
    fn a_pair_override_is_set_once_per_pair_and_refused_for_one_region() {
        let mut prices = PriceTable::default();
        let (wcus, neu) = (region("westcentralus"), region("northeurope"));
        prices.set_transfer_override(wcus, neu, 0.08).unwrap();
        prices.set_transfer_override(neu, wcus, 0.09).unwrap();
        assert_eq!(prices.transfer_overrides.len(), 1, "one entry per pair");
        assert_eq!(prices.transfer_usd_per_gb(wcus, neu), 0.09);
        assert_eq!(
            prices
                .set_transfer_override(wcus, wcus, 0.01)
                .unwrap_err()
                .to_string(),
            "a transfer price needs two different regions; copies inside West Central US are free (extra replicas are local)"
        );
        assert_eq!(
            prices
                .set_transfer_override(wcus, region("eastus"), -0.5)
                .unwrap_err()
                .to_string(),
            "the price for transfer between West Central US and East US is -0.5; prices must be zero or more USD, and at most 1000000 USD per GB"
        );
        assert_eq!(
            prices.transfer_overrides.len(),
            1,
            "refusals change nothing"
        );
    }

    #[test]
    fn negative_or_nan_prices_are_refused() {
        let mut prices = PriceTable::default();
        assert!(prices.check().is_ok());
        prices.set_storage_usd_per_gb_month(StorageType::Premium_LRS, -1.0);
        assert_eq!(
            prices.check().unwrap_err().to_string(),
            "the price for Premium_LRS storage is -1; prices must be zero or more USD, and at most 1000000 USD per GB"
        );
        prices.set_storage_usd_per_gb_month(StorageType::Premium_LRS, 0.132);
        prices.transfer_within_continent_usd_per_gb = f64::NAN;
        assert!(prices.check().is_err());
    }
}
