//! Refresh: Azure read again, compared three ways, resource by resource (a gallery's or a
//! definition's own fields, a version whole), with Azure as last seen (BASE), Azure now
//! (THEIRS) and the planned state (MINE):
//!
//! - Azure changed it and the user did not: Azure's change is taken into the planned state.
//! - The user changed it and Azure did not: the user's edit is kept.
//! - Both changed it, differently: a conflict, resolved by the user (keep mine, take Azure's).
//!   Until it is, the planned resource stays as the user left it and Azure as last seen keeps
//!   BASE's copy of it, so the next refresh finds the same conflict. Azure deleting a gallery
//!   or definition below which the user planned something is a conflict too: nothing the user
//!   planned disappears without being asked.
//!
//! Replication state is Azure's alone: for every version in Azure, the regions Azure has take
//! their state from it, whatever else happened. Role assignments merge as sets. The result is
//! the planned parts to put in place (one undo step, [`Merged::edit`]) and the new Azure as last
//! seen (set beside the history, `Document::set_azure`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

use super::merge::{self, Index, KINDS, key};
use crate::model::{AzureSeen, Edit, Gallery, Grant, Principal, Resources, Workspace};

/// A user's answer to a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Resolution {
    KeepMine,
    TakeAzure,
}

/// What happened to a resource on one side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Unchanged,
    Added,
    Changed,
    Deleted,
}

impl Side {
    pub(super) fn of<T>(base: Option<T>, now: Option<T>, same: impl Fn(&T, &T) -> bool) -> Self {
        match (base, now) {
            (None, None) => Self::Unchanged,
            (None, Some(_)) => Self::Added,
            (Some(_), None) => Self::Deleted,
            (Some(a), Some(b)) if same(&a, &b) => Self::Unchanged,
            (Some(_), Some(_)) => Self::Changed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Unchanged => "left it as it was",
            Self::Added => "added",
            Self::Changed => "changed",
            Self::Deleted => "deleted",
        }
    }
}

/// What became of one of Azure's changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// Taken into the planned state.
    Taken,
    /// The planned state already had it (the user made the same change).
    AlreadyPlanned,
    /// Both changed it: see the conflicts.
    Conflict,
}

/// One change Azure made since it was last seen.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AzureChange {
    /// `gallery`, `gallery/definition`, `gallery/definition/version`; a role assignment's
    /// scope.
    pub path: String,
    pub kind: &'static str,
    pub change: Side,
    /// A replication change's regions (`eastus: Replicating 40 % → Completed 100 %`); a role
    /// assignment's role and principal.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
    pub outcome: Outcome,
}

impl AzureChange {
    /// A region's replication state moved: nothing to decide (Azure's state is taken).
    pub fn is_replication(&self) -> bool {
        self.kind == merge::REPLICATION
    }

    /// One line: "image version g/d/1.0.0 changed: taken in".
    pub fn describe(&self) -> String {
        let mut text = format!("{} {}", self.kind, self.path);
        if !self.detail.is_empty() {
            text.push_str(&format!(" ({})", self.detail));
        }
        let what = match self.change {
            Side::Unchanged => "unchanged",
            other => other.label(),
        };
        let outcome = match self.outcome {
            Outcome::Taken => "taken in",
            Outcome::AlreadyPlanned => "already planned",
            Outcome::Conflict => "CONFLICT: you changed it too",
        };
        format!("{text}: {what} in Azure; {outcome}")
    }
}

/// A resource both Azure and the user changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub path: String,
    pub kind: &'static str,
    pub azure: Side,
    pub mine: Side,
}

impl Conflict {
    /// "image version g/d/1.0.0: Azure changed it; you deleted it".
    pub fn describe(&self) -> String {
        let mine = match self.mine {
            Side::Unchanged => "planned something below it".to_owned(),
            side => format!("{} it", side.label()),
        };
        format!(
            "{} {}: Azure {} it; you {mine}",
            self.kind,
            self.path,
            self.azure.label()
        )
    }
}

/// A refresh compared, before anything is replaced.
pub struct Refresh {
    pub changes: Vec<AzureChange>,
    pub conflicts: Vec<Conflict>,
    /// What the read could not read (403, 404) or understand.
    pub warnings: Vec<String>,
    base: Option<Arc<AzureSeen>>,
    theirs: Arc<AzureSeen>,
    grants_added: Vec<Grant>,
    grants_removed: Vec<Grant>,
}

/// The planned parts after a refresh and the new Azure as last seen.
pub struct Merged {
    pub resources: Resources,
    pub seen: Arc<AzureSeen>,
    /// Conflicts left unresolved (kept as the user had them).
    pub unresolved: Vec<Conflict>,
    /// Whether the planned state changed.
    pub planned_changed: bool,
}

impl Merged {
    /// The planned state's change as one undo step (`None` when nothing changed).
    pub fn edit(&mut self, label: &str) -> Option<Edit> {
        self.planned_changed.then(|| Edit::ReplaceResources {
            label: label.to_owned(),
            resources: Box::new(std::mem::take(&mut self.resources)),
        })
    }

