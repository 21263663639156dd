//! Export of 10,000 image versions (`sample::synthetic`: 9 target regions each, a managed
//! image source) as an ARM template and as an az script. Target: each ≤ 1 s in release.
//!
//! `cargo bench --bench export`

#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock to time what it measures"
)]

use std::time::{Duration, Instant};

use sig_studio::export::{Scope, arm, az};
use sig_studio::sample::synthetic;

const VERSIONS: usize = 10_000;
const RUNS: usize = 5;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let ws = synthetic(VERSIONS);
    assert_eq!(ws.version_count(), VERSIONS);
    let scope = Scope::default();
    let (mut template, mut script) = (Vec::new(), Vec::new());
    let (mut template_len, mut script_len) = (0, 0);
    for _ in 0..RUNS {
        let start = Instant::now();
        let text = arm::to_string(&ws, &scope).expect("exports");
        template.push(start.elapsed());
        template_len = text.len();
        let start = Instant::now();
        let text = az::to_string(&ws, &scope).expect("exports");
        script.push(start.elapsed());
        script_len = text.len();
    }
    println!("| export of {VERSIONS} versions | output | median of {RUNS} |");
    println!("|---|---:|---:|");
    println!(
        "| ARM template (`--format arm`) | {:.1} MB | {:.0} ms |",
        template_len as f64 / 1e6,
        median(template).as_secs_f64() * 1e3
    );
    println!(
        "| az script (`--format az`) | {:.1} MB | {:.0} ms |",
        script_len as f64 / 1e6,
        median(script).as_secs_f64() * 1e3
    );
}
