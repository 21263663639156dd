//! What the service refuses to change once a resource exists (DOMAIN.md §1, §9): properties fixed
//! at creation, replicated regions a version protects, and deletions a version blocks until its
//! end of life. Written once here; the edits of the workspace (`edit`) and the deployment plan
//! (`plan`) both ask these functions, so their answers and texts cannot disagree.

use super::azure::{ImageFeature, SharingPermission};
use super::{
    Date, Gallery, ImageDefinition, ImageVersion, Region, RegionState, ResourcePath, TargetRegion,
};

/// The service's answer to changing a property fixed at creation.
pub fn immutable_message(path: &ResourcePath, property: &str) -> String {
    immutable_text(path.kind(), property)
}

/// [`immutable_message`] for a resource of `kind` ([`ResourcePath::kind`]).
pub fn immutable_text(kind: &str, property: &str) -> String {
    format!("Changing property '{property}' is not allowed: it is fixed when the {kind} is created")
}

/// The field of the file (as editors and problems name it) that holds a fixed property, by the
/// property's ARM name as the `*_changes` functions report it.
pub fn field_of(property: &str) -> Option<&'static str> {
    Some(match property {
        "location" => "region",
        "osType" => "os_type",
        "osState" => "os_state",
        "hyperVGeneration" => "generation",
        "identifier.publisher" => "publisher",
        "identifier.offer" => "offer",
        "identifier.sku" => "sku",
        "storageProfile.source" => "source",
        "storageAccountType" => "storage_type",
        "replicationMode" => "replication_mode",
        _ => return None,
    })
}

/// Where each property fixed at creation lives in a resource's ARM body: the resource's kind
/// ([`ResourcePath::kind`]), the name [`gallery_changes`], [`definition_changes`] and
/// [`version_update_changes`] give it, and its JSON pointer in the body (a version's per-region
/// storage type and encryption are checked region by region and are not here). What the
/// service, or the test suite's mock of it, compares to refuse a change.
pub const ARM_PATHS: [(&str, &str, &str); 11] = [
    ("gallery", "location", "/location"),
    ("image definition", "osType", "/properties/osType"),
    ("image definition", "osState", "/properties/osState"),
    (
        "image definition",
        "hyperVGeneration",
        "/properties/hyperVGeneration",
    ),
    (
        "image definition",
        "identifier.publisher",
        "/properties/identifier/publisher",
    ),
    (
        "image definition",
        "identifier.offer",
        "/properties/identifier/offer",
    ),
    (
        "image definition",
        "identifier.sku",
        "/properties/identifier/sku",
    ),
    (
        "image version",
        "storageProfile.source",
        "/properties/storageProfile/source",
    ),
    (
        "image version",
        "storageAccountType",
        "/properties/publishingProfile/storageAccountType",
    ),
    (
        "image version",
        "replicationMode",
        "/properties/publishingProfile/replicationMode",
    ),
    (
        "image version",
        "storageAccountStrategy",
        "/properties/publishingProfile/storageAccountStrategy",
    ),
];

/// The gallery properties (by their ARM names) that differ but cannot change.
pub fn gallery_changes(before: &Gallery, after: &Gallery) -> Vec<&'static str> {
    [(before.region != after.region, "location")]
        .into_iter()
        .filter_map(|(changed, property)| changed.then_some(property))
        .collect()
}

/// Features the service lets an existing definition change (API 2024-03-03 and later), with
/// `allowUpdateImage: true` and, on each changed feature, the version it starts at.
pub const UPDATABLE_FEATURES: [&str; 4] = [
    "SecurityType",
    "DiskControllerTypes",
    "IsAcceleratedNetworkSupported",
    "IsHibernateSupported",
];

/// The features of a definition as a sorted list of (name, value, startsAtVersion), names in
/// lower case; Standard is the absence of a SecurityType feature.
fn feature_set(d: &ImageDefinition) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = d
        .features
        .iter()
        .map(|f: &ImageFeature| {
            (
                f.name.to_ascii_lowercase(),
                f.value.to_ascii_lowercase(),
                f.starts_at_version.clone(),
            )
        })
        .collect();
    if d.security_type().is_none() {
        out.push(("securitytype".into(), "standard".into(), String::new()));
    }
    out.sort();
    out
}

