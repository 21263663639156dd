//! Apply of 1,000 version updates (a tag on every version) to the mock ARM server of the tests:
//! each step a PUT answered as a long-running operation and polled twice (`Retry-After: 0`), at
//! most eight steps at once. Wall time of the run (refresh and plan excluded, measured apart),
//! requests sent, and the most the mock saw at once. The target: ≤ 30 s. Run: `cargo bench -p
//! sig-studio-core --bench apply`.

#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock to time what it measures"
)]

#[path = "../../../tests/common/mock_arm/mod.rs"]
#[allow(dead_code)]
mod mock_arm;

use std::sync::Arc;
use std::time::{Duration, Instant};

use sig_studio_core::azure::apply::{self, ApplyLimits, ApplyLog, Control, Ending, Target};
use sig_studio_core::azure::ids::Endpoint;
use sig_studio_core::azure::{AzCli, AzTokens, Client, Clock, Hooks, Limits, ReadOptions};
use sig_studio_core::model::seen;

const RUNS: usize = 3;
const TARGET_SECS: f64 = 30.0;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("sig-studio-bench-apply-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut runs = Vec::new();
    let mut reads = Vec::new();
    let (mut requests, mut most) = (0, 0);
    for run in 0..RUNS {
        let mock = mock_arm::MockArm::start(mock_arm::Config {
            lifetime: Duration::from_secs(900),
            max_requests: 1_000_000,
            ..mock_arm::large(1, 10, 100)
        });
        let az = mock_arm::fake_az(&dir, &mock.url, &mock.graph_url());
        let clock: Clock = Arc::new(jiff::Timestamp::now);
        let tokens = AzTokens {
            az: AzCli {
                program: az,
                ..AzCli::default()
            },
            clock: Arc::clone(&clock),
        };
        let client = Client::new(
            Endpoint::parse(&mock.url).unwrap(),
            Some(Endpoint::parse(&mock.graph_url()).unwrap()),
            Arc::new(tokens),
            Arc::clone(&clock),
            Limits::default(),
            Hooks::default(),
        );
        let start = Instant::now();
        let options = ReadOptions {
            subscription: mock_arm::SUBSCRIPTION.to_owned(),
            tenant: Some(mock_arm::TENANT.to_owned()),
            ..ReadOptions::default()
        };
        let mut ws = sig_studio_core::azure::read(&client, &options)
            .expect("reads")
            .ws;
        reads.push(start.elapsed().as_secs_f64());
        for d in &mut ws.galleries[0].definitions {
            for v in &mut d.versions {
                v.tags.insert("run".into(), format!("bench-{run}"));
            }
        }
        let plan = sig_studio_core::plan::from_azure(&ws, jiff::civil::date(2026, 11, 26));
        assert_eq!(plan.steps.len(), 1000, "{}", plan.summary());
        let prepared = apply::prepare(
            &plan,
            &seen::before(&ws),
            &ws,
            &client.arm,
            &Target::of(&ws).unwrap(),
        )
        .expect("prepared");
        let log = ApplyLog::create(&dir, &format!("bench-{run}"), clock).unwrap();
        let control = Control::new(&plan);
        let before = mock.requests().len();
        let start = Instant::now();
        let outcome = apply::run(&client, &prepared, &ApplyLimits::default(), &log, &control);
        runs.push(start.elapsed().as_secs_f64());
        assert_eq!(outcome.ending, Ending::Completed, "{}", outcome.summary());
        requests = mock.requests().len() - before;
        most = most.max(mock.max_in_flight());
    }
    runs.sort_by(f64::total_cmp);
    reads.sort_by(f64::total_cmp);
    let median = runs[RUNS / 2];
    println!("apply of 1,000 version updates to the mock ARM server, median of {RUNS}:");
    println!(
        "  {median:.2} s ({:.1} steps/s), {requests} requests (PUT + 2 polls each), at most {most} at once (runs: {:?}; target ≤ {TARGET_SECS} s)",
        1000.0 / median,
        runs.iter().map(|s| format!("{s:.2}")).collect::<Vec<_>>()
    );
    println!(
        "  the read before it (what the refresh does): {:.2} s",
        reads[RUNS / 2]
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(median <= TARGET_SECS, "over the {TARGET_SECS} s target");
}
