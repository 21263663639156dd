//! `apply.png`: *Apply to Azure…* as a run over the sample ended, from a fixed example (nothing
//! is sent, no network): connected to the example subscription, Azure as last seen the sample
//! read five minutes ago, then a day's work on the first gallery applied. The versions' steps
//! ran (one level, in parallel): one got a 500 from Azure; the other added a region, whose
//! bar Azure's first poll shows replicating; so the run stopped and the role assignment
//! after it was not started.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui_kittest::Harness;

use super::{example_subscriptions, save_png};
use crate::azure::apply::{self, Ending, Failure, Outcome, StepState, StepStatus};
use crate::model::{
    AzureSeen, Edit, Grant, Origin, RegionState, ReplicaStatus, Role, TargetRegion, Workspace,
};
use crate::plan::{Action, Kind};
use crate::ui::SigStudioApp;
use crate::ui::dialogs::apply_to_azure::Show;
use crate::ui::tasks::apply::ApplyRun;

/// The day's work: the oldest version of the first definition with several deleted, its
/// newest gains a region, the one before it gets an end-of-life date, and a group is granted
/// Reader on the gallery.
fn edits(ws: &Workspace) -> Vec<Edit> {
    let mut edits = Vec::new();
    let Some(g) = ws.galleries.first() else {
        return edits;
    };
    let Some(d) = g.definitions.iter().find(|d| d.versions.len() > 2) else {
        return edits;
    };
    let update = |version: crate::model::ImageVersion| Edit::UpdateVersion {
        gallery: g.name.clone(),
        definition: d.name.clone(),
        name: version.name.clone(),
        version,
    };
    edits.push(Edit::DeleteVersion {
        gallery: g.name.clone(),
        definition: d.name.clone(),
        name: d.versions[0].name.clone(),
    });
    let mut newest = d.versions[d.versions.len() - 1].clone();
    if let Some(region) = crate::model::Region::all().find(|r| newest.target(*r).is_none()) {
        newest.target_regions.push(TargetRegion::new(region));
    }
    edits.push(update(newest));
    let mut before = d.versions[d.versions.len() - 2].clone();
    before.end_of_life = jiff::civil::Date::new(2027, 6, 30).ok();
    edits.push(update(before));
    if let Some(p) = ws.principals.iter().find(|p| p.members.len() > 1) {
        edits.push(Edit::AddGrant {
            index: None,
            grant: Grant {
                principal: p.name.clone(),
                role: Role::Reader,
                scope: g.name.clone(),
            },
        });
    }
    edits
}

/// Each step's end: the first version update failed in Azure (a 500, on the URL the apply
/// sends), the role assignment after the versions' level not started, the rest done.
fn statuses(plan: &crate::plan::Plan, ws: &Workspace, arm: &str) -> Vec<StepStatus> {
    let failing = plan
        .steps
        .iter()
        .position(|s| s.kind == Kind::Version && s.action == Action::Update);
    let url = |index: usize| {
        let endpoint = crate::azure::ids::Endpoint::parse(arm).ok()?;
        let target = apply::Target::of(ws)?;
        let prepared = apply::prepare(
            plan,
            &crate::model::seen::before(ws),
            ws,
            &endpoint,
            &target,
        );
        prepared
            .ok()?
            .into_iter()
            .find(|p| p.index == index)
            .and_then(|p| {
                p.ops.into_iter().find_map(|op| match op {
                    apply::Op::Put { url, .. } => Some(url),
                    _ => None,
                })
            })
    };
    plan.steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let (state, failure) = if Some(i) == failing {
                let failure = Failure {
                    method: "PUT".to_owned(),
                    url: url(i).unwrap_or_default(),
                    status: Some(500),
                    code: "InternalServerError".to_owned(),
                    message: "An internal server error occurred. Please retry the request."
                        .to_owned(),
                };
                (StepState::Failed, Some(failure))
            } else if step.kind == Kind::RoleAssignment {
                (StepState::NotStarted, None)
            } else {
                (StepState::Done, None)
            };
            StepStatus {
                state,
                failure,
                ..StepStatus::default()
            }
        })
        .collect()
}

