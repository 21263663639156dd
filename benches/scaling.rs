//! Inputs that used to cost quadratic time (issue 13): `cost` over versions that each have
//! their own source image, and group resolution over one long membership cycle or chain. Each
//! is timed at 10,000, 30,000 and 100,000 versions or groups; linear growth shows as a flat
//! time per item (the ratio 100,000 / 10,000 near 10, not 100).
//!
//! `cargo bench --bench scaling`

#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock to time what it measures"
)]

use std::time::{Duration, Instant};

use sig_studio::access::AccessIndex;
use sig_studio::cost::workspace_cost;
use sig_studio::model::{ManagedImage, Principal, PrincipalKind, Tenant, Workspace, validate};
use sig_studio::sample::synthetic;

const SIZES: [usize; 3] = [10_000, 30_000, 100_000];

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

/// `versions` versions, each built from its own managed image.
fn one_image_per_version(versions: usize) -> Workspace {
    let mut ws = synthetic(versions);
    let template = ws.managed_images[0].clone();
    let mut images = Vec::with_capacity(versions);
    for (i, version) in ws
        .galleries
        .iter_mut()
        .flat_map(|g| g.definitions.iter_mut())
        .flat_map(|d| d.versions.iter_mut())
        .enumerate()
    {
        let name = format!("image-{i:06}");
        version.source.clone_from(&name);
        images.push(ManagedImage {
            name,
            ..template.clone()
        });
    }
    ws.managed_images = images;
    ws
}

/// `groups` groups in one membership cycle (each a member of the next, the last of the
/// first), or a chain (`cycle` false: the last contains nobody), and one user in the first.
fn nested_groups(groups: usize, cycle: bool) -> Workspace {
    let group = |i: usize| format!("group-{i:06}");
    let mut principals: Vec<Principal> = (0..groups)
        .map(|i| Principal {
            name: group(i),
            kind: PrincipalKind::Group,
            tenant: "contoso".to_owned(),
            members: if i > 0 {
                vec![group(i - 1)]
            } else if cycle {
                vec![group(groups - 1), "user@contoso.com".to_owned()]
            } else {
                vec!["user@contoso.com".to_owned()]
            },
        })
        .collect();
    principals.push(Principal {
        name: "user@contoso.com".to_owned(),
        kind: PrincipalKind::User,
        tenant: "contoso".to_owned(),
        members: Vec::new(),
    });
    Workspace {
        tenants: vec![Tenant {
            name: "contoso".to_owned(),
            domain: "contoso.onmicrosoft.com".to_owned(),
        }],
        principals,
        ..Workspace::default()
    }
}

fn report(what: &str, unit: &str, times: &[(usize, Duration)]) {
    println!("{what}:");
    for (n, t) in times {
        println!(
            "  {n:>7} {unit}: {:>9.1} ms  ({:.2} µs per {})",
            t.as_secs_f64() * 1e3,
            t.as_secs_f64() * 1e6 / *n as f64,
            unit.trim_end_matches('s')
        );
    }
    if let (Some(first), Some(last)) = (times.first(), times.last()) {
        println!(
            "  growth {}× the items: {:.1}× the time",
            last.0 / first.0,
            last.1.as_secs_f64() / first.1.as_secs_f64()
        );
    }
}

fn main() {
    let today = jiff::civil::date(2026, 11, 26);
    let mut cost = Vec::new();
    for n in SIZES {
        let ws = one_image_per_version(n);
        let t = time(5, || workspace_cost(&ws).totals.monthly_usd);
        cost.push((n, t));
    }
    report(
        "cost of every version, one source image each (workspace_cost)",
        "versions",
        &cost,
    );

    let mut cycle_validate = Vec::new();
    let mut cycle_access = Vec::new();
    let mut chain_validate = Vec::new();
    for n in SIZES {
        let ws = nested_groups(n, true);
        let problems = validate(&ws, today).len();
        assert_eq!(problems, 1, "one cycle, one problem");
        cycle_validate.push((n, time(5, || validate(&ws, today).len())));
        cycle_access.push((
            n,
            time(5, || {
                let index = AccessIndex::new(&ws);
                let access = index.principal_access("user@contoso.com").map(|a| {
                    (
                        a.count(sig_studio::access::Action::See),
                        a.cycles().len(),
                        a.reason_count(),
                    )
                });
                access.ok()
            }),
        ));
        let ws = nested_groups(n, false);
        chain_validate.push((n, time(5, || validate(&ws, today).len())));
    }
    report(
        "validate, one membership cycle through every group",
        "groups",
        &cycle_validate,
    );
    report(
        "access index and one member's effective access and cycles, same cycle",
        "groups",
        &cycle_access,
    );
    report(
        "validate, groups nested in one chain (no cycle)",
        "groups",
        &chain_validate,
    );
}
