//! `sig-studio pull` and `sig-studio refresh`: Azure read live (read only) with the Azure CLI's
//! token, into a new workspace or into Azure as last seen of an existing one.

use std::path::Path;
use std::sync::Arc;

use super::{exit, term};
use crate::azure::ids::Endpoint;
use crate::azure::refresh::{Merged, Outcome};
use crate::azure::{
    AzCli, AzTokens, AzureError, Client, Clock, Hooks, Limits, ReadOptions, Refresh, Resolution,
    subscriptions,
};
use crate::model::Workspace;
use crate::workspace;

/// Where to read from, as the command line says.
pub struct Target<'a> {
    pub subscription: Option<&'a str>,
    pub resource_group: Option<&'a str>,
    pub arm_endpoint: Option<&'a str>,
    pub object_ids: bool,
}

pub(super) fn clock() -> Clock {
    Arc::new(crate::clock::timestamp)
}

pub(super) fn report(err: &AzureError) -> u8 {
    eprintln!(
        "{}",
        term::esc(&format!("sig-studio: cannot read Azure: {err}"))
    );
    exit::UNREADABLE
}

/// A client for the endpoint given, else the Azure CLI's cloud's.
pub(super) fn client(target: &Target<'_>) -> Result<Client, AzureError> {
    let az = AzCli {
        subscription: target.subscription.map(str::to_owned),
        ..AzCli::default()
    };
    let cloud = az.cloud()?;
    let arm = Endpoint::parse(target.arm_endpoint.unwrap_or(&cloud.resource_manager))?;
    let graph = match cloud.graph.as_deref().map(Endpoint::parse) {
        Some(Ok(graph)) => Some(graph),
        _ => None,
    };
    let tokens = AzTokens { az, clock: clock() };
    Ok(Client::new(
        arm,
        graph,
        Arc::new(tokens),
        clock(),
        Limits::default(),
        Hooks::default(),
    ))
}

/// The subscription's id (a name is looked up) and its tenant.
fn resolve(client: &Client, wanted: &str) -> Result<(String, Option<String>), AzureError> {
    let all = subscriptions(client)?;
    let found = all
        .iter()
        .find(|s| s.id.eq_ignore_ascii_case(wanted))
        .or_else(|| all.iter().find(|s| s.name.eq_ignore_ascii_case(wanted)));
    match found {
        Some(s) => Ok((
            s.id.clone(),
            Some(s.tenant.clone()).filter(|t| !t.is_empty()),
        )),
        None => {
            let seen: Vec<String> = all
                .iter()
                .map(|s| format!("{} ({})", s.name, s.id))
                .collect();
            Err(AzureError::BadId {
                url: client.arm.url("/subscriptions", ""),
                id: wanted.to_owned(),
                kind: "subscription your account can see",
                why: if seen.is_empty() {
                    "it sees none".to_owned()
                } else {
                    format!("it sees {}", seen.join(", "))
                },
            })
        }
    }
}

fn counts(ws: &Workspace) -> String {
    let definitions: usize = ws.galleries.iter().map(|g| g.definitions.len()).sum();
    format!(
        "{}, {}, {}, {}",
        crate::words::count(ws.galleries.len(), "gallery", "galleries"),
        crate::words::count(definitions, "image definition", "image definitions"),
        crate::words::count(ws.version_count(), "version", "versions"),
        crate::words::count(ws.grants.len(), "role assignment", "role assignments"),
    )
}

/// `pull`: a new workspace whose planned state is Azure's. Exit 0 written, 2 when Azure cannot
/// be read or the file cannot be written (nothing written).
pub fn pull(target: &Target<'_>, out: &Path) -> u8 {
    if out.exists() {
        eprintln!(
            "{}",
            term::esc(&format!(
                "{}: the file exists: refresh it with `sig-studio refresh {}`, or pull into a new file",
                out.display(),
                out.display()
            ))
        );
        return exit::UNREADABLE;
    }
    let Some(wanted) = target.subscription else {
        eprintln!("sig-studio pull: give --subscription ID (or its name)");
        return exit::UNREADABLE;
    };
    let client = match client(target) {
        Ok(client) => client,
        Err(err) => return report(&err),
    };
    let (subscription, tenant) = match resolve(&client, wanted) {
        Ok(found) => found,
        Err(err) => return report(&err),
    };
    let options = ReadOptions {
        subscription,
        resource_group: target.resource_group.map(str::to_owned),
        tenant,
        object_ids_only: target.object_ids,
        ..ReadOptions::default()
    };
    let pulled = match crate::azure::pull(&client, &options) {
        Ok(pulled) => pulled,
        Err(err) => return report(&err),
    };
    for warning in &pulled.warnings {
        eprintln!("{}", term::esc(&format!("warning: {warning}")));
    }
    if let Err(err) = workspace::save(out, &pulled.ws) {
        eprintln!("{}", term::esc(&err.to_string()));
        return exit::UNREADABLE;
    }
    outln!(
        "{}",
        term::esc(&format!(
            "Read {} from {} in {}; written to {}",
            counts(&pulled.ws),
            pulled
                .ws
                .azure
                .as_ref()
                .map_or_else(String::new, |s| s.origin.describe()),
            crate::words::count(
                client
                    .hooks
                    .progress
                    .requests
                    .load(std::sync::atomic::Ordering::Relaxed) as usize,
                "request",
                "requests"
            ),
            out.display()
        ))
    );
    exit::OK
}

