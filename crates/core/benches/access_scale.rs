//! Role assignments and group chains at scale (issue 23, points 5 and 6): time and peak memory
//! of every operation that reads them, from 10,000 to 100,000.
//!
//! - *many principals*: N users, each Reader on one of 100 galleries (an `az role assignment
//!   list` of N entries);
//! - *one principal*: one user granted Reader on each of N galleries;
//! - *group chain*: groups nested N deep (g0 holds the user, g1 holds g0, …), the last one
//!   granted Reader on a gallery; `access` of the user and `who` of the gallery.
//!
//! Targets: every operation linear; ≤ 2 s at 100,000 assignments; a chain 100,000 deep ≤ 500 MB
//! peak. Peak memory is the process's resident set high-water mark (`VmHWM`), reset before each
//! operation (`/proc/self/clear_refs`), so it includes the workspace the operation reads.
//!
//! `cargo bench -p sig-studio-core --bench access_scale [-- SIZE…] [-- --only many|one|chain]`
//! (default sizes: 10000 20000 50000 100000)

#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock to time what it measures"
)]

#[path = "../../../benches/common/peak.rs"]
mod peak;

use peak::peak_rss_mb;
use std::time::Instant;

use serde_json::json;
use sig_studio_core::access::{self, AccessIndex};
use sig_studio_core::export::{self, Format, Scope};
use sig_studio_core::import::{self, Input};
use sig_studio_core::model::{
    Date, Gallery, Grant, Principal, PrincipalKind, ResourcePath, Role, Tenant, Workspace,
};
use sig_studio_core::plan;

const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
const TENANT: &str = "contoso";

fn today() -> Date {
    jiff::civil::date(2026, 11, 26)
}

/// Resets the high-water mark of the resident set (Linux; elsewhere nothing happens), after
/// giving back to the system what earlier operations freed (else it would count again).
fn reset_peak() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory of the allocator to the system.
    unsafe {
        libc::malloc_trim(0);
    }
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Runs `f` once: prints its time and peak memory; returns its result.
fn measure<T>(what: &str, f: impl FnOnce() -> T) -> T {
    reset_peak();
    let start = Instant::now();
    let out = f();
    let secs = start.elapsed().as_secs_f64();
    println!("    {what:<44} {:>9.3} s {:>8.0} MB", secs, peak_rss_mb());
    out
}

fn workspace(galleries: usize) -> Workspace {
    let mut ws = Workspace {
        tenants: vec![Tenant {
            name: TENANT.to_owned(),
            domain: "contoso.onmicrosoft.com".to_owned(),
        }],
        ..Workspace::default()
    };
    ws.galleries = (0..galleries)
        .map(|i| Gallery {
            name: format!("gallery{i:06}"),
            tenant: TENANT.to_owned(),
            subscription: SUBSCRIPTION.to_owned(),
            resource_group: "rg-images".to_owned(),
            definitions: Vec::new(),
            ..Gallery::default()
        })
        .collect();
    ws
}

fn user(name: &str) -> Principal {
    Principal {
        name: name.to_owned(),
        kind: PrincipalKind::User,
        tenant: TENANT.to_owned(),
        members: Vec::new(),
    }
}

/// `az role assignment list -o json` with one entry per (principal, gallery).
fn assignments(pairs: &[(String, String)]) -> String {
    let items: Vec<serde_json::Value> = pairs
        .iter()
        .enumerate()
        .map(|(i, (principal, gallery))| {
            let scope = format!(
                "/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/{gallery}"
            );
            json!({
                "id": format!("{scope}/providers/Microsoft.Authorization/roleAssignments/{i:032}"),
                "name": format!("{i:032}"),
                "principalId": format!("{i:032}"),
                "principalName": principal,
                "principalType": "User",
                "roleDefinitionName": "Reader",
                "scope": scope,
                "type": "Microsoft.Authorization/roleAssignments",
            })
        })
        .collect();
    serde_json::Value::Array(items).to_string()
}

