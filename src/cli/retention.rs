//! `sig-studio retention FILE --definition PATH --keep-latest N [--delete-beyond M]
//! [--delete-published-before DATE] [--json] [--apply --write OUT]`: previews a retention
//! policy; with `--apply` writes the result to OUT. Without `--apply` nothing changes.
//!
//! Exit codes: 0 done; 1 a bad argument, or versions are blocked (then nothing is written);
//! 2 the file cannot be read or OUT cannot be written.

use std::path::PathBuf;

use super::{exit, load_stamped_or_report, save_output};
use crate::cost::retention::{preview_retention, preview_stored_policy};
use crate::model::{Date, ResourcePath, RetentionPolicy};

/// The arguments of `sig-studio retention`.
#[derive(Clone, Debug, Default, PartialEq, clap::Args)]
pub struct RetentionArgs {
    pub file: PathBuf,
    /// The image definition, as GALLERY/DEFINITION
    #[arg(long)]
    pub definition: String,
    /// Keep the newest N versions in all their regions (default: the stored policy)
    #[arg(long, value_name = "N")]
    pub keep_latest: Option<u32>,
    /// Delete versions ranked after the newest M
    #[arg(long, value_name = "M")]
    pub delete_beyond: Option<u32>,
    /// Delete versions published before this date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub delete_published_before: Option<Date>,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
    /// Apply the changes and write the result to --write OUT
    #[arg(long)]
    pub apply: bool,
    /// Where --apply writes the changed workspace (may be FILE itself; a .bak is kept)
    #[arg(long, value_name = "OUT")]
    pub write: Option<PathBuf>,
}

pub fn run(args: &RetentionArgs) -> u8 {
    let (mut ws, stamp) = match load_stamped_or_report(&args.file) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let (gallery, definition) = match ResourcePath::parse(&args.definition) {
        Some(ResourcePath::Definition(g, d)) => (g, d),
        _ => {
            eprintln!(
                "--definition {}: expected an image definition path GALLERY/DEFINITION",
                args.definition
            );
            return exit::PROBLEMS;
        }
    };
    if args.apply && args.write.is_none() {
        eprintln!("--apply needs --write OUT");
        return exit::PROBLEMS;
    }
    if args.write.is_some() && !args.apply {
        eprintln!("--write needs --apply (without --apply nothing is changed or written)");
        return exit::PROBLEMS;
    }
    if args.keep_latest.is_none()
        && (args.delete_beyond.is_some() || args.delete_published_before.is_some())
    {
        eprintln!("--delete-beyond and --delete-published-before need --keep-latest");
        return exit::PROBLEMS;
    }
    let policy = args.keep_latest.map(|keep_latest| RetentionPolicy {
        keep_latest,
        delete_beyond: args.delete_beyond,
        delete_published_before: args.delete_published_before,
    });
    let make_preview = |ws: &crate::model::Workspace, gallery: &str, definition: &str| match &policy
    {
        Some(policy) => preview_retention(ws, gallery, definition, policy),
        None => preview_stored_policy(ws, gallery, definition),
    };
    let preview = make_preview(&ws, &gallery, &definition);
    let preview = match preview {
        Ok(preview) => preview,
        Err(err) => {
            eprintln!("{}", super::term::esc(&err.to_string()));
            return exit::PROBLEMS;
        }
    };
    if args.json {
        match super::output::json(&preview) {
            Ok(text) => outln!("{text}"),
            Err(err) => {
                eprintln!("cannot write JSON: {err}");
                return exit::UNREADABLE;
            }
        }
    } else {
        // The text comes from the same preview of the workspace with its names escaped (one
        // line each); the arguments are escaped alike to match.
        let shown = super::term::sanitized(ws.clone());
        let text = make_preview(
            &shown,
            &super::term::esc(&gallery),
            &super::term::esc(&definition),
        )
        .map_or_else(|_| preview.to_text(), |p| p.to_text());
        out!("{}", super::term::esc_lines(&text));
    }
    let blocked = preview.blocked().count();
    if blocked > 0 {
        eprintln!(
            "{blocked} version{} blocked{}; mark {} retention-exempt or allow deletion of replicated regions first",
            if blocked == 1 { " is" } else { "s are" },
            if args.apply {
                ", nothing was written"
            } else {
                ""
            },
            if blocked == 1 { "it" } else { "them" },
        );
        return exit::PROBLEMS;
    }
    if !args.apply {
        return exit::OK;
    }
    let Some(out) = args.write.as_deref() else {
        eprintln!("--apply needs --write OUT");
        return exit::PROBLEMS;
    };
    let changes = preview.changes().count();
    if let Some(edit) = preview.edit()
        && let Err(err) = edit.apply_at(&mut ws, super::today())
    {
        eprintln!("{err}");
        return exit::PROBLEMS;
    }
    match save_output(&args.file, &stamp, out, &ws) {
        Ok(()) => {
            outln!(
                "Applied {changes} change{}; written to {}",
                if changes == 1 { "" } else { "s" },
                out.display()
            );
            exit::OK
        }
        Err(code) => code,
    }
}