    /// Puts the result into `ws` (the command line: no undo history there).
    pub fn apply_to(self, ws: &mut Workspace) {
        let Resources {
            tenants,
            principals,
            grants,
            assignments,
            managed_images,
            galleries,
        } = self.resources;
        ws.tenants = tenants;
        ws.principals = principals;
        ws.grants = grants;
        ws.assignments = assignments;
        ws.managed_images = managed_images;
        ws.galleries = galleries;
        ws.azure = Some(self.seen);
    }
}

fn grant_key(g: &Grant) -> String {
    format!(
        "{}|{:?}|{}",
        g.principal.to_lowercase(),
        g.role,
        g.scope.to_lowercase()
    )
}

fn grant_change(g: &Grant, side: Side) -> AzureChange {
    AzureChange {
        path: g.scope.clone(),
        kind: "role assignment",
        change: side,
        detail: format!("{:?} for {}", g.role, g.principal),
        outcome: Outcome::Taken,
    }
}

impl Refresh {
    /// Compares `mine` (whose Azure as last seen is BASE) with `theirs`, Azure as just read.
    pub fn compare(mine: &Workspace, theirs: Arc<AzureSeen>) -> Self {
        let mut refresh = Self {
            changes: Vec::new(),
            conflicts: Vec::new(),
            warnings: Vec::new(),
            base: mine.azure.clone(),
            theirs,
            grants_added: Vec::new(),
            grants_removed: Vec::new(),
        };
        let empty: &[Gallery] = &[];
        let base = Index::of(refresh.base.as_ref().map_or(empty, |b| b.galleries()));
        let theirs = Index::of(refresh.theirs.galleries());
        let planned = Index::of(&mine.galleries);
        for d in merge::decisions(&base, &theirs, &planned) {
            if d.azure == Side::Unchanged {
                continue;
            }
            let outcome = if d.conflict {
                refresh.conflicts.push(Conflict {
                    path: d.path.clone(),
                    kind: KINDS[d.level as usize],
                    azure: d.azure,
                    mine: d.mine,
                });
                Outcome::Conflict
            } else if d.mine == Side::Unchanged {
                Outcome::Taken
            } else {
                Outcome::AlreadyPlanned
            };
            refresh.changes.push(AzureChange {
                path: d.path,
                kind: KINDS[d.level as usize],
                change: d.azure,
                detail: String::new(),
                outcome,
            });
        }
        let moved = merge::replication_changes(&base, &theirs);
        refresh.changes.extend(moved);
        refresh.grant_changes();
        refresh
    }

    /// Reads Azure again for `mine` (the subscription and resource group of its Azure as last
    /// seen unless `options` names them; its versions seen settled are not read again) and
    /// compares. Nothing of `mine` changes.
    pub fn read(
        client: &super::Client,
        mine: &Workspace,
        options: &super::ReadOptions,
    ) -> Result<Self, super::AzureError> {
        let origin = mine.azure.as_ref().map(|s| &s.origin);
        let mut options = options.clone();
        if options.subscription.is_empty() {
            options.subscription = origin.map(|o| o.subscription.clone()).unwrap_or_default();
        }
        if options.resource_group.is_none() {
            options.resource_group = origin
                .map(|o| o.resource_group.clone())
                .filter(|rg| !rg.is_empty());
        }
        if options.subscription.is_empty() {
            return Err(super::AzureError::BadId {
                url: String::new(),
                id: String::new(),
                kind: "subscription",
                why: "Azure was never read for this workspace: name the subscription".to_owned(),
            });
        }
        if options.tenant.is_none() {
            // The tenant the read's galleries belong to: the one earlier reads gave them.
            options.tenant = mine
                .azure
                .as_ref()
                .and_then(|s| s.galleries().first().map(|g| g.tenant.clone()))
                .or_else(|| mine.tenants.first().map(|t| t.name.clone()));
        }
        options.previous = mine.azure.clone();
        let (theirs, warnings) = super::read::read_seen(client, &options)?;
        let mut refresh = Self::compare(mine, Arc::new(theirs));
        refresh.warnings = warnings;
        Ok(refresh)
    }

    /// The same read compared again with `mine` (the plan, or Azure as last seen, changed
    /// while the user read the changes): what [`Self::merge`] is then given.
    pub fn again(&self, mine: &Workspace) -> Self {
        let mut refresh = Self::compare(mine, Arc::clone(&self.theirs));
        refresh.warnings.clone_from(&self.warnings);
        refresh
    }

    /// Azure as just read.
    pub fn theirs(&self) -> &Arc<AzureSeen> {
        &self.theirs
    }

    /// Whether Azure changed nothing since it was last seen.
    pub fn is_unchanged(&self) -> bool {
        self.changes.is_empty()
    }

