//! Deployment checks: may a version (or a definition's "latest") be deployed in a region, and
//! how loaded will its replicas be (DOMAIN.md §3 and §4).
//!
//! A VM or scale set can be created in a region only once replication there is Completed;
//! otherwise the service answers that the image "is not available in <region> region". Replicas
//! spread the load of creating VMs: one replica per `Settings::vms_per_replica` VMs created at
//! once, one per scale set created at once, and at least three for production images.

use super::{Blocked, NOT_CREATED};
use crate::model::latest::{eligible, latest, no_latest_exists};
use crate::model::{
    Date, ImageDefinition, ImageVersion, Region, RegionState, Resource, ResourcePath, Workspace,
};

/// What is deployed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DeployKind {
    #[default]
    Vms,
    ScaleSets,
}

impl DeployKind {
    /// The unit in words, for `count`.
    pub fn noun(self, count: u32) -> &'static str {
        match (self, count) {
            (Self::Vms, 1) => "VM",
            (Self::Vms, _) => "VMs",
            (Self::ScaleSets, 1) => "scale set",
            (Self::ScaleSets, _) => "scale sets",
        }
    }
}

/// The answer when a deployment is allowed.
#[derive(Clone, Debug, PartialEq)]
pub struct DeployPlan {
    /// The version deployed (for a definition, the one "latest" resolves to in the region).
    pub version: ResourcePath,
    /// Whether the version was resolved from a definition's "latest".
    pub from_latest: bool,
    pub region: Region,
    pub kind: DeployKind,
    pub count: u32,
    /// Replicas of the version in the region.
    pub replicas: u32,
    /// VMs (or scale sets) created from each replica.
    pub load_per_replica: f64,
    /// Scaling guidance not met, one sentence each.
    pub warnings: Vec<String>,
}

/// Why a deployment is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeployError {
    /// The version or definition does not exist (or the path names something else).
    #[error("{path}: {message}")]
    NotFound { path: String, message: String },
    /// The service would refuse the deployment.
    #[error("{path}: {message}")]
    Refused { path: String, message: String },
}

fn not_available(path: &ResourcePath, region: Region, why: &str) -> String {
    format!(
        "The gallery image {path} is not available in {region} region. Please contact image owner to replicate to this region, or change your requested region ({why})"
    )
}

/// Checks deploying `count` VMs or scale sets from `target` (a version, or a definition for its
/// "latest") in `region`, judging end-of-life dates against `today`.
pub fn check(
    ws: &Workspace,
    today: Date,
    target: &ResourcePath,
    region: Region,
    kind: DeployKind,
    count: u32,
) -> Result<DeployPlan, DeployError> {
    check_with(ws, Blocking::Validate(today), target, region, kind, count)
}

/// What keeps a version's region from being created, for [`check_with`].
#[derive(Clone, Copy, Debug)]
pub enum Blocking<'a> {
    /// The versions and regions validation errors keep from being created, as the caller has
    /// them (the app's engine does).
    Known(&'a Blocked),
    /// Not known: the workspace is validated against this date when a version's region has not
    /// started.
    Validate(Date),
}

/// [`check`] with what keeps regions from being created, when the caller has it.
pub fn check_with(
    ws: &Workspace,
    blocked: Blocking<'_>,
    target: &ResourcePath,
    region: Region,
    kind: DeployKind,
    count: u32,
) -> Result<DeployPlan, DeployError> {
    let not_found = |message: &str| DeployError::NotFound {
        path: target.to_string(),
        message: message.to_owned(),
    };
    let (gallery, definition, version_name) = match target {
        ResourcePath::Version(g, d, v) => (g, d, Some(v)),
        ResourcePath::Definition(g, d) => (g, d, None),
        _ => {
            return Err(not_found(
                "Deploy an image version (gallery/definition/version) or a definition's latest (gallery/definition)",
            ));
        }
    };
    let definition_path = ResourcePath::definition(gallery, definition);
    let Some(d) = ws.resolve(&definition_path).and_then(Resource::definition) else {
        let missing = ws.missing(&definition_path).unwrap_or(definition_path);
        return Err(not_found(&format!("The {} was not found", missing.kind())));
    };
    if count == 0 {
        return Err(refused(
            target,
            format!("Deploy at least one {}", kind.noun(1)),
        ));
    }
    if ws.simulation.has_outage(region) {
        return Err(refused(
            target,
            format!(
                "The region {region} is unavailable (simulated outage): nothing can be deployed there now"
            ),
        ));
    }
    let version: &ImageVersion = match version_name {
        Some(name) => {
            let Some(version) = d.version(name) else {
                return Err(not_found("The image version was not found"));
            };
            replicated_in(ws, blocked, version, target, region)?;
            version
        }
        None => latest_in(d, target, region)?,
    };
    let Some(t) = version.target(region) else {
        return Err(refused(target, not_available(target, region, "no replica")));
    };
    let replicas = version.replica_count(t).max(1);
    let flagged = version.flagged().map(|why| {
        format!("The service flags this version: {why}. Read the report before deploying it")
    });
    let mut warnings: Vec<String> = flagged.into_iter().collect();
    warnings.extend(load_warnings(ws, kind, count, replicas, region));
    Ok(DeployPlan {
        version: ResourcePath::version(gallery, definition, &version.name),
        from_latest: version_name.is_none(),
        region,
        kind,
        count,
        replicas,
        load_per_replica: f64::from(count) / f64::from(replicas),
        warnings,
    })
}

