//! Effective access of every principal over a 10,000-version workspace with 1,000 principals
//! (nested groups) and 5,000 grants at every scope. Target: at most 100 ms in release.
//!
//! `cargo bench --bench access`

#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock to time what it measures"
)]

use std::time::{Duration, Instant};

use sig_studio::access::{AccessIndex, Action};
use sig_studio::sample::{synthetic, with_access};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let mut ws = synthetic(10_000);
    with_access(&mut ws, 1_000, 5_000);
    assert_eq!(ws.version_count(), 10_000);
    assert_eq!(ws.principals.len(), 1_000);
    assert_eq!(ws.grants.len(), 5_000);

    const RUNS: usize = 7;
    let mut index_times = Vec::with_capacity(RUNS);
    let mut total_times = Vec::with_capacity(RUNS);
    let mut checksum = (0usize, 0usize, 0usize);
    for _ in 0..RUNS {
        let start = Instant::now();
        let index = AccessIndex::new(&ws);
        index_times.push(start.elapsed());
        let (mut seen, mut edited, mut reasons) = (0, 0, 0);
        for access in index.everyone() {
            seen += access.count(Action::See);
            edited += access.count(Action::Edit);
            reasons += access.reason_count();
        }
        total_times.push(start.elapsed());
        checksum = (seen, edited, reasons);
    }
    let index = median(index_times);
    let total = median(total_times);
    println!(
        "access: {} versions, {} principals, {} grants, {} membership cycles",
        ws.version_count(),
        ws.principals.len(),
        ws.grants.len(),
        AccessIndex::new(&ws).cycles().len()
    );
    println!(
        "  (principal, resource) pairs seen {}, editable {}; grants reaching principals {}",
        checksum.0, checksum.1, checksum.2
    );
    println!(
        "  index (group closure, grants by scope and principal): {:.1} ms",
        index.as_secs_f64() * 1e3
    );
    println!(
        "  effective access of every principal (roles on every resource, reasons as references), index included: {:.1} ms (median of {RUNS}; target 100 ms)",
        total.as_secs_f64() * 1e3
    );
    let start = Instant::now();
    let who = AccessIndex::new(&ws)
        .who(&sig_studio::model::ResourcePath::version(
            "gallery000",
            "image-25",
            "1.2.3",
        ))
        .map(|r| r.principals.len())
        .unwrap_or(0);
    println!(
        "  who can reach one version ({who} principals), index included: {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
}
