//! `sig-studio apply FILE`: the plan carried out in Azure. Azure is read again first (always;
//! saying so louder when Azure as last seen is over a day old); conflicts with Azure stop it
//! before anything is sent; the plan is shown again with every delete and every removed region
//! named, and carried out once confirmed. Every request goes to an apply log next to FILE; FILE
//! then records what succeeded (safe write, refused when FILE changed on disk meanwhile).
//!
//! Exit codes: 0 applied (or nothing to do, or a dry run); 1 not confirmed (answered no, or no
//! terminal to ask and no `--yes`), or refused steps were left out; 2 FILE, the arguments or
//! Azure unreadable, a step that cannot be sent, or FILE could not be written; 3 Azure changed
//! what the plan touches (conflicts: nothing sent); 4 a step failed (the run stopped); 130
//! interrupted (Ctrl+C: stopped after the steps in flight).

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::azure::{Target, client, clock, print_refresh, report};
use super::{exit, term};
use crate::azure::apply::{
    self, ApplyLimits, ApplyLog, Confirmation, Control, Ending, Outcome, StepState, watch,
};
use crate::azure::{Client, ReadOptions, Refresh};
use crate::model::{Workspace, seen};
use crate::plan::Plan;

/// Conflicts with Azure: nothing was sent.
pub const CONFLICTS: u8 = 3;
/// A step failed.
pub const STEP_FAILED: u8 = 4;
/// Interrupted (Ctrl+C), as shells report a SIGINT.
pub const INTERRUPTED: u8 = 130;

/// Azure as last seen older than this is called out before the refresh.
const STALE: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// What the command line asked.
/// The arguments of `sig-studio apply`.
#[derive(Clone, Debug, PartialEq, clap::Args)]
pub struct ApplyArgs {
    /// The workspace file: its plan from Azure as last seen to the planned state
    file: PathBuf,
    /// ARM endpoint (default: the Azure CLI's cloud; never the one the file names)
    #[arg(long, value_name = "URL")]
    arm_endpoint: Option<String>,
    /// Apply without asking (once you have reviewed the plan)
    #[arg(long)]
    yes: bool,
    /// Then follow the replication of the versions written until every region settled
    #[arg(long)]
    wait: bool,
    /// Print the requests, in order, without sending any
    #[arg(long)]
    dry_run: bool,
    /// Seconds between reads of the replication with --wait
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    poll_interval: u64,
}

/// `sig-studio apply` with its command line's arguments, planned as of today.
pub fn run_args(args: &ApplyArgs) -> u8 {
    run(&Options {
        file: &args.file,
        arm_endpoint: args.arm_endpoint.as_deref(),
        yes: args.yes,
        wait: args.wait,
        dry_run: args.dry_run,
        poll_interval: Duration::from_secs(args.poll_interval),
        today: super::today(),
    })
}

pub struct Options<'a> {
    pub file: &'a Path,
    pub arm_endpoint: Option<&'a str>,
    pub yes: bool,
    pub wait: bool,
    pub dry_run: bool,
    pub poll_interval: Duration,
    pub today: crate::model::Date,
}

fn say(text: &str) {
    println!("{}", term::esc(text));
}

fn complain(text: &str) {
    eprintln!("{}", term::esc(text));
}

/// The refresh before anything is sent: Azure read again and merged into `ws`; `Err` with the
/// exit code when it cannot be read or conflicts.
fn refresh(client: &Client, ws: &mut Workspace, file: &Path) -> Result<(), u8> {
    if let Some(at) = ws.azure.as_ref().and_then(|s| s.origin.read_at) {
        let age = client.now().duration_since(at);
        let days = age.as_hours() / 24;
        if age > STALE {
            say(&format!(
                "Azure as last seen is {} old (read {at}): reading it again before anything is sent.",
                crate::words::count(days.max(1) as usize, "day", "days")
            ));
        } else {
            say(&format!(
                "Reading Azure again before anything is sent (last read {at})."
            ));
        }
    }
    let compared = Refresh::read(client, ws, &ReadOptions::default()).map_err(|e| report(&e))?;
    let merged = compared.merge(ws, &|_| None);
    if !merged.unresolved.is_empty() {
        complain(&format!(
            "Azure changed what the plan touches since it was last seen: {}. Nothing was sent and {} is unchanged.",
            crate::words::count(merged.unresolved.len(), "conflict", "conflicts"),
            file.display()
        ));
        for conflict in &merged.unresolved {
            complain(&format!("  {}", conflict.describe()));
        }
        complain(&format!(
            "Choose for each with `sig-studio refresh {} --keep-mine PATH` or `--take-azure PATH` (or `all`), review the plan, then apply again.",
            file.display()
        ));
        return Err(CONFLICTS);
    }
    let text = print_refresh(&compared, &merged, false);
    print!("{}", term::esc_lines(&text));
    merged.apply_to(ws);
    Ok(())
}

