//! The service's rules: names, limits, uniqueness, regions, and cross-references.
//! `validate` returns every problem at once, each with the resource path and a severity.
//!
//! By role: `names` (the name rules as one table), `resources` (images, definitions,
//! versions), `azure` (what the service says of imported resources), `directory` (tenants,
//! principals, grants); this module walks the workspace and keeps the quotas.

mod azure;
mod directory;
mod names;
mod resources;

use std::collections::{HashMap, HashSet};
use std::fmt;

pub use names::{
    Chars, Ends, Form, NAME_RULES, NameKind, NameRule, check_definition_name, check_gallery_name,
    check_identifier, check_image_name, check_resource_group, check_version_name,
};

use super::azure::Presence;
use super::{Date, Gallery, ManagedImage, Region, ResourcePath, Workspace};

/// Galleries per subscription per region.
pub const MAX_GALLERIES_PER_REGION: usize = 100;
/// Image definitions per subscription per region.
pub const MAX_DEFINITIONS_PER_REGION: usize = 1_000;
/// Image versions per subscription per region.
pub const MAX_VERSIONS_PER_REGION: usize = 10_000;
/// Replicas per region: at least 1, at most 100.
pub const MAX_REPLICAS: u32 = 100;
/// Longest gallery and definition names, in characters (from [`NAME_RULES`]).
pub const MAX_NAME_LEN: usize = NameKind::Gallery.rule().max_chars;
pub const MAX_PUBLISHER_LEN: usize = NameKind::Publisher.rule().max_chars;
pub const MAX_OFFER_LEN: usize = NameKind::Offer.rule().max_chars;
pub const MAX_SKU_LEN: usize = NameKind::Sku.rule().max_chars;
/// Largest source disk with Full replication: 2 TB, per disk. The service replicates each disk
/// on its own and refuses one over this ("source resource size 2520 exceeds the max size 2048
/// supported" for a data disk over 2 TB), whatever the sum of the disks.
pub const MAX_FULL_DISK_GB: u64 = 2 * 1024;
/// Largest source disk with Shallow replication: 32 TB.
pub const MAX_SHALLOW_DISK_GB: u64 = 32 * 1024;
/// The service's text for Standard_ZRS where the region has no zone-redundant storage.
pub const ZRS_NOT_SUPPORTED: &str = "ZRS storage account type is not supported in this region";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// One thing wrong (or worth a look) in a workspace.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub path: ResourcePath,
    /// The field the problem is about, by its name in the file (`publisher`, `target_regions`…).
    pub field: Option<&'static str>,
    /// For problems of one target region row.
    pub region: Option<Region>,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.path,
            self.severity.label(),
            self.message
        )
    }
}

struct Report<'a> {
    problems: &'a mut Vec<Problem>,
}

impl Report<'_> {
    fn push(
        &mut self,
        path: impl FnOnce() -> ResourcePath,
        field: Option<&'static str>,
        severity: Severity,
        message: String,
    ) {
        self.problems.push(Problem {
            path: path(),
            field,
            region: None,
            severity,
            message,
        });
    }

    fn error(&mut self, path: impl FnOnce() -> ResourcePath, field: &'static str, message: String) {
        self.push(path, Some(field), Severity::Error, message);
    }

    fn warn(&mut self, path: impl FnOnce() -> ResourcePath, field: &'static str, message: String) {
        self.push(path, Some(field), Severity::Warning, message);
    }

    fn region(
        &mut self,
        path: impl FnOnce() -> ResourcePath,
        region: Region,
        severity: Severity,
        message: String,
    ) {
        self.problems.push(Problem {
            path: path(),
            field: Some("target_regions"),
            region: Some(region),
            severity,
            message,
        });
    }
}

/// Checks a replica count (regional or default).
pub fn check_replica_count(count: u32, warn_above: u32) -> Option<(Severity, String)> {
    if count == 0 || count > MAX_REPLICAS {
        Some((
            Severity::Error,
            format!("The replica count must be between 1 and {MAX_REPLICAS}; got {count}"),
        ))
    } else if count > warn_above {
        Some((
            Severity::Warning,
            format!("{count} replicas is more than the {warn_above} that should be sufficient"),
        ))
    } else {
        None
    }
}

/// Every problem of a workspace. `today` decides which end-of-life dates have passed.
pub fn validate(ws: &Workspace, today: Date) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut report = Report {
        problems: &mut problems,
    };
    directory::validate_tenants_and_principals(ws, &mut report);
    let images = validate_images(ws, &mut report);
    let mut gallery_names = HashSet::new();
    let mut per_region: HashMap<Region, [usize; 3]> = HashMap::new();
    for gallery in &ws.galleries {
        validate_gallery(ws, gallery, &mut gallery_names, &mut report);
        let counts = per_region.entry(gallery.region).or_default();
        counts[0] += 1;
        counts[1] += gallery.definitions.len();
        counts[2] += gallery
            .definitions
            .iter()
            .map(|d| d.versions.len())
            .sum::<usize>();
        validate_definitions(ws, &images, gallery, today, &mut report);
    }
    validate_quotas(ws, per_region, &mut report);
    directory::validate_grants(ws, &mut report);
    problems
}

