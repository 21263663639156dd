//! The plan: the operations that take Azure from one workspace (BEFORE, typically an import of
//! today's state) to another (AFTER, the edited workspace), in an order the service accepts.
//!
//! - Deletes come first, children before parents (role assignments, versions, definitions,
//!   galleries: the service refuses "Can not delete resource before nested resources are
//!   deleted"); then creates and updates, parents before children; role assignments last.
//! - Resources are matched by their ARM identity: the gallery's subscription, resource group and
//!   name, then the definition's and version's names, all compared ignoring ASCII case. ARM
//!   cannot rename, so a renamed resource is a delete plus a create, and the plan says so.
//! - An update is what ARM would receive differently ([`crate::export::arm`]'s bodies compared
//!   field by field); a change the service forbids (`crate::model::fixed`), a deletion a version
//!   blocks, or a resource that breaks the workspace's rules is listed as refused with the
//!   reason, and so is what depends on it.
//! - Each version step carries its monthly cost change and, when it starts replication, the time
//!   the workspace's time model expects for it.
//!
//! Placeholders known only by reference are never created or updated: their fields are unknown.

mod az;
mod clash;
mod compare;
pub mod gallery_ops;
mod lookup;
mod refusals;
pub(crate) mod replication;
mod scopes;
mod target_regions;
pub mod text;
mod versions;

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::cost::estimate::Sources;
use crate::model::{Date, Gallery, Grant, Presence, ResourcePath, Severity, Workspace, fixed};

pub use az::{script, to_script};
pub use clash::name_clash;
pub(crate) use compare::same_but_status;
pub(crate) use lookup::find;
use lookup::{definition_in, gallery_key, grant_key, parent_of, same, versions_by_name};
pub use text::to_text;

/// What a step does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Delete,
    Create,
    Update,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Self::Delete => "delete",
            Self::Create => "create",
            Self::Update => "update",
        }
    }
}

/// What a step acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    Gallery,
    Definition,
    Version,
    RoleAssignment,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Gallery => "gallery",
            Self::Definition => "image definition",
            Self::Version => "image version",
            Self::RoleAssignment => "role assignment",
        }
    }
}

/// One property whose value changes, by its ARM name (`description`,
/// `publishingProfile.endOfLifeDate`, `targetRegions[eastus]`…).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub property: String,
    /// `None` when the property is added.
    pub before: Option<String>,
    /// `None` when the property is removed.
    pub after: Option<String>,
}

/// What a step costs each month, as far as it is known.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Cost {
    /// Galleries, definitions and role assignments cost nothing themselves.
    Free,
    /// The monthly storage change and the transfer billed once for the regions it adds.
    Priced { monthly_usd: f64, egress_usd: f64 },
    /// The version's size or source is not known.
    Unknown { reason: String },
}

/// One operation of the plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub action: Action,
    pub kind: Kind,
    /// `gallery`, `gallery/definition` or `gallery/definition/version`; for a role assignment,
    /// the scope it is on.
    pub path: String,
    /// A role assignment's principal and role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant: Option<Grant>,
    /// What an update changes (empty for creates and deletes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// Why the service would refuse the step; a refused step is not carried out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
    /// Why the step is there beyond the obvious (a rename, a move).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub cost: Cost,
    /// Simulated seconds the replication this step starts takes, by the time model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replication_secs: Option<f64>,
    /// Why no replication time can be given although the step replicates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replication_unknown: Option<String>,
    /// The other half of a rename or move (a delete's create, a create's delete).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pair: Option<String>,
}

impl Step {
    fn new(action: Action, kind: Kind, path: String) -> Self {
        Self {
            action,
            kind,
            path,
            grant: None,
            changes: Vec::new(),
            refused: None,
            note: None,
            cost: Cost::Free,
            replication_secs: None,
            replication_unknown: None,
            pair: None,
        }
    }

    /// The gallery the step belongs to (a role assignment's, by its scope).
    pub fn gallery(&self) -> &str {
        self.path.split('/').next().unwrap_or_default()
    }

