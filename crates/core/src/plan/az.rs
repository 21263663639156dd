//! The plan as an az CLI script, in the plan's order: creates with the export's commands,
//! deletes with `az … delete`, updates with `az … update --set property=JSON` (the generic
//! update, each value a JSON literal so that a text stays a text). Refused steps are comments.
//! Every value is quoted as in the export, so no name or text can run anything.

use serde_json::Value;

use super::{Action, Kind, Plan, Step, find, gallery_key, same};
use crate::export::az::{self, Word, Writer};

use crate::model::azure::SharingPermission;
use crate::model::{Gallery, Workspace};

/// The plan as bash source.
pub fn to_script(plan: &Plan, before: &Workspace, after: &Workspace) -> String {
    az::render(&script(plan, before, after))
}

/// The plan's script before rendering: its variables, comments and `az` calls.
pub fn script(plan: &Plan, before: &Workspace, after: &Workspace) -> az::Script {
    let mut w = Writer::new(after);
    w.header(format!(
        "Written by `sig-studio plan --format az`: takes Azure from one workspace to another,\ndeletes children first, creates parents first; refused steps are comments only.\nPlan: {}. {}",
        plan.summary(),
        super::text::totals(plan)
    ));
    for (i, step) in plan.steps.iter().enumerate() {
        let figures = super::text::figures(step);
        let mut heading = format!("{}. {} {}", i + 1, step.action.label(), step.what());
        if !figures.is_empty() {
            heading.push_str(&format!(" ({figures})"));
        }
        if let Some(reason) = &step.refused {
            w.comment(format!(
                "{i}. REFUSED, not run: {} {}: {reason}",
                step.action.label(),
                step.what(),
                i = i + 1
            ));
            continue;
        }
        w.comment(heading);
        if let Some(note) = &step.note {
            w.comment(note.clone());
        }
        match step.action {
            Action::Delete => {
                w.use_workspace(before);
                delete(&mut w, before, step);
            }
            Action::Create => {
                w.use_workspace(after);
                create(&mut w, after, step);
            }
            Action::Update => {
                w.use_workspace(after);
                update(&mut w, before, after, step);
            }
        }
    }
    w.finish()
}

fn words(list: &[&str]) -> Vec<Word> {
    list.iter().map(|s| Word::lit(*s)).collect()
}

fn delete(w: &mut Writer<'_>, before: &Workspace, step: &Step) {
    if let Some(grant) = &step.grant {
        if let Some((assignee, role, scope)) = w.grant_target(grant) {
            let mut cmd = words(&["role", "assignment", "delete", "--assignee"]);
            cmd.extend([
                assignee,
                Word::lit("--role"),
                role,
                Word::lit("--scope"),
                scope,
            ]);
            w.command(cmd);
        }
        return;
    }
    let (g, d, v) = find(before, &step.path);
    let Some(g) = g else { return };
    let mut cmd = match step.kind {
        Kind::Gallery => words(&["sig", "delete"]),
        Kind::Definition => words(&["sig", "image-definition", "delete"]),
        _ => words(&["sig", "image-version", "delete"]),
    };
    cmd.extend(w.gallery_args(g));
    if let Some(d) = d {
        cmd.extend([Word::lit("--gallery-image-definition"), Word::lit(&d.name)]);
    }
    if let Some(v) = v {
        cmd.extend([Word::lit("--gallery-image-version"), Word::lit(&v.name)]);
    }
    w.command(cmd);
}

fn create<'w>(w: &mut Writer<'w>, after: &'w Workspace, step: &Step) {
    if let Some(grant) = &step.grant {
        w.create_grant(grant);
        return;
    }
    match find(after, &step.path) {
        (Some(g), Some(d), Some(v)) => w.create_version(g, d, v),
        (Some(g), Some(d), None) => w.create_definition(g, d),
        (Some(g), None, None) => w.create_gallery(g),
        _ => {}
    }
}

