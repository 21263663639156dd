//! The replication engine: `cargo bench --bench engine`. Plain `Instant`, no harness.
//!
//! 1. `simulate --until-settled` (the command without reading and printing the file: its jobs
//!    list, `cli::simulate::simulate` and the report's text) over generated workspaces whose
//!    versions each copy to 8 regions from one source region: 1,000, 10,000 and 100,000
//!    versions (`ENGINE_BENCH_VERSIONS=1000,10000` chooses others; `ENGINE_BENCH_FILES=DIR`
//!    also saves them there, to time the command itself).
//!    Prints the wall time, the time per copy (flat when the run is linear in the work) and the
//!    simulated time.
//! 2. The clock's work per tick at 3600×: 360 simulated seconds over 10,000 running jobs.
//! 3. One 1-second step over 10,000 concurrent jobs (the figure measured before the
//!    event-driven engine, kept for comparison), by `Engine::step` as tests and library users
//!    call it: it fingerprints the workspace to notice outside changes.

#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock to time what it measures"
)]

use std::hint::black_box;
use std::time::Instant;

use sig_studio::cli::simulate::{Options, jobs_before, render, simulate};
use sig_studio::model::{ReplicaStatus, Workspace};
use sig_studio::replication::{Engine, StepReport, format_duration};
use sig_studio::sample::synthetic;

const COPIES_PER_VERSION: usize = 8;

/// `versions` versions, each replicating to 8 regions besides its completed source region.
fn busy_workspace(versions: usize) -> Workspace {
    let mut ws = synthetic(versions);
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

fn percentile(sorted: &[f64], p: usize) -> f64 {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn until_settled(sizes: &[usize]) {
    println!(
        "| versions | copies | simulate --until-settled | per copy | of which the engine, per copy | simulated time | outcome |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---|");
    for &versions in sizes {
        let mut ws = busy_workspace(versions);
        if let Ok(dir) = std::env::var("ENGINE_BENCH_FILES") {
            // For timing the command itself: `sig-studio simulate --until-settled FILE`.
            let file = std::path::Path::new(&dir).join(format!("busy-{versions}.ron"));
            if let Err(err) = sig_studio::workspace::save(&file, &ws) {
                eprintln!("{}: {err}", file.display());
            }
        }
        let copies = versions * COPIES_PER_VERSION;
        let start = Instant::now();
        let ran = jobs_before(&ws);
        let listed = start.elapsed().as_secs_f64();
        let outcome = simulate(&mut ws, &Options::default());
        let simulated = start.elapsed().as_secs_f64() - listed;
        let text = render(&ws, &ran, &outcome);
        let secs = start.elapsed().as_secs_f64();
        let last = text.lines().last().unwrap_or_default().to_owned();
        println!(
            "| {versions} | {copies} | {:.3} s | {:.2} µs | {:.2} µs | {} | {last} |",
            secs,
            secs * 1e6 / copies as f64,
            simulated * 1e6 / copies as f64,
            format_duration(outcome.secs),
        );
    }
}

/// The app at 3600×: the clock ticks every 100 ms, so each tick advances 360 simulated seconds.
/// The engine is driven as the app drives it (told about changes, no fingerprint).
fn per_tick() {
    const VERSIONS: usize = 1_250;
    const TICKS: usize = 400;
    let mut ws = busy_workspace(VERSIONS);
    let mut engine = Engine::new(sig_studio::today());
    engine.set_detect_changes(false);
    let first = engine.step(&mut ws, 1.0);
    assert_eq!(
        first.started as usize,
        VERSIONS * COPIES_PER_VERSION,
        "{first:?}"
    );
    let mut times = Vec::with_capacity(TICKS);
    let mut report = StepReport::default();
    for _ in 0..TICKS {
        let start = Instant::now();
        report = black_box(engine.step(black_box(&mut ws), 360.0));
        times.push(start.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "clock tick at 3600× (360 simulated s), {} jobs, {TICKS} ticks: median {:.0} µs, p95 {:.0} µs, max {:.0} µs; {} still running after {}",
        VERSIONS * COPIES_PER_VERSION,
        percentile(&times, 50),
        percentile(&times, 95),
        percentile(&times, 100),
        report.running,
        format_duration(TICKS as f64 * 360.0)
    );
}

/// One step of 1 simulated second over 10,000 copying jobs.
fn one_second_steps() {
    const JOBS: usize = 10_000;
    const STEPS: usize = 500;
    let mut ws = busy_workspace(JOBS / COPIES_PER_VERSION);
    let mut engine = Engine::new(sig_studio::today());
    let first = engine.step(&mut ws, 1.0);
    assert_eq!(first.started as usize, JOBS, "{first:?}");
    // Past the queue: every job is copying.
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
    println!(
        "engine step of 1 s, {JOBS} concurrent jobs, {STEPS} steps: median {:.0} µs, p95 {:.0} µs, max {:.0} µs",
        percentile(&times, 50),
        percentile(&times, 95),
        percentile(&times, 100),
    );
}

fn main() {
    let sizes: Vec<usize> = std::env::var("ENGINE_BENCH_VERSIONS")
        .ok()
        .map(|text| {
            text.split(',')
                .filter_map(|n| n.trim().parse().ok())
                .collect()
        })
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    one_second_steps();
    per_tick();
    until_settled(&sizes);
}
