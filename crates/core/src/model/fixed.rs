//! What the service refuses to change once a resource exists (DOMAIN.md §1, §9): properties fixed
//! at creation, replicated regions a version protects, and deletions a version blocks until its
//! end of life. Written once here; the edits of the workspace (`edit`) and the deployment plan
//! (`plan`) both ask these functions, so their answers and texts cannot disagree.

use super::{Date, Gallery, ImageDefinition, ImageVersion, Region, ResourcePath, TargetRegion};

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

/// The gallery properties (by their ARM names) that differ but cannot change.
pub fn gallery_changes(before: &Gallery, after: &Gallery) -> Vec<&'static str> {
    [(before.region != after.region, "location")]
        .into_iter()
        .filter_map(|(changed, property)| changed.then_some(property))
        .collect()
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
