//! `sig-studio plan BEFORE AFTER [--json | --format az] [--out FILE]`, `sig-studio plan FILE`
//! (from Azure as last seen in FILE to its planned state) and `sig-studio diff A B` (also git's
//! external diff driver, which passes seven arguments).

use std::path::{Path, PathBuf};

use super::{exit, load_or_report, print_json, refuse_overwriting_inputs, term};
use crate::model::{Date, Workspace};
use crate::plan::{self, Plan};
use crate::workspace;

/// How the plan is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Steps for people
    #[default]
    Text,
    /// A bash script of az CLI calls, like the export's
    Az,
}

/// Why two workspaces cannot be compared: they describe different subscriptions.
pub fn mismatch(before: &Workspace, after: &Workspace) -> Option<String> {
    let subscriptions = |ws: &Workspace| -> Vec<String> {
        let mut subs: Vec<String> = ws
            .galleries
            .iter()
            .filter(|g| !g.subscription.is_empty())
            .map(|g| g.subscription.to_ascii_lowercase())
            .collect();
        subs.sort();
        subs.dedup();
        subs
    };
    let (a, b) = (subscriptions(before), subscriptions(after));
    (!a.is_empty() && !b.is_empty() && !a.iter().any(|s| b.contains(s))).then(|| {
        format!(
            "BEFORE's galleries are in subscription {} and AFTER's in {}: the two workspaces describe different subscriptions, so a plan between them would delete one and create the other",
            a.join(", "),
            b.join(", ")
        )
    })
}

/// Refuses a workspace holding two resources Azure takes for one (names differing only in
/// case): a plan would take one and drop the other.
fn refuse_clash(file: &Path, ws: &Workspace) -> Result<(), u8> {
    refuse(file, plan::name_clash(ws))
}

/// Says why a file cannot be planned, if it cannot.
fn refuse(file: &Path, clash: Option<String>) -> Result<(), u8> {
    match clash {
        Some(why) => {
            eprintln!("{}", term::esc(&format!("{}: {why}", file.display())));
            Err(exit::UNREADABLE)
        }
        None => Ok(()),
    }
}

