//! What images are made of: the enums Azure names (OS, generation, architecture, storage,
//! disk types, replication mode) and the managed images versions are built from.

use serde::{Deserialize, Serialize};

use super::azure_enum::azure_enum;
use super::{Region, is_default};

azure_enum! {
    /// Azure's `osType`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum OsType {
        #[default]
        Linux = "Linux",
        Windows = "Windows",
    }
}

azure_enum! {
    /// Azure's `osState`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum OsState {
        #[default]
        Generalized = "Generalized",
        Specialized = "Specialized",
    }
}

azure_enum! {
    /// Azure's `hyperVGeneration`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum HyperVGeneration {
        /// The service's default when none is given.
        #[default]
        V1 = "V1",
        V2 = "V2",
    }
}

azure_enum! {
    /// Azure's `architecture`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Architecture {
        #[default]
        X64 = "x64",
        Arm64 = "Arm64",
    }
}

azure_enum! {
    /// Storage of a version's replicas (`storageAccountType`).
    #[allow(non_camel_case_types)]
    #[derive(
        Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
    )]
    pub enum StorageType {
        #[default]
        Standard_LRS = "Standard_LRS",
        Standard_ZRS = "Standard_ZRS",
        Premium_LRS = "Premium_LRS",
        /// Premium SSD v2 (API 2025-03-03).
        PremiumV2_LRS = "PremiumV2_LRS",
    }
}

impl StorageType {
    /// For people too: Azure's name.
    pub fn label(self) -> &'static str {
        self.name()
    }
}

azure_enum! {
    /// Disk types a definition can disallow for VMs created from it (`disallowed.diskTypes`).
    #[allow(non_camel_case_types)]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    pub enum DiskType {
        Standard_LRS = "Standard_LRS",
        StandardSSD_LRS = "StandardSSD_LRS",
        StandardSSD_ZRS = "StandardSSD_ZRS",
        Premium_LRS = "Premium_LRS",
        Premium_ZRS = "Premium_ZRS",
        PremiumV2_LRS = "PremiumV2_LRS",
        UltraSSD_LRS = "UltraSSD_LRS",
    }
}

azure_enum! {
    /// Azure's `replicationMode`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum ReplicationMode {
        #[default]
        Full = "Full",
        /// Skips the copy: fast, for dev/test with few VMs.
        Shallow = "Shallow",
    }
}

/// What a managed image was captured from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaptureKind {
    /// OS disk and every attached data disk.
    #[default]
    WholeVm,
    OsDiskOnly,
}

/// A data disk of a managed image.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataDisk {
    pub lun: u32,
    pub size_gb: u32,
}

/// The source of image versions: a copy of a VM's disks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedImage {
    pub name: String,
    pub region: Region,
    pub os_type: OsType,
    #[serde(default, skip_serializing_if = "is_default")]
    pub capture: CaptureKind,
    pub os_disk_gb: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_disks: Vec<DataDisk>,
    /// Space actually used across the disks; what replicas are billed and copied by.
    pub occupied_gb: f64,
}

impl ManagedImage {
    /// Provisioned size of all disks.
    pub fn total_disk_gb(&self) -> u64 {
        u64::from(self.os_disk_gb)
            + self
                .data_disks
                .iter()
                .map(|d| u64::from(d.size_gb))
                .sum::<u64>()
    }
}