fn refused(path: &ResourcePath, message: String) -> DeployError {
    DeployError::Refused {
        path: path.to_string(),
        message,
    }
}

/// Refuses a version named by `target` unless its replication to `region` has completed (a
/// region not created for validation errors says which).
fn replicated_in(
    ws: &Workspace,
    blocked: Blocking<'_>,
    version: &ImageVersion,
    target: &ResourcePath,
    region: Region,
) -> Result<(), DeployError> {
    let Some(t) = version.target(region) else {
        return Err(refused(
            target,
            not_available(
                target,
                region,
                "it is not one of the version's target regions",
            ),
        ));
    };
    if t.status.state == RegionState::Unknown {
        let details = match blocked {
            Blocking::Known(blocked) => blocked.reason(target, region).map(str::to_owned),
            Blocking::Validate(today) => Blocked::of(ws, today)
                .reason(target, region)
                .map(str::to_owned),
        };
        if let Some(why) = details {
            return Err(refused(
                target,
                not_available(
                    target,
                    region,
                    &format!("{}: {why}", NOT_CREATED.to_lowercase()),
                ),
            ));
        }
    }
    if t.status.state != RegionState::Completed {
        return Err(refused(
            target,
            not_available(
                target,
                region,
                &format!(
                    "replication there is {}, {} %",
                    t.status.state.label().to_lowercase(),
                    t.status.progress
                ),
            ),
        ));
    }
    Ok(())
}

/// The version a deployment of the definition's latest gets in `region`, or why none does.
fn latest_in<'a>(
    d: &'a ImageDefinition,
    target: &ResourcePath,
    region: Region,
) -> Result<&'a ImageVersion, DeployError> {
    if let Some(message) = no_latest_exists(d, &target.to_string()) {
        return Err(refused(target, message));
    }
    latest(d, Some(region)).ok_or_else(|| {
        let reasons: Vec<String> = d
            .versions_sorted()
            .into_iter()
            .rev()
            .filter_map(|i| d.versions.get(i))
            .filter_map(|v| {
                eligible(v, Some(region))
                    .err()
                    .map(|why| format!("{}: {why}", v.name))
            })
            .collect();
        // Some version is in latest (else `no_latest_exists` answered), just none in this
        // region: the service names the definition.
        let why = format!(
            "no version qualifies as latest there; {}",
            reasons.join("; ")
        );
        refused(target, not_available(target, region, &why))
    })
}

/// The guidance on replicas for `count` VMs or scale sets created at once from `replicas`.
fn load_warnings(
    ws: &Workspace,
    kind: DeployKind,
    count: u32,
    replicas: u32,
    region: Region,
) -> Vec<String> {
    let per_replica = f64::from(count) / f64::from(replicas);
    let mut warnings = Vec::new();
    match kind {
        DeployKind::Vms => {
            let vms_per_replica = ws.settings.vms_per_replica.max(1);
            let needed = count.div_ceil(vms_per_replica);
            if replicas < needed {
                warnings.push(format!(
                    "{count} VMs created at once from {replicas} {} is {per_replica:.1} VMs per replica: the guidance is one replica per {vms_per_replica} VMs created concurrently, so use at least {needed} replicas in {region} or the source may throttle (\"Too many requests on source\")",
                    replica_noun(replicas)
                ));
            }
        }
        DeployKind::ScaleSets => {
            if replicas < count {
                warnings.push(format!(
                    "{count} scale sets created at once from {replicas} {}: the guidance is one replica per scale set created concurrently, so use at least {count} replicas in {region}",
                    replica_noun(replicas)
                ));
            }
        }
    }
    if replicas < 3 {
        warnings.push(format!(
            "{region} holds {replicas} {} of this version: at least 3 are recommended for production images",
            replica_noun(replicas)
        ));
    }
    warnings
}

