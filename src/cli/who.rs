//! `sig-studio who FILE PATH [--json]`: who can reach the resource at PATH, and why.

use std::path::Path;

use super::{exit, load_or_report, print_report, term};
use crate::access::{self, WhoReport, role_label};
use crate::model::ResourcePath;

pub fn run(file: &Path, path: &str, json: bool) -> u8 {
    let ws = match load_or_report(file) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    // Text shows names escaped (one line each); the argument is escaped alike to match.
    let (ws, path) = if json {
        (ws, path.into())
    } else {
        (term::sanitized(ws), term::esc(path))
    };
    let Some(resource) = ResourcePath::parse(&path) else {
        eprintln!(
            "{}: \"{}\" is not a path like gallery, gallery/definition or gallery/definition/1.0.0",
            file.display(),
            term::esc(&path)
        );
        return exit::PROBLEMS;
    };
    print_report(file, access::who(&ws, &resource), json, to_text)
}

/// The report as text: each principal with its roles, what they allow, and why.
pub fn to_text(report: &WhoReport) -> String {
    let mut out = format!(
        "{} ({}, tenant {})\n",
        report.resource, report.kind, report.tenant
    );
    if report.principals.is_empty() {
        out.push_str("no principal holds a role here\n");
    }
    for holder in &report.principals {
        let roles: Vec<&str> = holder.roles.iter().map(|r| role_label(*r)).collect();
        let actions: Vec<&str> = holder.actions.iter().map(|a| a.label()).collect();
        out.push_str(&format!(
            "{} ({}): {} — {}\n",
            holder.principal,
            holder.kind.label().to_lowercase(),
            roles.join(", "),
            actions.join(", ")
        ));
        for why in &holder.why {
            out.push_str(&format!("  {why}\n"));
        }
    }
    for ignored in &report.ignored {
        out.push_str(&format!("ignored: {}\n", ignored.text()));
    }
    for cycle in &report.cycles {
        out.push_str(&format!("membership cycle: {}\n", cycle.text()));
    }
    out
}