    fn grant_changes(&mut self) {
        let base: HashSet<String> = self
            .base
            .as_ref()
            .map(|b| b.grants().iter().map(grant_key).collect())
            .unwrap_or_default();
        let theirs: HashSet<String> = self.theirs.grants().iter().map(grant_key).collect();
        for g in self.theirs.grants() {
            if !base.contains(&grant_key(g)) {
                self.changes.push(grant_change(g, Side::Added));
                self.grants_added.push(g.clone());
            }
        }
        if let Some(b) = &self.base {
            for g in b.grants() {
                if !theirs.contains(&grant_key(g)) {
                    self.changes.push(grant_change(g, Side::Deleted));
                    self.grants_removed.push(g.clone());
                }
            }
        }
    }

    /// The planned state with Azure's changes taken in and the conflicts resolved by
    /// `resolve` (`None` leaves one unresolved), and the new Azure as last seen.
    pub fn merge(
        &self,
        mine: &Workspace,
        resolve: &dyn Fn(&Conflict) -> Option<Resolution>,
    ) -> Merged {
        let mut unresolved = Vec::new();
        let mut take: HashSet<String> = self
            .changes
            .iter()
            .filter(|c| c.outcome == Outcome::Taken && KINDS.contains(&c.kind))
            .map(|c| c.path.to_lowercase())
            .collect();
        for conflict in &self.conflicts {
            match resolve(conflict) {
                Some(Resolution::TakeAzure) => {
                    take.insert(conflict.path.to_lowercase());
                }
                Some(Resolution::KeepMine) => {}
                None => unresolved.push(conflict.clone()),
            }
        }
        let theirs = Index::of(self.theirs.galleries());
        let mut galleries = mine.galleries.clone();
        // Parents first (galleries, then definitions, then versions), in Azure's order for
        // what is added.
        let mut keys: Vec<(u8, &String)> = take
            .iter()
            .map(|k| (k.matches('/').count() as u8, k))
            .collect();
        let order: HashMap<&String, usize> = theirs
            .order
            .iter()
            .enumerate()
            .map(|(i, (_, k))| (k, i))
            .collect();
        keys.sort_by_key(|(level, k)| (*level, order.get(k).copied().unwrap_or(usize::MAX)));
        for (level, k) in keys {
            merge::take(&mut galleries, level, k, &theirs);
        }
        merge::statuses(&mut galleries, &theirs);
        let (principals, grants) = self.merged_grants(mine);
        let planned_changed =
            galleries != mine.galleries || grants != mine.grants || principals != mine.principals;
        let empty: &[Gallery] = &[];
        let base = Index::of(self.base.as_ref().map_or(empty, |b| b.galleries()));
        let pending: Vec<(u8, String)> = unresolved
            .iter()
            .map(|c| (c.path.matches('/').count() as u8, key(&[&c.path])))
            .collect();
        // Without a pending conflict, Azure as last seen is Azure as just read (shared).
        let seen = if pending.is_empty() {
            Arc::clone(&self.theirs)
        } else {
            Arc::new(merge::seen_with_pending(&self.theirs, &base, &pending))
        };
        Merged {
            resources: Resources {
                tenants: mine.tenants.clone(),
                principals,
                grants,
                // The names, object ids and scopes the planned grants are known by.
                assignments: mine.assignments.clone(),
                managed_images: mine.managed_images.clone(),
                galleries,
            },
            seen,
            unresolved,
            planned_changed,
        }
    }

    /// Grants: Azure's additions and removals applied to the planned set; a principal an
    /// added grant names is added when the planned directory lacks it.
    fn merged_grants(&self, mine: &Workspace) -> (Vec<Principal>, Vec<Grant>) {
        let removed: HashSet<String> = self.grants_removed.iter().map(grant_key).collect();
        let mut grants: Vec<Grant> = mine
            .grants
            .iter()
            .filter(|g| !removed.contains(&grant_key(g)))
            .cloned()
            .collect();
        let mut principals = mine.principals.clone();
        // By key, not a scan per added grant: a refresh adding 100,000 assignments would take
        // the square of that.
        let mut kept: HashSet<String> = grants.iter().map(grant_key).collect();
        let mut known: HashSet<String> = principals
            .iter()
            .map(|p| p.name.to_ascii_lowercase())
            .collect();
        let mut theirs: HashMap<String, &Principal> = HashMap::new();
        for p in self.theirs.principals() {
            theirs.entry(p.name.to_ascii_lowercase()).or_insert(p);
        }
        for grant in &self.grants_added {
            if !kept.insert(grant_key(grant)) {
                continue;
            }
            grants.push(grant.clone());
            let name = grant.principal.to_ascii_lowercase();
            if known.contains(&name) {
                continue;
            }
            if let Some(p) = theirs.get(&name) {
                let mut p = (*p).clone();
                if let Some(t) = mine.tenants.first()
                    && !mine.tenants.iter().any(|x| x.name == p.tenant)
                {
                    p.tenant = t.name.clone();
                }
                principals.push(p);
                known.insert(name);
            }
        }
        (principals, grants)
    }
}