/// Import, then every report of the result.
fn assignment_operations(mut ws: Workspace, pairs: &[(String, String)], principal: &str) {
    let text = assignments(pairs);
    let before = ws.clone();
    let summary = measure("import", || {
        import::import(&mut ws, &[Input::new("roles.json", text)]).unwrap()
    });
    assert_eq!(summary.grants.added, pairs.len());
    measure("validate", || sig_studio_core::validate(&ws, today()).len());
    measure("export ARM template", || {
        export::export(&ws, &Scope::default(), Format::Arm)
            .unwrap()
            .len()
    });
    measure("export az script", || {
        export::export(&ws, &Scope::default(), Format::Az)
            .unwrap()
            .len()
    });
    measure("plan (diff) from the workspace without them", || {
        let plan = plan::plan(&before, &ws, today());
        plan::to_text(&plan, "a", "b").len()
    });
    measure("access of one principal, as JSON", || {
        let report = access::principal_access(&ws, principal).unwrap();
        serde_json::to_string(&report).unwrap().len()
    });
    measure("who of one gallery, as JSON", || {
        let report = access::who(&ws, &ResourcePath::gallery("gallery000000")).unwrap();
        serde_json::to_string(&report).unwrap().len()
    });
    measure("every principal's effective access", || {
        let index = AccessIndex::new(&ws);
        index.everyone().map(|a| a.reason_count()).sum::<usize>()
    });
}

fn many_principals(n: usize) {
    println!("  many principals: {n} users, each Reader on one of 100 galleries");
    let ws = workspace(100);
    let pairs: Vec<(String, String)> = (0..n)
        .map(|i| {
            (
                format!("user{i:06}@contoso.com"),
                format!("gallery{:06}", i % 100),
            )
        })
        .collect();
    assignment_operations(ws, &pairs, "user000000@contoso.com");
}

fn one_principal(n: usize) {
    println!("  one principal: one user, Reader on each of {n} galleries");
    let ws = workspace(n);
    let pairs: Vec<(String, String)> = (0..n)
        .map(|i| ("carol@contoso.com".to_owned(), format!("gallery{i:06}")))
        .collect();
    assignment_operations(ws, &pairs, "carol@contoso.com");
}

fn group_chain(n: usize) {
    println!("  group chain: groups nested {n} deep, the outermost Reader on a gallery");
    let mut ws = workspace(1);
    ws.principals.push(user("u@contoso.com"));
    for i in 0..n {
        let member = if i == 0 {
            "u@contoso.com".to_owned()
        } else {
            format!("g{:06}", i - 1)
        };
        ws.principals.push(Principal {
            name: format!("g{i:06}"),
            kind: PrincipalKind::Group,
            tenant: TENANT.to_owned(),
            members: vec![member],
        });
    }
    ws.grants.push(Grant {
        principal: format!("g{:06}", n - 1),
        role: Role::Reader,
        scope: "gallery000000".to_owned(),
    });
    measure("access of the innermost user, as JSON", || {
        let report = access::principal_access(&ws, "u@contoso.com").unwrap();
        serde_json::to_string(&report).unwrap().len()
    });
    measure("who of the gallery, as JSON", || {
        let report = access::who(&ws, &ResourcePath::gallery("gallery000000")).unwrap();
        serde_json::to_string(&report).unwrap().len()
    });
    measure("validate", || sig_studio_core::validate(&ws, today()).len());
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let mut sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![10_000, 20_000, 50_000, 100_000];
    }
    println!(
        "access at scale: {} cores, load {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    println!("    {:<44} {:>11} {:>11}", "operation", "time", "peak RSS");
    for n in sizes {
        println!("{n}:");
        let run = |name: &str| only.as_deref().is_none_or(|o| o == name);
        if run("many") {
            many_principals(n);
        }
        if run("one") {
            one_principal(n);
        }
        if run("chain") {
            group_chain(n);
        }
    }
}