    /// The resource in words: "image version g/d/1.0.0", "role assignment Reader for bob on g".
    pub fn what(&self) -> String {
        match &self.grant {
            Some(grant) => format!(
                "role assignment {} for {} on {}",
                crate::access::roles::role_label(grant.role),
                grant.principal,
                self.path
            ),
            None => format!("{} {}", self.kind.label(), self.path),
        }
    }

    fn refuse(&mut self, reason: String) {
        if self.refused.is_none() {
            self.refused = Some(reason);
        }
    }
}

/// The whole plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub steps: Vec<Step>,
    /// Monthly storage change of the steps carried out (refused ones excluded).
    pub monthly_usd: f64,
    /// Transfer billed once by the steps carried out.
    pub egress_usd: f64,
    /// Version steps whose cost is unknown.
    pub unpriced: usize,
    /// Simulated seconds until every replication the plan starts has finished, all running
    /// together (they share each source region's outbound bandwidth).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replication_secs: Option<f64>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    pub fn refused(&self) -> usize {
        self.steps.iter().filter(|s| s.refused.is_some()).count()
    }

    /// Steps carried out, by action.
    pub fn count(&self, action: Action) -> usize {
        self.steps
            .iter()
            .filter(|s| s.action == action && s.refused.is_none())
            .count()
    }

    /// "2 to create, 1 to update, 1 to delete, 1 refused" (or "nothing to do").
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "nothing to do: Azure already matches".to_owned();
        }
        let mut parts: Vec<String> = [Action::Create, Action::Update, Action::Delete]
            .into_iter()
            .map(|a| format!("{} to {}", self.count(a), a.label()))
            .collect();
        let refused = self.refused();
        if refused > 0 {
            parts.push(format!("{refused} refused"));
        }
        parts.join(", ")
    }
}

/// Computes the plan from `before` to `after`; `today` decides end-of-life blocks and the rules.
pub fn plan(before: &Workspace, after: &Workspace, today: Date) -> Plan {
    Planner::new(before, after, today).run()
}

/// [`plan`] and its [`to_text`] (headed `Plan from BEFORE to AFTER`), made at once: the text of
/// the steps is written while the replication of all the versions together is estimated, on
/// one core (a quarter of a second for 100,000 versions).
pub fn plan_with_text(
    before: &Workspace,
    after: &Workspace,
    today: Date,
    (before_name, after_name): (&str, &str),
) -> (Plan, String) {
    let (mut plan, joint) = Planner::new(before, after, today).steps();
    let (secs, steps) = std::thread::scope(|scope| {
        let steps = scope.spawn(|| text::steps(&plan));
        let secs = joint.estimate();
        match steps.join() {
            Ok(steps) => (secs, steps),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    plan.replication_secs = secs;
    let text = text::head(&plan, before_name, after_name) + &steps;
    (plan, text)
}

/// What is left of a plan once its steps are known: the replication of the versions it does
/// not refuse, all started together.
struct Joint<'w> {
    after: &'w Workspace,
    prices: Sources<'w>,
    replicating: Vec<replication::Replicating<'w>>,
    today: Date,
}

impl Joint<'_> {
    /// The seconds until every version has finished replicating; `None` when none replicates.
    fn estimate(&self) -> Option<f64> {
        let all: Vec<&replication::Replicating<'_>> = self.replicating.iter().collect();
        replication::together(self.after, &self.prices, &all, self.today).filter(|s| *s > 0.0)
    }
}

/// The plan from Azure as last seen in `ws` (everything is a create when Azure was never seen)
/// to its planned state: what *Review changes…* and `sig-studio plan FILE` show.
pub fn from_azure(ws: &Workspace, today: Date) -> Plan {
    plan(&crate::model::seen::before(ws), ws, today)
}

struct Planner<'w> {
    before: &'w Workspace,
    after: &'w Workspace,
    today: Date,
    before_prices: Sources<'w>,
    after_prices: Sources<'w>,
    /// Error messages of AFTER's rules, by resource path (`g`, `g/d`, `g/d/v`).
    errors: HashMap<String, Vec<String>>,
    deletes: [Vec<Step>; 4],
    upserts: [Vec<Step>; 4],
    /// Versions whose replication the whole-plan estimate runs together.
    replicating: Vec<replication::Replicating<'w>>,
    /// How many threads work out the version steps.
    threads: usize,
}

