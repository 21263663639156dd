//! Load, validate and save of generated workspaces (1,000 / 10,000 / 100,000 versions), with
//! the floor (plain `ron::from_str` of the same text into the same types) and peak memory.
//! Run: `cargo bench --bench file`; `cargo bench --bench file -- --write N PATH` only writes
//! the generated workspace of N versions to PATH.

#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock to time what it measures"
)]

use std::time::{Duration, Instant};

#[path = "common/peak.rs"]
mod peak;

use peak::peak_rss_mb;
use sig_studio::model::simulation::SimulationState;
use sig_studio::model::{Gallery, Grant, ManagedImage, Principal, Settings, Tenant};
use sig_studio::sample::synthetic;
use sig_studio::validate;
use sig_studio::workspace::{from_ron_str, save, to_ron_string};

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

/// The file's top level as plain serde types: the floor is `ron::from_str` into these.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Floor {
    format: u64,
    #[serde(default)]
    settings: Settings,
    #[serde(default)]
    tenants: Vec<Tenant>,
    #[serde(default)]
    principals: Vec<Principal>,
    #[serde(default)]
    grants: Vec<Grant>,
    #[serde(default)]
    managed_images: Vec<ManagedImage>,
    #[serde(default)]
    galleries: Vec<Gallery>,
    #[serde(default)]
    simulation: SimulationState,
}

/// In a fresh process: load, validate and save one file, then print the peak RSS in MB.
fn peak_child(path: &str) {
    let today = jiff::civil::date(2026, 11, 26);
    let Ok(ws) = sig_studio::workspace::load(std::path::Path::new(path)) else {
        println!("0");
        return;
    };
    let problems = validate(&ws, today).len();
    let saved = save(std::path::Path::new(path), &ws).is_ok();
    std::hint::black_box((problems, saved));
    println!("{:.0}", peak_rss_mb());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--peak-child") {
        if let Some(path) = args.get(i + 1) {
            peak_child(path);
        }
        return;
    }
    // `cargo bench --bench file -- --write N PATH`: only writes the generated workspace of N
    // versions to PATH (for `benches/idle.sh open=PATH`, the app's memory with it open).
    if let Some(i) = args.iter().position(|a| a == "--write") {
        let versions = args.get(i + 1).and_then(|n| n.parse().ok());
        let (Some(versions), Some(path)) = (versions, args.get(i + 2)) else {
            eprintln!("usage: --write VERSIONS PATH");
            std::process::exit(2);
        };
        if let Err(err) = save(std::path::Path::new(path), &synthetic(versions)) {
            eprintln!("{path}: {err}");
            std::process::exit(2);
        }
        return;
    }
    let today = jiff::civil::date(2026, 11, 26);
    let dir = std::env::temp_dir().join(format!("sig-studio-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    println!(
        "| versions | file size | load | floor (ron::from_str) | validate | save | peak RSS (own process: load, validate, save) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for versions in [1_000, 10_000, 100_000] {
        let ws = synthetic(versions);
        let text = to_ron_string(&ws);
        let runs = if versions >= 100_000 { 3 } else { 7 };
        let load = time(runs, || from_ron_str(&text).map(|w| w.version_count()));
        let floor = time(runs, || {
            ron::from_str::<Floor>(&text).map(|w| w.galleries.len())
        });
        assert!(
            ron::from_str::<Floor>(&text).is_ok(),
            "the floor parses the same file"
        );
        let loaded = from_ron_str(&text).unwrap_or_default();
        assert_eq!(loaded.version_count(), versions);
        let check = time(runs, || validate(&loaded, today).len());
        let path = dir.join(format!("bench-{versions}.ron"));
        let write = time(runs, || save(&path, &loaded).is_ok());
        let peak = std::process::Command::new(&args[0])
            .args(["--peak-child", &path.display().to_string()])
            .output()
            .ok()
            .and_then(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .trim()
                    .parse::<f64>()
                    .ok()
            })
            .unwrap_or(0.0);
        println!(
            "| {versions} | {:.1} MB | {:.0} ms | {:.0} ms | {:.1} ms | {:.0} ms | {:.0} MB |",
            text.len() as f64 / 1e6,
            load.as_secs_f64() * 1e3,
            floor.as_secs_f64() * 1e3,
            check.as_secs_f64() * 1e3,
            write.as_secs_f64() * 1e3,
            peak
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