/// Why a change of features is not a valid update, or `None` when it is one: every changed
/// feature is one the service lets change, `allowUpdateImage` is true, and each changed feature
/// says from which version on it applies.
pub fn features_change(before: &ImageDefinition, after: &ImageDefinition) -> Option<String> {
    let (a, b) = (feature_set(before), feature_set(after));
    if a == b {
        return None;
    }
    let changed: Vec<&(String, String, String)> = a
        .iter()
        .filter(|f| !b.contains(f))
        .chain(b.iter().filter(|f| !a.contains(f)))
        .collect();
    let fixed: Vec<&str> = changed
        .iter()
        .map(|f| f.0.as_str())
        .filter(|n| !UPDATABLE_FEATURES.iter().any(|u| u.eq_ignore_ascii_case(n)))
        .collect();
    if let Some(name) = fixed.first() {
        return Some(format!(
            "the feature {name} is fixed when the image definition is created (only {} may change)",
            UPDATABLE_FEATURES.join(", ")
        ));
    }
    if after.allow_update_image != Some(true) {
        return Some(
            "its features change, which needs allowUpdateImage set to true on the image definition"
                .to_owned(),
        );
    }
    let unstarted: Vec<&str> = b
        .iter()
        .filter(|f| !a.contains(f) && f.2.is_empty())
        .map(|f| f.0.as_str())
        .collect();
    (!unstarted.is_empty()).then(|| {
        format!(
            "the changed feature {} needs startsAtVersion: the first version it applies to",
            unstarted.join(", ")
        )
    })
}

/// The definition properties (by their ARM names) that differ but cannot change.
pub fn definition_changes(before: &ImageDefinition, after: &ImageDefinition) -> Vec<&'static str> {
    [
        (before.os_type != after.os_type, "osType"),
        (before.os_state != after.os_state, "osState"),
        (before.generation != after.generation, "hyperVGeneration"),
        (before.publisher != after.publisher, "identifier.publisher"),
        (before.offer != after.offer, "identifier.offer"),
        (before.sku != after.sku, "identifier.sku"),
    ]
    .into_iter()
    .filter_map(|(changed, property)| changed.then_some(property))
    .collect()
}

/// The version properties (by their ARM names) that differ but cannot change.
pub fn version_changes(before: &ImageVersion, after: &ImageVersion) -> Vec<&'static str> {
    [
        (
            !before.source.eq_ignore_ascii_case(&after.source)
                || before.azure_source != after.azure_source,
            "storageProfile.source",
        ),
        (
            before.storage_type != after.storage_type,
            "storageAccountType",
        ),
        (
            before.replication_mode != after.replication_mode,
            "replicationMode",
        ),
    ]
    .into_iter()
    .filter_map(|(changed, property)| changed.then_some(property))
    .collect()
}

/// What a version that exists in Azure cannot change besides [`version_changes`] (the plan's
/// concern: in the workspace a planned version's regions are freely edited): its storage
/// account strategy, a region's storage type, and encryption added to a region it has.
pub fn version_update_changes(before: &ImageVersion, after: &ImageVersion) -> Vec<&'static str> {
    let mut out = version_changes(before, after);
    out.extend(
        [
            (
                before.storage_account_strategy != after.storage_account_strategy,
                "storageAccountStrategy",
            ),
            (
                before.target_regions.iter().any(|t| {
                    after
                        .target(t.region)
                        .is_some_and(|n| before.storage_type_in(t) != after.storage_type_in(n))
                }),
                "targetRegions[].storageAccountType",
            ),
            (
                before.target_regions.iter().any(|t| {
                    t.unmodeled.get("encryption").is_none()
                        && after
                            .target(t.region)
                            .is_some_and(|n| n.unmodeled.get("encryption").is_some())
                }),
                "targetRegions[].encryption",
            ),
        ]
        .into_iter()
        .filter_map(|(changed, property)| changed.then_some(property)),
    );
    out
}

/// Why adding regions to an existing version is refused: a version whose regions are encrypted
/// with customer-managed keys needs every new region encrypted too.
pub fn unencrypted_region_added(before: &ImageVersion, after: &ImageVersion) -> Option<String> {
    let encrypted = before
        .target_regions
        .iter()
        .any(|t| t.unmodeled.get("encryption").is_some());
    let added = after
        .target_regions
        .iter()
        .find(|t| before.target(t.region).is_none() && t.unmodeled.get("encryption").is_none())?;
    encrypted.then(|| {
        format!(
            "the version is encrypted with customer-managed keys and the new region {} has no encryption: every region of an encrypted version needs its disk encryption set",
            added.region
        )
    })
}

/// The sharing rules of a gallery (Microsoft's docs on direct shared and community galleries):
/// at most 30 subscriptions and 5 tenants, and no version encrypted with customer-managed keys in
/// a gallery shared beyond RBAC.
pub fn sharing_limits(g: &Gallery) -> Vec<String> {
    let mut out = Vec::new();
    let sharing = &g.sharing;
    if sharing.subscriptions.len() > 30 {
        out.push(format!(
            "A gallery can be shared with up to 30 subscriptions; this one lists {}",
            sharing.subscriptions.len()
        ));
    }
    if sharing.tenants.len() > 5 {
        out.push(format!(
            "A gallery can be shared with up to 5 tenants; this one lists {}",
            sharing.tenants.len()
        ));
    }
    if sharing.permission != SharingPermission::Private {
        let encrypted = g.definitions.iter().flat_map(|d| {
            d.versions
                .iter()
                .filter(|v| {
                    v.target_regions
                        .iter()
                        .any(|t| t.unmodeled.get("encryption").is_some())
                })
                .map(move |v| format!("{}/{}", d.name, v.name))
        });
        for path in encrypted {
            out.push(format!(
                "The version {path} is encrypted with customer-managed keys, which a {} gallery cannot hold",
                match sharing.permission {
                    SharingPermission::Community => "community",
                    _ => "direct shared",
                }
            ));
        }
    }
    out
}