/// Index of a kind in the phase arrays: role assignments, versions, definitions, galleries.
fn slot(kind: Kind) -> usize {
    match kind {
        Kind::RoleAssignment => 0,
        Kind::Version => 1,
        Kind::Definition => 2,
        Kind::Gallery => 3,
    }
}

impl<'w> Planner<'w> {
    fn new(before: &'w Workspace, after: &'w Workspace, today: Date) -> Self {
        let mut errors: HashMap<String, Vec<String>> = HashMap::new();
        for problem in crate::validate(after, today) {
            if problem.severity != Severity::Error {
                continue;
            }
            let key = match &problem.path {
                ResourcePath::Gallery(g) => g.clone(),
                ResourcePath::Definition(g, d) => format!("{g}/{d}"),
                ResourcePath::Version(g, d, v) => format!("{g}/{d}/{v}"),
                _ => continue,
            };
            let message = match problem.region {
                Some(region) => format!("{region}: {}", problem.message),
                None => problem.message,
            };
            errors.entry(key).or_default().push(message);
        }
        Self {
            before,
            after,
            today,
            before_prices: Sources::new(before),
            after_prices: Sources::new(after),
            errors,
            deletes: Default::default(),
            upserts: Default::default(),
            replicating: Vec::new(),
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }

    fn run(self) -> Plan {
        let (mut plan, joint) = self.steps();
        plan.replication_secs = joint.estimate();
        plan
    }

    /// The steps, their cost, and what is left to estimate.
    fn steps(mut self) -> (Plan, Joint<'w>) {
        self.deletions();
        self.creations();
        self.grants();
        compare::mark_renames(
            &mut self.deletes,
            &mut self.upserts,
            self.before,
            self.after,
        );
        self.propagate_refusals();
        let mut steps: Vec<Step> = Vec::new();
        // Deletes: role assignments, versions, definitions, galleries.
        for list in &mut self.deletes {
            steps.append(list);
        }
        // Creates and updates: galleries, definitions, versions, role assignments.
        for list in self.upserts.iter_mut().rev() {
            steps.append(list);
        }
        let mut plan = Plan {
            steps,
            ..Plan::default()
        };
        for step in plan.steps.iter().filter(|s| s.refused.is_none()) {
            match &step.cost {
                Cost::Priced {
                    monthly_usd,
                    egress_usd,
                } => {
                    plan.monthly_usd += monthly_usd;
                    plan.egress_usd += egress_usd;
                }
                Cost::Unknown { .. } => plan.unpriced += 1,
                Cost::Free => {}
            }
        }
        let refused: HashSet<&str> = plan
            .steps
            .iter()
            .filter(|s| s.refused.is_some() && s.kind == Kind::Version)
            .map(|s| s.path.as_str())
            .collect();
        self.replicating
            .retain(|r| !refused.contains(r.path.as_str()));
        let joint = Joint {
            after: self.after,
            prices: self.after_prices,
            replicating: self.replicating,
            today: self.today,
        };
        (plan, joint)
    }

    fn push_delete(&mut self, step: Step) {
        self.deletes[slot(step.kind)].push(step);
    }

    fn push_upsert(&mut self, step: Step) {
        self.upserts[slot(step.kind)].push(step);
    }

    /// Everything in BEFORE that AFTER no longer has.
    fn deletions(&mut self) {
        let after_galleries: HashMap<_, &Gallery> = self
            .after
            .galleries
            .iter()
            .map(|g| (gallery_key(g), g))
            .collect();
        for g in &self.before.galleries {
            let kept = after_galleries.get(&gallery_key(g)).copied();
            if kept.is_none() {
                self.push_delete(Step::new(Action::Delete, Kind::Gallery, g.name.clone()));
            }
            for d in &g.definitions {
                let kept_d = kept.and_then(|a| definition_in(a, &d.name));
                let d_path = format!("{}/{}", g.name, d.name);
                if kept_d.is_none() {
                    self.push_delete(Step::new(Action::Delete, Kind::Definition, d_path.clone()));
                }
                let kept_versions = kept_d.map(versions_by_name);
                for v in &d.versions {
                    if kept_versions
                        .as_ref()
                        .is_some_and(|k| k.contains_key(&v.name.to_ascii_lowercase()))
                    {
                        continue;
                    }
                    let mut step = Step::new(
                        Action::Delete,
                        Kind::Version,
                        format!("{d_path}/{}", v.name),
                    );
                    if let Some(reason) = fixed::deletion_blocked(v, self.today) {
                        step.refuse(reason);
                    }
                    step.cost = match self.before_prices.version_cost(v) {
                        Ok(cost) => Cost::Priced {
                            monthly_usd: -cost.totals.monthly_usd,
                            egress_usd: 0.0,
                        },
                        Err(err) => Cost::Unknown {
                            reason: err.to_string(),
                        },
                    };
                    self.push_delete(step);
                }
            }
        }
    }

    fn rule_errors(&self, path: &str) -> Option<String> {
        versions::Judge {
            before: self.before,
            after: self.after,
            before_prices: &self.before_prices,
            after_prices: &self.after_prices,
            errors: &self.errors,
        }
        .rule_errors(path)
    }

    /// Everything in AFTER that BEFORE lacks or holds differently.
    fn creations(&mut self) {
        let before_galleries: HashMap<_, &Gallery> = self
            .before
            .galleries
            .iter()
            .map(|g| (gallery_key(g), g))
            .collect();
        let mut pending = Vec::new();
        for g in &self.after.galleries {
            let old = before_galleries.get(&gallery_key(g)).copied();
            if self.after.presence_of(&g.name, None, None) != Presence::Reference
                && let Some(mut step) = compare::gallery(old, g)
            {
                if let Some(reason) = self.rule_errors(&g.name) {
                    step.refuse(reason);
                }
                self.push_upsert(step);
            }
            for d in &g.definitions {
                let old_d = old.and_then(|o| definition_in(o, &d.name));
                let d_path = format!("{}/{}", g.name, d.name);
                if self.after.presence_of(&g.name, Some(&d.name), None) != Presence::Reference
                    && let Some(mut step) = compare::definition(g, old_d, d)
                {
                    if let Some(reason) = self.rule_errors(&d_path) {
                        step.refuse(reason);
                    }
                    self.push_upsert(step);
                }
                let old_versions = old_d.map(versions_by_name);
                for v in &d.versions {
                    let old = old_versions
                        .as_ref()
                        .and_then(|o| o.get(&v.name.to_ascii_lowercase()).copied());
                    pending.push(versions::Pending {
                        gallery: g,
                        definition: d,
                        old,
                        version: v,
                    });
                }
            }
        }
        self.versions(&pending);
    }

    /// Role assignments: removed ones are deleted, new ones created (an assignment's role or
    /// principal cannot change: a changed one is both).
    fn grants(&mut self) {
        let after: HashSet<_> = self.after.grants.iter().map(grant_key).collect();
        let before: HashSet<_> = self.before.grants.iter().map(grant_key).collect();
        // A role assignment exists once, however often a workspace lists it.
        let mut seen = HashSet::new();
        for grant in &self.before.grants {
            if !after.contains(&grant_key(grant)) && seen.insert(grant_key(grant)) {
                let mut step = Step::new(Action::Delete, Kind::RoleAssignment, grant.scope.clone());
                step.grant = Some(grant.clone());
                self.push_delete(step);
            }
        }
        let mut scopes = None;
        for grant in &self.after.grants {
            if !before.contains(&grant_key(grant)) && seen.insert(grant_key(grant)) {
                let mut step = Step::new(Action::Create, Kind::RoleAssignment, grant.scope.clone());
                let scopes = scopes.get_or_insert_with(|| scopes::Scopes::new(self.after));
                if !scopes.contains(&grant.scope) {
                    step.refuse(format!(
                        "its scope {} is no gallery, definition or version of the workspace",
                        grant.scope
                    ));
                }
                step.grant = Some(grant.clone());
                self.push_upsert(step);
            }
        }
    }
}
