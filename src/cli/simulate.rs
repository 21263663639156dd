//! `sig-studio simulate FILE`: runs the replication engine without a window and prints, per
//! version and region, the final state and the simulated duration of its job.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{exit, load_stamped_or_report, save_output};
use crate::model::{Region, RegionState, ResourcePath, Workspace};
use crate::replication::{self, Engine, format_duration};

/// Simulated seconds per engine step when the run is paced (`--speed`).
pub const STEP_SECS: f64 = 10.0;
/// `--for` and `--max-time` may not ask for more simulated time than this (`--until-settled`
/// alone has no limit).
pub const MAX_SECS: f64 = 30.0 * 86_400.0;
/// The slowest and fastest `--speed`: a step of simulated time must become a sleep the clock
/// can represent, and a pace anyone can follow.
pub const MIN_SPEED: f64 = 0.001;
pub const MAX_SPEED: f64 = 1e9;

/// Parses `--speed X`: simulated seconds per wall-clock second, between [`MIN_SPEED`] and
/// [`MAX_SPEED`].
pub fn parse_speed(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(speed) if (MIN_SPEED..=MAX_SPEED).contains(&speed) => Ok(speed),
        Ok(_) => Err(format!(
            "\"{text}\" is out of range: the speed must be between {MIN_SPEED} and {MAX_SPEED:e} simulated seconds per second"
        )),
        Err(_) => Err(format!("\"{text}\" is not a number")),
    }
}

/// Parses `--failure-rate P`: a probability between 0 and 1.
pub fn parse_failure_rate(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!("\"{text}\" is not a probability between 0 and 1")),
    }
}

/// What to simulate.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Simulated seconds to run; `None` runs until no job is queued or replicating.
    pub for_secs: Option<f64>,
    /// With `for_secs` unset: stop after this much simulated time even if jobs still run.
    pub max_secs: Option<f64>,
    /// Simulated seconds per wall-clock second; `None` runs as fast as possible.
    pub speed: Option<f64>,
    pub outages: Vec<Region>,
    pub seed: Option<u64>,
    pub failure_rate: Option<f64>,
    pub write: Option<PathBuf>,
}

/// The result of a headless run.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Simulated seconds run (until the last job settled, or the limit).
    pub secs: f64,
    /// Whether no job is left queued or replicating.
    pub settled: bool,
    pub completed: usize,
    pub failed: usize,
    pub running: usize,
    /// Regions not created because their version or region has validation errors: version
    /// path, region and the details text.
    pub not_created: Vec<(String, Region, String)>,
    /// The `--max-time` limit that stopped the run while jobs still ran.
    pub stopped_by_limit: Option<f64>,
}

impl Outcome {
    /// Exit code: 0 when every region completed, 3 when any failed, 1 when jobs still run or
    /// wait for errors to be fixed.
    pub fn exit_code(&self) -> u8 {
        if self.failed > 0 {
            exit::FAILED
        } else if self.running > 0 || !self.not_created.is_empty() {
            exit::PROBLEMS
        } else {
            exit::OK
        }
    }
}

/// Runs the engine over `ws` as the options say; prints progress lines to stderr when paced.
pub fn simulate(ws: &mut Workspace, options: &Options) -> Outcome {
    for region in &options.outages {
        replication::set_outage(ws, *region, true);
    }
    if let Some(seed) = options.seed {
        ws.simulation.seed = seed;
    }
    if let Some(rate) = options.failure_rate {
        ws.settings.time_model.failure_rate = rate;
    }
    let mut engine = Engine::new(crate::clock::today());
    // Nothing changes the workspace between steps here: no fingerprint needed.
    engine.set_detect_changes(false);
    let start = ws.simulation.clock_secs;
    let limit = options
        .for_secs
        .or(options.max_secs)
        .unwrap_or(f64::INFINITY);
    match options.speed.filter(|s| *s > 0.0) {
        None => {
            engine.step(ws, limit);
        }
        Some(speed) => {
            let mut secs = 0.0;
            let mut next_report = 600.0;
            let mut report = engine.step(ws, 0.0);
            while secs < limit && report.is_running() {
                let dt = STEP_SECS.min(limit - secs);
                report = engine.step(ws, dt);
                secs += dt;
                std::thread::sleep(Duration::from_secs_f64(dt / speed));
                if secs >= next_report {
                    next_report += 600.0;
                    eprintln!("{}: {} jobs running", format_duration(secs), report.running);
                }
            }
        }
    }
    let mut outcome = Outcome {
        secs: ws.simulation.clock_secs - start,
        settled: !engine.has_work(),
        completed: 0,
        failed: 0,
        running: 0,
        not_created: Vec::new(),
        stopped_by_limit: None,
    };
    let blocked = engine.blocked();
    for (g, d, v) in ws.versions() {
        for t in &v.target_regions {
            match t.status.state {
                RegionState::Completed => outcome.completed += 1,
                RegionState::Failed => outcome.failed += 1,
                RegionState::Unknown => {
                    let path = ResourcePath::version(&g.name, &d.name, &v.name);
                    if let Some(details) = blocked.details(&path, t.region) {
                        outcome
                            .not_created
                            .push((path.to_string(), t.region, details));
                    } else {
                        outcome.running += 1;
                    }
                }
                RegionState::Queued | RegionState::Replicating => outcome.running += 1,
            }
        }
    }
    if outcome.running > 0 && options.for_secs.is_none() {
        outcome.stopped_by_limit = options.max_secs;
    }
    outcome
}

