//! `sig-studio cost FILE [--json] [--by region|version|definition|gallery]`: estimated monthly
//! storage and one-time transfer, in USD, with totals equal to the sum of their rows.

use std::path::Path;

use serde::Serialize;

use super::{exit, load_or_report};
use crate::cost::{
    BreakdownRow, CURRENCY, CostReport, GroupBy, Totals, format_usd, workspace_cost,
};
use crate::model::prices::DEFAULT_PRICES_NOTE;

/// `--by` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    Region,
    Version,
    Definition,
    Gallery,
}

impl From<By> for GroupBy {
    fn from(by: By) -> Self {
        match by {
            By::Region => Self::Region,
            By::Version => Self::Version,
            By::Definition => Self::Definition,
            By::Gallery => Self::Gallery,
        }
    }
}

/// The JSON of `--by`: rows and totals.
#[derive(Serialize)]
struct Rows<'a> {
    currency: &'static str,
    default_prices: bool,
    by: GroupBy,
    rows: Vec<BreakdownRow>,
    totals: Totals,
    unpriced: &'a [crate::cost::breakdown::Unpriced],
}

/// The report as a text table grouped by `by`, with totals and the price note.
pub fn to_text(report: &CostReport, by: GroupBy) -> String {
    use std::fmt::Write as _;
    let rows = report.rows(by);
    let width = rows
        .iter()
        .map(|r| r.key.chars().count())
        .chain([by.label().len(), "Total".len()])
        .max()
        .unwrap_or(5)
        // Longer keys are not padded (a format width is at most 65,535, and nobody reads a
        // table that wide).
        .min(120);
    let mut out = format!(
        "Estimated cost in {CURRENCY}\n{}\n\n",
        if report.default_prices {
            DEFAULT_PRICES_NOTE
        } else {
            "Prices from the workspace settings"
        }
    );
    let _ = writeln!(
        out,
        "{:<width$}  {:>8}  {:>12}  {:>18}  {:>10}  {:>20}",
        capitalize(by.label()),
        "Replicas",
        "Snapshot GB",
        "Storage USD/month",
        "Egress GB",
        "Egress USD one-time"
    );
    let line = |out: &mut String, key: &str, t: &Totals| {
        let _ = writeln!(
            out,
            "{key:<width$}  {:>8}  {:>12.2}  {:>18}  {:>10.2}  {:>20}",
            t.replicas,
            t.snapshot_gb,
            format_usd(t.monthly_usd),
            t.egress_gb,
            format_usd(t.egress_usd)
        );
    };
    for row in &rows {
        line(&mut out, &row.key, &row.totals);
    }
    line(&mut out, "Total", &report.totals);
    let _ = writeln!(
        out,
        "\nTotal: {}/month for storage, {} once for transfer",
        format_usd(report.totals.monthly_usd),
        format_usd(report.totals.egress_usd)
    );
    for u in &report.unpriced {
        let _ = writeln!(out, "Not priced: {}: {}", u.path, u.reason);
    }
    out
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub fn run(file: &Path, json: bool, by: Option<By>) -> u8 {
    let ws = match load_or_report(file) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    if let Err(err) = ws.settings.prices.check() {
        eprintln!("{}: {err}", file.display());
        return exit::PROBLEMS;
    }
    let ws = if json { ws } else { super::term::sanitized(ws) };
    let report = workspace_cost(&ws);
    if json {
        let text = match by {
            None => super::output::json(&report),
            Some(by) => {
                let by = GroupBy::from(by);
                super::output::json(&Rows {
                    currency: CURRENCY,
                    default_prices: report.default_prices,
                    by,
                    rows: report.rows(by),
                    totals: report.totals,
                    unpriced: &report.unpriced,
                })
            }
        };
        match text {
            Ok(text) => outln!("{text}"),
            Err(err) => {
                eprintln!("cannot write JSON: {err}");
                return exit::UNREADABLE;
            }
        }
    } else {
        let text = to_text(&report, by.map_or(GroupBy::Gallery, GroupBy::from));
        out!("{}", super::term::esc_lines(&text));
    }
    exit::OK
}
