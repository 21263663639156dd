//! Retention policies: preview what a policy would change in one definition, then apply it as
//! one `Edit::Batch` (one undoable step).
//!
//! Versions are ranked newest first by number (`1.0.12` is newer than `1.0.9`). The newest
//! `keep_latest` keep all their target regions; older ones shrink to their source region; those
//! ranked beyond `delete_beyond`, or older ones published before `delete_published_before`, are
//! deleted.
//! Never shrunk or deleted: the newest completed version (the newest version when none has
//! completed), the version "latest" resolves to, and versions the user marked
//! `retention_exempt`. A change the service would refuse (removing replicated regions of a
//! version that blocks it) is reported as blocked.

use serde::Serialize;

use super::estimate::version_cost_in;
use super::{CURRENCY, format_usd};
use crate::model::retention::PolicyError;
use crate::model::{
    AggregateState, Edit, Gallery, Grant, ImageDefinition, ImageVersion, Region, RegionState,
    Resource, ResourceMut, ResourcePath, RetentionPolicy, VersionNumber, Workspace, latest::latest,
};

/// What the policy does to one version.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Outcome {
    /// Stays as it is (among the latest, or already in its source region only).
    Keep,
    /// Keeps only its source region; these regions are removed.
    Shrink { removed: Vec<Region> },
    /// The whole version is deleted.
    Delete { why: String },
    /// Would change, but the policy never touches it.
    Protected { why: String },
    /// Would change, but the change would be refused.
    Blocked { why: String },
}

impl Outcome {
    pub fn is_change(&self) -> bool {
        matches!(self, Self::Shrink { .. } | Self::Delete { .. })
    }
}

/// One version in the preview.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VersionOutcome {
    pub name: String,
    /// 1 for the newest; `None` for names that are not `Major.Minor.Patch`.
    pub rank: Option<usize>,
    pub outcome: Outcome,
    /// Monthly storage the change saves (zero when nothing changes or the cost is unknown).
    pub monthly_saving_usd: f64,
    /// Grants on the version that a delete removes with it.
    pub grants_removed: Vec<Grant>,
    /// Things to know before applying, e.g. that the saving could not be priced.
    pub warnings: Vec<String>,
    /// The edit for this version's change; `None` when it does not change.
    #[serde(skip)]
    pub edit: Option<Edit>,
}

/// What a policy would change in one definition; every version is listed, newest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RetentionPreview {
    pub gallery: String,
    pub definition: String,
    pub policy: RetentionPolicy,
    pub currency: &'static str,
    pub versions: Vec<VersionOutcome>,
    /// The sum of the versions' savings.
    pub monthly_saving_usd: f64,
}

/// Why there is no preview.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RetentionError {
    #[error("{0}: the image definition was not found")]
    NotFound(String),
    #[error("{path}: {source}")]
    Policy {
        path: String,
        #[source]
        source: PolicyError,
    },
    #[error("{0}: no retention policy is set on the image definition or as its gallery's default")]
    NoPolicy(String),
}

/// Previews the definition's own policy, or its gallery's default.
pub fn preview_stored_policy(
    ws: &Workspace,
    gallery: &str,
    definition: &str,
) -> Result<RetentionPreview, RetentionError> {
    let path = ResourcePath::definition(gallery, definition).to_string();
    let (g, d) =
        find(ws, gallery, definition).ok_or_else(|| RetentionError::NotFound(path.clone()))?;
    let (policy, _) =
        crate::model::retention::effective(g, d).ok_or(RetentionError::NoPolicy(path))?;
    preview_retention(ws, gallery, definition, policy)
}

fn find<'a>(
    ws: &'a Workspace,
    gallery: &str,
    definition: &str,
) -> Option<(&'a Gallery, &'a ImageDefinition)> {
    match ws.resolve(&ResourcePath::definition(gallery, definition))? {
        Resource::Definition(g, d) => Some((g, d)),
        _ => None,
    }
}

/// The version retention must never remove: the newest completed one, else the newest.
pub fn newest_completed(definition: &ImageDefinition) -> Option<&ImageVersion> {
    let numbered = || {
        definition
            .versions
            .iter()
            .filter_map(|v| v.number().map(|n| (n, v)))
    };
    numbered()
        .filter(|(_, v)| v.aggregate_state() == AggregateState::Completed)
        .max_by_key(|(n, _)| *n)
        .or_else(|| numbered().max_by_key(|(n, _)| *n))
        .map(|(_, v)| v)
}