pub(super) fn apply(mut h: Harness<'static, SigStudioApp>, out: &Path) -> Result<PathBuf, String> {
    let subscription = example_subscriptions().remove(0);
    let now = crate::clock::timestamp();
    let arm = "https://management.azure.com/";
    let origin = Origin {
        subscription: subscription.id.clone(),
        endpoint: arm.to_owned(),
        read_at: now.checked_sub(jiff::SignedDuration::from_mins(5)).ok(),
        ..Origin::default()
    };
    let signed_in = crate::ui::tasks::azure::SignedIn::example(example_subscriptions())
        .map_err(|e| e.to_string())?;
    let app = h.state_mut();
    // The first poll is due in 45 s, long after the image is taken: nothing is ever sent.
    app.azure.setup.poll_interval = std::time::Duration::from_secs(45);
    let mut link = crate::ui::tasks::azure::Link::new(&signed_in, subscription, None);
    link.refreshed = origin.read_at;
    app.azure.link = Some(link);
    // The sample's galleries name no resource group; Azure's have one.
    let galleries = h.state().doc.ws().galleries.clone();
    for g in galleries {
        let _ = h.state_mut().doc.apply(Edit::UpdateGallery {
            name: g.name.clone(),
            gallery: crate::model::Gallery {
                resource_group: "rg-images".to_owned(),
                definitions: Vec::new(),
                ..g
            },
        });
    }
    let seen = AzureSeen::snapshot(h.state().doc.ws(), origin);
    h.state_mut().doc.set_azure(Some(Arc::new(seen)));
    for edit in edits(h.state().doc.ws()) {
        let _ = h.state_mut().doc.apply(edit);
    }
    let ws = h.state().doc.ws().clone();
    let plan = crate::plan::from_azure(&ws, crate::today());
    let steps = statuses(&plan, &ws, arm);
    let (seen, assignments) = apply::record(&ws, &plan, &steps);
    // Azure's first poll after the PUT: the new region replicating.
    let (origin, mut galleries, principals, grants, references) = seen.into_parts();
    for t in galleries
        .iter_mut()
        .flat_map(|g| &mut g.definitions)
        .flat_map(|d| &mut d.versions)
        .flat_map(|v| &mut v.target_regions)
        .filter(|t| t.status.state == RegionState::Queued)
    {
        t.status = ReplicaStatus {
            state: RegionState::Replicating,
            progress: 38,
            ..ReplicaStatus::default()
        };
    }
    let seen = AzureSeen::new(origin, galleries, principals, grants, references);
    // Polled just now: the versions written.
    for (step, status) in plan.steps.iter().zip(&steps) {
        if step.kind == Kind::Version && status.state == StepState::Done {
            let key = step.path.to_ascii_lowercase();
            h.state_mut().azure.poller.polled_at.insert(key, now);
        }
    }
    h.state_mut().doc.azure_progress(Arc::new(seen), |ws| {
        ws.assignments = assignments;
    });
    let stamp = now.strftime("%Y%m%dT%H%M%SZ");
    let file = h.state().doc.path.clone().unwrap_or_default();
    let stem = file
        .file_stem()
        .map_or_else(|| "workspace".into(), |s| s.to_string_lossy());
    let outcome = Outcome {
        ending: Ending::Failed,
        steps,
        log: file.with_file_name(format!("{stem}.apply-{stamp}.jsonl")),
        log_broken: None,
    };
    h.state_mut().azure.apply = Some(ApplyRun::ended(plan, outcome));
    h.state_mut()
        .open_dialog(crate::ui::DialogRequest::ApplyToAzure(Show::LastRun));
    h.run_steps(8);
    save_png(&mut h, out, "apply.png")
}
