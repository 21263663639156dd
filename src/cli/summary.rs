//! `sig-studio summary FILE [--json]`: counts, each version's regions with replica counts and
//! replication state, and which version is "latest" per definition.

use crate::words::count;
use std::path::Path;

use serde::Serialize;

use super::{exit, load_or_report};
use crate::model::{Workspace, latest::latest};

#[derive(Serialize)]
pub struct Summary {
    pub counts: Counts,
    pub galleries: Vec<GallerySummary>,
}

#[derive(Serialize)]
pub struct Counts {
    pub galleries: usize,
    pub definitions: usize,
    pub versions: usize,
    pub managed_images: usize,
    pub principals: usize,
    pub grants: usize,
}

#[derive(Serialize)]
pub struct GallerySummary {
    pub name: String,
    pub region: String,
    pub definitions: Vec<DefinitionSummary>,
}

#[derive(Serialize)]
pub struct DefinitionSummary {
    pub name: String,
    pub os_type: String,
    /// The version "latest" resolves to, ignoring replication state.
    pub latest: Option<String>,
    pub versions: Vec<VersionSummary>,
}

#[derive(Serialize)]
pub struct VersionSummary {
    pub name: String,
    pub source: String,
    pub state: String,
    pub exclude_from_latest: bool,
    pub regions: Vec<RegionSummary>,
}

#[derive(Serialize)]
pub struct RegionSummary {
    pub region: String,
    pub replicas: u32,
    pub storage_type: String,
    pub state: String,
    pub progress: u8,
}

/// Builds the summary of a workspace.
pub fn summarize(ws: &Workspace) -> Summary {
    let galleries = ws
        .galleries
        .iter()
        .map(|g| GallerySummary {
            name: g.name.clone(),
            region: g.region.name().to_owned(),
            definitions: g
                .definitions
                .iter()
                .map(|d| DefinitionSummary {
                    name: d.name.clone(),
                    os_type: format!("{:?}", d.os_type),
                    latest: latest(d, None).map(|v| v.name.clone()),
                    versions: d
                        .versions_sorted()
                        .into_iter()
                        .map(|i| &d.versions[i])
                        .map(|v| VersionSummary {
                            name: v.name.clone(),
                            source: v.source.clone(),
                            state: format!("{:?}", v.aggregate_state()),
                            exclude_from_latest: v.exclude_from_latest,
                            regions: v
                                .target_regions
                                .iter()
                                .map(|t| RegionSummary {
                                    region: t.region.name().to_owned(),
                                    replicas: v.replica_count(t),
                                    storage_type: v.storage_type_in(t).label().to_owned(),
                                    state: format!("{:?}", t.status.state),
                                    progress: t.status.progress,
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    Summary {
        counts: Counts {
            galleries: ws.galleries.len(),
            definitions: ws.galleries.iter().map(|g| g.definitions.len()).sum(),
            versions: ws.version_count(),
            managed_images: ws.managed_images.len(),
            principals: ws.principals.len(),
            grants: ws.grants.len(),
        },
        galleries,
    }
}

/// The summary as text, one version a line.
pub fn to_text(summary: &Summary) -> String {
    use std::fmt::Write as _;
    let c = &summary.counts;
    let mut out = [
        count(c.galleries, "gallery", "galleries"),
        count(c.definitions, "image definition", "image definitions"),
        count(c.versions, "image version", "image versions"),
        count(c.managed_images, "managed image", "managed images"),
        count(c.principals, "principal", "principals"),
        count(c.grants, "grant", "grants"),
    ]
    .join(", ");
    out.push('\n');
    for g in &summary.galleries {
        let _ = writeln!(out, "\n{} ({})", g.name, g.region);
        for d in &g.definitions {
            let _ = writeln!(
                out,
                "  {} ({}), latest: {}",
                d.name,
                d.os_type,
                d.latest.as_deref().unwrap_or("none")
            );
            for v in &d.versions {
                let regions: Vec<String> = v
                    .regions
                    .iter()
                    .map(|r| match r.state.as_str() {
                        "Completed" => format!("{}×{}", r.region, r.replicas),
                        "Replicating" => format!("{}×{} ({} %)", r.region, r.replicas, r.progress),
                        state => format!("{}×{} ({})", r.region, r.replicas, state.to_lowercase()),
                    })
                    .collect();
                let flag = if v.exclude_from_latest {
                    ", excluded from latest"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "    {}  {}{flag}  {}",
                    v.name,
                    v.state,
                    regions.join(" ")
                );
            }
        }
    }
    out
}

pub fn run(file: &Path, json: bool) -> u8 {
    let ws = match load_or_report(file) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let ws = if json { ws } else { super::term::sanitized(ws) };
    let summary = summarize(&ws);
    if json {
        match super::output::json(&summary) {
            Ok(text) => outln!("{text}"),
            Err(err) => {
                eprintln!("cannot write JSON: {err}");
                return exit::UNREADABLE;
            }
        }
    } else {
        out!("{}", super::term::esc_lines(&to_text(&summary)));
    }
    exit::OK
}