/// What the policy would do to each version of a definition, with the edits that do it.
pub fn preview_retention(
    ws: &Workspace,
    gallery: &str,
    definition: &str,
    policy: &RetentionPolicy,
) -> Result<RetentionPreview, RetentionError> {
    let path = ResourcePath::definition(gallery, definition);
    let (g, d) =
        find(ws, gallery, definition).ok_or_else(|| RetentionError::NotFound(path.to_string()))?;
    policy.check().map_err(|source| RetentionError::Policy {
        path: path.to_string(),
        source,
    })?;
    let mut ranked: Vec<(VersionNumber, &ImageVersion)> = d
        .versions
        .iter()
        .filter_map(|v| v.number().map(|n| (n, v)))
        .collect();
    ranked.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
    let protected_name = newest_completed(d).map(|v| v.name.as_str());
    let latest_name = latest(d, None).map(|v| v.name.as_str());
    // Edits are tried on a copy holding only what they touch, so the batch never fails.
    let mut scratch = Workspace {
        tenants: ws.tenants.clone(),
        principals: ws.principals.clone(),
        grants: ws.grants.clone(),
        galleries: vec![Gallery {
            definitions: vec![d.clone()],
            ..g.without_definitions()
        }],
        ..Workspace::default()
    };
    let mut versions = Vec::with_capacity(d.versions.len());
    for (index, (_, version)) in ranked.iter().enumerate() {
        let rank = index + 1;
        let mut item = judge(
            ws,
            g,
            d,
            version,
            rank,
            policy,
            Protect {
                newest_completed: protected_name,
                latest: latest_name,
            },
        );
        if let Some(edit) = item.edit.take() {
            match edit.clone().apply(&mut scratch) {
                Ok(_) => item.edit = Some(edit),
                Err(err) => {
                    item.outcome = Outcome::Blocked { why: err.message };
                    item.monthly_saving_usd = 0.0;
                    item.grants_removed.clear();
                }
            }
        }
        versions.push(item);
    }
    for version in d.versions.iter().filter(|v| v.number().is_none()) {
        versions.push(VersionOutcome {
            name: version.name.clone(),
            rank: None,
            outcome: Outcome::Protected {
                why: "its name is not Major.Minor.Patch, so it has no place in the order"
                    .to_owned(),
            },
            monthly_saving_usd: 0.0,
            grants_removed: Vec::new(),
            warnings: Vec::new(),
            edit: None,
        });
    }
    Ok(RetentionPreview {
        gallery: gallery.to_owned(),
        definition: definition.to_owned(),
        policy: policy.clone(),
        currency: CURRENCY,
        monthly_saving_usd: versions.iter().map(|v| v.monthly_saving_usd).sum(),
        versions,
    })
}

/// The versions a policy never shrinks or deletes (besides those the user exempted).
#[derive(Clone, Copy)]
struct Protect<'a> {
    newest_completed: Option<&'a str>,
    /// The version "latest" resolves to; it differs from the newest when newer ones are
    /// excluded from latest.
    latest: Option<&'a str>,
}

impl Protect<'_> {
    /// Why the policy leaves `version` alone whatever it says, if it does.
    fn why(self, version: &ImageVersion) -> Option<&'static str> {
        let name = Some(version.name.as_str());
        if version.retention_exempt {
            Some("the user excluded it from retention")
        } else if self.newest_completed == name {
            Some("it is the newest completed version")
        } else if self.latest == name {
            Some(
                "\"latest\" resolves to it (newer versions are excluded from latest), so deployments of latest use it",
            )
        } else {
            None
        }
    }
}

