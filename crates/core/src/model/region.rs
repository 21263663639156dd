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

/// Whether anyone may deploy to a region, or only subscriptions Microsoft has given access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    Open,
    /// "Access to this region is restricted to support specific customer scenarios, such as
    /// disaster recovery within a specific geographic area": a subscription uses it only after
    /// an access request (Microsoft docs, "Azure region access request process").
    OnRequest,
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
    /// Whether the region has availability zones. Zone-redundant storage (Standard_ZRS) is
    /// offered exactly there ("in any region that supports availability zones").
    pub zones: bool,
    pub access: Access,
}

macro_rules! regions {
    ($( $name:literal, $display:literal, $geo:literal, $cont:ident, $pair:expr, $zones:literal, $access:ident; )*) => {
        /// Today's public Azure regions, one entry per region of Microsoft's "Azure regions
        /// list" (reliability/regions-list.md, 2025-09-23; regions marked "coming soon" there
        /// are left out until they open). Columns: short name, display name, geography,
        /// continent, paired region, availability zones (hence ZRS), access.
        pub static CATALOG: &[RegionInfo] = &[
            $( RegionInfo { name: $name, display_name: $display, geography: $geo, continent: Continent::$cont, paired: $pair, zones: $zones, access: Access::$access }, )*
        ];
    };
}

