//! The plan between two workspaces of 10,000 image versions (`sample::synthetic`: 9 target
//! regions each), and its az script. Target: each ≤ 1 s in release.
//!
//! - unchanged: a copy whose replication progress differs (nothing to deploy);
//! - a day's work: 1 % of the versions get a new region, 100 are deleted, 100 created;
//! - everything: every version gets a new region (10,000 updates, each timed by the engine).
//!
//! `cargo bench --bench plan`

#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock to time what it measures"
)]

use std::time::{Duration, Instant};

#[path = "common/workload.rs"]
mod workload;

use sig_studio::model::Date;
use sig_studio::plan;
use sig_studio::sample::synthetic;
use workload::{add_region, day_of_work};

const VERSIONS: usize = 10_000;
const RUNS: usize = 5;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let before = synthetic(VERSIONS);
    assert_eq!(before.version_count(), VERSIONS);
    let today: Date = "2026-11-29".parse().expect("a date");
    let mut unchanged = before.clone();
    for g in &mut unchanged.galleries {
        for d in &mut g.definitions {
            for v in &mut d.versions {
                for t in &mut v.target_regions {
                    t.status.progress = t.status.progress.saturating_sub(1);
                }
            }
        }
    }
    let mut everything = before.clone();
    add_region(&mut everything, 1);
    println!("| plan of {VERSIONS} versions | steps | plan, median of {RUNS} | az script |");
    println!("|---|---:|---:|---:|");
    for (name, after) in [
        ("unchanged", unchanged),
        (
            "a day's work (1 % updated, 100 renamed)",
            day_of_work(&before),
        ),
        ("every version gets a region", everything),
    ] {
        let (mut plans, mut scripts) = (Vec::new(), Vec::new());
        let mut steps = 0;
        for _ in 0..RUNS {
            let start = Instant::now();
            let p = plan::plan(&before, &after, today);
            plans.push(start.elapsed());
            steps = p.steps.len();
            let start = Instant::now();
            let text = plan::to_script(&p, &before, &after);
            scripts.push(start.elapsed());
            assert!(text.len() > 100);
        }
        println!(
            "| {name} | {steps} | {:.0} ms | {:.0} ms |",
            median(plans).as_secs_f64() * 1e3,
            median(scripts).as_secs_f64() * 1e3
        );
    }
}
