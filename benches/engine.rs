//! One engine step over 10,000 concurrent replication jobs: `cargo bench --bench engine`.
//! Prints the median, the 95th percentile and the slowest step (plain `Instant`, no harness).

use std::hint::black_box;
use std::time::Instant;

use sig_studio::model::{ReplicaStatus, Workspace};
use sig_studio::replication::{Engine, StepReport};
use sig_studio::sample::synthetic;

const JOBS: usize = 10_000;
const STEPS: usize = 500;

/// 1,250 versions, each replicating to 8 regions besides its completed source region.
fn busy_workspace() -> Workspace {
    let mut ws = synthetic(JOBS / 8);
    for gallery in &mut ws.galleries {
        for definition in &mut gallery.definitions {
            for version in &mut definition.versions {
                for target in version.target_regions.iter_mut().skip(1) {
                    target.status = ReplicaStatus::default();
                }
            }
        }
    }
    ws
}

fn main() {
    let mut ws = busy_workspace();
    let mut engine = Engine::new();
    // The first step starts every job; then they are queued, then replicating.
    let first = engine.step(&mut ws, 1.0);
    assert_eq!(first.started as usize, JOBS, "{first:?}");
    // Past the queue: every job is copying, the costly case.
    engine.step(&mut ws, 130.0);
    let mut times = Vec::with_capacity(STEPS);
    let mut report = StepReport::default();
    for _ in 0..STEPS {
        let start = Instant::now();
        report = black_box(engine.step(black_box(&mut ws), 1.0));
        times.push(start.elapsed().as_secs_f64() * 1e6);
    }
    assert_eq!(
        report.running as usize, JOBS,
        "all jobs still run: {report:?}"
    );
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let p95 = times[times.len() * 95 / 100];
    let max = times[times.len() - 1];
    println!(
        "engine step, {JOBS} concurrent jobs ({} target regions scanned), {STEPS} steps: median {median:.0} µs, p95 {p95:.0} µs, max {max:.0} µs",
        ws.versions()
            .map(|(_, _, v)| v.target_regions.len())
            .sum::<usize>()
    );
}
