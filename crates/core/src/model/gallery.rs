//! Galleries and image definitions: their fields, ARM ids, and what editors derive from them.

use serde::{Deserialize, Serialize};

use super::azure::{
    self, ImageFeature, Presence, PurchasePlan, SecurityType, SharingProfile, Tags, Verbatim,
};
use super::{
    Architecture, Date, DefinitionDefaults, DiskType, HyperVGeneration, ImageVersion, OsState,
    OsType, Region, RetentionPolicy, Time, VersionNumber, is_default, is_false,
};

/// A repository of image definitions, with a home region.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gallery {
    pub name: String,
    pub region: Region,
    pub tenant: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Cost: the retention policy of definitions that have none of their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_retention: Option<RetentionPolicy>,
    /// The Azure subscription id the gallery lives in (empty: not known yet).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subscription: String,
    /// The Azure resource group the gallery lives in (empty: not known yet).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource_group: String,
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    /// Deleted versions are kept and can be restored (`softDeletePolicy.isSoftDeleteEnabled`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub soft_delete: bool,
    #[serde(default, skip_serializing_if = "SharingProfile::is_default")]
    pub sharing: SharingProfile,
    /// Format 3 stored here whether the resource exists in Azure; it is read only to move it
    /// into Azure as last seen ([`super::seen`]) and is `Planned` once a file is loaded. Whether a
    /// resource exists in Azure is [`super::Workspace::presence`].
    #[doc(hidden)]
    #[serde(default, rename = "presence", skip_serializing)]
    pub format3_presence: Presence,
    /// Properties the app does not model, kept verbatim for the export.
    #[serde(default, skip_serializing_if = "Verbatim::is_empty")]
    pub unmodeled: Verbatim,
    #[serde(default, skip_serializing, deserialize_with = "super::exact::vec")]
    pub definitions: Vec<ImageDefinition>,
}

/// A type of image with its requirements; versions live under it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageDefinition {
    pub name: String,
    pub publisher: String,
    pub offer: String,
    pub sku: String,
    pub os_type: OsType,
    pub os_state: OsState,
    #[serde(default, skip_serializing_if = "is_default")]
    pub generation: HyperVGeneration,
    #[serde(default, skip_serializing_if = "is_default")]
    pub architecture: Architecture,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub release_notes: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub release_note_uri: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub eula: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub privacy_uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcpus_min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcpus_max: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_gb_min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_gb_max: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_life: Option<Date>,
    /// The time of day (UTC) of the end of life when Azure gave one other than midnight; only
    /// used while `end_of_life` is the date it came with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_life_time: Option<Time>,
    /// Where the definition lives in Azure when not in its gallery's region (`None`: the
    /// gallery's region).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Region>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disallowed_disk_types: Vec<DiskType>,
    /// Cost: which versions keep all regions, shrink to the source region or are deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<RetentionPolicy>,
    /// Name/value pairs (`SecurityType`, `IsAcceleratedNetworkSupported`, …); see
    /// `security_type`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<ImageFeature>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_plan: Option<PurchasePlan>,
    /// `allowUpdateImage`: whether the definition's image may be updated (None: not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_update_image: Option<bool>,
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    /// Format 3 stored here whether the resource exists in Azure; it is read only to move it
    /// into Azure as last seen ([`super::seen`]) and is `Planned` once a file is loaded. Whether a
    /// resource exists in Azure is [`super::Workspace::presence`].
    #[doc(hidden)]
    #[serde(default, rename = "presence", skip_serializing)]
    pub format3_presence: Presence,
    #[serde(default, skip_serializing_if = "Verbatim::is_empty")]
    pub unmodeled: Verbatim,
    #[serde(default, skip_serializing, deserialize_with = "super::exact::vec")]
    pub versions: Vec<ImageVersion>,
}

impl Gallery {
    /// The gallery's ARM id, derived from its subscription, resource group and name.
    pub fn arm_id(&self) -> String {
        azure::arm_id(
            &self.subscription,
            &self.resource_group,
            &self.name,
            None,
            None,
        )
    }

    /// The ARM id of a definition of this gallery, or of a version when `version` is given.
    pub fn child_arm_id(&self, definition: &str, version: Option<&str>) -> String {
        azure::arm_id(
            &self.subscription,
            &self.resource_group,
            &self.name,
            Some(definition),
            version,
        )
    }

