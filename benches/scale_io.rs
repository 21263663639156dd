//! The commands that read or write a whole 100,000-version workspace (issue 23, item 7), each as
//! the command line runs it, in a fresh process: time and peak memory (the process's `VmHWM`).
//!
//! - export: load the workspace file, write the ARM template / az script to a file (the safe
//!   write: temporary file and rename);
//! - import: read that template, import it into an empty workspace, save the workspace;
//! - plan: load two workspace files (BEFORE and AFTER: a day's work, or every version given a
//!   region), plan, write the plan as text.
//!
//! Each is run `SCALE_RUNS` times (default 3) and reported as the range over the runs. Targets:
//! export and import ≤ 1 GB peak; plan of two files ≤ 2 s.
//!
//! `cargo bench -p sig-studio-core --bench scale_io` (`SCALE_VERSIONS=10000` for a smaller run).

#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock to time what it measures"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use sig_studio_core::export::{self, Export, Scope};
use sig_studio_core::import::{Input, import};
use sig_studio_core::model::{Date, Region, TargetRegion, Workspace};
use sig_studio_core::plan;
use sig_studio_core::sample::synthetic;
use sig_studio_core::workspace;

/// The process's peak resident set so far, in MB.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn load(path: &Path) -> Workspace {
    workspace::load(path).expect("the bench's own file loads")
}

/// What the export command does after parsing its arguments.
fn export_file(dir: &Path, format: export::Format, out: &str) -> usize {
    let ws = load(&dir.join("before.ron"));
    let export = Export::new(&ws, &Scope::default(), format).expect("exports");
    let content = |sink: &mut dyn std::io::Write| export.write_to(sink);
    match format {
        export::Format::Az => workspace::write_script_from(&dir.join(out), content),
        export::Format::Arm => workspace::write_atomically_from(&dir.join(out), content),
    }
    .expect("writes");
    std::fs::metadata(dir.join(out)).map_or(0, |m| m.len() as usize)
}

/// What `import TEMPLATE --out FILE` does.
fn import_file(dir: &Path) -> usize {
    let input = Input::read(&dir.join("template.json")).expect("reads");
    let mut ws = Workspace::default();
    let summary = import(&mut ws, &[input]).expect("imports");
    assert!(summary.imported_anything());
    workspace::save(&dir.join("imported.ron"), &ws).expect("saves");
    ws.version_count()
}

/// What `plan BEFORE AFTER` does (the text printed is measured, not printed).
fn plan_files(dir: &Path, after: &str) -> usize {
    let before = load(&dir.join("before.ron"));
    let after = load(&dir.join(after));
    let today: Date = "2026-11-29".parse().expect("a date");
    let p = plan::plan(&before, &after, today);
    plan::to_text(&p, "before.ron", "after.ron").len()
}

/// In a fresh process: one operation, then its time (ms), its output's size and the peak RSS.
fn child(op: &str, dir: &Path) {
    let start = Instant::now();
    let size = match op {
        "export-arm" => export_file(dir, export::Format::Arm, "template.json"),
        "export-az" => export_file(dir, export::Format::Az, "script.sh"),
        "import" => import_file(dir),
        "plan-day" => plan_files(dir, "after-day.ron"),
        "plan-all" => plan_files(dir, "after-all.ron"),
        other => panic!("no operation {other}"),
    };
    let ms = start.elapsed().as_secs_f64() * 1e3;
    println!("{ms:.0} {size} {:.0}", peak_rss_mb());
}

/// Adds a region to every `every`-th version that lacks it.
fn add_region(ws: &mut Workspace, every: usize) {
    let region: Region = "brazilsouth".parse().expect("a region");
    let mut i = 0;
    for g in &mut ws.galleries {
        for d in &mut g.definitions {
            for v in &mut d.versions {
                if i % every == 0 && v.target(region).is_none() {
                    v.target_regions.push(TargetRegion::new(region));
                }
                i += 1;
            }
        }
    }
}

/// A day's work: 1 % of the versions get a region, 100 versions are renamed.
fn day_of_work(before: &Workspace) -> Workspace {
    let mut after = before.clone();
    add_region(&mut after, 100);
    let d = &mut after.galleries[0].definitions[0];
    let moved: Vec<_> = d.versions.drain(..100.min(d.versions.len())).collect();
    for (i, mut v) in moved.into_iter().enumerate() {
        v.name = format!("99.{i}.0");
        d.versions.push(v);
    }
    after
}

fn run(me: &str, op: &str, dir: &Path, runs: usize) -> Vec<(f64, usize, f64)> {
    (0..runs)
        .map(|_| {
            let out = Command::new(me)
                .args(["--child", op, &dir.display().to_string()])
                .output()
                .expect("the bench runs itself");
            let text = String::from_utf8_lossy(&out.stdout);
            let fields: Vec<f64> = text
                .split_whitespace()
                .filter_map(|f| f.parse().ok())
                .collect();
            assert!(
                out.status.success() && fields.len() == 3,
                "{op} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            (fields[0], fields[1] as usize, fields[2])
        })
        .collect()
}

fn range(values: impl Iterator<Item = f64>) -> String {
    let values: Vec<f64> = values.collect();
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(0.0, f64::max);
    if (max - min).abs() < 0.5 {
        format!("{min:.0}")
    } else {
        format!("{min:.0}–{max:.0}")
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(&args[i + 1], Path::new(&args[i + 2]));
        return;
    }
    let versions: usize = std::env::var("SCALE_VERSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runs: usize = std::env::var("SCALE_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    // `SCALE_DIR=path` keeps the files there (to profile one operation: `--child OP path`).
    let kept = std::env::var_os("SCALE_DIR").map(PathBuf::from);
    let dir: PathBuf = kept.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("sig-studio-scale-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let before = synthetic(versions);
    workspace::save(&dir.join("before.ron"), &before).expect("saves");
    workspace::save(&dir.join("after-day.ron"), &day_of_work(&before)).expect("saves");
    let mut all = before.clone();
    add_region(&mut all, 1);
    workspace::save(&dir.join("after-all.ron"), &all).expect("saves");
    drop((before, all));
    let file_mb = std::fs::metadata(dir.join("before.ron")).map_or(0.0, |m| m.len() as f64 / 1e6);
    println!(
        "{versions} versions, workspace file {file_mb:.1} MB; {runs} runs each, fresh process per run"
    );
    println!();
    println!("| operation | output | time | peak RSS |");
    println!("|---|---:|---:|---:|");
    for (op, what, unit) in [
        (
            "export-arm",
            "export --format arm (load, write the template)",
            "MB",
        ),
        (
            "export-az",
            "export --format az (load, write the script)",
            "MB",
        ),
        (
            "import",
            "import of that template into an empty workspace, saved",
            "versions",
        ),
        (
            "plan-day",
            "plan of two files: a day's work (1 % get a region, 100 renamed)",
            "bytes of text",
        ),
        (
            "plan-all",
            "plan of two files: every version gets a region",
            "bytes of text",
        ),
    ] {
        // `SCALE_OPS=export-arm,import` runs only those (an import needs the export before it).
        if std::env::var("SCALE_OPS").is_ok_and(|ops| !ops.split(',').any(|o| o == op)) {
            continue;
        }
        let results = run(&args[0], op, &dir, runs);
        let size = results[0].1;
        let size = if unit == "MB" {
            format!("{:.1} MB", size as f64 / 1e6)
        } else {
            format!("{size} {unit}")
        };
        println!(
            "| {what} | {size} | {} ms | {} MB |",
            range(results.iter().map(|r| r.0)),
            range(results.iter().map(|r| r.2)),
        );
    }
    if kept.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
