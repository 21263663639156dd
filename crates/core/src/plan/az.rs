//! The plan as an az CLI script, in the plan's order: creates with the export's commands,
//! deletes with `az … delete` (role assignments by id), updates as a PUT of the resource's
//! whole body as AFTER has it (`az resource create --is-full-object`, a version's sources left
//! out as az's own update leaves them: they cannot change), and sharing through `az sig share`.
//! Refused steps are comments. Values are written as the export writes them: literal text
//! reaches Azure (never ARM-escaped), and every call names the same subscription.

use std::collections::HashMap;

use super::gallery_ops::{GalleryOp, Share, gallery_ops};
use super::{Action, Kind, Plan, Step, gallery_key, grant_key};
use crate::export::arm;
use crate::export::assign::Assignments;
use crate::export::az::{self, Word, Writer};
use crate::model::{Gallery, Grant, ImageDefinition, ImageVersion, Role, Workspace};

/// What the steps look up in BEFORE or AFTER, by hash: a scan of the grants or galleries per
/// step costs the square of a plan with 100,000 role assignments or galleries.
struct Side<'w> {
    ws: &'w Workspace,
    assignments: Assignments<'w>,
    /// Grants by (lower-case principal, role, lower-case scope): the first of each.
    grants: HashMap<(String, Role, String), &'w Grant>,
    /// Galleries by their identity in Azure (subscription, resource group, name, any case).
    galleries: HashMap<(String, String, String), &'w Gallery>,
}

impl<'w> Side<'w> {
    fn new(ws: &'w Workspace) -> Self {
        let mut grants = HashMap::with_capacity(ws.grants.len());
        for g in &ws.grants {
            grants.entry(grant_key(g)).or_insert(g);
        }
        let mut galleries = HashMap::with_capacity(ws.galleries.len());
        for g in &ws.galleries {
            galleries.entry(gallery_key(g)).or_insert(g);
        }
        Self {
            ws,
            assignments: Assignments::new(ws),
            grants,
            galleries,
        }
    }

    /// The gallery, definition and version a plan path names (as `plan::find` finds them).
    fn find(
        &self,
        path: &str,
    ) -> (
        Option<&'w Gallery>,
        Option<&'w ImageDefinition>,
        Option<&'w ImageVersion>,
    ) {
        let mut parts = path.split('/');
        let g = parts.next().and_then(|name| self.assignments.gallery(name));
        let d = parts
            .next()
            .and_then(|name| g.and_then(|g| g.definitions.iter().find(|d| d.name == name)));
        let v = parts
            .next()
            .and_then(|name| d.and_then(|d| d.versions.iter().find(|v| v.name == name)));
        (g, d, v)
    }
}

/// The plan as bash source.
pub fn to_script(plan: &Plan, before: &Workspace, after: &Workspace) -> String {
    az::render(&script(plan, before, after))
}

/// The plan's script before rendering: its variables, comments and `az` calls.
pub fn script(plan: &Plan, before: &Workspace, after: &Workspace) -> az::Script {
    let mut w = Writer::new(after);
    let (before, after) = (Side::new(before), Side::new(after));
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
        let written = match step.action {
            Action::Delete => {
                w.use_workspace(before.ws);
                delete(&mut w, &before, step);
                Ok(())
            }
            Action::Create => {
                w.use_workspace(after.ws);
                create(&mut w, &after, step)
            }
            Action::Update => {
                w.use_workspace(after.ws);
                update(&mut w, &before, &after, step);
                Ok(())
            }
        };
        if let Err(err) = written {
            w.comment(format!("NOT WRITTEN: {err}"));
            w.note(format!("step {} is not in this script: {err}", i + 1));
        }
    }
    w.finish()
}

fn words(list: &[&str]) -> Vec<Word> {
    list.iter().map(|s| Word::lit(*s)).collect()
}

fn delete<'w>(w: &mut Writer<'w>, before: &Side<'w>, step: &'w Step) {
    if let Some(grant) = &step.grant {
        let grant = before
            .grants
            .get(&grant_key(grant))
            .copied()
            .unwrap_or(grant);
        if let Some(item) = before.assignments.item(grant) {
            w.delete_assignment(&item);
        }
        return;
    }
    let (g, d, v) = before.find(&step.path);
    let Some(g) = g else { return };
    if step.kind == Kind::Gallery {
        for op in gallery_ops(step, Some(g), None) {
            if let GalleryOp::Share(share) = op {
                w.share_verb(g, share.az_verb());
            }
        }
    }
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

fn create<'w>(
    w: &mut Writer<'w>,
    after: &Side<'w>,
    step: &'w Step,
) -> Result<(), crate::export::ExportError> {
    if let Some(grant) = &step.grant {
        if let Some(item) = after.assignments.item(grant) {
            w.create_assignment(&item);
        }
        return Ok(());
    }
    match after.find(&step.path) {
        (Some(g), Some(d), Some(v)) => w.create_version(g, d, v),
        (Some(g), Some(d), None) => w.create_definition(g, d),
        (Some(g), None, None) => w.create_gallery(g),
        _ => Ok(()),
    }
}

fn update(w: &mut Writer<'_>, before: &Side<'_>, after: &Side<'_>, step: &Step) {
    let (Some(g), d, v) = after.find(&step.path) else {
        return;
    };
    match (step.kind, d, v) {
        (Kind::Gallery, _, _) => {
            let old = before.galleries.get(&gallery_key(g)).copied();
            for op in gallery_ops(step, old, Some(g)) {
                match op {
                    GalleryOp::Put => w.put(g, (None, None), arm::gallery_body(g), None),
                    GalleryOp::Share(Share::Add {
                        subscriptions,
                        tenants,
                    }) => w.share(g, "add", &subscriptions, &tenants),
                    GalleryOp::Share(Share::Remove {
                        subscriptions,
                        tenants,
                    }) => w.share(g, "remove", &subscriptions, &tenants),
                    GalleryOp::Share(share) => w.share_verb(g, share.az_verb()),
                    GalleryOp::Delete => {}
                }
            }
        }
        (Kind::Definition, Some(d), _) => {
            w.put(g, (Some(&d.name), None), arm::definition_body(g, d), None);
        }
        (Kind::Version, Some(d), Some(v)) => {
            let mut body = arm::version_body(after.ws, g, d, v);
            // The sources cannot change; az's own update leaves them out too.
            body["properties"]["storageProfile"] = serde_json::json!({});
            w.put(g, (Some(&d.name), Some(&v.name)), body, None);
        }
        _ => {}
    }
}