/// Asks the user to confirm; `Err` with the exit code when not confirmed.
fn confirm(plan: &Plan, client: &Client, subscription: &str, yes: bool) -> Result<(), u8> {
    let confirmation = Confirmation::of(plan);
    for line in confirmation.lines() {
        say(&line);
    }
    if yes {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        complain(
            "sig-studio apply: not applied: standard input is not a terminal to confirm on; pass --yes once you have reviewed the plan",
        );
        return Err(exit::PROBLEMS);
    }
    print!(
        "{}",
        term::esc(&format!(
            "Apply {} to subscription {subscription} at {}? Type yes to go on: ",
            crate::words::count(
                plan.steps.iter().filter(|s| s.refused.is_none()).count(),
                "step",
                "steps"
            ),
            client.arm.base
        ))
    );
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = stdin.lock().read_line(&mut answer);
    if answer.trim().eq_ignore_ascii_case("yes") {
        Ok(())
    } else {
        say("Not applied: nothing was sent.");
        Err(exit::PROBLEMS)
    }
}

/// Sets `cancel` on the first Ctrl+C (the run stops after the steps in flight); a second one
/// quits at once.
fn on_interrupt(cancel: Arc<AtomicBool>) {
    #[cfg(unix)]
    {
        use futures_lite::StreamExt;
        let Ok(mut signals) = async_signal::Signals::new([async_signal::Signal::Int]) else {
            return;
        };
        std::thread::spawn(move || {
            while futures_lite::future::block_on(signals.next()).is_some() {
                if cancel.swap(true, Ordering::Relaxed) {
                    std::process::exit(i32::from(INTERRUPTED));
                }
                complain(
                    "Interrupted: stopping after the steps in flight (Ctrl+C again quits at once; the apply log says what was sent).",
                );
            }
        });
    }
    #[cfg(not(unix))]
    let _ = cancel;
}

