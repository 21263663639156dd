//! What API 2025-03-03 adds to the resources, and where they live in Azure: subscription and
//! resource group, ARM ids (derived, never stored), tags, definition features, version sources
//! that live only in Azure, sharing and soft delete, and the properties the app does not model,
//! kept verbatim so that an export can write them back.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::azure_enum::azure_enum;
pub use super::verbatim::Verbatim;
use super::{Region, StorageType};

/// Azure tags: name → value, in name order.
pub type Tags = BTreeMap<String, String>;

/// Where a resource stands with respect to Azure: derived from Azure as last seen
/// ([`super::Workspace::presence`], `model::seen`), never stored (format 3 stored it; it is
/// read only to migrate it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Presence {
    /// Planned in the workspace; not (known to be) in Azure.
    #[default]
    Planned,
    /// In Azure as last seen (read or imported): it exists there. ARM cannot rename it: a rename is a delete plus a
    /// create.
    InAzure,
    /// Known only by reference: a child's id or a role assignment's scope names it, but its own
    /// payload has not been imported. Its fields are unknown, not empty.
    Reference,
}

impl Presence {
    pub fn is_planned(&self) -> bool {
        *self == Self::Planned
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::InAzure => "exists in Azure",
            Self::Reference => "known only by reference",
        }
    }
}

/// The ARM id of a gallery, definition or version, derived from the gallery's subscription and
/// resource group (`{subscription-id}` and `{resource-group}` stand in where they are unknown).
pub fn arm_id(
    subscription: &str,
    resource_group: &str,
    gallery: &str,
    definition: Option<&str>,
    version: Option<&str>,
) -> String {
    let sub = if subscription.is_empty() {
        "{subscription-id}"
    } else {
        subscription
    };
    let rg = if resource_group.is_empty() {
        "{resource-group}"
    } else {
        resource_group
    };
    let mut id = format!(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/galleries/{gallery}"
    );
    if let Some(definition) = definition {
        id.push_str("/images/");
        id.push_str(definition);
        if let Some(version) = version {
            id.push_str("/versions/");
            id.push_str(version);
        }
    }
    id
}

/// An ARM id taken apart leniently: any letter case, doubled slashes, `/locations/<region>/`
/// inside gallery ids (as the spec's own examples have), and ids without a subscription.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArmId {
    pub subscription: Option<String>,
    pub resource_group: Option<String>,
    /// The resource provider namespace, e.g. `Microsoft.Compute`.
    pub provider: Option<String>,
    /// `(type, name)` pairs after the provider, types in lower case: `[("galleries", "g"),
    /// ("images", "d"), ("versions", "1.0.0")]`.
    pub segments: Vec<(String, String)>,
}

impl ArmId {
    /// Takes an id apart; `None` when it is not shaped like one (no `/`-separated pairs).
    pub fn parse(id: &str) -> Option<Self> {
        let parts: Vec<&str> = id.split('/').filter(|p| !p.is_empty()).collect();
        if parts.is_empty() {
            return None;
        }
        let mut out = Self::default();
        let mut i = 0;
        while i < parts.len() {
            let key = parts[i].to_ascii_lowercase();
            let value = (*parts.get(i + 1)?).to_owned();
            match key.as_str() {
                "subscriptions" if out.provider.is_none() => out.subscription = Some(value),
                "resourcegroups" if out.provider.is_none() => out.resource_group = Some(value),
                "providers" => out.provider = Some(value),
                // `/locations/westus/` in gallery ids says nothing about the resource itself.
                "locations" if out.provider.is_some() && out.segments.is_empty() => {}
                _ => out.segments.push((key, value)),
            }
            i += 2;
        }
        Some(out)
    }

    /// The name following a type segment (`galleries`, `images`, `versions`, …).
    pub fn name_of(&self, kind: &str) -> Option<&str> {
        self.segments
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, v)| v.as_str())
    }

    /// The last `(type, name)` pair: what the id names.
    pub fn leaf(&self) -> Option<(&str, &str)> {
        self.segments.last().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Gallery, definition and version names when the id is one of those (types compared in
    /// any case; other resources give `None`).
    pub fn gallery_path(&self) -> Option<(String, Option<String>, Option<String>)> {
        let types: Vec<&str> = self.segments.iter().map(|(k, _)| k.as_str()).collect();
        let name = |i: usize| self.segments[i].1.clone();
        match types.as_slice() {
            ["galleries"] => Some((name(0), None, None)),
            ["galleries", "images"] => Some((name(0), Some(name(1)), None)),
            ["galleries", "images", "versions"] => Some((name(0), Some(name(1)), Some(name(2)))),
            _ => None,
        }
    }
}

azure_enum! {
    /// The `SecurityType` feature of a definition.
    #[allow(clippy::enum_variant_names)]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum SecurityType {
        Standard = "Standard",
        TrustedLaunch = "TrustedLaunch",
        TrustedLaunchSupported = "TrustedLaunchSupported",
        ConfidentialVM = "ConfidentialVM",
        ConfidentialVmSupported = "ConfidentialVmSupported",
        TrustedLaunchAndConfidentialVmSupported = "TrustedLaunchAndConfidentialVmSupported",
    }
}

