//! An apply in words: what the confirmation names (every delete, every region a version loses),
//! and a dry run (the requests, in order, without sending them).

use std::fmt::Write;

use serde_json::Value;

use super::{Op, Prepared, assignment_body, assignment_url};
use crate::azure::ids::Endpoint;
use crate::plan::{Action, Plan};

/// What the user confirms beyond the plan itself: what is deleted, and the regions versions
/// lose (their replicas are deleted).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Confirmation {
    /// "image version g/d/1.0.0", "role assignment Reader for bob on g"…
    pub deletes: Vec<String>,
    /// "eastus from image version g/d/1.1.0"…
    pub regions_removed: Vec<String>,
}

impl Confirmation {
    /// The plan's deletes and removed regions (refused steps, never sent, left out).
    pub fn of(plan: &Plan) -> Self {
        let mut out = Self::default();
        for step in plan.steps.iter().filter(|s| s.refused.is_none()) {
            if step.action == Action::Delete {
                out.deletes.push(step.what());
            }
            for change in &step.changes {
                if change.after.is_none()
                    && let Some(region) = change
                        .property
                        .strip_prefix("targetRegions[")
                        .and_then(|r| r.strip_suffix(']'))
                {
                    out.regions_removed
                        .push(format!("{region} from {}", step.what()));
                }
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.deletes.is_empty() && self.regions_removed.is_empty()
    }

    /// The lines a confirmation shows.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.deletes.is_empty() {
            out.push(format!(
                "It deletes {}:",
                crate::words::count(self.deletes.len(), "resource", "resources")
            ));
            out.extend(self.deletes.iter().map(|d| format!("  - {d}")));
        }
        if !self.regions_removed.is_empty() {
            out.push(format!(
                "It removes {} (their replicas are deleted):",
                crate::words::count(self.regions_removed.len(), "region", "regions")
            ));
            out.extend(self.regions_removed.iter().map(|r| format!("  - {r}")));
        }
        out
    }
}

fn body_text(out: &mut String, body: &Value) {
    let text = serde_json::to_string_pretty(body).unwrap_or_default();
    for line in text.lines() {
        let _ = writeln!(out, "       {line}");
    }
}

/// The requests an apply would send, step by step, without sending any: what only Azure knows
/// is named where it goes (`<object id of alice@contoso.com: looked up in Microsoft Graph>`).
pub fn dry_run(plan: &Plan, prepared: &[Prepared], arm: &Endpoint) -> String {
    let mut out = String::new();
    for p in prepared {
        let Some(step) = plan.steps.get(p.index) else {
            continue;
        };
        let _ = writeln!(
            out,
            "{:>3}. {} {}",
            p.index + 1,
            step.action.label(),
            step.what()
        );
        for op in &p.ops {
            op_text(&mut out, op, arm);
        }
    }
    let refused: Vec<String> = plan
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.refused.is_some())
        .map(|(i, s)| {
            format!(
                "{:>3}. {} {} (refused: not sent)",
                i + 1,
                s.action.label(),
                s.what()
            )
        })
        .collect();
    for line in refused {
        let _ = writeln!(out, "{line}");
    }
    out
}

fn op_text(out: &mut String, op: &Op, arm: &Endpoint) {
    match op {
        Op::Put { url, body, source } => {
            let _ = writeln!(out, "     PUT {url}");
            let mut body = body.clone();
            if let Some(source) = source {
                body["properties"]["storageProfile"]["source"]["id"] = Value::String(format!(
                    "<ARM id of managed image {}: looked up in subscription {}>",
                    source.name, source.subscription
                ));
            }
            body_text(out, &body);
            let _ = writeln!(out, "     then polled until the operation ends");
        }
        Op::Delete { url } => {
            let _ = writeln!(out, "     DELETE {url}");
            let _ = writeln!(out, "     then polled until the operation ends");
        }
        Op::Share { url, body } => {
            let _ = writeln!(out, "     POST {url}");
            body_text(out, body);
            let _ = writeln!(out, "     then polled until the operation ends");
        }
        Op::AssignmentPut {
            scope,
            name,
            role,
            principal,
        } => {
            let id = principal.object_id.clone().unwrap_or_else(|| {
                format!(
                    "<object id of {}: looked up in Microsoft Graph>",
                    principal.name
                )
            });
            let name = name.clone().unwrap_or_else(|| {
                if principal.object_id.is_some() {
                    super::assignment_name(scope, &id, *role)
                } else {
                    "<a name derived from the scope, principal and role>".to_owned()
                }
            });
            let _ = writeln!(out, "     PUT {}", assignment_url(arm, scope, &name));
            body_text(out, &assignment_body(scope, *role, &id, principal.kind));
        }
        Op::AssignmentDelete {
            scope, name, role, ..
        } => match name {
            Some(name) => {
                let _ = writeln!(out, "     DELETE {}", assignment_url(arm, scope, name));
            }
            None => {
                let _ = writeln!(
                    out,
                    "     DELETE the {} assignment found at {scope} (listed with $filter=atScope())",
                    crate::access::roles::role_label(*role)
                );
            }
        },
    }
}