/// `--set property=JSON` for each changed body property the generic update can set, and
/// `--remove property` for each removed one.
fn set_args(step: &Step, skip: &[&str]) -> Vec<Word> {
    let mut out = Vec::new();
    for change in &step.changes {
        let p = change.property.as_str();
        if p.starts_with("targetRegions[") || p.starts_with("sharingProfile") || skip.contains(&p) {
            continue;
        }
        match &change.after {
            Some(value) => {
                // The plan shows strings bare; as a JSON literal they stay strings.
                let json = serde_json::from_str::<Value>(value)
                    .ok()
                    .filter(|v| !v.is_string())
                    .map_or_else(
                        || Value::String(value.clone()).to_string(),
                        |v| v.to_string(),
                    );
                out.push(Word::lit("--set"));
                out.push(Word::lit(format!("{p}={json}")));
            }
            None => {
                out.push(Word::lit("--remove"));
                out.push(Word::lit(p));
            }
        }
    }
    out
}

fn update(w: &mut Writer<'_>, before: &Workspace, after: &Workspace, step: &Step) {
    let (Some(g), d, v) = find(after, &step.path) else {
        return;
    };
    match (step.kind, d, v) {
        (Kind::Gallery, _, _) => {
            let sets = set_args(step, &[]);
            if !sets.is_empty() {
                let mut cmd = words(&["sig", "update"]);
                cmd.extend(w.gallery_args(g));
                cmd.extend(sets);
                w.command(cmd);
            }
            if step.changes.iter().any(|c| {
                c.property.starts_with("sharingProfile") && !c.property.contains("groups[")
            }) {
                let verb = match g.sharing.permission {
                    SharingPermission::Community => Some("enable-community"),
                    SharingPermission::Private => Some("reset"),
                    SharingPermission::Groups => None,
                };
                if let Some(verb) = verb {
                    let mut cmd = words(&["sig", "share", verb]);
                    cmd.extend(w.gallery_args(g));
                    w.command(cmd);
                }
            }
            sharing(w, before, g);
        }
        (Kind::Definition, Some(d), _) => {
            let mut cmd = words(&["sig", "image-definition", "update"]);
            cmd.extend(w.gallery_args(g));
            cmd.extend([Word::lit("--gallery-image-definition"), Word::lit(&d.name)]);
            cmd.extend(set_args(step, &[]));
            w.command(cmd);
        }
        (Kind::Version, Some(d), Some(v)) => {
            let mut cmd = words(&["sig", "image-version", "update"]);
            cmd.extend(w.gallery_args(g));
            cmd.extend([
                Word::lit("--gallery-image-definition"),
                Word::lit(&d.name),
                Word::lit("--gallery-image-version"),
                Word::lit(&v.name),
            ]);
            if step.changes.iter().any(|c| {
                c.property.starts_with("targetRegions[")
                    || c.property == "publishingProfile.replicaCount"
            }) {
                cmd.push(Word::lit("--target-regions"));
                cmd.extend(Writer::target_regions(v));
                cmd.extend([
                    Word::lit("--replica-count"),
                    Word::lit(v.default_replica_count.to_string()),
                ]);
            }
            cmd.extend(set_args(step, &["publishingProfile.replicaCount"]));
            w.command(cmd);
        }
        _ => {}
    }
}

/// Direct sharing's subscriptions and tenants, added and removed by the share action.
fn sharing(w: &mut Writer<'_>, before: &Workspace, g: &Gallery) {
    let old = before
        .galleries
        .iter()
        .find(|x| gallery_key(x) == gallery_key(g));
    let Some(old) = old else { return };
    let diff = |a: &[String], b: &[String]| -> Vec<String> {
        a.iter()
            .filter(|x| !b.iter().any(|y| same(x, y)))
            .cloned()
            .collect()
    };
    for (verb, subs, tenants) in [
        (
            "add",
            diff(&g.sharing.subscriptions, &old.sharing.subscriptions),
            diff(&g.sharing.tenants, &old.sharing.tenants),
        ),
        (
            "remove",
            diff(&old.sharing.subscriptions, &g.sharing.subscriptions),
            diff(&old.sharing.tenants, &g.sharing.tenants),
        ),
    ] {
        if subs.is_empty() && tenants.is_empty() {
            continue;
        }
        let mut cmd = words(&["sig", "share", verb]);
        cmd.extend(w.gallery_args(g));
        if !subs.is_empty() {
            cmd.push(Word::lit("--subscription-ids"));
            cmd.extend(subs.iter().map(Word::lit));
        }
        if !tenants.is_empty() {
            cmd.push(Word::lit("--tenant-ids"));
            cmd.extend(tenants.iter().map(Word::lit));
        }
        w.command(cmd);
    }
}