/// How `refresh` resolves conflicts: paths (or `all`) to keep as planned, or to take from Azure.
pub struct Resolve {
    pub keep_mine: Vec<String>,
    pub take_azure: Vec<String>,
}

impl Resolve {
    fn of(&self, path: &str) -> Option<Resolution> {
        let names = |list: &[String]| {
            list.iter()
                .any(|p| p == "all" || p.trim_matches('/').eq_ignore_ascii_case(path))
        };
        if names(&self.take_azure) {
            Some(Resolution::TakeAzure)
        } else if names(&self.keep_mine) {
            Some(Resolution::KeepMine)
        } else {
            None
        }
    }
}

#[derive(serde::Serialize)]
struct RefreshReport<'a> {
    origin: String,
    changes: &'a [crate::azure::refresh::AzureChange],
    conflicts: &'a [crate::azure::Conflict],
    unresolved: &'a [crate::azure::Conflict],
    warnings: &'a [String],
}

/// `refresh FILE`: exit 0 Azure unchanged, 1 changes taken in, 3 conflicts left, 2 Azure
/// cannot be read or the file cannot be read or written (then nothing is written).
pub fn refresh(file: &Path, target: &Target<'_>, resolve: &Resolve, json: bool) -> u8 {
    let (mut ws, stamp) = match super::load_stamped_or_report(file) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let recorded = ws.azure.as_ref().map(|s| s.origin.clone());
    let subscription = target
        .subscription
        .map(str::to_owned)
        .or_else(|| recorded.as_ref().map(|o| o.subscription.clone()))
        .filter(|s| !s.is_empty());
    let Some(subscription) = subscription else {
        eprintln!(
            "{}: Azure was never read for this workspace: give --subscription ID, or pull it first",
            file.display()
        );
        return exit::UNREADABLE;
    };
    let target = Target {
        subscription: Some(&subscription),
        ..*target
    };
    let client = match client(&target) {
        Ok(client) => client,
        Err(err) => return report(&err),
    };
    if let Some(origin) = &recorded
        && !origin.endpoint.is_empty()
        && origin.endpoint != client.arm.base
    {
        eprintln!(
            "{}",
            term::esc(&format!(
                "note: Azure as last seen came from {}; reading {} (the endpoint comes from az or --arm-endpoint, never from the file)",
                origin.endpoint, client.arm.base
            ))
        );
    }
    let options = ReadOptions {
        subscription: subscription.clone(),
        resource_group: target.resource_group.map(str::to_owned),
        object_ids_only: target.object_ids,
        ..ReadOptions::default()
    };
    let compared = match Refresh::read(&client, &ws, &options) {
        Ok(compared) => compared,
        Err(err) => return report(&err),
    };
    let merged = compared.merge(&ws, &|c| resolve.of(&c.path));
    let code = exit_code(&compared, &merged);
    let report_text = print_refresh(&compared, &merged, json);
    merged.apply_to(&mut ws);
    if let Err(code) = super::save_output(file, &stamp, file, &ws) {
        return code;
    }
    if json {
        outln!("{report_text}");
    } else {
        out!("{}", term::esc_lines(&report_text));
    }
    code
}

fn exit_code(compared: &Refresh, merged: &Merged) -> u8 {
    if !merged.unresolved.is_empty() {
        exit::FAILED
    } else if compared.is_unchanged() {
        exit::OK
    } else {
        exit::PROBLEMS
    }
}

/// The report, as JSON or text, printed once the file is written.
pub(super) fn print_refresh(compared: &Refresh, merged: &Merged, json: bool) -> String {
    for warning in &compared.warnings {
        eprintln!("{}", term::esc(&format!("warning: {warning}")));
    }
    if json {
        let report = RefreshReport {
            origin: merged.seen.origin.describe(),
            changes: &compared.changes,
            conflicts: &compared.conflicts,
            unresolved: &merged.unresolved,
            warnings: &compared.warnings,
        };
        return super::output::json(&report).unwrap_or_default();
    }
    let mut text = String::new();
    if compared.is_unchanged() {
        text.push_str("Azure has not changed since it was last seen.\n");
    } else {
        let taken = compared
            .changes
            .iter()
            .filter(|c| c.outcome == Outcome::Taken)
            .count();
        text.push_str(&format!(
            "Azure changed {} since it was last seen ({} taken into the plan):\n",
            crate::words::count(compared.changes.len(), "thing", "things"),
            taken
        ));
        for change in &compared.changes {
            text.push_str(&format!("  {}\n", change.describe()));
        }
    }
    if !merged.unresolved.is_empty() {
        text.push_str(&format!(
            "{} left for you (the plan keeps yours until you choose; rerun with --keep-mine PATH or --take-azure PATH, or `all`):\n",
            crate::words::count(merged.unresolved.len(), "conflict", "conflicts")
        ));
        for conflict in &merged.unresolved {
            text.push_str(&format!("  {}\n", conflict.describe()));
        }
    }
    text.push_str(&format!(
        "Azure as last seen: {}\n",
        merged.seen.origin.describe()
    ));
    text
}