/// Decides one version's outcome and builds its edit (not yet tried).
fn judge(
    ws: &Workspace,
    g: &Gallery,
    d: &ImageDefinition,
    version: &ImageVersion,
    rank: usize,
    policy: &RetentionPolicy,
    protect: Protect<'_>,
) -> VersionOutcome {
    let mut item = VersionOutcome {
        name: version.name.clone(),
        rank: Some(rank),
        outcome: Outcome::Keep,
        monthly_saving_usd: 0.0,
        grants_removed: Vec::new(),
        warnings: Vec::new(),
        edit: None,
    };
    let delete_why = delete_reason(version, rank, policy);
    let keeps_all = rank <= to_rank(policy.keep_latest);
    if delete_why.is_none() && keeps_all {
        return item;
    }
    let cost = version_cost_in(ws, version);
    // What shrinking would remove, or why it cannot.
    let shrink = match &cost {
        Ok(cost) if version.target(cost.source_region).is_none() => Err(format!(
            "its source region {} is not one of its target regions, so shrinking would leave none",
            cost.source_region
        )),
        Ok(cost) => Ok(version
            .target_regions
            .iter()
            .map(|t| t.region)
            .filter(|r| *r != cost.source_region)
            .collect::<Vec<Region>>()),
        Err(err) => Err(err.to_string()),
    };
    if delete_why.is_none() && matches!(&shrink, Ok(removed) if removed.is_empty()) {
        return item;
    }
    if let Some(why) = protect.why(version) {
        item.outcome = Outcome::Protected {
            why: why.to_owned(),
        };
        return item;
    }
    if let Some(why) = delete_why {
        match &cost {
            Ok(cost) => item.monthly_saving_usd = cost.totals.monthly_usd,
            Err(err) => item.warnings.push(format!("the saving is unknown: {err}")),
        }
        let path = ResourcePath::version(&g.name, &d.name, &version.name);
        item.grants_removed = ws
            .grants
            .iter()
            .filter(|grant| within(grant, &path))
            .cloned()
            .collect();
        item.outcome = Outcome::Delete { why };
        item.edit = Some(Edit::DeleteVersion {
            gallery: g.name.clone(),
            definition: d.name.clone(),
            name: version.name.clone(),
        });
        return item;
    }
    let (removed, cost) = match (shrink, cost) {
        (Ok(removed), Ok(cost)) => (removed, cost),
        (Err(why), _) => {
            item.outcome = Outcome::Blocked { why };
            return item;
        }
        (_, Err(err)) => {
            item.outcome = Outcome::Blocked {
                why: err.to_string(),
            };
            return item;
        }
    };
    if !version.allow_deletion_of_replicated_locations
        && let Some(replicated) = version.target_regions.iter().find(|t| {
            removed.contains(&t.region)
                && matches!(
                    t.status.state,
                    RegionState::Completed | RegionState::Replicating
                )
        })
    {
        item.outcome = Outcome::Blocked {
            why: format!(
                "it blocks deletion of replicated regions (allowDeletionOfReplicatedLocations is false) and {} holds replicas",
                replicated.region
            ),
        };
        return item;
    }
    let mut shrunk = version.clone();
    shrunk
        .target_regions
        .retain(|t| !removed.contains(&t.region));
    item.monthly_saving_usd = removed
        .iter()
        .filter_map(|r| cost.region(*r))
        .map(|r| r.totals.monthly_usd)
        .sum();
    item.outcome = Outcome::Shrink { removed };
    item.edit = Some(shrink_edit(ws, g, d, version, shrunk));
    item
}

/// Replaces a version by its shrunk copy so that undo restores it exactly.
///
/// `Edit::UpdateVersion` would do the replacement, but its undo starts re-added regions afresh
/// (replication status belongs to the service), so undoing a shrink would lose the removed
/// regions' status. Deleting and re-adding the version at the same place, then putting its
/// grants back at their places, makes the same change with an exact inverse. The checks
/// `UpdateVersion` makes do not apply: nothing but the regions changes, and
/// `allowDeletionOfReplicatedLocations` is checked by the caller.
fn shrink_edit(
    ws: &Workspace,
    g: &Gallery,
    d: &ImageDefinition,
    version: &ImageVersion,
    shrunk: ImageVersion,
) -> Edit {
    let path = ResourcePath::version(&g.name, &d.name, &version.name);
    let index = d.versions.iter().position(|v| v.name == version.name);
    let mut edits = vec![
        Edit::DeleteVersion {
            gallery: g.name.clone(),
            definition: d.name.clone(),
            name: version.name.clone(),
        },
        Edit::AddVersion {
            gallery: g.name.clone(),
            definition: d.name.clone(),
            index,
            version: shrunk,
        },
    ];
    edits.extend(
        ws.grants
            .iter()
            .enumerate()
            .filter(|(_, grant)| within(grant, &path))
            .map(|(i, grant)| Edit::AddGrant {
                index: Some(i),
                grant: grant.clone(),
            }),
    );
    Edit::Batch {
        label: format!("Shrink version {path} to its source region"),
        edits,
    }
}

fn within(grant: &Grant, path: &ResourcePath) -> bool {
    ResourcePath::parse(&grant.scope).is_some_and(|s| s.is_within(path))
}

fn to_rank(count: u32) -> usize {
    usize::try_from(count).unwrap_or(usize::MAX)
}