/// Why an existing gallery cannot take the sharing permission `after` has: a direct shared
/// gallery must be created as one ("You can't use an existing gallery, the property can't
/// currently be updated", Microsoft's docs); a community gallery needs its publisher
/// information.
pub fn sharing_change(before: &Gallery, after: &Gallery) -> Option<String> {
    let (from, to) = (before.sharing.permission, after.sharing.permission);
    if from == to {
        return None;
    }
    match to {
        SharingPermission::Groups => Some(
            "an existing gallery cannot become a direct shared gallery (permission Groups): it must be created as one".to_owned(),
        ),
        SharingPermission::Community if after.sharing.community.is_none() => Some(
            "a gallery becomes a community gallery only with its publisher information (URI, contact, EULA, public name prefix)".to_owned(),
        ),
        _ => None,
    }
}

/// The first of `regions` (target regions of `before` that hold replicas) that `after` no
/// longer lists while `before` protects its replicated regions.
pub fn removed_protected_region<'a>(
    before: &ImageVersion,
    after: &ImageVersion,
    mut regions: impl Iterator<Item = &'a TargetRegion>,
) -> Option<Region> {
    if before.allow_deletion_of_replicated_locations {
        return None;
    }
    regions
        .find(|t| after.target(t.region).is_none())
        .map(|t| t.region)
}

/// Whether the region holds replicas (a protected version refuses to lose it).
pub fn holds_replicas(target: &TargetRegion) -> bool {
    matches!(
        target.status.state,
        RegionState::Completed | RegionState::Replicating
    )
}

/// Why removing `region` from the stored `version` is refused (it holds replicas the version
/// protects), as the service words it; asked before the removal, so the editor can disable its
/// Remove button with the reason instead of letting the edit fail.
pub fn region_removal_refused(version: &ImageVersion, region: Region) -> Option<String> {
    let target = version.target(region)?;
    (!version.allow_deletion_of_replicated_locations && holds_replicas(target))
        .then(|| protected_region_message(region))
}

/// The service's answer to removing a replicated region the version protects.
pub fn protected_region_message(region: Region) -> String {
    format!(
        "Removing the replicated region {region} is not allowed: the version blocks deletion of replicated regions (allowDeletionOfReplicatedLocations is false)"
    )
}

/// Why the version cannot be deleted on `today`: it blocks deletion before its end of life.
pub fn deletion_blocked(version: &ImageVersion, today: Date) -> Option<String> {
    let end = version.end_of_life?;
    (version.block_deletion_before_end_of_life && today < end).then(|| {
        format!(
            "Deleting the version before its end-of-life date {end} is not allowed: it blocks deletion before end of life (blockDeletionBeforeEndOfLife is true)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OsType, StorageType};

    fn has(kind: &str, name: &str) -> bool {
        ARM_PATHS.iter().any(|(k, n, _)| *k == kind && *n == name)
    }

    #[test]
    fn every_fixed_property_has_its_place_in_the_body() {
        let g = Gallery::default();
        let moved = Gallery {
            region: crate::model::Region::parse("eastus2").unwrap(),
            ..Gallery::default()
        };
        let names = gallery_changes(&g, &moved);
        assert_eq!(names.len(), 1);
        for name in names {
            assert!(has("gallery", name), "{name}");
        }
        let d = ImageDefinition::default();
        let changed = ImageDefinition {
            os_type: OsType::Windows,
            os_state: crate::model::OsState::Specialized,
            generation: crate::model::HyperVGeneration::V2,
            publisher: "p".into(),
            offer: "o".into(),
            sku: "s".into(),
            ..ImageDefinition::default()
        };
        let names = definition_changes(&d, &changed);
        assert_eq!(names.len(), 6);
        for name in names {
            assert!(has("image definition", name), "{name}");
        }
        let v = ImageVersion::default();
        let changed = ImageVersion {
            source: "other".into(),
            storage_type: StorageType::Premium_LRS,
            replication_mode: crate::model::ReplicationMode::Shallow,
            storage_account_strategy: Some(
                super::super::azure::StorageAccountStrategy::PreferStandard_ZRS,
            ),
            ..ImageVersion::default()
        };
        let names = version_update_changes(&v, &changed);
        assert_eq!(names.len(), 4);
        for name in names {
            assert!(
                has("image version", name) || name.starts_with("targetRegions[]"),
                "{name}"
            );
        }
    }
}