/// The managed images, by name in lower case (versions find their source there).
fn validate_images<'w>(
    ws: &'w Workspace,
    report: &mut Report<'_>,
) -> HashMap<String, &'w ManagedImage> {
    let mut images: HashMap<String, &ManagedImage> = HashMap::new();
    for image in &ws.managed_images {
        let path = || ResourcePath::managed_image(&image.name);
        if let Some(message) = check_image_name(&image.name) {
            report.error(path, "name", message);
        }
        if images.insert(image.name.to_lowercase(), image).is_some() {
            report.error(
                path,
                "name",
                format!("Another managed image is also named \"{}\"", image.name),
            );
        }
        resources::validate_image(image, &path, report);
    }

    images
}

/// A gallery's own fields: its name, unique in the subscription, its tenant, what Azure
/// says of it, the region policy.
fn validate_gallery(
    ws: &Workspace,
    gallery: &Gallery,
    names: &mut HashSet<String>,
    report: &mut Report<'_>,
) {
    let gpath = || ResourcePath::gallery(&gallery.name);
    if let Some(message) = check_gallery_name(&gallery.name) {
        report.error(gpath, "name", message);
    }
    if !names.insert(gallery.name.to_lowercase()) {
        report.error(
            gpath,
            "name",
            format!(
                "Another gallery in this subscription is also named \"{}\"; gallery names are unique per subscription",
                gallery.name
            ),
        );
    }
    if gallery.tenant.is_empty() {
        report.error(gpath, "tenant", "The gallery has no tenant".to_owned());
    } else if !ws.tenants.iter().any(|t| t.name == gallery.tenant) {
        report.error(
            gpath,
            "tenant",
            format!(
                "The tenant \"{}\" is not defined in this workspace",
                gallery.tenant
            ),
        );
    }
    let presence = ws.presence_of(&gallery.name, None, None);
    azure::validate_gallery_azure(gallery, presence, &gpath, report);
    // The policy is about what the user creates: a gallery that exists in Azure is not.
    if let Some(policy) = ws.settings.region_policy.as_ref()
        && presence == Presence::Planned
        && !policy.allows_gallery(gallery.region)
    {
        report.error(
            gpath,
            "region",
            format!(
                "Galleries cannot be created in {} under the workspace's region policy (allowed: {})",
                gallery.region,
                list_regions(&policy.sources)
            ),
        );
    }
}

/// A gallery's definitions and their versions.
fn validate_definitions(
    ws: &Workspace,
    images: &HashMap<String, &ManagedImage>,
    gallery: &Gallery,
    today: Date,
    report: &mut Report<'_>,
) {
    let mut definition_names = HashSet::new();
    let mut identifiers: HashMap<(String, String, String), &str> = HashMap::new();
    for definition in &gallery.definitions {
        let dpath = || ResourcePath::definition(&gallery.name, &definition.name);
        if !definition_names.insert(definition.name.to_lowercase()) {
            report.error(
                dpath,
                "name",
                format!(
                    "Another image definition in gallery \"{}\" is also named \"{}\"",
                    gallery.name, definition.name
                ),
            );
        }
        let key = (
            definition.publisher.to_lowercase(),
            definition.offer.to_lowercase(),
            definition.sku.to_lowercase(),
        );
        let presence = ws.presence_of(&gallery.name, Some(&definition.name), None);
        if presence != Presence::Reference
            && let Some(other) = identifiers.insert(key, &definition.name)
        {
            report.error(
                dpath,
                "publisher",
                format!(
                    "Publisher \"{}\", offer \"{}\" and sku \"{}\" are already used by image definition \"{other}\"; they must be unique in the gallery",
                    definition.publisher, definition.offer, definition.sku
                ),
            );
        }
        resources::validate_definition(definition, presence, &dpath, today, report);
        let mut version_numbers = HashSet::new();
        for version in &definition.versions {
            let vpath = || ResourcePath::version(&gallery.name, &definition.name, &version.name);
            if let Some(number) = version.number()
                && !version_numbers.insert(number)
            {
                report.error(
                    vpath,
                    "name",
                    format!(
                        "Another version of \"{}/{}\" is also named {number}",
                        gallery.name, definition.name
                    ),
                );
            }
            resources::validate_version(ws, images, definition, version, &vpath, today, report);
        }
    }
}

