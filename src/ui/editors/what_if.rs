//! The what-if of the version editor: the cost of the draft and the change an edit makes,
//! measured from the version as it was when its editor opened. Owned by the editor panel and
//! recomputed only when the draft or the workspace changed, not every frame.

use egui::{RichText, Ui};

use crate::cost::{CostChange, format_usd, format_usd_change, what_if};
use crate::memo::Memo;
use crate::model::{ImageVersion, Resource, ResourcePath, Workspace};
use crate::ui::widgets::form::cut_label;

/// What the version editor shows above the target regions: the version's cost and, when it
/// differs from the version as it was when the editor opened, the change the edit makes.
pub fn what_if_lines(change: &CostChange, edited: bool) -> Vec<String> {
    let after = &change.after.totals;
    let mut lines = vec![format!(
        "Monthly cost {}/month, transfer {} once (estimate)",
        format_usd(after.monthly_usd),
        format_usd(after.egress_usd)
    )];
    if !edited {
        return lines;
    }
    let before = change.before.as_ref().map_or(0.0, |b| b.totals.monthly_usd);
    lines.push(format!(
        "Monthly change {}/month (from {} to {})",
        format_usd_change(change.monthly_change_usd),
        format_usd(before),
        format_usd(after.monthly_usd)
    ));
    if !change.added_regions.is_empty() {
        lines.push(format!(
            "One-time transfer {} for {}",
            format_usd_change(change.added_egress_usd),
            crate::words::count(change.added_regions.len(), "added region", "added regions")
        ));
    }
    if !change.removed_regions.is_empty() {
        lines.push(format!(
            "{} removed: {} no longer billed",
            crate::words::count(change.removed_regions.len(), "region", "regions"),
            if change.removed_regions.len() == 1 {
                "its replicas are"
            } else {
                "their replicas are"
            }
        ));
    }
    lines
}

/// The what-if lines and what they say about the draft.
struct Computed {
    lines: Result<Vec<String>, String>,
    stored_is_draft: bool,
}

/// The what-if's baseline and its last result.
#[derive(Default)]
pub struct WhatIf {
    /// The version the baseline belongs to.
    path: Option<ResourcePath>,
    /// The version as it was when its editor opened (`None`: not stored yet).
    baseline: Option<ImageVersion>,
    /// The lines, by the (edit generation, draft) they were computed for.
    computed: Memo<(u64, ImageVersion), Computed>,
}

impl WhatIf {
    /// Draws the cost of `draft`, the version at `path` (only the selected version is priced).
    /// The change shows while a replica count is dragged (the draft follows the drag) and
    /// until another resource is selected.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        ws: &Workspace,
        edit_generation: u64,
        path: &ResourcePath,
        draft: &ImageVersion,
    ) {
        let stored = ws.resolve(path).and_then(Resource::version);
        if self.path.as_ref() != Some(path) {
            self.path = Some(path.clone());
            self.baseline = stored.cloned();
            self.computed.clear();
        }
        let baseline = &self.baseline;
        let computed = self.computed.get_by(
            |(g, d)| *g == edit_generation && d == draft,
            || (edit_generation, draft.clone()),
            |_| {
                let reference = stored.and(baseline.as_ref());
                let edited = reference != Some(draft);
                Computed {
                    lines: what_if(ws, reference, draft)
                        .map(|change| what_if_lines(&change, edited))
                        .map_err(|err| err.to_string()),
                    stored_is_draft: stored == Some(draft),
                }
            },
        );
        // Always two rows, each one line: the table below never moves when an edit adds a
        // change to show (the next click would land on another row).
        match &computed.lines {
            Ok(lines) => {
                let (first, changes) = lines
                    .split_first()
                    .map_or(("", &[][..]), |(f, r)| (f.as_str(), r));
                cut_label(ui, first, first);
                if changes.is_empty() {
                    ui.weak(UNCHANGED);
                } else {
                    let note = if computed.stored_is_draft {
                        "since this version was opened (Edit, Undo reverts it)"
                    } else {
                        "not stored yet"
                    };
                    let text = format!("{} · {note}", changes.join(" · "));
                    cut_label(ui, RichText::new(&text).strong(), &text);
                }
            }
            Err(err) => {
                let text = format!("Cost not estimated: {err}");
                cut_label(ui, RichText::new(&text).weak(), &text);
                ui.weak(UNCHANGED);
            }
        }
    }
}

/// The what-if's second row while the version is as it was when its editor opened.
const UNCHANGED: &str = "No change since this version was opened";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::what_if;
    use crate::sample::sample;

    #[test]
    fn what_if_names_the_change_and_the_added_transfer() {
        let ws = sample();
        let (_, _, stored) = ws
            .versions()
            .find(|(_, _, v)| v.name == "2026.9.0")
            .unwrap();
        let mut edited = stored.clone();
        edited.target_regions[1].replicas =
            Some(edited.replica_count(&edited.target_regions[1]) + 1);
        let change = what_if(&ws, Some(stored), &edited).unwrap();
        let lines = what_if_lines(&change, true);
        assert_eq!(
            lines[0],
            "Monthly cost 68.59 USD/month, transfer 16.82 USD once (estimate)"
        );
        assert_eq!(
            lines[1],
            "Monthly change +2.21 USD/month (from 66.38 USD to 68.59 USD)"
        );
        assert_eq!(lines.len(), 2, "no region added: {lines:?}");
        assert_eq!(what_if_lines(&change, false).len(), 1);
    }
}