/// Runs `first` here and `second` on another thread, at once.
fn both<A, B: Send>(first: impl FnOnce() -> A, second: impl FnOnce() -> B + Send) -> (A, B) {
    std::thread::scope(|scope| {
        let second = scope.spawn(second);
        let first = first();
        match second.join() {
            Ok(second) => (first, second),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Loads and checks both files at once (on two cores, two 100,000-version files take the time
/// of one); reports the first that cannot be read, as loading one after the other would.
fn load_pair(before: &Path, after: &Path) -> Result<(Workspace, Workspace), u8> {
    let checked = |path| workspace::load(path).map(|ws| (plan::name_clash(&ws), ws));
    let (a, b) = both(|| checked(before), || checked(after));
    let report = |err: workspace::LoadError| {
        eprintln!("{}", term::esc(&err.to_string()));
        exit::UNREADABLE
    };
    let (a_clash, a) = a.map_err(report)?;
    let (b_clash, b) = b.map_err(report)?;
    refuse(before, a_clash)?;
    refuse(after, b_clash)?;
    if let Some(why) = mismatch(&a, &b) {
        eprintln!(
            "{}",
            term::esc(&format!(
                "{} and {}: {why}",
                before.display(),
                after.display()
            ))
        );
        return Err(exit::UNREADABLE);
    }
    Ok((a, b))
}

/// The exit code of a plan: 0 nothing to do, 1 steps, 3 some refused.
pub fn code(plan: &Plan) -> u8 {
    if plan.refused() > 0 {
        exit::FAILED
    } else if plan.is_empty() {
        exit::OK
    } else {
        exit::PROBLEMS
    }
}

/// Exit 0 nothing to do, 1 steps, 3 some steps refused, 2 a file cannot be read, the two do
/// not describe the same subscription, the output is one of them, or the output cannot be
/// written (nothing written). Without `after`, `before` is one workspace planned from its Azure
/// as last seen.
pub fn run(
    before: &Path,
    after: Option<&Path>,
    json: bool,
    format: Format,
    out: Option<&Path>,
    today: Date,
) -> u8 {
    if let Some(out) = out
        && let Err(code) = refuse_overwriting_inputs(out, std::iter::once(before).chain(after))
    {
        return code;
    }
    let loaded = match after {
        Some(after) => load_pair(before, after).map(|pair| {
            let names = (before.display().to_string(), after.display().to_string());
            (pair, names)
        }),
        None => load_or_report(before)
            .and_then(|ws| refuse_clash(before, &ws).map(|()| ws))
            .map(|ws| {
                let seen = match &ws.azure {
                    Some(seen) => format!("Azure as last seen ({})", seen.origin.describe()),
                    None => "Azure (never seen: everything planned is a create)".to_owned(),
                };
                let pair = (crate::model::seen::before(&ws), ws);
                (pair, (seen, before.display().to_string()))
            }),
    };
    let ((a, b), (left, right)) = match loaded {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let for_people = !json && format == Format::Text;
    let (a, b) = if for_people {
        // Names print as one line each, whatever they hold.
        both(|| term::sanitized(a), || term::sanitized(b))
    } else {
        (a, b)
    };
    let (plan, text) = if for_people {
        let names = (term::esc(&left), term::esc(&right));
        plan::plan_with_text(&a, &b, today, (&names.0, &names.1))
    } else {
        let plan = plan::plan(&a, &b, today);
        let text = if json {
            match super::output::json(&plan) {
                Ok(text) => text + "\n",
                Err(err) => {
                    eprintln!("cannot write JSON: {err}");
                    return exit::UNREADABLE;
                }
            }
        } else {
            plan::to_script(&plan, &a, &b)
        };
        (plan, text)
    };
    // Freeing two 100,000-version workspaces takes a tenth of a second: done beside the output.
    let (code, ()) = both(
        || emit(&plan, &text, out, json, format),
        move || drop((a, b)),
    );
    code
}

/// Writes the plan (`text`, its JSON or its script) to `out` or stdout; the exit code.
fn emit(plan: &Plan, text: &str, out: Option<&Path>, json: bool, format: Format) -> u8 {
    match out {
        Some(out) => {
            let written = if format == Format::Az && !json {
                workspace::write_script(out, text)
            } else {
                workspace::write_atomically(out, text.as_bytes(), false)
            };
            if let Err(err) = written {
                eprintln!("{}", term::esc(&err.to_string()));
                return exit::UNREADABLE;
            }
            eprintln!("{}: written to {}", plan.summary(), out.display());
        }
        None if json => {
            let _ = print_json(plan);
        }
        // The script is plain text by construction (hidden characters are `$'\xNN'` escapes,
        // comments are cleaned): printed as it is, it is the same script `--out` writes.
        None if format == Format::Az => out!("{text}"),
        None => out!("{}", term::esc_lines(text)),
    }
    code(plan)
}

/// A side of a diff: `/dev/null` (a file added or deleted, as git passes it) is an empty
/// workspace.
fn load_side(path: &Path) -> Result<Workspace, u8> {
    if path == Path::new("/dev/null") {
        return Ok(Workspace::default());
    }
    load_or_report(path)
}

/// `diff A B`, or what git passes to an external diff driver: `PATH OLD-FILE OLD-HEX OLD-MODE
/// NEW-FILE NEW-HEX NEW-MODE`, followed for a renamed or copied file by `NEW-PATH` and the
/// lines git prints about it (`similarity index 90%`, `rename from …`), or `PATH` alone for an
/// unmerged file. The plan for people. Exit 0 when it was printed (git stops at a driver that
/// fails), 2 when a side cannot be read.
pub fn diff(files: &[PathBuf], today: Date) -> u8 {
    let (names, a, b, about) = match files {
        [a, b] => (None, a, b, None),
        [path, a, _, _, b, _, _] => (Some((path, path)), a, b, None),
        [path, a, _, _, b, _, _, new_path] => (Some((path, new_path)), a, b, None),
        [path, a, _, _, b, _, _, new_path, about] => (Some((path, new_path)), a, b, Some(about)),
        [path] => {
            outln!("* Unmerged path {}", term::esc(&path.display().to_string()));
            return exit::OK;
        }
        _ => {
            eprintln!(
                "diff takes two workspace files, or the 7 or 9 arguments git passes to an external diff driver"
            );
            return exit::UNREADABLE;
        }
    };
    let (before, after) = match both(|| load_side(a), || load_side(b)) {
        (Ok(x), Ok(y)) => both(|| term::sanitized(x), || term::sanitized(y)),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    // File names are escaped like everything else: one line each.
    let (left, right) = match names {
        Some((old, new)) => (
            term::esc(&format!("a/{}", old.display())).into_owned(),
            term::esc(&format!("b/{}", new.display())).into_owned(),
        ),
        None => (
            term::esc(&a.display().to_string()).into_owned(),
            term::esc(&b.display().to_string()).into_owned(),
        ),
    };
    if names.is_some() {
        outln!("sig-studio diff {left} {right}");
    }
    // A workspace Azure would read differently is said as the diff (git stops at a driver
    // that fails), never planned by picking one of two resources.
    for (side, ws) in [(&left, &before), (&right, &after)] {
        if let Some(why) = plan::name_clash(ws) {
            outln!(
                "Cannot plan from {left} to {right}: {side}: {}",
                term::esc(&why)
            );
            return exit::OK;
        }
    }
    let plan = plan::plan(&before, &after, today);
    if let Some(about) = about {
        let about = about.to_string_lossy();
        outln!("{}", term::esc_lines(about.trim_end_matches('\n')));
    }
    out!("{}", term::esc_lines(&plan::to_text(&plan, &left, &right)));
    exit::OK
}
