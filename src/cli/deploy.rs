//! `sig-studio deploy FILE VERSION_OR_DEFINITION --region R --vms N | --scale-sets N`: answers
//! as the app does whether the deployment is allowed, with the load per replica and warnings.

use std::path::Path;

use super::{exit, load_or_report, term};
use crate::model::{Region, ResourcePath};
use crate::replication::deploy::{DeployError, DeployKind, DeployPlan, check};

/// The text printed for an allowed deployment.
pub fn render(plan: &DeployPlan) -> String {
    let mut out = format!(
        "allowed: {} {} from {}{} in {} ({} {}, {:.1} {} per replica)\n",
        plan.count,
        plan.kind.noun(plan.count),
        plan.version,
        if plan.from_latest { " (latest)" } else { "" },
        plan.region,
        plan.replicas,
        if plan.replicas == 1 {
            "replica"
        } else {
            "replicas"
        },
        plan.load_per_replica,
        plan.kind.noun(2),
    );
    for warning in &plan.warnings {
        out.push_str("warning: ");
        out.push_str(warning);
        out.push('\n');
    }
    out
}

pub fn run(file: &Path, target: &str, region: &str, kind: DeployKind, count: u32) -> u8 {
    let region = match Region::parse(region) {
        Ok(region) => region,
        Err(err) => {
            eprintln!("sig-studio: {err}");
            return exit::UNREADABLE;
        }
    };
    // Names print escaped (one line each); the argument is escaped alike to match.
    let target = term::esc(target);
    let Some(path) = ResourcePath::parse(&target) else {
        eprintln!(
            "sig-studio: \"{target}\" is not a version (gallery/definition/version) or a definition (gallery/definition)"
        );
        return exit::UNREADABLE;
    };
    let ws = match load_or_report(file) {
        Ok(ws) => term::sanitized(ws),
        Err(code) => return code,
    };
    match check(&ws, crate::clock::today(), &path, region, kind, count) {
        Ok(plan) => {
            out!("{}", term::esc_lines(&render(&plan)));
            exit::OK
        }
        Err(err @ DeployError::Refused { .. }) => {
            outln!("refused: {}", term::esc(&err.to_string()));
            exit::PROBLEMS
        }
        Err(err @ DeployError::NotFound { .. }) => {
            eprintln!("{}", term::esc(&format!("{}: {err}", file.display())));
            exit::UNREADABLE
        }
    }
}
