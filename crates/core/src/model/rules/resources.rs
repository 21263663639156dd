//! Managed images, image definitions and image versions: disks, identifiers, recommended
//! ranges, sources and their sizes, replica counts, target regions and end-of-life dates.

use std::collections::{HashMap, HashSet};

use super::super::azure::Presence;
use super::super::{
    CaptureKind, Date, ImageDefinition, ImageVersion, ManagedImage, ReplicationMode, ResourcePath,
    StorageType, Workspace,
};
use super::{
    MAX_FULL_DISK_GB, MAX_OFFER_LEN, MAX_PUBLISHER_LEN, MAX_SHALLOW_DISK_GB, MAX_SKU_LEN, Report,
    Severity, ZRS_NOT_SUPPORTED, azure, check_definition_name, check_identifier,
    check_replica_count, check_version_name,
};

pub(super) fn validate_image(
    image: &ManagedImage,
    path: &impl Fn() -> ResourcePath,
    report: &mut Report<'_>,
) {
    if image.os_disk_gb == 0 {
        report.error(
            path,
            "os_disk_gb",
            "The OS disk size must be at least 1 GB".to_owned(),
        );
    }
    if image.capture == CaptureKind::OsDiskOnly && !image.data_disks.is_empty() {
        report.error(
            path,
            "data_disks",
            "An image of the OS disk only has no data disks; capture the whole VM to include them"
                .to_owned(),
        );
    }
    let mut luns = HashSet::new();
    for disk in &image.data_disks {
        if !luns.insert(disk.lun) {
            report.error(
                path,
                "data_disks",
                format!("Two data disks use LUN {}", disk.lun),
            );
        }
        if disk.size_gb == 0 {
            report.error(
                path,
                "data_disks",
                format!("The data disk at LUN {} has size 0 GB", disk.lun),
            );
        }
    }
    if !image.occupied_gb.is_finite() || image.occupied_gb < 0.0 {
        report.error(
            path,
            "occupied_gb",
            "The occupied size must be a non-negative number of GB".to_owned(),
        );
    } else if image.occupied_gb > image.total_disk_gb() as f64 {
        report.error(
            path,
            "occupied_gb",
            format!(
                "The occupied size ({} GB) is larger than the disks ({} GB)",
                image.occupied_gb,
                image.total_disk_gb()
            ),
        );
    }
}

pub(super) fn validate_definition(
    definition: &ImageDefinition,
    presence: Presence,
    path: &impl Fn() -> ResourcePath,
    today: Date,
    report: &mut Report<'_>,
) {
    if let Some(message) = check_definition_name(&definition.name) {
        report.error(path, "name", message);
    }
    if presence == Presence::Reference {
        report.warn(path, "presence", azure::REFERENCE_ONLY.to_owned());
        return;
    }
    azure::validate_definition_azure(definition, path, report);
    for (what, field, value, max) in [
        (
            "publisher",
            "publisher",
            &definition.publisher,
            MAX_PUBLISHER_LEN,
        ),
        ("offer", "offer", &definition.offer, MAX_OFFER_LEN),
        ("sku", "sku", &definition.sku, MAX_SKU_LEN),
    ] {
        if let Some(message) = check_identifier(what, value, max) {
            report.error(path, field, message);
        }
    }
    min_max(
        report,
        path,
        "vCPU count",
        "",
        "vcpus",
        definition.vcpus_min,
        definition.vcpus_max,
    );
    min_max(
        report,
        path,
        "memory",
        " GB",
        "memory_gb",
        definition.memory_gb_min,
        definition.memory_gb_max,
    );
    if let Some(eol) = definition.end_of_life
        && eol <= today
    {
        report.warn(
            path,
            "end_of_life",
            format!("The end-of-life date {eol} has passed; VMs can still be created from this definition"),
        );
    }
}

pub(super) fn validate_version(
    ws: &Workspace,
    images: &HashMap<String, &ManagedImage>,
    definition: &ImageDefinition,
    version: &ImageVersion,
    path: &impl Fn() -> ResourcePath,
    today: Date,
    report: &mut Report<'_>,
) {
    if let Some(message) = check_version_name(&version.name) {
        report.error(path, "name", message);
    }
    let source = version_source(images, definition, version, path, report);
    if let Some((severity, message)) = check_replica_count(
        version.default_replica_count,
        ws.settings.replica_warning_above,
    ) {
        report.push(
            path,
            Some("default_replica_count"),
            severity,
            format!("Default: {message}"),
        );
    }
    if let Some(eol) = version.end_of_life
        && eol <= today
    {
        report.warn(
            path,
            "end_of_life",
            format!(
                "The end-of-life date {eol} has passed; VMs can still be created from this version"
            ),
        );
    }
    if version.target_regions.is_empty() {
        report.error(
            path,
            "target_regions",
            "The version has no target regions".to_owned(),
        );
    }
    validate_targets(ws, version, path, report);
    azure::validate_version_azure(ws, version, source.is_some(), path, report);
    if let Some(image) = source
        && !version.target_regions.is_empty()
        && version.target(image.region).is_none()
    {
        report.error(
            path,
            "target_regions",
            format!(
                "The source region {} of image \"{}\" must be one of the target regions",
                image.region, image.name
            ),
        );
    }
}