/// Keys of the regions that have a job before a run, in document order.
pub fn jobs_before(ws: &Workspace) -> Vec<(String, Region)> {
    ws.versions()
        .flat_map(|(g, d, v)| {
            v.target_regions
                .iter()
                .filter(|t| match t.status.state {
                    RegionState::Unknown | RegionState::Queued | RegionState::Replicating => true,
                    RegionState::Completed => t.status.replicas_ready.is_some(),
                    RegionState::Failed => false,
                })
                .map(move |t| (format!("{}/{}/{}", g.name, d.name, v.name), t.region))
        })
        .collect()
}

/// The text printed for a finished run: per version and region that had a job, or is not
/// completed, its state, progress and simulated duration.
pub fn render(ws: &Workspace, ran: &[(String, Region)], outcome: &Outcome) -> String {
    use std::fmt::Write as _;
    let ran: HashSet<(&str, Region)> = ran.iter().map(|(p, r)| (p.as_str(), *r)).collect();
    let not_created: HashMap<(&str, Region), &str> = outcome
        .not_created
        .iter()
        .map(|(p, r, details)| ((p.as_str(), *r), details.as_str()))
        .collect();
    let mut out = String::new();
    for (g, d, v) in ws.versions() {
        let path = format!("{}/{}/{}", g.name, d.name, v.name);
        let rows: Vec<_> = v
            .target_regions
            .iter()
            .filter(|t| {
                t.status.state != RegionState::Completed || ran.contains(&(path.as_str(), t.region))
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{path}: {}", v.aggregate_state().label());
        for t in rows {
            let s = &t.status;
            if let Some(details) = not_created.get(&(path.as_str(), t.region)) {
                let _ = writeln!(
                    out,
                    "  {:<22} {:<11}        {details}",
                    t.region.display_name(),
                    "Not created"
                );
                continue;
            }
            let duration = match s.state {
                RegionState::Completed => format!("took {}", format_duration(s.elapsed_secs)),
                RegionState::Failed => format!("after {}", format_duration(s.elapsed_secs)),
                _ => format!("running for {}", format_duration(s.elapsed_secs)),
            };
            let _ = write!(
                out,
                "  {:<22} {:<11} {:>3} %  {duration}",
                t.region.display_name(),
                s.state.label(),
                s.progress
            );
            if !s.details.is_empty() {
                let _ = write!(out, "  {}", s.details);
            }
            out.push('\n');
        }
    }
    let _ = write!(
        out,
        "simulated {}: {} regions completed, {} failed, {} still running",
        format_duration(outcome.secs),
        outcome.completed,
        outcome.failed,
        outcome.running
    );
    if !outcome.not_created.is_empty() {
        let _ = write!(
            out,
            ", {} not created (fix the errors)",
            outcome.not_created.len()
        );
    }
    out.push('\n');
    if let Some(limit) = outcome.stopped_by_limit {
        let _ = writeln!(
            out,
            "stopped by --max-time {}: {} regions still running",
            format_duration(limit),
            outcome.running
        );
    }
    out
}

pub fn run(file: &Path, options: &Options) -> u8 {
    let (mut ws, stamp) = match load_stamped_or_report(file) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let problems = ws.settings.time_model.problems();
    if !problems.is_empty() {
        for problem in problems {
            eprintln!("{}: settings: {problem}", file.display());
        }
        return exit::UNREADABLE;
    }
    if options
        .failure_rate
        .is_some_and(|r| !(0.0..=1.0).contains(&r))
    {
        eprintln!("sig-studio: --failure-rate must be between 0 and 1");
        return exit::UNREADABLE;
    }
    let ran = jobs_before(&ws);
    let outcome = simulate(&mut ws, options);
    // Names print escaped (one line each), the keys of the jobs that ran alike.
    let shown: Vec<(String, Region)> = ran
        .iter()
        .map(|(path, region)| (super::term::esc(path).into_owned(), *region))
        .collect();
    let text = render(&super::term::sanitized(ws.clone()), &shown, &outcome);
    out!("{}", super::term::esc_lines(&text));
    if let Some(out) = &options.write {
        if let Err(code) = save_output(file, &stamp, out, &ws) {
            return code;
        }
        eprintln!("{}: written", out.display());
    }
    outcome.exit_code()
}

/// Parses `90m`, `2h`, `600s`, `30d` or `600` (seconds) into seconds.
pub fn parse_duration(text: &str) -> Result<f64, String> {
    let text = text.trim();
    let (number, factor) = if let Some(n) = text.strip_suffix('d') {
        (n, 86_400.0)
    } else if let Some(n) = text.strip_suffix('h') {
        (n, 3600.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1.0)
    } else {
        (text, 1.0)
    };
    match number.trim().parse::<f64>() {
        Ok(value) if value.is_finite() && value > 0.0 && value * factor <= MAX_SECS => {
            Ok(value * factor)
        }
        Ok(value) if value.is_finite() && value > 0.0 => Err(format!(
            "\"{text}\" is too long: the simulation runs at most 30 days (720h)"
        )),
        _ => Err(format!(
            "\"{text}\" is not a duration such as 90m, 2h, 600s or 30d"
        )),
    }
}
