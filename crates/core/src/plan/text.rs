//! The plan for people: one line per step in the order it runs, what an update changes, the
//! cost and replication time, and why a refused step is refused.

use std::fmt::Write;

use super::{Cost, Plan, Step};
use crate::cost::{format_usd, format_usd_change};
use crate::replication::format_duration;

/// The cost and time of a step in words: "+$1.20/month, $0.60 transfer once, replication ≈ 25 min".
pub fn figures(step: &Step) -> String {
    let mut parts = Vec::new();
    match &step.cost {
        Cost::Free => {}
        Cost::Priced {
            monthly_usd,
            egress_usd,
        } => {
            parts.push(format!("{}/month", format_usd_change(*monthly_usd)));
            if *egress_usd > 0.0 {
                parts.push(format!("{} transfer once", format_usd(*egress_usd)));
            }
        }
        Cost::Unknown { reason } => parts.push(format!("cost unknown: {reason}")),
    }
    if let Some(secs) = step.replication_secs {
        parts.push(format!("replication ≈ {}", format_duration(secs)));
    } else if let Some(why) = &step.replication_unknown {
        parts.push(why.clone());
    }
    parts.join(", ")
}

/// The plan's totals in words.
pub fn totals(plan: &Plan) -> String {
    let mut text = format!("Monthly cost {}", format_usd_change(plan.monthly_usd));
    if plan.egress_usd > 0.0 {
        let _ = write!(text, ", {} transfer once", format_usd(plan.egress_usd));
    }
    if plan.unpriced > 0 {
        let _ = write!(
            text,
            " ({} not priced: size unknown)",
            crate::words::count(plan.unpriced, "version", "versions")
        );
    }
    if let Some(secs) = plan.replication_secs {
        let _ = write!(text, "; replication ≈ {} in all", format_duration(secs));
    }
    text
}

/// One change of an update in words: `description: "a" → "b"`.
pub fn change_line(change: &super::Change) -> String {
    let show = |v: &Option<String>| {
        v.as_deref()
            .map_or("(none)".to_owned(), |s| format!("{s:?}"))
    };
    format!(
        "{}: {} → {}",
        change.property,
        show(&change.before),
        show(&change.after)
    )
}

/// The whole plan as text, with a heading naming what it compares.
pub fn to_text(plan: &Plan, before: &str, after: &str) -> String {
    head(plan, before, after) + &steps(plan)
}

/// The heading naming what the plan compares, and its totals when it has steps.
pub(super) fn head(plan: &Plan, before: &str, after: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Plan from {before} to {after}: {}", plan.summary());
    if !plan.is_empty() {
        let _ = writeln!(out, "{}", totals(plan));
    }
    out
}

/// The steps, in order, each with what it changes.
pub(super) fn steps(plan: &Plan) -> String {
    let mut out = String::new();
    for (i, step) in plan.steps.iter().enumerate() {
        let _ = writeln!(out);
        let action = if step.refused.is_some() {
            format!("REFUSED {}", step.action.label())
        } else {
            step.action.label().to_owned()
        };
        let _ = write!(out, "{:>3}. {action} {}", i + 1, step.what());
        let figures = figures(step);
        if !figures.is_empty() {
            let _ = write!(out, "  ({figures})");
        }
        let _ = writeln!(out);
        if let Some(reason) = &step.refused {
            let _ = writeln!(out, "     refused: {reason}");
        }
        if let Some(note) = &step.note {
            let _ = writeln!(out, "     note: {note}");
        }
        for change in &step.changes {
            let _ = writeln!(out, "     {}", change_line(change));
        }
    }
    out
}
