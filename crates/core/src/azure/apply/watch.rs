//! The replication of the versions a run wrote, read from Azure (the single GET with
//! `$expand=ReplicationStatus`, the only one that carries it) until every region has settled:
//! what `sig-studio apply --wait` follows and the apply window's bars show. Publishing is not
//! replication: a version's operation can succeed while a region still replicates.

use serde_json::Value;

use super::exec::failure_of;
use super::{ApplyLog, Failure, Op, Prepared, StepState, StepStatus};
use crate::azure::Client;
use crate::azure::http::Method;
use crate::model::{AggregateState, RegionState};
use crate::plan::{Action, Kind, Plan};

/// One region of a version, as Azure reports it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RegionProgress {
    /// As Azure writes it (`East US 2`).
    pub region: String,
    pub state: RegionState,
    /// 0–100.
    pub progress: u8,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub details: String,
}

/// A version's replication, as last read.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct VersionProgress {
    /// `gallery/definition/version`.
    pub path: String,
    pub regions: Vec<RegionProgress>,
    /// Why it could not be read, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl VersionProgress {
    pub fn aggregate(&self) -> AggregateState {
        AggregateState::of(self.regions.iter().map(|r| r.state))
    }

    /// Every region completed or failed (or the version cannot be read).
    pub fn settled(&self) -> bool {
        self.error.is_some()
            || (!self.regions.is_empty()
                && self
                    .regions
                    .iter()
                    .all(|r| matches!(r.state, RegionState::Completed | RegionState::Failed)))
    }
}

/// A version a run wrote: its path and the URL of its replication status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub path: String,
    pub url: String,
}

/// The versions created or updated by the steps that are done.
pub fn written(plan: &Plan, prepared: &[Prepared], steps: &[StepStatus]) -> Vec<Written> {
    prepared
        .iter()
        .filter(|p| {
            steps
                .get(p.index)
                .is_some_and(|s| s.state == StepState::Done)
        })
        .filter_map(|p| {
            let step = plan.steps.get(p.index)?;
            if step.kind != Kind::Version || step.action == Action::Delete {
                return None;
            }
            p.ops.iter().find_map(|op| match op {
                Op::Put { url, .. } => Some(Written {
                    path: step.path.clone(),
                    url: format!("{url}&$expand=ReplicationStatus"),
                }),
                _ => None,
            })
        })
        .collect()
}

fn state_named(text: &str) -> RegionState {
    match text.to_ascii_lowercase().as_str() {
        "completed" => RegionState::Completed,
        "replicating" => RegionState::Replicating,
        "failed" => RegionState::Failed,
        "queued" => RegionState::Queued,
        _ => RegionState::Unknown,
    }
}

/// The replication of one version from its body.
fn progress_of(path: &str, body: &Value) -> VersionProgress {
    let summary = body
        .pointer("/properties/replicationStatus/summary")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let text = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    VersionProgress {
        path: path.to_owned(),
        regions: summary
            .iter()
            .map(|r| RegionProgress {
                region: text(r, "region"),
                state: state_named(&text(r, "state")),
                progress: r
                    .get("progress")
                    .and_then(Value::as_u64)
                    .map_or(0, |p| p.min(100) as u8),
                details: text(r, "details"),
            })
            .collect(),
        error: None,
    }
}

/// Reads the replication of `versions` once (up to eight at a time), each GET in `log` when
/// given.
pub fn read(client: &Client, versions: &[Written], log: Option<&ApplyLog>) -> Vec<VersionProgress> {
    let one = |w: &Written| -> VersionProgress {
        let answer = client
            .send(Method::Get, &w.url, None, &|exchange| {
                if let Some(log) = log {
                    log.request(None, exchange);
                }
            })
            .map_err(|e| failure_of(Method::Get, &w.url, e));
        let error = |f: Failure| VersionProgress {
            path: w.path.clone(),
            regions: Vec::new(),
            error: Some(f.to_string()),
        };
        match answer {
            Ok(answer) if answer.status == 200 => progress_of(&w.path, &answer.body),
            Ok(answer) => error(super::exec::refused(Method::Get, &w.url, &answer)),
            Err(f) => error(f),
        }
    };
    let chunk = versions.len().div_ceil(8).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = versions
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}