/// Prints each step as it starts, finishes or fails, until `done`.
fn follow_steps(plan: &Plan, control: &Control, done: &AtomicBool) {
    let mut shown = vec![StepState::Waiting; plan.steps.len()];
    loop {
        let finished = done.load(Ordering::Relaxed);
        for (i, status) in control.board.snapshot().iter().enumerate() {
            if status.state == shown[i] || status.state == StepState::Refused {
                continue;
            }
            shown[i] = status.state;
            let what = format!(
                "{:>3}. {} {}",
                i + 1,
                plan.steps[i].action.label(),
                plan.steps[i].what()
            );
            match status.state {
                StepState::Running => say(&format!("{what}: sending")),
                StepState::Done => say(&format!("{what}: done")),
                StepState::Failed => complain(&format!("{what}: FAILED: {}", status.detail)),
                _ => {}
            }
        }
        if finished {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `sig-studio apply FILE` (see the module's documentation).
pub fn run(options: &Options<'_>) -> u8 {
    let file = options.file;
    let (mut ws, stamp) = match super::load_stamped_or_report(file) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let Some(target) = apply::Target::of(&ws) else {
        complain(&format!(
            "{}: Azure was never read for this workspace: `sig-studio refresh {} --subscription ID` (or pull it) first, so that the plan starts from what Azure holds",
            file.display(),
            file.display()
        ));
        return exit::UNREADABLE;
    };
    let client = match client(&Target {
        subscription: Some(&target.subscription),
        resource_group: target.resource_group.as_deref(),
        arm_endpoint: options.arm_endpoint,
        object_ids: false,
    }) {
        Ok(client) => client,
        Err(err) => return report(&err),
    };
    if let Err(code) = refresh(&client, &mut ws, file) {
        return code;
    }
    let plan = crate::plan::from_azure(&ws, options.today);
    print!(
        "{}",
        term::esc_lines(&crate::plan::to_text(
            &plan,
            "Azure",
            &file.display().to_string()
        ))
    );
    if plan.steps.iter().all(|s| s.refused.is_some()) {
        if !options.dry_run && super::save_output(file, &stamp, file, &ws).is_err() {
            return exit::UNREADABLE;
        }
        say("Nothing to apply.");
        return if plan.is_empty() {
            exit::OK
        } else {
            exit::PROBLEMS
        };
    }
    let before = seen::before(&ws);
    let prepared = match apply::prepare(&plan, &before, &ws, &client.arm, &target) {
        Ok(prepared) => prepared,
        Err(problems) => {
            complain("Not applied: nothing was sent, because:");
            for problem in problems {
                complain(&format!("  {problem}"));
            }
            return exit::UNREADABLE;
        }
    };
    if options.dry_run {
        say("Dry run: these requests would be sent, in this order (nothing was sent):");
        print!(
            "{}",
            term::esc_lines(&apply::dry_run(&plan, &prepared, &client.arm))
        );
        return exit::OK;
    }
    if let Err(code) = confirm(&plan, &client, &target.subscription, options.yes) {
        return code;
    }
    carry_out(options, &client, ws, &stamp, &plan, &prepared)
}

fn carry_out(
    options: &Options<'_>,
    client: &Client,
    mut ws: Workspace,
    stamp: &crate::workspace::DiskStamp,
    plan: &Plan,
    prepared: &[apply::Prepared],
) -> u8 {
    let file = options.file;
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let stem = file
        .file_stem()
        .map_or("workspace".into(), |s| s.to_string_lossy());
    let log = match ApplyLog::create(dir, &stem, clock()) {
        Ok(log) => log,
        Err(e) => {
            complain(&format!(
                "Not applied: the apply log cannot be created in {}: {e}",
                dir.display()
            ));
            return exit::UNREADABLE;
        }
    };
    say(&format!(
        "Applying; every request goes to {}",
        log.path().display()
    ));
    let control = Control::new(plan);
    on_interrupt(Arc::clone(&control.cancel));
    let done = AtomicBool::new(false);
    let outcome = std::thread::scope(|scope| {
        scope.spawn(|| follow_steps(plan, &control, &done));
        let outcome = apply::run(client, prepared, &ApplyLimits::default(), &log, &control);
        done.store(true, Ordering::Relaxed);
        outcome
    });
    let (seen, assignments) = apply::record(&ws, plan, &outcome.steps);
    ws.azure = Some(Arc::new(seen));
    ws.assignments = assignments;
    let saved = super::save_output(file, stamp, file, &ws);
    summarise(plan, &outcome, file, saved.is_ok());
    if saved.is_err() {
        return exit::UNREADABLE;
    }
    if options.wait && !control.cancelled() {
        wait_for_replication(client, plan, prepared, &outcome, &log, &control, options);
    }
    match outcome.ending {
        Ending::Failed => STEP_FAILED,
        Ending::Cancelled => INTERRUPTED,
        Ending::Completed if outcome.count(StepState::Refused) > 0 => exit::PROBLEMS,
        Ending::Completed => exit::OK,
    }
}

fn summarise(plan: &Plan, outcome: &Outcome, file: &Path, saved: bool) {
    let heading = match outcome.ending {
        Ending::Completed => "Applied",
        Ending::Failed => "Stopped at a failure",
        Ending::Cancelled => "Stopped (interrupted)",
    };
    say(&format!("{heading}: {}.", outcome.summary()));
    for (i, status) in outcome.steps.iter().enumerate() {
        if let Some(failure) = &status.failure {
            complain(&format!(
                "  step {} ({} {}) failed: {failure}",
                i + 1,
                plan.steps[i].action.label(),
                plan.steps[i].what()
            ));
        }
    }
    if outcome.count(StepState::NotStarted) > 0 {
        say("  The steps not started are still in the plan: apply again to carry them out.");
    }
    if saved {
        say(&format!(
            "{} records what was done (Azure as last seen); the apply log: {}",
            file.display(),
            outcome.log.display()
        ));
    } else {
        complain(&format!(
            "{} was not written; the apply log {} says what was done: refresh the workspace to take it in",
            file.display(),
            outcome.log.display()
        ));
    }
    if let Some(why) = &outcome.log_broken {
        complain(&format!(
            "The apply log could not be written completely: {why}"
        ));
    }
}

/// `--wait`: reads the replication of the versions written until every region settled (or
/// Ctrl+C), printing each change.
fn wait_for_replication(
    client: &Client,
    plan: &Plan,
    prepared: &[apply::Prepared],
    outcome: &Outcome,
    log: &ApplyLog,
    control: &Control,
    options: &Options<'_>,
) {
    let written = watch::written(plan, prepared, &outcome.steps);
    if written.is_empty() {
        return;
    }
    say(&format!(
        "Following the replication of {} (Ctrl+C stops following; replication goes on in Azure):",
        crate::words::count(written.len(), "version", "versions")
    ));
    let mut last: Vec<String> = Vec::new();
    loop {
        let progress = watch::read(client, &written, Some(log));
        let lines: Vec<String> = progress
            .iter()
            .map(|v| {
                let regions: Vec<String> = v
                    .regions
                    .iter()
                    .map(|r| format!("{} {} {} %", r.region, r.state.label(), r.progress))
                    .collect();
                match &v.error {
                    Some(e) => format!("  {}: cannot be read: {e}", v.path),
                    None => format!("  {}: {}", v.path, regions.join(", ")),
                }
            })
            .collect();
        for (i, line) in lines.iter().enumerate() {
            if last.get(i) != Some(line) {
                say(line);
            }
        }
        last = lines;
        if progress.iter().all(watch::VersionProgress::settled) {
            say("Replication settled.");
            return;
        }
        if control.cancelled() {
            say("Stopped following the replication; it goes on in Azure.");
            return;
        }
        std::thread::sleep(options.poll_interval);
    }
}
