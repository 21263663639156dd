//! What the service says of resources imported from Azure (API 2025-03-03): subscription and
//! resource group, sharing, features and purchase plans, sources in Azure, storage strategies,
//! replica sets, and placeholders known only by reference.

use std::collections::HashSet;

use super::super::azure::{Presence, SharingPermission};
use super::super::{Gallery, ImageDefinition, ImageVersion, ResourcePath, Workspace};
use super::{Report, check_replica_count, check_resource_group};

/// The warning on a placeholder created from a child's id.
pub(super) const REFERENCE_ONLY: &str = "Known only by reference: its own payload has not been imported, so its properties are unknown (import `az sig show` or `az sig image-definition show` output for it)";

fn is_guid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Subscription, resource group, sharing and placeholders (API 2025-03-03).
pub(super) fn validate_gallery_azure(
    gallery: &Gallery,
    presence: Presence,
    path: &impl Fn() -> ResourcePath,
    report: &mut Report<'_>,
) {
    if presence == Presence::Reference {
        report.warn(path, "presence", REFERENCE_ONLY.to_owned());
    }
    if !gallery.resource_group.is_empty()
        && let Some(message) = check_resource_group(&gallery.resource_group)
    {
        report.error(path, "resource_group", message);
    }
    let sharing = &gallery.sharing;
    for (what, ids) in [
        ("subscription", &sharing.subscriptions),
        ("tenant", &sharing.tenants),
    ] {
        for id in ids.iter().filter(|id| !is_guid(id)) {
            report.error(
                path,
                "sharing",
                format!("The {what} id \"{id}\" the gallery is shared with is not a GUID"),
            );
        }
    }
    for message in super::super::fixed::sharing_limits(gallery) {
        report.error(path, "sharing", message);
    }
    let has_groups = !sharing.subscriptions.is_empty() || !sharing.tenants.is_empty();
    match sharing.permission {
        SharingPermission::Groups if !has_groups => report.warn(
            path,
            "sharing",
            "The gallery is shared with groups but names no subscription or tenant".to_owned(),
        ),
        SharingPermission::Private | SharingPermission::Community if has_groups => report.warn(
            path,
            "sharing",
            format!(
                "Subscriptions and tenants are shared with only when the permission is Groups (it is {})",
                sharing.permission.name()
            ),
        ),
        _ => {}
    }
    if sharing.permission == SharingPermission::Community {
        let info = sharing.community.clone().unwrap_or_default();
        let missing: Vec<&str> = [
            ("publisher URI", &info.publisher_uri),
            ("publisher contact", &info.publisher_contact),
            ("EULA", &info.eula),
            ("public name prefix", &info.public_name_prefix),
        ]
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(what, _)| what)
        .collect();
        if !missing.is_empty() {
            report.error(
                path,
                "sharing",
                format!(
                    "A community gallery needs its publisher information; missing: {}",
                    missing.join(", ")
                ),
            );
        }
    }
}

/// Features and purchase plan of a definition (API 2025-03-03).
pub(super) fn validate_definition_azure(
    definition: &ImageDefinition,
    path: &impl Fn() -> ResourcePath,
    report: &mut Report<'_>,
) {
    let mut names = HashSet::new();
    for feature in &definition.features {
        if feature.name.trim().is_empty() {
            report.error(path, "features", "A feature has no name".to_owned());
        } else if !names.insert(feature.name.to_lowercase()) {
            report.error(
                path,
                "features",
                format!("The feature \"{}\" is listed more than once", feature.name),
            );
        }
    }
    match definition.security_type() {
        Some(Err(value)) => report.error(
            path,
            "features",
            format!(
                "\"{value}\" is not a security type (expected one of {})",
                super::super::SecurityType::ALL
                    .iter()
                    .map(|s| s.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Some(Ok(security))
            if security.needs_v2()
                && definition.generation == super::super::HyperVGeneration::V1 =>
        {
            report.error(
                path,
                "features",
                format!(
                    "Security type {} needs Hyper-V generation V2; this definition is V1",
                    security.name()
                ),
            );
        }
        _ => {}
    }
    if let Some(plan) = &definition.purchase_plan
        && [&plan.name, &plan.publisher, &plan.product]
            .iter()
            .any(|v| v.trim().is_empty())
    {
        report.error(
            path,
            "purchase_plan",
            "A purchase plan needs its name, publisher and product".to_owned(),
        );
    }
}

/// Sources in Azure, storage strategy, replica sets and safety profile (API 2025-03-03).
pub(super) fn validate_version_azure(
    ws: &Workspace,
    version: &ImageVersion,
    has_workspace_source: bool,
    path: &impl Fn() -> ResourcePath,
    report: &mut Report<'_>,
) {
    if let Some(why) = version.flagged() {
        report.warn(
            path,
            "safety",
            format!("The service flags this version: {why}"),
        );
    }
    if !has_workspace_source && let Some(azure) = &version.azure_source {
        let mut luns = HashSet::new();
        for disk in &azure.data_disks {
            match disk.lun {
                None => report.error(
                    path,
                    "azure_source",
                    "A data disk of the source has no LUN".to_owned(),
                ),
                Some(lun) if !luns.insert(lun) => report.error(
                    path,
                    "azure_source",
                    format!("Two data disks of the source use LUN {lun}"),
                ),
                Some(_) => {}
            }
        }
        if azure.whole.is_none() && azure.os_disk.as_ref().is_none_or(|d| d.source.is_none()) {
            report.error(
                path,
                "azure_source",
                "The source names neither a resource nor an OS disk image".to_owned(),
            );
        }
        if let Some(region) = azure.region
            && !version.target_regions.is_empty()
            && version.target(region).is_none()
        {
            report.error(
                path,
                "target_regions",
                format!("The source region {region} must be one of the target regions"),
            );
        }
    }
    if version.storage_account_strategy.is_some()
        && version.storage_type != super::super::StorageType::Standard_LRS
    {
        report.error(
            path,
            "storage_account_strategy",
            format!(
                "A version has either a storage type ({}) or a storage account strategy, not both",
                version.storage_type.label()
            ),
        );
    }
    if version.block_deletion_before_end_of_life && version.end_of_life.is_none() {
        report.warn(
            path,
            "block_deletion_before_end_of_life",
            "Deletion is blocked before the end-of-life date, but the version has none".to_owned(),
        );
    }
    for target in &version.target_regions {
        for set in target.additional_replica_sets.iter() {
            if let Some((severity, message)) =
                check_replica_count(set.replicas, ws.settings.replica_warning_above)
            {
                report.region(
                    path,
                    target.region,
                    severity,
                    format!(
                        "{}: additional {} replicas: {message}",
                        target.region,
                        set.storage_type.label()
                    ),
                );
            }
        }
    }
}