// West Central US stays at index 8: `Region::default()`.
regions! {
    "eastus", "East US", "United States", NorthAmerica, Some("westus"), true, Open;
    "eastus2", "East US 2", "United States", NorthAmerica, Some("centralus"), true, Open;
    "southcentralus", "South Central US", "United States", NorthAmerica, Some("northcentralus"), true, Open;
    "westus2", "West US 2", "United States", NorthAmerica, Some("westcentralus"), true, Open;
    "westus3", "West US 3", "United States", NorthAmerica, Some("eastus"), true, Open;
    "centralus", "Central US", "United States", NorthAmerica, Some("eastus2"), true, Open;
    "northcentralus", "North Central US", "United States", NorthAmerica, Some("southcentralus"), false, Open;
    "westus", "West US", "United States", NorthAmerica, Some("eastus"), false, Open;
    "westcentralus", "West Central US", "United States", NorthAmerica, Some("westus2"), false, Open;
    "canadacentral", "Canada Central", "Canada", NorthAmerica, Some("canadaeast"), true, Open;
    "canadaeast", "Canada East", "Canada", NorthAmerica, Some("canadacentral"), false, Open;
    "mexicocentral", "Mexico Central", "Mexico", NorthAmerica, None, true, Open;
    "brazilsouth", "Brazil South", "Brazil", SouthAmerica, Some("southcentralus"), true, Open;
    "brazilsoutheast", "Brazil Southeast", "Brazil", SouthAmerica, Some("brazilsouth"), false, OnRequest;
    "chilecentral", "Chile Central", "Chile", SouthAmerica, None, true, Open;
    "northeurope", "North Europe", "Europe", Europe, Some("westeurope"), true, Open;
    "westeurope", "West Europe", "Europe", Europe, Some("northeurope"), true, Open;
    "uksouth", "UK South", "United Kingdom", Europe, Some("ukwest"), true, Open;
    "ukwest", "UK West", "United Kingdom", Europe, Some("uksouth"), false, Open;
    "francecentral", "France Central", "France", Europe, Some("francesouth"), true, Open;
    "francesouth", "France South", "France", Europe, Some("francecentral"), false, OnRequest;
    "germanywestcentral", "Germany West Central", "Germany", Europe, Some("germanynorth"), true, Open;
    "germanynorth", "Germany North", "Germany", Europe, Some("germanywestcentral"), false, OnRequest;
    "switzerlandnorth", "Switzerland North", "Switzerland", Europe, Some("switzerlandwest"), true, Open;
    "switzerlandwest", "Switzerland West", "Switzerland", Europe, Some("switzerlandnorth"), false, OnRequest;
    "norwayeast", "Norway East", "Norway", Europe, Some("norwaywest"), true, Open;
    "norwaywest", "Norway West", "Norway", Europe, Some("norwayeast"), false, OnRequest;
    // Its pair, Sweden South, appears in the list only as that pair, not as a region of its own.
    "swedencentral", "Sweden Central", "Sweden", Europe, None, true, Open;
    "polandcentral", "Poland Central", "Poland", Europe, None, true, Open;
    "italynorth", "Italy North", "Italy", Europe, None, true, Open;
    "spaincentral", "Spain Central", "Spain", Europe, None, true, Open;
    "austriaeast", "Austria East", "Austria", Europe, None, true, Open;
    "belgiumcentral", "Belgium Central", "Belgium", Europe, None, true, Open;
    "eastasia", "East Asia", "Asia Pacific", Asia, Some("southeastasia"), true, Open;
    "southeastasia", "Southeast Asia", "Asia Pacific", Asia, Some("eastasia"), true, Open;
    "japaneast", "Japan East", "Japan", Asia, Some("japanwest"), true, Open;
    "japanwest", "Japan West", "Japan", Asia, Some("japaneast"), true, Open;
    "koreacentral", "Korea Central", "Korea", Asia, Some("koreasouth"), true, Open;
    "koreasouth", "Korea South", "Korea", Asia, Some("koreacentral"), false, Open;
    "centralindia", "Central India", "India", Asia, Some("southindia"), true, Open;
    "southindia", "South India", "India", Asia, Some("centralindia"), false, Open;
    "westindia", "West India", "India", Asia, Some("southindia"), false, Open;
    "indonesiacentral", "Indonesia Central", "Indonesia", Asia, None, true, Open;
    "malaysiawest", "Malaysia West", "Malaysia", Asia, None, true, Open;
    "australiaeast", "Australia East", "Australia", Oceania, Some("australiasoutheast"), true, Open;
    "australiasoutheast", "Australia Southeast", "Australia", Oceania, Some("australiaeast"), false, Open;
    "australiacentral", "Australia Central", "Australia", Oceania, Some("australiacentral2"), false, OnRequest;
    "australiacentral2", "Australia Central 2", "Australia", Oceania, Some("australiacentral"), false, OnRequest;
    "newzealandnorth", "New Zealand North", "New Zealand", Oceania, None, true, Open;
    "uaenorth", "UAE North", "United Arab Emirates", MiddleEast, Some("uaecentral"), true, Open;
    "uaecentral", "UAE Central", "United Arab Emirates", MiddleEast, Some("uaenorth"), false, OnRequest;
    "qatarcentral", "Qatar Central", "Qatar", MiddleEast, None, true, Open;
    "israelcentral", "Israel Central", "Israel", MiddleEast, None, true, Open;
    "southafricanorth", "South Africa North", "South Africa", Africa, Some("southafricawest"), true, Open;
    "southafricawest", "South Africa West", "South Africa", Africa, Some("southafricanorth"), false, OnRequest;
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

/// A region name that is not in the catalog, and what it is when the name is known.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown region \"{name}\": {why}")]
pub struct UnknownRegion {
    pub name: String,
    pub why: String,
}

/// Location names ARM or older lists know that are not public regions of their own.
const NOT_REGIONS: &[(&str, &str)] = &[
    (
        "swedensouth",
        "Sweden South appears in Microsoft's regions list only as Sweden Central's restricted pair, not as a region of its own",
    ),
    (
        "jioindiawest",
        "Jio India West serves Reliance Jio's customers only and is not in Microsoft's public regions list",
    ),
    (
        "jioindiacentral",
        "Jio India Central serves Reliance Jio's customers only and is not in Microsoft's public regions list",
    ),
    (
        "denmarkeast",
        "Denmark East is announced (\"coming soon\" in Microsoft's regions list) but not open yet",
    ),
    (
        "global",
        "\"global\" is a logical location, not a region: pick a region",
    ),
];

fn fold(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
}

impl UnknownRegion {
    fn new(name: &str) -> Self {
        let known = NOT_REGIONS
            .iter()
            .find(|(n, _)| fold(n).eq(fold(name)))
            .map(|(_, why)| (*why).to_owned());
        // A geography or continent ("Europe", "unitedstates", "Asia Pacific") names many regions.
        let area = || {
            let in_area = |area: fn(&RegionInfo) -> &str| -> Vec<&str> {
                CATALOG
                    .iter()
                    .filter(|info| fold(area(info)).eq(fold(name)))
                    .map(|info| info.display_name)
                    .collect()
            };
            let mut regions = in_area(|info| info.geography);
            if regions.is_empty() {
                regions = in_area(|info| info.continent.label());
            }
            (!regions.is_empty()).then(|| {
                format!(
                    "a geography, not a region of its own; its regions: {}",
                    regions.join(", ")
                )
            })
        };
        Self {
            name: name.to_owned(),
            why: known.or_else(area).unwrap_or_else(|| {
                "expected an Azure region name such as \"westcentralus\" or \"West Central US\""
                    .to_owned()
            }),
        }
    }
}

impl Region {
    /// Resolves a short name or a display name (any case, any spacing).
    pub fn parse(name: &str) -> Result<Self, UnknownRegion> {
        // The short name as files and Azure write it, found without folding: a workspace of
        // 100,000 versions names 900,000 target regions.
        if let Some(index) = CATALOG.iter().position(|info| info.name == name) {
            return Ok(Self(index as u16));
        }
        CATALOG
            .iter()
            .position(|info| {
                fold(info.name).eq(fold(name)) || fold(info.display_name).eq(fold(name))
            })
            .map(|index| Self(index as u16))
            .ok_or_else(|| UnknownRegion::new(name))
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

    /// Whether the region offers zone-redundant storage (Standard_ZRS): it has availability
    /// zones. Elsewhere the service answers "ZRS storage account type is not supported in this
    /// region".
    pub fn offers_zrs(self) -> bool {
        self.info().zones
    }

    /// Whether a subscription may use the region only after an access request.
    pub fn on_request(self) -> bool {
        self.info().access == Access::OnRequest
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
    fn a_short_name_as_written_is_the_region_the_folded_names_give() {
        for region in Region::all() {
            let folded = CATALOG.iter().position(|info| {
                fold(info.name).eq(fold(region.name()))
                    || fold(info.display_name).eq(fold(region.name()))
            });
            assert_eq!(folded, Some(usize::from(region.0)), "{}", region.name());
            assert_eq!(Region::parse(region.name()).ok(), Some(region));
        }
    }

    /// Plans and bodies key regions by their short name in lowercase, as ARM compares them.
    #[test]
    fn every_short_name_is_lowercase_ascii() {
        for region in Region::all() {
            let name = region.name();
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "{name}"
            );
        }
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
    fn names_that_are_not_regions_of_their_own_are_refused_and_said_why() {
        for name in ["swedensouth", "Jio India West", "jioindiacentral", "global"] {
            assert!(Region::parse(name).is_err(), "{name}");
        }
        let err = Region::parse("Sweden South").unwrap_err();
        assert!(
            err.to_string().contains("not as a region of its own"),
            "{err}"
        );
        let err = Region::parse("Europe").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown region \"Europe\": a geography, not a region of its own; its regions: North Europe, West Europe"
        );
        assert!(
            Region::parse("unitedstates")
                .unwrap_err()
                .why
                .contains("East US, East US 2")
        );
        // Announced but not open.
        assert!(
            Region::parse("denmarkeast")
                .unwrap_err()
                .why
                .contains("not open yet")
        );
    }

    #[test]
    fn regions_opened_recently_are_in_the_catalog() {
        // Microsoft's "Azure regions list": Austria East (Vienna) and Belgium Central
        // (Brussels), both with availability zones and no pair.
        for (name, display) in [
            ("austriaeast", "Austria East"),
            ("belgiumcentral", "Belgium Central"),
            ("chilecentral", "Chile Central"),
            ("indonesiacentral", "Indonesia Central"),
            ("malaysiawest", "Malaysia West"),
            ("newzealandnorth", "New Zealand North"),
        ] {
            let region = Region::parse(display).unwrap();
            assert_eq!(region.name(), name);
            assert!(region.offers_zrs(), "{name}");
            assert!(!region.on_request(), "{name}");
            assert_eq!(region.paired(), None);
        }
        // The list's 56 rows, less Denmark East (coming soon).
        assert_eq!(CATALOG.len(), 55);
    }

    #[test]
    fn regions_open_only_on_request_are_marked() {
        // Marked "access is restricted" in Microsoft's regions list, and Australia Central,
        // which DOMAIN.md §7 names: both Australia Central regions serve government customers
        // on request.
        let on_request: Vec<&str> = Region::all()
            .filter(|r| r.on_request())
            .map(|r| r.display_name())
            .collect();
        assert_eq!(
            on_request,
            [
                "Brazil Southeast",
                "France South",
                "Germany North",
                "Switzerland West",
                "Norway West",
                "Australia Central",
                "Australia Central 2",
                "UAE Central",
                "South Africa West",
            ]
        );
    }

    #[test]
    fn zone_redundant_storage_where_the_region_has_availability_zones() {
        let zrs = |name: &str| Region::parse(name).unwrap().offers_zrs();
        assert!(zrs("eastus") && zrs("westeurope") && zrs("swedencentral"));
        assert!(!zrs("westus") && !zrs("westcentralus") && !zrs("northcentralus"));
        assert!(!zrs("southindia") && !zrs("ukwest") && !zrs("australiacentral"));
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
