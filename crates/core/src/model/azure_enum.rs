//! Enums Azure spells in words of its own (`osType: "Windows"`, `architecture: "x64"`,
//! `storageAccountType: "PremiumV2_LRS"`): each is declared once with [`azure_enum!`], which
//! writes its one table, `NAMES`, and the two directions that read it: `name` (the export, the
//! editors' choices) and `parse` (the import, in any letter case). Before, the same spellings
//! were written out in the export's tables, the import's conversions, the model's own `name`
//! and `parse` methods and the UI's choice tables.
//!
//! A `macro_rules!` of our own rather than a derive crate such as `strum`: the app's choice
//! widgets and the export take the table as a `const` array of (value, name) pairs, which
//! `strum` does not produce (it gives the variants and the names separately, through traits
//! that are not `const`), and a proc-macro crate would add a build step on a 2-core machine
//! for 60 lines of declarations.

/// Declares an enum whose variants carry Azure's spelling (`Variant = "azureName"`) and writes:
/// - `ALL`: every value, in declaration order;
/// - `NAMES`: every value with its Azure name (the one table);
/// - `name(self)`: Azure's spelling;
/// - `parse(text)`: the value Azure spells so, in any letter case, blanks around ignored.
macro_rules! azure_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $enum:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident = $azure:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $enum {
            $(
                $(#[$variant_meta])*
                $variant,
            )+
        }

        impl $enum {
            /// Every value, in declaration order.
            pub const ALL: [Self; [$(stringify!($variant)),+].len()] = [$(Self::$variant),+];

            /// Every value with Azure's spelling of it.
            pub const NAMES: [(Self, &'static str); [$(stringify!($variant)),+].len()] =
                [$((Self::$variant, $azure)),+];

            /// Azure's spelling.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $azure,)+
                }
            }

            /// The value Azure spells so, in any letter case; blanks around are ignored.
            pub fn parse(text: &str) -> Option<Self> {
                let text = text.trim();
                Self::NAMES
                    .into_iter()
                    .find(|(_, name)| name.eq_ignore_ascii_case(text))
                    .map(|(value, _)| value)
            }
        }
    };
}

pub(crate) use azure_enum;

#[cfg(test)]
mod tests {
    use super::super::azure::{HostCaching, SharingPermission};
    use super::super::{
        Architecture, DiskType, HyperVGeneration, OsState, OsType, PrincipalKind, RegionState,
        ReplicationMode, SecurityType, StorageAccountStrategy, StorageType,
    };

    /// Every name parses back to its value, in any letter case, and no two values share a
    /// name (`parse` would find the first).
    fn round_trips<T: Copy + PartialEq + std::fmt::Debug>(
        names: &[(T, &'static str)],
        name: impl Fn(T) -> &'static str,
        parse: impl Fn(&str) -> Option<T>,
    ) {
        for (value, azure) in names {
            assert_eq!(name(*value), *azure);
            assert_eq!(parse(azure), Some(*value));
            assert_eq!(parse(&format!(" {} ", azure.to_uppercase())), Some(*value));
            assert_eq!(parse(&azure.to_lowercase()), Some(*value));
        }
        assert_eq!(parse("no such value"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn every_value_has_one_name_that_parses_back() {
        round_trips(&OsType::NAMES, OsType::name, OsType::parse);
        round_trips(&OsState::NAMES, OsState::name, OsState::parse);
        round_trips(
            &HyperVGeneration::NAMES,
            HyperVGeneration::name,
            HyperVGeneration::parse,
        );
        round_trips(
            &Architecture::NAMES,
            Architecture::name,
            Architecture::parse,
        );
        round_trips(&StorageType::NAMES, StorageType::name, StorageType::parse);
        round_trips(&DiskType::NAMES, DiskType::name, DiskType::parse);
        round_trips(
            &ReplicationMode::NAMES,
            ReplicationMode::name,
            ReplicationMode::parse,
        );
        round_trips(
            &PrincipalKind::NAMES,
            PrincipalKind::name,
            PrincipalKind::parse,
        );
        round_trips(&RegionState::NAMES, RegionState::name, RegionState::parse);
        round_trips(
            &SecurityType::NAMES,
            SecurityType::name,
            SecurityType::parse,
        );
        round_trips(
            &SharingPermission::NAMES,
            SharingPermission::name,
            SharingPermission::parse,
        );
        round_trips(
            &StorageAccountStrategy::NAMES,
            StorageAccountStrategy::name,
            StorageAccountStrategy::parse,
        );
        round_trips(&HostCaching::NAMES, HostCaching::name, HostCaching::parse);
    }

    #[test]
    fn azure_spells_some_values_unlike_the_variant() {
        assert_eq!(Architecture::X64.name(), "x64");
        assert_eq!(Architecture::parse("X64"), Some(Architecture::X64));
        assert_eq!(PrincipalKind::ServicePrincipal.name(), "ServicePrincipal");
        assert_eq!(StorageType::ALL.len(), 4);
        assert_eq!(DiskType::ALL.map(DiskType::name)[6], "UltraSSD_LRS");
        // The variants are the file's spelling: where it is Azure's too, the two agree.
        for (value, name) in DiskType::NAMES {
            assert_eq!(format!("{value:?}"), name);
        }
    }
}
