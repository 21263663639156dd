//! The catalog of public Azure regions, and the `Region` handle that names one of them.
//!
//! Both name forms resolve to the same region: the short name (`westcentralus`) and the
//! display name (`West Central US`), in any letter case and with any spacing. A name that
//! is not in the catalog is an error, never a silently ignored entry.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where a region is, for transfer prices (within or between continents) and grouping in pickers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Continent {
    NorthAmerica,
    SouthAmerica,
    Europe,
    Asia,
    Oceania,
    MiddleEast,
    Africa,
}

impl Continent {
    pub const ALL: [Self; 7] = [
        Self::NorthAmerica,
        Self::SouthAmerica,
        Self::Europe,
        Self::Asia,
        Self::Oceania,
        Self::MiddleEast,
        Self::Africa,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::NorthAmerica => "North America",
            Self::SouthAmerica => "South America",
            Self::Europe => "Europe",
            Self::Asia => "Asia Pacific",
            Self::Oceania => "Australia and New Zealand",
            Self::MiddleEast => "Middle East",
            Self::Africa => "Africa",
        }
    }
}

/// One entry of the region catalog.
#[derive(Debug)]
pub struct RegionInfo {
    /// Short name as ARM uses it, e.g. `westcentralus`.
    pub name: &'static str,
    /// Display name, e.g. `West Central US`.
    pub display_name: &'static str,
    /// Geography, e.g. `United States`.
    pub geography: &'static str,
    pub continent: Continent,
    /// Short name of the paired region, when the region has one.
    pub paired: Option<&'static str>,
}

macro_rules! regions {
    ($( $name:literal, $display:literal, $geo:literal, $cont:ident, $pair:expr; )*) => {
        /// Today's public Azure regions (source: Microsoft docs, "Azure regions list").
        pub static CATALOG: &[RegionInfo] = &[
            $( RegionInfo { name: $name, display_name: $display, geography: $geo, continent: Continent::$cont, paired: $pair }, )*
        ];
    };
}

regions! {
    "eastus", "East US", "United States", NorthAmerica, Some("westus");
    "eastus2", "East US 2", "United States", NorthAmerica, Some("centralus");
    "southcentralus", "South Central US", "United States", NorthAmerica, Some("northcentralus");
    "westus2", "West US 2", "United States", NorthAmerica, Some("westcentralus");
    "westus3", "West US 3", "United States", NorthAmerica, Some("eastus");
    "centralus", "Central US", "United States", NorthAmerica, Some("eastus2");
    "northcentralus", "North Central US", "United States", NorthAmerica, Some("southcentralus");
    "westus", "West US", "United States", NorthAmerica, Some("eastus");
    "westcentralus", "West Central US", "United States", NorthAmerica, Some("westus2");
    "canadacentral", "Canada Central", "Canada", NorthAmerica, Some("canadaeast");
    "canadaeast", "Canada East", "Canada", NorthAmerica, Some("canadacentral");
    "mexicocentral", "Mexico Central", "Mexico", NorthAmerica, None;
    "brazilsouth", "Brazil South", "Brazil", SouthAmerica, Some("southcentralus");
    "brazilsoutheast", "Brazil Southeast", "Brazil", SouthAmerica, Some("brazilsouth");
    "chilecentral", "Chile Central", "Chile", SouthAmerica, None;
    "northeurope", "North Europe", "Europe", Europe, Some("westeurope");
    "westeurope", "West Europe", "Europe", Europe, Some("northeurope");
    "uksouth", "UK South", "United Kingdom", Europe, Some("ukwest");
    "ukwest", "UK West", "United Kingdom", Europe, Some("uksouth");
    "francecentral", "France Central", "France", Europe, Some("francesouth");
    "francesouth", "France South", "France", Europe, Some("francecentral");
    "germanywestcentral", "Germany West Central", "Germany", Europe, Some("germanynorth");
    "germanynorth", "Germany North", "Germany", Europe, Some("germanywestcentral");
    "switzerlandnorth", "Switzerland North", "Switzerland", Europe, Some("switzerlandwest");
    "switzerlandwest", "Switzerland West", "Switzerland", Europe, Some("switzerlandnorth");
    "norwayeast", "Norway East", "Norway", Europe, Some("norwaywest");
    "norwaywest", "Norway West", "Norway", Europe, Some("norwayeast");
    "swedencentral", "Sweden Central", "Sweden", Europe, Some("swedensouth");
    "swedensouth", "Sweden South", "Sweden", Europe, Some("swedencentral");
    "polandcentral", "Poland Central", "Poland", Europe, None;
    "italynorth", "Italy North", "Italy", Europe, None;
    "spaincentral", "Spain Central", "Spain", Europe, None;
    "eastasia", "East Asia", "Asia Pacific", Asia, Some("southeastasia");
    "southeastasia", "Southeast Asia", "Asia Pacific", Asia, Some("eastasia");
    "japaneast", "Japan East", "Japan", Asia, Some("japanwest");
    "japanwest", "Japan West", "Japan", Asia, Some("japaneast");
    "koreacentral", "Korea Central", "Korea", Asia, Some("koreasouth");
    "koreasouth", "Korea South", "Korea", Asia, Some("koreacentral");
    "centralindia", "Central India", "India", Asia, Some("southindia");
    "southindia", "South India", "India", Asia, Some("centralindia");
    "westindia", "West India", "India", Asia, Some("southindia");
    "jioindiawest", "Jio India West", "India", Asia, Some("jioindiacentral");
    "jioindiacentral", "Jio India Central", "India", Asia, Some("jioindiawest");
    "indonesiacentral", "Indonesia Central", "Indonesia", Asia, None;
    "malaysiawest", "Malaysia West", "Malaysia", Asia, None;
    "australiaeast", "Australia East", "Australia", Oceania, Some("australiasoutheast");
    "australiasoutheast", "Australia Southeast", "Australia", Oceania, Some("australiaeast");
    "australiacentral", "Australia Central", "Australia", Oceania, Some("australiacentral2");
    "australiacentral2", "Australia Central 2", "Australia", Oceania, Some("australiacentral");
    "newzealandnorth", "New Zealand North", "New Zealand", Oceania, None;
    "uaenorth", "UAE North", "United Arab Emirates", MiddleEast, Some("uaecentral");
    "uaecentral", "UAE Central", "United Arab Emirates", MiddleEast, Some("uaenorth");
    "qatarcentral", "Qatar Central", "Qatar", MiddleEast, None;
    "israelcentral", "Israel Central", "Israel", MiddleEast, None;
    "southafricanorth", "South Africa North", "South Africa", Africa, Some("southafricawest");
    "southafricawest", "South Africa West", "South Africa", Africa, Some("southafricanorth");
}