fn min_max(
    report: &mut Report<'_>,
    path: &impl Fn() -> ResourcePath,
    what: &str,
    unit: &str,
    field: &'static str,
    min: Option<u32>,
    max: Option<u32>,
) {
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        report.error(
            path,
            field,
            format!("The recommended minimum {what} ({min}{unit}) is greater than the maximum ({max}{unit})"),
        );
    }
    if min == Some(0) || max == Some(0) {
        report.error(
            path,
            field,
            format!("The recommended {what} must be at least 1{unit}"),
        );
    }
}

/// The version's source managed image, when the workspace has it: its OS type and each disk
/// against the replication mode's limit.
fn version_source<'w>(
    images: &HashMap<String, &'w ManagedImage>,
    definition: &ImageDefinition,
    version: &ImageVersion,
    path: &impl Fn() -> ResourcePath,
    report: &mut Report<'_>,
) -> Option<&'w ManagedImage> {
    let source = if version.source.is_empty() {
        if version.azure_source.is_none() {
            report.error(
                path,
                "source",
                "The version has no source managed image".to_owned(),
            );
        }
        None
    } else {
        let found = images.get(&version.source.to_lowercase()).copied();
        if found.is_none() {
            report.error(
                path,
                "source",
                format!(
                    "The source managed image \"{}\" is not in this workspace",
                    version.source
                ),
            );
        }
        found
    };
    if let Some(image) = source {
        if image.os_type != definition.os_type {
            report.error(
                path,
                "source",
                format!(
                    "The source image \"{}\" is {:?} but the image definition is {:?}",
                    image.name, image.os_type, definition.os_type
                ),
            );
        }
        let (limit, mode) = match version.replication_mode {
            ReplicationMode::Full => (MAX_FULL_DISK_GB, "Full"),
            ReplicationMode::Shallow => (MAX_SHALLOW_DISK_GB, "Shallow"),
        };
        let disks = std::iter::once(("OS disk".to_owned(), u64::from(image.os_disk_gb))).chain(
            image
                .data_disks
                .iter()
                .map(|d| (format!("data disk at LUN {}", d.lun), u64::from(d.size_gb))),
        );
        for (disk, size) in disks.filter(|(_, size)| *size > limit) {
            report.error(
                path,
                "source",
                format!(
                    "The GalleryImageVersion source resource size {size} exceeds the max size {limit} supported: the {disk} of image \"{}\" is {size} GB, and {mode} replication takes disks of at most {} TB each",
                    image.name,
                    limit / 1024
                ),
            );
        }
    }
    source
}

/// Each target region: listed once, its replica count, zone-redundant storage where the region
/// has it, the region policy, progress.
fn validate_targets(
    ws: &Workspace,
    version: &ImageVersion,
    path: &impl Fn() -> ResourcePath,
    report: &mut Report<'_>,
) {
    let mut seen = HashSet::new();
    for target in &version.target_regions {
        if !seen.insert(target.region) {
            report.region(
                path,
                target.region,
                Severity::Error,
                format!(
                    "The target region {} is listed more than once",
                    target.region
                ),
            );
        }
        if let Some(count) = target.replicas
            && let Some((severity, message)) =
                check_replica_count(count, ws.settings.replica_warning_above)
        {
            report.region(
                path,
                target.region,
                severity,
                format!("{}: {message}", target.region),
            );
        }
        if version.storage_type_in(target) == StorageType::Standard_ZRS
            && !target.region.offers_zrs()
        {
            report.region(
                path,
                target.region,
                Severity::Error,
                format!(
                    "{}: {ZRS_NOT_SUPPORTED}. It has no availability zones, so no zone-redundant storage: use Standard_LRS or Premium_LRS there",
                    target.region
                ),
            );
        }
        if let Some(policy) = &ws.settings.region_policy
            && !policy.allows_replica(target.region)
        {
            report.region(
                path,
                target.region,
                Severity::Error,
                format!(
                    "Versions cannot be replicated to {} under the workspace's region policy",
                    target.region
                ),
            );
        }
        if target.status.progress > 100 {
            report.region(
                path,
                target.region,
                Severity::Error,
                format!(
                    "{}: progress {} is over 100",
                    target.region, target.status.progress
                ),
            );
        }
    }
}