fn delete_reason(version: &ImageVersion, rank: usize, policy: &RetentionPolicy) -> Option<String> {
    if let Some(m) = policy.delete_beyond
        && rank > to_rank(m)
    {
        return Some(format!("ranked {rank}, beyond the newest {m}"));
    }
    // The newest `keep_latest` are kept whatever their age.
    if rank <= to_rank(policy.keep_latest) {
        return None;
    }
    match (version.published, policy.delete_published_before) {
        (Some(published), Some(before)) if published < before => {
            Some(format!("published {published}, before {before}"))
        }
        _ => None,
    }
}

impl RetentionPreview {
    /// Versions that change (shrink or delete).
    pub fn changes(&self) -> impl Iterator<Item = &VersionOutcome> {
        self.versions.iter().filter(|v| v.outcome.is_change())
    }

    /// Versions whose change would be refused.
    pub fn blocked(&self) -> impl Iterator<Item = &VersionOutcome> {
        self.versions
            .iter()
            .filter(|v| matches!(v.outcome, Outcome::Blocked { .. }))
    }

    /// All changes as one edit (one undo step); `None` when nothing changes. Blocked versions
    /// are left out.
    pub fn edit(&self) -> Option<Edit> {
        let edits: Vec<Edit> = self
            .versions
            .iter()
            .filter_map(|v| v.edit.clone())
            .collect();
        (!edits.is_empty()).then(|| Edit::Batch {
            label: format!(
                "Apply retention policy to {}",
                ResourcePath::definition(&self.gallery, &self.definition)
            ),
            edits,
        })
    }

    /// The workspace as it will be after applying [`Self::edit`], computed from the preview's
    /// own lists (not from the edit), so the two can be checked against each other.
    pub fn predicted(&self, ws: &Workspace) -> Workspace {
        let mut predicted = ws.clone();
        let removed_grants: Vec<&Grant> = self
            .versions
            .iter()
            .flat_map(|v| &v.grants_removed)
            .collect();
        predicted.grants.retain(|g| !removed_grants.contains(&g));
        let path = ResourcePath::definition(&self.gallery, &self.definition);
        let Some(definition) = predicted
            .resolve_mut(&path)
            .and_then(ResourceMut::definition)
        else {
            return predicted;
        };
        let outcome = |name: &str| {
            self.versions
                .iter()
                .find(|v| v.name == name)
                .map(|v| &v.outcome)
        };
        definition
            .versions
            .retain(|v| !matches!(outcome(&v.name), Some(Outcome::Delete { .. })));
        for version in &mut definition.versions {
            if let Some(Outcome::Shrink { removed }) = outcome(&version.name) {
                version
                    .target_regions
                    .retain(|t| !removed.contains(&t.region));
            }
        }
        predicted
    }

    /// The preview as text: one line per version, then the saving.
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = format!(
            "Retention for {}: {}\n",
            ResourcePath::definition(&self.gallery, &self.definition),
            self.policy.describe()
        );
        for v in &self.versions {
            let rank = v.rank.map_or_else(|| "-".to_owned(), |r| format!("#{r}"));
            let what = match &v.outcome {
                Outcome::Keep => "keep".to_owned(),
                Outcome::Shrink { removed } => format!(
                    "shrink to the source region, removing {} ({})",
                    removed
                        .iter()
                        .map(|r| r.name())
                        .collect::<Vec<_>>()
                        .join(", "),
                    removed.len()
                ),
                Outcome::Delete { why } => format!("delete: {why}"),
                Outcome::Protected { why } => format!("keep (protected: {why})"),
                Outcome::Blocked { why } => format!("BLOCKED: {why}"),
            };
            let _ = write!(out, "  {rank:>4} {:<12} {what}", v.name);
            if v.outcome.is_change() {
                let _ = write!(out, "; saves {}/month", format_usd(v.monthly_saving_usd));
            }
            out.push('\n');
            for grant in &v.grants_removed {
                let _ = writeln!(
                    out,
                    "         also removes the grant {:?} on {} to {}",
                    grant.role, grant.scope, grant.principal
                );
            }
            for warning in &v.warnings {
                let _ = writeln!(out, "         warning: {warning}");
            }
        }
        let changes = self.changes().count();
        let blocked = self.blocked().count();
        let _ = writeln!(
            out,
            "{changes} version{} change, saving {}/month{}",
            if changes == 1 { "" } else { "s" },
            format_usd(self.monthly_saving_usd),
            if blocked > 0 {
                format!("; {blocked} blocked")
            } else {
                String::new()
            }
        );
        out
    }
}