fn replica_noun(count: u32) -> &'static str {
    if count == 1 { "replica" } else { "replicas" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample;

    /// The day these tests were written: the sample is judged as it was then.
    fn today() -> Date {
        Date::constant(2026, 12, 6)
    }

    fn r(name: &str) -> Region {
        Region::parse(name).unwrap()
    }

    #[test]
    fn refused_where_replication_is_not_complete_with_the_service_message() {
        let ws = sample();
        let path = ResourcePath::version("contoso_images", "ubuntu-2204-base", "1.0.12");
        let err = check(&ws, today(), &path, r("canadacentral"), DeployKind::Vms, 5).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("The gallery image contoso_images/ubuntu-2204-base/1.0.12 is not available in Canada Central region")
                && text.contains("replicating, 72 %"),
            "{text}"
        );
        let err = check(&ws, today(), &path, r("japaneast"), DeployKind::Vms, 5).unwrap_err();
        assert!(
            err.to_string()
                .contains("not one of the version's target regions")
        );
        assert!(check(&ws, today(), &path, r("eastus"), DeployKind::Vms, 5).is_ok());
    }

    #[test]
    fn load_per_replica_and_scaling_warnings() {
        let mut ws = sample();
        let path = ResourcePath::version("contoso_images", "win2022-datacenter", "2026.9.0");
        // East US holds 3 replicas.
        let plan = check(&ws, today(), &path, r("eastus"), DeployKind::Vms, 60).unwrap();
        assert_eq!(plan.replicas, 3);
        assert_eq!(plan.load_per_replica, 20.0);
        assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
        let plan = check(&ws, today(), &path, r("eastus"), DeployKind::Vms, 61).unwrap();
        assert_eq!(plan.warnings.len(), 1);
        assert!(
            plan.warnings[0].contains("at least 4 replicas in East US"),
            "{:?}",
            plan.warnings
        );
        // The threshold is a setting.
        ws.settings.vms_per_replica = 50;
        let plan = check(&ws, today(), &path, r("eastus"), DeployKind::Vms, 61).unwrap();
        assert!(plan.warnings.is_empty());
        // West Europe holds 2: scale sets and production guidance.
        let plan = check(
            &ws,
            today(),
            &path,
            r("westeurope"),
            DeployKind::ScaleSets,
            3,
        )
        .unwrap();
        assert_eq!(plan.load_per_replica, 1.5);
        assert_eq!(plan.warnings.len(), 2, "{:?}", plan.warnings);
        assert!(plan.warnings[0].contains("one replica per scale set"));
        assert!(plan.warnings[1].contains("at least 3 are recommended for production"));
        assert!(check(&ws, today(), &path, r("eastus"), DeployKind::Vms, 0).is_err());
    }

    #[test]
    fn a_definition_deploys_its_latest_for_the_region() {
        let ws = sample();
        let def = ResourcePath::definition("contoso_images", "ubuntu-2204-base");
        // 1.0.12 is complete in East US: latest there.
        let plan = check(&ws, today(), &def, r("eastus"), DeployKind::Vms, 1).unwrap();
        assert!(plan.from_latest);
        assert_eq!(plan.version.name(), "1.0.12");
        // In Canada Central 1.0.12 is still replicating and no older version is there.
        let err = check(&ws, today(), &def, r("canadacentral"), DeployKind::Vms, 1).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(
                "The gallery image contoso_images/ubuntu-2204-base is not available in Canada Central region. Please contact image owner to replicate to this region, or change your requested region"
            ),
            "{text}"
        );
        assert!(
            text.contains("1.0.12: its replication to Canada Central is replicating (72 %)"),
            "{text}"
        );
        // 2026.10.0 is excluded from latest: 2026.9.0 is picked in West Central US.
        let win = ResourcePath::definition("contoso_images", "win2022-datacenter");
        let plan = check(&ws, today(), &win, r("westcentralus"), DeployKind::Vms, 1).unwrap();
        assert_eq!(plan.version.name(), "2026.9.0");
    }

    #[test]
    fn latest_when_every_version_is_excluded_uses_the_services_message() {
        let mut ws = sample();
        let def = ResourcePath::definition("contoso_images", "ubuntu-2204-base");
        for v in &mut ws.galleries[0].definitions[1].versions {
            v.exclude_from_latest = true;
        }
        let err = check(&ws, today(), &def, r("eastus"), DeployKind::Vms, 1).unwrap_err();
        assert!(matches!(err, DeployError::Refused { .. }));
        assert_eq!(
            err.to_string(),
            "contoso_images/ubuntu-2204-base: There is no latest image version exists for \"contoso_images/ubuntu-2204-base\" (every version is excluded from latest: 1.0.12, 1.0.9, 1.0.8)"
        );
    }

    #[test]
    fn outages_and_unknown_paths() {
        let mut ws = sample();
        let path = ResourcePath::version("contoso_images", "win2022-datacenter", "2026.9.0");
        ws.simulation.outages.push(r("eastus"));
        let err = check(&ws, today(), &path, r("eastus"), DeployKind::Vms, 1).unwrap_err();
        assert!(err.to_string().contains("unavailable"), "{err}");
        let missing = ResourcePath::version("contoso_images", "win2022-datacenter", "9.9.9");
        assert!(matches!(
            check(&ws, today(), &missing, r("westus"), DeployKind::Vms, 1),
            Err(DeployError::NotFound { .. })
        ));
    }
}
