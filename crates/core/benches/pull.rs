//! Pull of a subscription of 10,000 image versions (1,000 of them replicating) from the mock ARM
//! server of the tests, and a refresh of it (only the replicating versions are read again):
//! wall time and peak memory (VmHWM) of a process that does only that, beside the peak memory of
//! a process that only loads the workspace pulled. Run: `cargo bench -p sig-studio-core --bench
//! pull`.
//!
//! The mock runs in this process; each measured read runs in a child process (this benchmark
//! again, with an argument) so that its peak resident set is its own.

#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock to time what it measures"
)]

#[path = "../../../tests/common/mock_arm/mod.rs"]
#[allow(dead_code)]
mod mock_arm;

#[path = "../../../benches/common/peak.rs"]
mod peak;

use peak::peak_rss_mb;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sig_studio_core::azure::ids::Endpoint;
use sig_studio_core::azure::{AzCli, AzTokens, Client, Clock, Hooks, Limits, ReadOptions, Refresh};
use sig_studio_core::workspace;

const RUNS: usize = 3;

fn client(arm: &str, graph: &str, az: &Path) -> Client {
    let clock: Clock = Arc::new(jiff::Timestamp::now);
    let tokens = AzTokens {
        az: AzCli {
            program: az.to_owned(),
            ..AzCli::default()
        },
        clock: Arc::clone(&clock),
    };
    Client::new(
        Endpoint::parse(arm).unwrap(),
        Some(Endpoint::parse(graph).unwrap()),
        Arc::new(tokens),
        clock,
        Limits::default(),
        Hooks::default(),
    )
}

/// In a child: `pull ARM GRAPH AZ OUT`, `refresh ARM GRAPH AZ FILE` or `load FILE`; prints
/// "seconds peak-MB requests".
fn child(args: &[String]) {
    match args {
        [mode, arm, graph, az, file] if mode == "pull" || mode == "refresh" => {
            let client = client(arm, graph, Path::new(az));
            let start = Instant::now();
            let ws = if mode == "pull" {
                let options = ReadOptions {
                    subscription: mock_arm::SUBSCRIPTION.to_owned(),
                    tenant: Some(mock_arm::TENANT.to_owned()),
                    ..ReadOptions::default()
                };
                sig_studio_core::azure::pull(&client, &options)
                    .expect("pulls")
                    .ws
            } else {
                let mut ws = workspace::load(Path::new(file)).expect("loads");
                let refresh = Refresh::read(&client, &ws, &ReadOptions::default()).expect("reads");
                refresh.merge(&ws, &|_| None).apply_to(&mut ws);
                ws
            };
            let out = PathBuf::from(format!("{file}.{mode}"));
            workspace::save(&out, &ws).expect("saves");
            let requests = client
                .hooks
                .progress
                .requests
                .load(std::sync::atomic::Ordering::Relaxed);
            println!(
                "{} {} {requests}",
                start.elapsed().as_secs_f64(),
                peak_rss_mb()
            );
        }
        [mode, file] if mode == "load" => {
            let ws = workspace::load(Path::new(file)).expect("loads");
            std::hint::black_box(&ws);
            println!("0 {} 0", peak_rss_mb());
        }
        _ => panic!("unknown child arguments {args:?}"),
    }
}

fn run_child(args: &[&str]) -> (f64, f64, u64) {
    let out = Command::new(std::env::current_exe().unwrap())
        .arg("--child")
        .args(args)
        .output()
        .expect("child runs");
    assert!(
        out.status.success(),
        "child failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or_default().to_owned();
    let mut parts = line.split_whitespace();
    let mut next = || parts.next().unwrap_or("0").to_owned();
    (
        next().parse().unwrap_or(0.0),
        next().parse().unwrap_or(0.0),
        next().parse().unwrap_or(0),
    )
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(&args[i + 1..]);
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let config = mock_arm::Config {
        lifetime: Duration::from_secs(900),
        max_requests: 1_000_000,
        ..mock_arm::large(1, 10, 1000)
    };
    let mock = mock_arm::MockArm::start(config);
    let dir = std::env::temp_dir().join(format!("sig-studio-bench-pull-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let az = mock_arm::fake_az(&dir, &mock.url, &mock.graph_url());
    let file = dir.join("pulled.ron");
    let (arm, graph) = (mock.url.clone(), mock.graph_url());
    let common = [arm.as_str(), graph.as_str(), az.to_str().unwrap()];
    let mut pulls = Vec::new();
    let mut pull_peak = Vec::new();
    let mut requests = 0;
    for _ in 0..RUNS {
        let target = file.display().to_string();
        let (secs, peak, n) = run_child(&["pull", common[0], common[1], common[2], &target]);
        pulls.push(secs);
        pull_peak.push(peak);
        requests = n;
    }
    let pulled = PathBuf::from(format!("{}.pull", file.display()));
    let size_mb = std::fs::metadata(&pulled).map_or(0.0, |m| m.len() as f64 / 1e6);
    let (_, load_peak, _) = run_child(&["load", pulled.to_str().unwrap()]);
    let mut refreshes = Vec::new();
    let mut refresh_peak = Vec::new();
    let mut refresh_requests = 0;
    for _ in 0..RUNS {
        let (secs, peak, n) = run_child(&[
            "refresh",
            common[0],
            common[1],
            common[2],
            pulled.to_str().unwrap(),
        ]);
        refreshes.push(secs);
        refresh_peak.push(peak);
        refresh_requests = n;
    }
    let ws = workspace::load(&pulled).unwrap();
    println!(
        "pull of {} versions (1,000 replicating) from the mock ARM server, median of {RUNS}:",
        ws.version_count()
    );
    println!(
        "  pull:    {:.2} s, {requests} requests, peak RSS {:.0} MB (runs: {:?})",
        median(pulls.clone()),
        median(pull_peak.clone()),
        pulls.iter().map(|s| format!("{s:.2}")).collect::<Vec<_>>()
    );
    println!(
        "  refresh: {:.2} s, {refresh_requests} requests (settled versions not read again), peak RSS {:.0} MB",
        median(refreshes),
        median(refresh_peak)
    );
    println!(
        "  the workspace: {size_mb:.1} MB file; a process that only loads it peaks at {load_peak:.0} MB; pull / load = {:.2}",
        median(pull_peak) / load_peak.max(1.0)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
