//! `sig-studio plan BEFORE AFTER [--json | --format az] [--out FILE]`, `sig-studio plan FILE`
//! (from Azure as last seen in FILE to its planned state) and `sig-studio diff A B` (also git's
//! external diff driver, which passes seven arguments).

use std::path::{Path, PathBuf};

use super::{exit, load_or_report, print_json, term};
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

fn load_pair(before: &Path, after: &Path) -> Result<(Workspace, Workspace), u8> {
    let a = load_or_report(before)?;
    let b = load_or_report(after)?;
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
/// not describe the same subscription, or the output cannot be written (nothing written).
/// Without `after`, `before` is one workspace planned from its Azure as last seen.
pub fn run(
    before: &Path,
    after: Option<&Path>,
    json: bool,
    format: Format,
    out: Option<&Path>,
    today: Date,
) -> u8 {
    let loaded = match after {
        Some(after) => load_pair(before, after).map(|pair| {
            let names = (before.display().to_string(), after.display().to_string());
            (pair, names)
        }),
        None => load_or_report(before).map(|ws| {
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
        (term::sanitized(a), term::sanitized(b))
    } else {
        (a, b)
    };
    let plan = plan::plan(&a, &b, today);
    let text = if json {
        match serde_json::to_string_pretty(&plan) {
            Ok(text) => text + "\n",
            Err(err) => {
                eprintln!("cannot write JSON: {err}");
                return exit::UNREADABLE;
            }
        }
    } else {
        match format {
            Format::Text => plan::to_text(&plan, &left, &right),
            Format::Az => plan::to_script(&plan, &a, &b),
        }
    };
    match out {
        Some(out) => {
            let written = if format == Format::Az && !json {
                workspace::write_script(out, &text)
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
            let _ = print_json(&plan);
        }
        // The script is plain text by construction (hidden characters are `$'\xNN'` escapes,
        // comments are cleaned): printed as it is, it is the same script `--out` writes.
        None if format == Format::Az => print!("{text}"),
        None => print!("{}", term::esc_lines(&text)),
    }
    code(&plan)
}

/// A side of a diff: `/dev/null` (a file added or deleted, as git passes it) is an empty
/// workspace.
fn load_side(path: &Path) -> Result<Workspace, u8> {
    if path == Path::new("/dev/null") {
        return Ok(Workspace::default());
    }
    load_or_report(path)
}

/// `diff A B`, or git's `diff PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE`: the
/// plan for people. Exit 0 when it was printed (git stops at a driver that fails), 2 when a
/// side cannot be read.
pub fn diff(files: &[PathBuf], today: Date) -> u8 {
    let (name, a, b) = match files {
        [a, b] => (None, a, b),
        [path, a, _, _, b, _, _] => (Some(path), a, b),
        _ => {
            eprintln!(
                "diff takes two workspace files, or the seven arguments git passes to an external diff driver"
            );
            return exit::UNREADABLE;
        }
    };
    let (before, after) = match (load_side(a), load_side(b)) {
        (Ok(x), Ok(y)) => (term::sanitized(x), term::sanitized(y)),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let plan = plan::plan(&before, &after, today);
    let (left, right) = match name {
        Some(path) => (
            format!("a/{}", path.display()),
            format!("b/{}", path.display()),
        ),
        None => (a.display().to_string(), b.display().to_string()),
    };
    if name.is_some() {
        println!("sig-studio diff {left} {right}");
    }
    print!("{}", term::esc_lines(&plan::to_text(&plan, &left, &right)));
    exit::OK
}
