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
pub const DEFAULT_PRICES_NOTE: &str = "Prices are default estimates (snapshot storage: Microsoft docs issue 84663, 2021; transfer: rough figures, not confirmed); edit them in the workspace settings";

/// Snapshot storage prices per GB-month, by storage type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoragePrices {
    pub standard_lrs: f64,
    pub standard_zrs: f64,
    pub premium_lrs: f64,
}

impl Default for StoragePrices {
    fn default() -> Self {
        Self {
            standard_lrs: 0.05,
            standard_zrs: 0.05,
            premium_lrs: 0.132,
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

/// A price that cannot be used (negative or not a number).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the price {what} is {value}; prices must be zero or more {CURRENCY}")]
pub struct PriceError {
    pub what: String,
    pub value: String,
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
        }
    }

    /// Sets the snapshot storage price per GB-month of a storage type.
    pub fn set_storage_usd_per_gb_month(&mut self, storage: StorageType, usd: f64) {
        let prices = &mut self.storage_usd_per_gb_month;
        match storage {
            StorageType::Standard_LRS => prices.standard_lrs = usd,
            StorageType::Standard_ZRS => prices.standard_zrs = usd,
            StorageType::Premium_LRS => prices.premium_lrs = usd,
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
        match prices
            .into_iter()
            .find(|(_, v)| !(v.is_finite() && *v >= 0.0))
        {
            Some((what, value)) => Err(PriceError {
                what,
                value: value.to_string(),
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
    fn negative_or_nan_prices_are_refused() {
        let mut prices = PriceTable::default();
        assert!(prices.check().is_ok());
        prices.set_storage_usd_per_gb_month(StorageType::Premium_LRS, -1.0);
        assert_eq!(
            prices.check().unwrap_err().to_string(),
            "the price for Premium_LRS storage is -1; prices must be zero or more USD"
        );
        prices.set_storage_usd_per_gb_month(StorageType::Premium_LRS, 0.132);
        prices.transfer_within_continent_usd_per_gb = f64::NAN;
        assert!(prices.check().is_err());
    }
}