impl SecurityType {
    /// Whether VMs of this type need a generation 2 (UEFI) image.
    pub fn needs_v2(self) -> bool {
        !matches!(self, Self::Standard)
    }
}

/// Name of the definition feature that holds the security type.
pub const SECURITY_TYPE: &str = "SecurityType";

/// A definition feature: a name/value pair (`SecurityType = TrustedLaunch`,
/// `IsAcceleratedNetworkSupported = True`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageFeature {
    pub name: String,
    pub value: String,
    /// The first version the feature applies to, when it does not apply to all.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub starts_at_version: String,
}

/// The marketplace plan VMs created from a definition are billed under.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PurchasePlan {
    pub name: String,
    pub publisher: String,
    pub product: String,
}

azure_enum! {
    /// Who a gallery is shared with beyond role assignments (`sharingProfile.permissions`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum SharingPermission {
        /// Only through role assignments (the default).
        #[default]
        Private = "Private",
        /// Direct sharing with subscriptions and tenants.
        Groups = "Groups",
        /// A community gallery: everyone, under a public name prefix.
        Community = "Community",
    }
}

/// A community gallery's publisher information.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CommunityInfo {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub publisher_uri: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub publisher_contact: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub eula: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub public_name_prefix: String,
}

/// A gallery's `sharingProfile`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SharingProfile {
    #[serde(skip_serializing_if = "super::is_default")]
    pub permission: SharingPermission,
    /// Subscription ids shared with (permission Groups).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subscriptions: Vec<String>,
    /// Tenant (AAD) ids shared with (permission Groups).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tenants: Vec<String>,
    /// Publisher information (permission Community).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub community: Option<CommunityInfo>,
}

impl SharingProfile {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

azure_enum! {
    /// `storageAccountStrategy`: instead of one storage type, a preference regions may override.
    #[allow(non_camel_case_types)]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum StorageAccountStrategy {
        PreferStandard_ZRS = "PreferStandard_ZRS",
        DefaultStandard_LRS = "DefaultStandard_LRS",
    }
}

/// Extra replicas of a target region on another storage type (`additionalReplicaSets`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplicaSet {
    pub storage_type: StorageType,
    pub replicas: u32,
}

/// A target region's additional replica sets: boxed and absent when there are none (the usual
/// case), so that each of a workspace's many target regions pays one pointer for them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ReplicaSets(Option<Box<[ReplicaSet]>>);

impl ReplicaSets {
    pub fn push(&mut self, set: ReplicaSet) {
        let mut sets = self.0.take().map(Vec::from).unwrap_or_default();
        sets.push(set);
        self.0 = Some(sets.into_boxed_slice());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }
}

impl std::ops::Deref for ReplicaSets {
    type Target = [ReplicaSet];

    fn deref(&self) -> &[ReplicaSet] {
        self.0.as_deref().unwrap_or(&[])
    }
}

impl From<Vec<ReplicaSet>> for ReplicaSets {
    fn from(sets: Vec<ReplicaSet>) -> Self {
        Self((!sets.is_empty()).then(|| sets.into_boxed_slice()))
    }
}

impl Serialize for ReplicaSets {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ReplicaSets {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<ReplicaSet>::deserialize(deserializer).map(Self::from)
    }
}

azure_enum! {
    /// Host caching of a disk image (`hostCaching`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum HostCaching {
        None = "None",
        ReadOnly = "ReadOnly",
        ReadWrite = "ReadWrite",
    }
}

/// What a whole version was made from (`storageProfile.source`), by ARM id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SourceRef {
    /// A managed image (`…/Microsoft.Compute/images/<name>`).
    ManagedImage(String),
    /// A virtual machine (`virtualMachineId`).
    VirtualMachine(String),
    /// Another gallery image version.
    GalleryImageVersion(String),
    /// A community gallery image (`communityGalleryImageId`).
    CommunityGalleryImage(String),
    /// An id of another kind, kept as given.
    Other(String),
}

impl SourceRef {
    pub fn id(&self) -> &str {
        match self {
            Self::ManagedImage(id)
            | Self::VirtualMachine(id)
            | Self::GalleryImageVersion(id)
            | Self::CommunityGalleryImage(id)
            | Self::Other(id) => id,
        }
    }

