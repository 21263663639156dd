//! "Can P deploy V in region R now?": access combined with replication state.

use serde::Serialize;

use super::{AccessError, AccessIndex, Action, PrincipalAccess, Reason};
use crate::model::latest::{eligible, latest, no_latest_exists};
use crate::model::{
    ImageDefinition, ImageVersion, Region, RegionState, Resource, ResourcePath, Workspace,
};

/// The answer to "can this principal deploy this version (or definition's latest) in this
/// region now", with the reasoning.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeployAnswer {
    pub principal: String,
    /// The path asked about (a version, or a definition for its latest).
    pub resource: String,
    pub region: String,
    /// The version a deployment would use, when there is one.
    pub version: Option<String>,
    pub allowed: bool,
    /// The grants that let the principal deploy the version (empty when none do).
    pub access: Vec<Reason>,
    /// Each step of the reasoning, as sentences.
    pub why: Vec<String>,
}

impl AccessIndex<'_> {
    /// Whether `principal` can deploy the version at `path`, or the latest version of the
    /// definition at `path`, in `region` now.
    pub fn can_deploy(
        &self,
        principal: &str,
        path: &ResourcePath,
        region: Region,
    ) -> Result<DeployAnswer, AccessError> {
        let access = self.principal_access(principal)?;
        let ws = self.workspace();
        let unknown = || AccessError::UnknownResource(path.to_string());
        let mut why = Vec::new();
        let (version_path, replicated) = match path {
            ResourcePath::Version(..) => {
                let version = ws
                    .resolve(path)
                    .and_then(Resource::version)
                    .ok_or_else(unknown)?;
                let replicated = replicated_to(version, path, region, &mut why);
                (Some(path.clone()), replicated)
            }
            ResourcePath::Definition(g, d) => {
                let definition = ws
                    .resolve(path)
                    .and_then(Resource::definition)
                    .ok_or_else(unknown)?;
                let latest = latest_in(definition, (g, d), path, region, &mut why);
                let replicated = latest.is_some();
                (latest, replicated)
            }
            _ => return Err(AccessError::NotDeployable(path.to_string())),
        };
        let (reasons, may_deploy) = match &version_path {
            Some(version) => deploy_access(&access, principal, version, &mut why),
            None => (Vec::new(), false),
        };
        Ok(DeployAnswer {
            principal: principal.to_owned(),
            resource: path.to_string(),
            region: region.name().to_owned(),
            version: version_path.map(|v| v.to_string()),
            allowed: replicated && may_deploy,
            access: reasons,
            why,
        })
    }
}

/// Whether the version at `path` has completed replicating to `region`, with the reason in `why`.
fn replicated_to(
    version: &ImageVersion,
    path: &ResourcePath,
    region: Region,
    why: &mut Vec<String>,
) -> bool {
    match version.target(region) {
        Some(t) if t.status.state == RegionState::Completed => {
            why.push(format!("{path} is replicated to {region} (completed)"));
            true
        }
        Some(t) => {
            why.push(format!(
                "The image {path} is not available in {region} region: its replication there is {} ({} %)",
                t.status.state.label().to_lowercase(),
                t.status.progress
            ));
            false
        }
        None => {
            why.push(format!(
                "The image {path} is not available in {region} region: {region} is not one of its target regions"
            ));
            false
        }
    }
}

/// The version a deployment of the definition at `path` (gallery `g`, definition `d`) would use
/// in `region`, with the reason in `why`; `None` when no version can be used as latest there.
fn latest_in(
    definition: &ImageDefinition,
    (g, d): (&str, &str),
    path: &ResourcePath,
    region: Region,
    why: &mut Vec<String>,
) -> Option<ResourcePath> {
    match latest(definition, Some(region)) {
        Some(v) => {
            why.push(format!(
                "latest of {path} in {region} is {} (completed there, not excluded from latest)",
                v.name
            ));
            Some(ResourcePath::version(g, d, &v.name))
        }
        None => {
            let text = match no_latest_exists(definition, &path.to_string()) {
                // The service's own answer when no version is in latest at all.
                Some(message) => message,
                None => {
                    let mut text =
                        format!("No version of {path} can be used as latest in {region}");
                    let reasons: Vec<String> = definition
                        .versions
                        .iter()
                        .filter_map(|v| {
                            eligible(v, Some(region))
                                .err()
                                .map(|e| format!("{}: {e}", v.name))
                        })
                        .collect();
                    text.push_str(&format!(": {}", reasons.join("; ")));
                    text
                }
            };
            why.push(text);
            None
        }
    }
}

/// The grants that let `principal` deploy `version`, and whether any does; the reasons (or
/// what is missing, and the grants ignored on the way) go to `why`.
fn deploy_access(
    access: &PrincipalAccess<'_>,
    principal: &str,
    version: &ResourcePath,
    why: &mut Vec<String>,
) -> (Vec<Reason>, bool) {
    let reasons: Vec<Reason> = access
        .reasons_on(version)
        .into_iter()
        .filter(|r| super::roles::allows(r.role, Action::Deploy))
        .collect();
    let may_deploy = access.can(Action::Deploy, version);
    if may_deploy {
        let text = version.to_string();
        why.extend(reasons.iter().map(|r| r.text_for(&text)));
    } else {
        let held = access.roles_on(version);
        let mut text = format!(
            "{principal} has no role that allows deploying {version}: needs {} on it or above",
            super::roles::roles_text(&super::roles::roles_allowing(Action::Deploy))
        );
        if !held.is_empty() {
            let labels: Vec<&str> = held
                .roles()
                .into_iter()
                .map(super::roles::role_label)
                .collect();
            text.push_str(&format!(" (holds {})", labels.join(" and ")));
        }
        why.push(text);
        let text = version.to_string();
        why.extend(
            access
                .ignored()
                .iter()
                .filter(|i| text == i.scope || text.starts_with(&format!("{}/", i.scope)))
                .map(|i| i.text()),
        );
    }
    (reasons, may_deploy)
}

/// Whether `principal` can deploy the version at `path` (or the latest version of the definition
/// at `path`) in `region` now, combining access with replication state.
pub fn can_deploy(
    ws: &Workspace,
    principal: &str,
    path: &ResourcePath,
    region: Region,
) -> Result<DeployAnswer, AccessError> {
    AccessIndex::new(ws).can_deploy(principal, path, region)
}
