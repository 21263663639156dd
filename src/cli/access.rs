//! `sig-studio access FILE --principal NAME [--json]`: what a principal can reach, and why.

use std::path::Path;

use super::{load_or_report, print_report, term};
use crate::access::{self, PrincipalReport, role_label};

pub fn run(file: &Path, principal: &str, json: bool) -> u8 {
    let ws = match load_or_report(file) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    // Text shows names escaped (one line each); the argument is escaped alike to match.
    let (ws, principal) = if json {
        (ws, principal.into())
    } else {
        (term::sanitized(ws), term::esc(principal))
    };
    print_report(
        file,
        access::principal_access(&ws, &principal),
        json,
        to_text,
    )
}

/// The report as text: the principal, its groups, then each resource with roles and reasons.
pub fn to_text(report: &PrincipalReport) -> String {
    let mut out = format!(
        "{} ({}, tenant {})\n",
        report.principal,
        report.kind.label().to_lowercase(),
        report.tenant
    );
    for membership in &report.member_of {
        out.push_str(&format!(
            "member of {}: {}\n",
            membership.group,
            membership.chain_text()
        ));
    }
    for cycle in &report.cycles {
        out.push_str(&format!("membership cycle: {}\n", cycle.text()));
    }
    if report.resources.is_empty() {
        out.push_str("can reach nothing\n");
    }
    for resource in &report.resources {
        let roles: Vec<&str> = resource.roles.iter().map(|r| role_label(*r)).collect();
        let actions: Vec<&str> = resource.actions.iter().map(|a| a.label()).collect();
        out.push_str(&format!(
            "{} ({}): {} — {}\n",
            resource.path,
            resource.kind,
            roles.join(", "),
            actions.join(", ")
        ));
        for why in &resource.why {
            out.push_str(&format!("  {why}\n"));
        }
    }
    for ignored in &report.ignored {
        out.push_str(&format!("ignored: {}\n", ignored.text()));
    }
    out
}
