//! The commands that read or write a whole 100,000-version workspace (issue 23, item 7), each run
//! as the command line runs it (the `cli` functions `main` calls) in a fresh process: time and
//! peak memory (the process's `VmHWM`).
//!
//! - `export FILE --format arm|az --out OUT`: load the workspace, write the template / script;
//! - `import TEMPLATE --out FILE`: that template into an empty workspace, saved;
//! - `plan BEFORE AFTER` (text on stdout, which the bench reads): AFTER is the same workspace
//!   (a copy of the file), a day's work (1 % of the versions get a region, 100 are renamed), or
//!   every version given a region.
//!
//! Each is run `SCALE_RUNS` times (default 3) and reported as the range over the runs. Targets:
//! export and import ≤ 1 GB peak; the plan of two files ≤ 2 s.
//!
//! `cargo bench --bench scale_io` (`SCALE_VERSIONS=10000` for a smaller run, `SCALE_OPS=plan-day`
//! for some operations only, `SCALE_DIR=path` to keep the files for a profiler:
//! `scale_io-… --child plan-day path`).

#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark reads the clock to time what it measures"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[path = "common/peak.rs"]
mod peak;
#[path = "common/workload.rs"]
mod workload;

use peak::peak_rss_mb;
use sig_studio::cli;
use sig_studio::model::Date;
use sig_studio::sample::synthetic;
use sig_studio::workspace;
use workload::{add_region, day_of_work};

fn file_size(path: &Path) -> usize {
    std::fs::metadata(path).map_or(0, |m| m.len() as usize)
}

/// In a fresh process: one command, then (on stderr, stdout being the command's) its time in
/// ms, its output's size in bytes (a file's; 0 for stdout, which the parent counts) and the
/// peak RSS in MB.
fn child(op: &str, dir: &Path) {
    let today: Date = "2026-11-29".parse().expect("a date");
    let before = dir.join("before.ron");
    let start = Instant::now();
    let (code, size) = match op {
        "export-arm" | "export-az" => {
            let (format, out) = match op {
                "export-arm" => (cli::export::Format::Arm, dir.join("template.json")),
                _ => (cli::export::Format::Az, dir.join("script.sh")),
            };
            let code = cli::export::run(&before, format, None, &out);
            (code, file_size(&out))
        }
        "import" => {
            let out = dir.join("imported.ron");
            let code = cli::import::run(&[dir.join("template.json")], None, &out, false);
            (code, file_size(&out))
        }
        "plan-same" | "plan-day" | "plan-all" => {
            let after = dir.join(match op {
                "plan-same" => "after-same.ron",
                "plan-day" => "after-day.ron",
                _ => "after-all.ron",
            });
            let format = cli::plan::Format::Text;
            (
                cli::plan::run(&before, Some(&after), false, format, None, today),
                0,
            )
        }
        other => panic!("no operation {other}"),
    };
    let ms = start.elapsed().as_secs_f64() * 1e3;
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    eprintln!("RESULT {code} {ms:.0} {size} {:.0}", peak_rss_mb());
}

/// Runs one operation `runs` times: (ms, output bytes, peak MB) of each run.
fn run(me: &str, op: &str, dir: &Path, runs: usize) -> Vec<(f64, usize, f64)> {
    (0..runs)
        .map(|_| {
            let out = Command::new(me)
                .args(["--child", op, &dir.display().to_string()])
                .output()
                .expect("the bench runs itself");
            let stderr = String::from_utf8_lossy(&out.stderr);
            let fields: Vec<f64> = stderr
                .lines()
                .find_map(|l| l.strip_prefix("RESULT "))
                .unwrap_or_default()
                .split_whitespace()
                .filter_map(|f| f.parse().ok())
                .collect();
            // Exit 0, or 1 for a plan with steps.
            assert!(
                out.status.success() && fields.len() == 4 && fields[0] <= 1.0,
                "{op} failed: {stderr}"
            );
            let size = match fields[2] as usize {
                0 => out.stdout.len(),
                n => n,
            };
            (fields[1], size, fields[3])
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
    // The same workspace in a file of its own: nothing to do.
    std::fs::copy(dir.join("before.ron"), dir.join("after-same.ron")).expect("copies");
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
    for (op, what) in [
        ("export-arm", "export --format arm (the template)"),
        ("export-az", "export --format az (the script)"),
        ("import", "import of that template, saved (the workspace)"),
        ("plan-same", "plan of two files, nothing changed (the text)"),
        ("plan-day", "plan of two files, a day's work (the text)"),
        (
            "plan-all",
            "plan of two files, every version gets a region (the text)",
        ),
    ] {
        // `SCALE_OPS=export-arm,import` runs only those (an import needs the export before it).
        if std::env::var("SCALE_OPS").is_ok_and(|ops| !ops.split(',').any(|o| o == op)) {
            continue;
        }
        let results = run(&args[0], op, &dir, runs);
        let size = format!("{:.1} MB", results[0].1 as f64 / 1e6);
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
