//! Azure's spellings of the model's enums, used by the import (any letter case in) and the
//! export (Azure's spelling out): one table per enum, so the two never disagree.

use crate::model::{
    Architecture, DiskType, HyperVGeneration, OsState, OsType, PrincipalKind, ReplicationMode,
};

pub const OS_TYPES: [(OsType, &str); 2] = [(OsType::Linux, "Linux"), (OsType::Windows, "Windows")];
pub const OS_STATES: [(OsState, &str); 2] = [
    (OsState::Generalized, "Generalized"),
    (OsState::Specialized, "Specialized"),
];
pub const GENERATIONS: [(HyperVGeneration, &str); 2] =
    [(HyperVGeneration::V1, "V1"), (HyperVGeneration::V2, "V2")];
pub const ARCHITECTURES: [(Architecture, &str); 2] =
    [(Architecture::X64, "x64"), (Architecture::Arm64, "Arm64")];
pub const REPLICATION_MODES: [(ReplicationMode, &str); 2] = [
    (ReplicationMode::Full, "Full"),
    (ReplicationMode::Shallow, "Shallow"),
];
pub const DISK_TYPES: [(DiskType, &str); 7] = [
    (DiskType::Standard_LRS, "Standard_LRS"),
    (DiskType::StandardSSD_LRS, "StandardSSD_LRS"),
    (DiskType::StandardSSD_ZRS, "StandardSSD_ZRS"),
    (DiskType::Premium_LRS, "Premium_LRS"),
    (DiskType::Premium_ZRS, "Premium_ZRS"),
    (DiskType::PremiumV2_LRS, "PremiumV2_LRS"),
    (DiskType::UltraSSD_LRS, "UltraSSD_LRS"),
];
pub const PRINCIPAL_TYPES: [(PrincipalKind, &str); 3] = [
    (PrincipalKind::User, "User"),
    (PrincipalKind::ServicePrincipal, "ServicePrincipal"),
    (PrincipalKind::Group, "Group"),
];

/// Azure's spelling of a value.
pub fn name<T: PartialEq + Copy>(table: &[(T, &'static str)], value: T) -> &'static str {
    table
        .iter()
        .find(|(v, _)| *v == value)
        .map_or("", |(_, n)| n)
}

/// The value Azure spells so, in any letter case.
pub fn parse<T: Copy>(table: &[(T, &'static str)], text: &str) -> Option<T> {
    table
        .iter()
        .find(|(_, n)| n.eq_ignore_ascii_case(text.trim()))
        .map(|(v, _)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_has_one_name() {
        for (v, n) in DISK_TYPES {
            assert_eq!(parse(&DISK_TYPES, n), Some(v));
            assert_eq!(format!("{v:?}"), n);
        }
        assert_eq!(parse(&ARCHITECTURES, "ARM64"), Some(Architecture::Arm64));
        assert_eq!(name(&GENERATIONS, HyperVGeneration::V2), "V2");
    }
}