/// A region of the catalog. Cheap to copy; saved as its short name.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region(u16);

impl Default for Region {
    /// West Central US, where the seed creates galleries.
    fn default() -> Self {
        Self(8)
    }
}

/// A region name that is not in the catalog.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown region \"{0}\": expected an Azure region name such as \"westcentralus\" or \"West Central US\""
)]
pub struct UnknownRegion(pub String);

fn fold(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
}

impl Region {
    /// Resolves a short name or a display name (any case, any spacing).
    pub fn parse(name: &str) -> Result<Self, UnknownRegion> {
        CATALOG
            .iter()
            .position(|info| {
                fold(info.name).eq(fold(name)) || fold(info.display_name).eq(fold(name))
            })
            .map(|index| Self(index as u16))
            .ok_or_else(|| UnknownRegion(name.to_owned()))
    }

    /// Every region of the catalog, in catalog order.
    pub fn all() -> impl Iterator<Item = Self> {
        (0..CATALOG.len()).map(|i| Self(i as u16))
    }

    pub fn info(self) -> &'static RegionInfo {
        &CATALOG[usize::from(self.0)]
    }

    /// Short name, e.g. `westcentralus`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Display name, e.g. `West Central US`.
    pub fn display_name(self) -> &'static str {
        self.info().display_name
    }

    pub fn continent(self) -> Continent {
        self.info().continent
    }

    pub fn paired(self) -> Option<Self> {
        self.info().paired.and_then(|name| Self::parse(name).ok())
    }

    /// Index in the catalog, for dense per-region tables.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

impl fmt::Debug for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

impl std::str::FromStr for Region {
    type Err = UnknownRegion;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Region {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Region {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Region;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a region name as a string, such as \"eastus\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Region, E> {
                Region::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// The seed's preview rule: galleries created in West Central US, versions replicated to 13 regions.
pub const PREVIEW_SOURCE_REGIONS: [&str; 1] = ["westcentralus"];
/// The 13 target regions of the seed's preview table.
pub const PREVIEW_TARGET_REGIONS: [&str; 13] = [
    "southcentralus",
    "eastus",
    "eastus2",
    "westus",
    "westus2",
    "centralus",
    "northcentralus",
    "canadacentral",
    "canadaeast",
    "northeurope",
    "westeurope",
    "southindia",
    "southeastasia",
];

/// Resolves a list of names known to be in the catalog.
pub fn regions_of(names: &[&str]) -> Vec<Region> {
    names.iter().filter_map(|n| Region::parse(n).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_name_forms_resolve_to_one_region() {
        let short = Region::parse("eastus2").unwrap();
        assert_eq!(Region::parse("East US 2").unwrap(), short);
        assert_eq!(Region::parse("EAST us 2").unwrap(), short);
        assert_ne!(Region::parse("East US").unwrap(), short);
        assert_eq!(short.display_name(), "East US 2");
    }

    #[test]
    fn default_is_west_central_us() {
        assert_eq!(Region::default().name(), "westcentralus");
    }

    #[test]
    fn unknown_region_is_an_error() {
        let err = Region::parse("East US 3").unwrap_err();
        assert!(err.to_string().contains("unknown region \"East US 3\""));
    }

    #[test]
    fn catalog_is_consistent() {
        let mut names = std::collections::HashSet::new();
        for info in CATALOG {
            assert!(names.insert(info.name), "{} twice", info.name);
            if let Some(pair) = info.paired {
                assert!(
                    Region::parse(pair).is_ok(),
                    "{} pairs with unknown {pair}",
                    info.name
                );
            }
            assert_eq!(fold(info.name).collect::<String>(), info.name);
        }
        assert_eq!(regions_of(&PREVIEW_TARGET_REGIONS).len(), 13);
    }
}