/// The quotas per subscription per region, reported on the region's first gallery.
fn validate_quotas(
    ws: &Workspace,
    per_region: HashMap<Region, [usize; 3]>,
    report: &mut Report<'_>,
) {
    let mut regions: Vec<_> = per_region.into_iter().collect();
    regions.sort_by_key(|(r, _)| *r);
    for (region, [galleries, definitions, versions]) in regions {
        let first = ws
            .galleries
            .iter()
            .find(|g| g.region == region)
            .map(|g| g.name.as_str())
            .unwrap_or("");
        let gpath = || ResourcePath::gallery(first);
        for (count, max, what) in [
            (galleries, MAX_GALLERIES_PER_REGION, "galleries"),
            (definitions, MAX_DEFINITIONS_PER_REGION, "image definitions"),
            (versions, MAX_VERSIONS_PER_REGION, "image versions"),
        ] {
            if count > max {
                report.push(
                    gpath,
                    None,
                    Severity::Error,
                    format!(
                        "{count} {what} in {region}: the quota is {max} per subscription per region"
                    ),
                );
            }
        }
    }
}

fn list_regions(regions: &[Region]) -> String {
    regions
        .iter()
        .map(|r| r.display_name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::{DataDisk, ReplicationMode, StorageType};
    use super::*;

    #[test]
    fn replica_counts() {
        assert!(check_replica_count(1, 50).is_none());
        assert!(check_replica_count(50, 50).is_none());
        assert_eq!(check_replica_count(51, 50).unwrap().0, Severity::Warning);
        assert_eq!(check_replica_count(100, 50).unwrap().0, Severity::Warning);
        assert_eq!(check_replica_count(101, 50).unwrap().0, Severity::Error);
        assert_eq!(check_replica_count(0, 50).unwrap().0, Severity::Error);
    }

    fn problems_of(ws: &Workspace) -> Vec<String> {
        validate(ws, "2026-12-01".parse().unwrap())
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn the_full_replication_limit_is_per_disk_not_the_sum() {
        // The service: "Replication failed in this region due to 'The GalleryImageVersion
        // source resource size 2520 exceeds the max size 2048 supported", caused by "a data
        // disk in the source [that] is greater than 2TB".
        let mut ws = crate::sample::sample();
        let image = &mut ws.managed_images[0];
        image.os_disk_gb = 1_500;
        image.data_disks = vec![
            DataDisk {
                lun: 0,
                size_gb: 2_048,
            },
            DataDisk {
                lun: 1,
                size_gb: 2_000,
            },
        ];
        // 5,548 GB in all, but no disk over 2,048 GB: valid.
        assert!(image.total_disk_gb() > MAX_FULL_DISK_GB);
        let problems = problems_of(&ws);
        assert!(
            problems.iter().all(|p| !p.contains("exceeds the max size")),
            "{problems:?}"
        );
        ws.managed_images[0].data_disks[1].size_gb = 2_520;
        let problems = problems_of(&ws);
        assert_eq!(
            problems,
            [
                "contoso_images/win2022-datacenter/2026.7.0: error: The GalleryImageVersion source resource size 2520 exceeds the max size 2048 supported: the data disk at LUN 1 of image \"win2022-dc-2026-07\" is 2520 GB, and Full replication takes disks of at most 2 TB each"
            ]
        );
        // Shallow replication allows disks up to 32 TB.
        let version = &mut ws.galleries[0].definitions[0].versions[0];
        assert_eq!(version.source, "win2022-dc-2026-07");
        version.replication_mode = ReplicationMode::Shallow;
        assert!(problems_of(&ws).is_empty());
        ws.managed_images[0].data_disks[1].size_gb = 32 * 1024 + 1;
        assert!(problems_of(&ws)[0].contains("exceeds the max size 32768 supported"));
    }

    #[test]
    fn standard_zrs_only_where_the_region_offers_it() {
        // The service: "ZRS storage account type is not supported in this region."
        let mut ws = crate::sample::sample();
        let version = &mut ws.galleries[0].definitions[0].versions[2];
        assert_eq!(version.name, "2026.9.0");
        // East US has availability zones: ZRS is fine there.
        let east = version
            .target_regions
            .iter_mut()
            .find(|t| t.region.name() == "eastus")
            .unwrap();
        east.storage_type = Some(StorageType::Standard_ZRS);
        assert!(problems_of(&ws).is_empty());
        // The version's own type applies to every region without one: West Central US, West US,
        // North Central US, Canada East and South India have no zones.
        ws.galleries[0].definitions[0].versions[2].storage_type = StorageType::Standard_ZRS;
        let problems = validate(&ws, "2026-12-01".parse().unwrap());
        let regions: Vec<&str> = problems
            .iter()
            .filter_map(|p| p.region.map(|r| r.name()))
            .collect();
        assert_eq!(
            regions,
            [
                "westcentralus",
                "westus",
                "northcentralus",
                "canadaeast",
                "southindia"
            ]
        );
        assert_eq!(
            problems[0].message,
            "West Central US: ZRS storage account type is not supported in this region. It has no availability zones, so no zone-redundant storage: use Standard_LRS or Premium_LRS there"
        );
        assert_eq!(problems[0].severity, Severity::Error);
    }
}
