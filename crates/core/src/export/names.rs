//! Azure's spellings of the model's enums under the names the export uses. Each table is the
//! one its enum declares (`NAMES`, written by the model's `azure_enum!`), so the import, the
//! export, the model and the app's choices read one table and never disagree.

use crate::model::{
    Architecture, DiskType, HyperVGeneration, OsState, OsType, PrincipalKind, ReplicationMode,
};

pub const OS_TYPES: [(OsType, &str); OsType::ALL.len()] = OsType::NAMES;
pub const OS_STATES: [(OsState, &str); OsState::ALL.len()] = OsState::NAMES;
pub const GENERATIONS: [(HyperVGeneration, &str); HyperVGeneration::ALL.len()] =
    HyperVGeneration::NAMES;
pub const ARCHITECTURES: [(Architecture, &str); Architecture::ALL.len()] = Architecture::NAMES;
pub const REPLICATION_MODES: [(ReplicationMode, &str); ReplicationMode::ALL.len()] =
    ReplicationMode::NAMES;
pub const DISK_TYPES: [(DiskType, &str); DiskType::ALL.len()] = DiskType::NAMES;
pub const PRINCIPAL_TYPES: [(PrincipalKind, &str); PrincipalKind::ALL.len()] = PrincipalKind::NAMES;

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
