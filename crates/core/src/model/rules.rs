//! The service's rules: names, limits, uniqueness, regions, and cross-references.
//! `validate` returns every problem at once, each with the resource path and a severity.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::azure::{Presence, SharingPermission};
use super::version_name::{VERSION_NAME_MESSAGE, VersionNumber};
use super::{
    CaptureKind, Date, Gallery, ImageDefinition, ImageVersion, ManagedImage, PrincipalKind, Region,
    ReplicationMode, ResourcePath, StorageType, Workspace,
};

/// Galleries per subscription per region.
pub const MAX_GALLERIES_PER_REGION: usize = 100;
/// Image definitions per subscription per region.
pub const MAX_DEFINITIONS_PER_REGION: usize = 1_000;
/// Image versions per subscription per region.
pub const MAX_VERSIONS_PER_REGION: usize = 10_000;
/// Replicas per region: at least 1, at most 100.
pub const MAX_REPLICAS: u32 = 100;
/// Longest gallery and definition names.
pub const MAX_NAME_LEN: usize = 80;
pub const MAX_PUBLISHER_LEN: usize = 128;
pub const MAX_OFFER_LEN: usize = 64;
pub const MAX_SKU_LEN: usize = 64;
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

fn starts_and_ends_alphanumeric(name: &str) -> bool {
    let first = name.chars().next();
    let last = name.chars().last();
    first.is_some_and(|c| c.is_ascii_alphanumeric())
        && last.is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Checks a gallery name; `None` when it is valid.
pub fn check_gallery_name(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > MAX_NAME_LEN {
        return Some(format!(
            "The gallery name must be 1 to {MAX_NAME_LEN} characters long; \"{}\" has {}",
            short(name),
            name.chars().count()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.'))
    {
        return Some(format!(
            "The gallery name \"{name}\" contains '{c}': only letters, digits, underscores and periods are allowed (no hyphens)"
        ));
    }
    if !starts_and_ends_alphanumeric(name) {
        return Some(format!(
            "The gallery name \"{name}\" must start and end with a letter or a digit"
        ));
    }
    None
}

/// Checks an image definition name; `None` when it is valid.
pub fn check_definition_name(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > MAX_NAME_LEN {
        return Some(format!(
            "The image definition name must be 1 to {MAX_NAME_LEN} characters long; \"{}\" has {}",
            short(name),
            name.chars().count()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
    {
        return Some(format!(
            "The image definition name \"{name}\" contains '{c}': only letters, digits, hyphens, underscores and periods are allowed"
        ));
    }
    if !starts_and_ends_alphanumeric(name) {
        return Some(format!(
            "The image definition name \"{name}\" must start and end with a letter or a digit"
        ));
    }
    None
}

/// Checks a publisher, offer or sku (`what` names which); `None` when valid.
pub fn check_identifier(what: &str, value: &str, max_len: usize) -> Option<String> {
    if value.is_empty() {
        return Some(format!("The {what} is required"));
    }
    if value.len() > max_len {
        return Some(format!(
            "The {what} must be at most {max_len} characters long; \"{}\" has {}",
            short(value),
            value.chars().count()
        ));
    }
    if let Some(c) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
    {
        return Some(format!(
            "The {what} \"{value}\" contains '{c}': only letters, digits, hyphens, underscores and periods are allowed"
        ));
    }
    if value.ends_with('.') {
        return Some(format!("The {what} \"{value}\" must not end with a period"));
    }
    None
}

/// Checks a version name; `None` when valid.
pub fn check_version_name(name: &str) -> Option<String> {
    match VersionNumber::parse(name) {
        Some(_) => None,
        None => Some(format!("{VERSION_NAME_MESSAGE} (got \"{name}\")")),
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

/// Checks a managed image's name: a non-empty ARM resource name.
pub fn check_image_name(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > MAX_NAME_LEN {
        return Some(format!(
            "The managed image name must be 1 to {MAX_NAME_LEN} characters long; \"{}\" has {}",
            short(name),
            name.chars().count()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
    {
        return Some(format!(
            "The managed image name \"{name}\" contains '{c}': only letters, digits, hyphens, underscores and periods are allowed"
        ));
    }
    if !starts_and_ends_alphanumeric(name) && !name.ends_with('_') {
        return Some(format!(
            "The managed image name \"{name}\" must start with a letter or digit and end with a letter, digit or underscore"
        ));
    }
    None
}

fn short(text: &str) -> String {
    if text.chars().count() > 24 {
        format!("{}…", text.chars().take(24).collect::<String>())
    } else {
        text.to_owned()
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

/// Every problem of a workspace. `today` decides which end-of-life dates have passed.
pub fn validate(ws: &Workspace, today: Date) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut report = Report {
        problems: &mut problems,
    };
    let policy = ws.settings.region_policy.as_ref();

    validate_tenants_and_principals(ws, &mut report);

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
        validate_image(image, &path, &mut report);
    }

    let mut gallery_names = HashSet::new();
    let mut per_region: HashMap<Region, [usize; 3]> = HashMap::new();
    for gallery in &ws.galleries {
        let gpath = || ResourcePath::gallery(&gallery.name);
        if let Some(message) = check_gallery_name(&gallery.name) {
            report.error(gpath, "name", message);
        }
        if !gallery_names.insert(gallery.name.to_lowercase()) {
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
        validate_gallery_azure(ws, gallery, &gpath, &mut report);
        // The policy is about what the user creates: a gallery that exists in Azure is not.
        if let Some(policy) = policy
            && ws.presence_of(&gallery.name, None, None) == Presence::Planned
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
        let counts = per_region.entry(gallery.region).or_default();
        counts[0] += 1;
        counts[1] += gallery.definitions.len();
        counts[2] += gallery
            .definitions
            .iter()
            .map(|d| d.versions.len())
            .sum::<usize>();

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
            if ws.presence_of(&gallery.name, Some(&definition.name), None) != Presence::Reference
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
            validate_definition(ws, definition, &dpath, today, &mut report);
            let mut version_numbers = HashSet::new();
            for version in &definition.versions {
                let vpath =
                    || ResourcePath::version(&gallery.name, &definition.name, &version.name);
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
                validate_version(ws, &images, definition, version, &vpath, today, &mut report);
            }
        }
    }

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

    validate_grants(ws, &mut report);
    problems
}

fn list_regions(regions: &[Region]) -> String {
    regions
        .iter()
        .map(|r| r.display_name())
        .collect::<Vec<_>>()
        .join(", ")
}

fn validate_tenants_and_principals(ws: &Workspace, report: &mut Report<'_>) {
    let mut tenants = HashSet::new();
    for tenant in &ws.tenants {
        if tenant.name.is_empty() || !tenants.insert(tenant.name.as_str()) {
            report.push(
                || ResourcePath::Tenant(tenant.name.clone()),
                Some("name"),
                Severity::Error,
                format!(
                    "Tenant names must be non-empty and unique (\"{}\")",
                    tenant.name
                ),
            );
        }
    }
    let names: HashMap<&str, PrincipalKind> = ws
        .principals
        .iter()
        .map(|p| (p.name.as_str(), p.kind))
        .collect();
    let mut seen = HashSet::new();
    for principal in &ws.principals {
        let path = || ResourcePath::Principal(principal.name.clone());
        if principal.name.is_empty() {
            report.push(
                path,
                Some("name"),
                Severity::Error,
                "A principal has no name".to_owned(),
            );
        } else if !seen.insert(principal.name.as_str()) {
            report.push(
                path,
                Some("name"),
                Severity::Error,
                "Another principal has the same name".to_owned(),
            );
        }
        if !ws.tenants.iter().any(|t| t.name == principal.tenant) {
            report.push(
                path,
                Some("tenant"),
                Severity::Error,
                format!(
                    "The tenant \"{}\" is not defined in this workspace",
                    principal.tenant
                ),
            );
        }
        if principal.kind != PrincipalKind::Group && !principal.members.is_empty() {
            report.push(
                path,
                Some("members"),
                Severity::Error,
                "Only groups have members".to_owned(),
            );
        }
        for member in &principal.members {
            if !names.contains_key(member.as_str()) {
                report.push(
                    path,
                    Some("members"),
                    Severity::Error,
                    format!("The member \"{member}\" is not a principal of this workspace"),
                );
            }
        }
    }
}

fn validate_grants(ws: &Workspace, report: &mut Report<'_>) {
    for grant in &ws.grants {
        let scope = ResourcePath::parse(&grant.scope);
        let path = || {
            scope
                .clone()
                .unwrap_or_else(|| ResourcePath::gallery(&grant.scope))
        };
        if ws.principal(&grant.principal).is_none() {
            report.push(
                path,
                Some("grants"),
                Severity::Error,
                format!(
                    "A grant names principal \"{}\", which is not in this workspace",
                    grant.principal
                ),
            );
        }
        let exists = match &scope {
            Some(ResourcePath::Gallery(g)) => ws.gallery(g).is_some(),
            Some(ResourcePath::Definition(g, d)) => {
                ws.gallery(g).and_then(|g| g.definition(d)).is_some()
            }
            Some(ResourcePath::Version(g, d, v)) => ws
                .gallery(g)
                .and_then(|g| g.definition(d))
                .and_then(|d| d.version(v))
                .is_some(),
            _ => false,
        };
        if !exists {
            report.push(
                path,
                Some("grants"),
                Severity::Error,
                format!(
                    "A grant to \"{}\" has scope \"{}\", which is not a gallery, image definition or image version of this workspace",
                    grant.principal, grant.scope
                ),
            );
        }
    }
}

fn validate_image(image: &ManagedImage, path: &impl Fn() -> ResourcePath, report: &mut Report<'_>) {
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

fn validate_definition(
    ws: &Workspace,
    definition: &ImageDefinition,
    path: &impl Fn() -> ResourcePath,
    today: Date,
    report: &mut Report<'_>,
) {
    if let Some(message) = check_definition_name(&definition.name) {
        report.error(path, "name", message);
    }
    let reference = match path() {
        ResourcePath::Definition(g, d) => ws.presence_of(&g, Some(&d), None),
        _ => Presence::Planned,
    };
    if reference == Presence::Reference {
        report.warn(path, "presence", REFERENCE_ONLY.to_owned());
        return;
    }
    validate_definition_azure(definition, path, report);
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

fn validate_version(
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
    validate_version_azure(ws, version, source.is_some(), path, report);
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

/// The warning on a placeholder created from a child's id.
const REFERENCE_ONLY: &str = "Known only by reference: its own payload has not been imported, so its properties are unknown (import `az sig show` or `az sig image-definition show` output for it)";

/// Azure resource group names: 1–90 letters, digits, `_`, `-`, `.`, `(`, `)`; not ending in `.`.
fn check_resource_group(name: &str) -> Option<String> {
    let ok_chars = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '(' | ')'));
    if name.chars().count() > 90 || !ok_chars || name.ends_with('.') {
        Some(format!(
            "The resource group name \"{name}\" is invalid: 1 to 90 letters, digits, '_', '-', '.', '(' and ')', not ending in '.'"
        ))
    } else {
        None
    }
}

fn is_guid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Subscription, resource group, sharing and placeholders (API 2025-03-03).
fn validate_gallery_azure(
    ws: &Workspace,
    gallery: &Gallery,
    path: &impl Fn() -> ResourcePath,
    report: &mut Report<'_>,
) {
    if ws.presence_of(&gallery.name, None, None) == Presence::Reference {
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
    for message in super::fixed::sharing_limits(gallery) {
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
fn validate_definition_azure(
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
                super::SecurityType::ALL
                    .iter()
                    .map(|s| s.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Some(Ok(security))
            if security.needs_v2() && definition.generation == super::HyperVGeneration::V1 =>
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
fn validate_version_azure(
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
        && version.storage_type != super::StorageType::Standard_LRS
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gallery_names_at_their_limits() {
        assert!(check_gallery_name(&"a".repeat(80)).is_none());
        assert!(
            check_gallery_name(&"a".repeat(81))
                .unwrap()
                .contains("1 to 80")
        );
        assert!(check_gallery_name("").is_some());
        assert!(check_gallery_name("my_gallery.v2").is_none());
        assert!(
            check_gallery_name("my-gallery")
                .unwrap()
                .contains("no hyphens")
        );
        assert!(
            check_gallery_name("_gallery")
                .unwrap()
                .contains("start and end")
        );
        assert!(
            check_gallery_name("gallery.")
                .unwrap()
                .contains("start and end")
        );
    }

    #[test]
    fn definition_names_at_their_limits() {
        assert!(check_definition_name(&"d".repeat(80)).is_none());
        assert!(check_definition_name(&"d".repeat(81)).is_some());
        assert!(check_definition_name("ubuntu-22.04_lts").is_none());
        assert!(check_definition_name("-ubuntu").is_some());
        assert!(check_definition_name("ubuntu 22").unwrap().contains("' '"));
    }

    #[test]
    fn identifiers_at_their_limits() {
        assert!(check_identifier("publisher", &"p".repeat(128), MAX_PUBLISHER_LEN).is_none());
        assert!(check_identifier("publisher", &"p".repeat(129), MAX_PUBLISHER_LEN).is_some());
        assert!(check_identifier("offer", &"o".repeat(64), MAX_OFFER_LEN).is_none());
        assert!(check_identifier("offer", &"o".repeat(65), MAX_OFFER_LEN).is_some());
        assert!(check_identifier("sku", &"s".repeat(64), MAX_SKU_LEN).is_none());
        assert!(check_identifier("sku", &"s".repeat(65), MAX_SKU_LEN).is_some());
        assert!(
            check_identifier("sku", "22.04.", MAX_SKU_LEN)
                .unwrap()
                .contains("period")
        );
        assert!(
            check_identifier("sku", "", MAX_SKU_LEN)
                .unwrap()
                .contains("required")
        );
        assert!(check_identifier("sku", "a/b", MAX_SKU_LEN).is_some());
    }

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
            super::super::DataDisk {
                lun: 0,
                size_gb: 2_048,
            },
            super::super::DataDisk {
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

    #[test]
    fn version_names() {
        assert!(check_version_name("1.0.0").is_none());
        assert!(
            check_version_name("1.0")
                .unwrap()
                .starts_with(VERSION_NAME_MESSAGE)
        );
    }
}