    pub fn kind_label(&self) -> &'static str {
        match self {
            Self::ManagedImage(_) => "managed image",
            Self::VirtualMachine(_) => "virtual machine",
            Self::GalleryImageVersion(_) => "gallery image version",
            Self::CommunityGalleryImage(_) => "community gallery image",
            Self::Other(_) => "resource",
        }
    }

    /// Classifies an `id` by the resource type it names.
    pub fn from_id(id: &str) -> Self {
        let parsed = ArmId::parse(id);
        let types: Vec<&str> = parsed
            .as_ref()
            .map(|p| p.segments.iter().map(|(k, _)| k.as_str()).collect())
            .unwrap_or_default();
        match types.as_slice() {
            ["images"] => Self::ManagedImage(id.to_owned()),
            ["virtualmachines"] => Self::VirtualMachine(id.to_owned()),
            ["galleries", "images", "versions"] => Self::GalleryImageVersion(id.to_owned()),
            ["communitygalleries", ..] => Self::CommunityGalleryImage(id.to_owned()),
            _ => Self::Other(id.to_owned()),
        }
    }
}

/// Where one disk image of a version comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DiskSource {
    /// A snapshot, by ARM id.
    Snapshot(String),
    /// A managed disk, by ARM id.
    ManagedDisk(String),
    /// A VHD blob in a storage account.
    Vhd {
        uri: String,
        storage_account_id: String,
    },
    /// An id of another kind, kept as given.
    Other(String),
}

impl DiskSource {
    pub fn from_id(id: &str) -> Self {
        match ArmId::parse(id).as_ref().and_then(ArmId::leaf) {
            Some(("snapshots", _)) => Self::Snapshot(id.to_owned()),
            Some(("disks", _)) => Self::ManagedDisk(id.to_owned()),
            _ => Self::Other(id.to_owned()),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Snapshot(id) => format!("snapshot {id}"),
            Self::ManagedDisk(id) => format!("managed disk {id}"),
            Self::Vhd { uri, .. } => format!("VHD {uri}"),
            Self::Other(id) => id.clone(),
        }
    }
}

/// One disk image of a version (`osDiskImage`, `dataDiskImages[]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiskImage {
    /// The data disk's LUN; `None` for the OS disk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lun: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<DiskSource>,
    /// Size as the service reports it; `None` when the payload gives none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_gb: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_caching: Option<HostCaching>,
}

/// A version's source that lives in Azure, not among the workspace's managed images.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AzureSource {
    /// `storageProfile.source`: what the whole version was made from, when one resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub whole: Option<SourceRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_disk: Option<DiskImage>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_disks: Vec<DiskImage>,
    /// The version's location: where the source is, and where the first copy starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

impl AzureSource {
    /// Total size of the disk images when the payload gave every one of them a size.
    pub fn size_gb(&self) -> Option<u64> {
        let os = self.os_disk.as_ref()?.size_gb?;
        let mut total = u64::from(os);
        for disk in &self.data_disks {
            total += u64::from(disk.size_gb?);
        }
        Some(total)
    }

    /// One line saying what the source is.
    pub fn describe(&self) -> String {
        if let Some(whole) = &self.whole {
            return format!("{} {}", whole.kind_label(), whole.id());
        }
        let mut parts = Vec::new();
        if let Some(source) = self.os_disk.as_ref().and_then(|d| d.source.as_ref()) {
            parts.push(format!("OS disk from {}", source.describe()));
        }
        for disk in &self.data_disks {
            if let Some(source) = &disk.source {
                let lun = disk.lun.map_or(String::new(), |l| format!(" (LUN {l})"));
                parts.push(format!("data disk{lun} from {}", source.describe()));
            }
        }
        if parts.is_empty() {
            "a source in Azure the payload does not name".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

impl fmt::Display for AzureSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_untidy_ids() {
        let id = ArmId::parse("/subscriptions/s/resourceGroups/RG//providers/Microsoft.Compute/locations/westus/Galleries/g/Images/d/Versions/1.0.0").unwrap();
        assert_eq!(id.subscription.as_deref(), Some("s"));
        assert_eq!(id.resource_group.as_deref(), Some("RG"));
        assert_eq!(
            id.gallery_path(),
            Some(("g".into(), Some("d".into()), Some("1.0.0".into())))
        );
        let bare = ArmId::parse("/providers/Microsoft.Compute/galleries/g/images/d").unwrap();
        assert_eq!(bare.subscription, None);
        assert_eq!(
            bare.gallery_path(),
            Some(("g".into(), Some("d".into()), None))
        );
        assert_eq!(ArmId::parse("/subscriptions"), None);
        assert_eq!(ArmId::parse(""), None);
    }

    #[test]
    fn classifies_sources() {
        assert!(matches!(
            SourceRef::from_id(
                "/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/images/i"
            ),
            SourceRef::ManagedImage(_)
        ));
        assert!(matches!(
            SourceRef::from_id("/communityGalleries/c/images/i"),
            SourceRef::CommunityGalleryImage(_)
        ));
        assert!(matches!(
            DiskSource::from_id(
                "/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/snapshots/x"
            ),
            DiskSource::Snapshot(_)
        ));
    }
}