    /// The gallery's own fields, without its definitions (cheap to copy).
    pub fn without_definitions(&self) -> Self {
        Self {
            name: self.name.clone(),
            region: self.region,
            tenant: self.tenant.clone(),
            description: self.description.clone(),
            default_retention: self.default_retention.clone(),
            subscription: self.subscription.clone(),
            resource_group: self.resource_group.clone(),
            tags: self.tags.clone(),
            soft_delete: self.soft_delete,
            sharing: self.sharing.clone(),
            format3_presence: Presence::Planned,
            unmodeled: self.unmodeled.clone(),
            definitions: Vec::new(),
        }
    }

    pub fn definition(&self, name: &str) -> Option<&ImageDefinition> {
        self.definitions.iter().find(|d| d.name == name)
    }
}

impl ImageDefinition {
    /// A new definition with the generation and security type of `defaults`.
    pub fn with_defaults(defaults: DefinitionDefaults) -> Self {
        let mut definition = Self::default();
        match defaults {
            DefinitionDefaults::TrustedLaunchSupported => {
                definition.generation = HyperVGeneration::V2;
                definition.set_security_type(Some(SecurityType::TrustedLaunchSupported));
            }
            DefinitionDefaults::Classic => {
                definition.generation = HyperVGeneration::V1;
                definition.set_security_type(None);
            }
        }
        definition
    }

    /// Sets the `SecurityType` feature (`None` removes it: Standard).
    pub fn set_security_type(&mut self, security: Option<SecurityType>) {
        self.features
            .retain(|f| !f.name.eq_ignore_ascii_case(azure::SECURITY_TYPE));
        if let Some(security) = security {
            self.features.push(ImageFeature {
                name: azure::SECURITY_TYPE.to_owned(),
                value: security.name().to_owned(),
                starts_at_version: String::new(),
            });
        }
    }

    /// The definition's own fields, without its versions (cheap to copy).
    pub fn without_versions(&self) -> Self {
        Self {
            name: self.name.clone(),
            publisher: self.publisher.clone(),
            offer: self.offer.clone(),
            sku: self.sku.clone(),
            os_type: self.os_type,
            os_state: self.os_state,
            generation: self.generation,
            architecture: self.architecture,
            description: self.description.clone(),
            release_notes: self.release_notes.clone(),
            release_note_uri: self.release_note_uri.clone(),
            eula: self.eula.clone(),
            privacy_uri: self.privacy_uri.clone(),
            vcpus_min: self.vcpus_min,
            vcpus_max: self.vcpus_max,
            memory_gb_min: self.memory_gb_min,
            memory_gb_max: self.memory_gb_max,
            end_of_life: self.end_of_life,
            end_of_life_time: self.end_of_life_time,
            location: self.location,
            disallowed_disk_types: self.disallowed_disk_types.clone(),
            retention: self.retention.clone(),
            features: self.features.clone(),
            purchase_plan: self.purchase_plan.clone(),
            allow_update_image: self.allow_update_image,
            tags: self.tags.clone(),
            format3_presence: Presence::Planned,
            unmodeled: self.unmodeled.clone(),
            versions: Vec::new(),
        }
    }

    /// The `SecurityType` feature, when set: `Some(Err(value))` when its value is not one
    /// the service knows.
    pub fn security_type(&self) -> Option<Result<SecurityType, &str>> {
        self.features
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(azure::SECURITY_TYPE))
            .map(|f| SecurityType::parse(&f.value).ok_or(f.value.as_str()))
    }

    pub fn version(&self, name: &str) -> Option<&ImageVersion> {
        self.versions.iter().find(|v| v.name == name)
    }

    /// Indices of the versions in numeric order (unparsable names last).
    pub fn versions_sorted(&self) -> Vec<usize> {
        let mut keyed: Vec<(Option<VersionNumber>, usize)> = self
            .versions
            .iter()
            .enumerate()
            .map(|(i, v)| (v.number(), i))
            .collect();
        keyed.sort_by(|(a, ia), (b, ib)| match (a, b) {
            (Some(x), Some(y)) => x.cmp(y).then(ia.cmp(ib)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => self.versions[*ia].name.cmp(&self.versions[*ib].name),
        });
        keyed.into_iter().map(|(_, i)| i).collect()
    }
}
