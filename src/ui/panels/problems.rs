//! The problems panel: every validation problem, then every region whose replication failed,
//! each with a link that selects its resource. It owns the list of failed regions, gathered
//! again only when a region may have started or stopped failing.

use egui::{RichText, Ui};

use crate::memo::Memo;
use crate::model::{Problem, Region, RegionState, ResourcePath, Severity, Workspace};
use crate::ui::intent::Intent;
use crate::ui::view::ViewCx;
use crate::ui::widgets::form::{severity_color, severity_icon};
use crate::words::count;

/// A region whose replication failed: the version, the region and the details.
struct FailedRegion {
    path: ResourcePath,
    region: Region,
    details: String,
}

#[derive(Default)]
pub struct ProblemsPanel {
    /// The failed regions, by the (edit generation, failures count) they were gathered at:
    /// gathered again after an edit, a step that failed jobs or a replication command, not on
    /// every step of the simulation (walking every version each frame while it runs).
    failed: Memo<(u64, u64), Vec<FailedRegion>>,
}

fn failed_regions(ws: &Workspace) -> Vec<FailedRegion> {
    ws.versions()
        .flat_map(|(g, d, v)| {
            v.target_regions
                .iter()
                .filter(|t| t.status.state == RegionState::Failed)
                .map(move |t| FailedRegion {
                    path: ResourcePath::version(&g.name, &d.name, &v.name),
                    region: t.region,
                    details: t.status.details.clone(),
                })
        })
        .collect()
}

impl ProblemsPanel {
    /// Forgets the failed regions (another document).
    pub fn forget(&mut self) {
        self.failed.clear();
    }

    /// Draws the panel's content (only the visible rows are laid out).
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let key = (cx.edit_generation, cx.simulation.failures);
        let failed = self.failed.get(key, |_| failed_regions(cx.ws)).as_slice();
        let problems = cx.problems;
        let (errors, warnings) = counts(problems);
        ui.horizontal(|ui| {
            ui.strong("Problems");
            let mut summary = format!(
                "{}, {}",
                count(errors, "error", "errors"),
                count(warnings, "warning", "warnings")
            );
            if !failed.is_empty() {
                summary.push_str(&format!(
                    ", {}",
                    count(failed.len(), "failed replication", "failed replications")
                ));
            }
            ui.label(summary);
        });
        if problems.is_empty() && failed.is_empty() {
            ui.weak("No problems: the workspace follows the service's rules.");
            return;
        }
        let rows = problems.len() + failed.len();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, 20.0, rows, |ui, range| {
                for index in range {
                    let (severity, path, field, message) = match problems.get(index) {
                        Some(p) => (p.severity, &p.path, p.field, p.message.clone()),
                        None => {
                            let Some(f) = failed.get(index - problems.len()) else {
                                continue;
                            };
                            let message = format!(
                                "Replication to {} failed: {}",
                                f.region.display_name(),
                                f.details
                            );
                            (Severity::Error, &f.path, None, message)
                        }
                    };
                    if row(ui, (severity, path), &message) {
                        out.push(Intent::Select {
                            path: path.clone(),
                            focus: field,
                        });
                    }
                }
            });
    }
}

/// A row: the severity mark, the resource's path and the message, all one click target that
/// selects the resource (and the field at fault); returns whether it was clicked.
fn row(ui: &mut Ui, (severity, path): (Severity, &ResourcePath), message: &str) -> bool {
    let shown = ui.horizontal(|ui| {
        ui.label(RichText::new(severity_icon(severity)).color(severity_color(ui, severity)))
            .on_hover_text(severity.label());
        ui.label(RichText::new(path.to_string()).color(ui.visuals().hyperlink_color));
        ui.label(message);
    });
    let rect = shown.response.rect.with_max_x(ui.max_rect().right());
    let id = ui
        .scope_id()
        .with(("problem-row", path.to_string(), message));
    let response = ui
        .interact(rect, id, egui::Sense::click())
        .on_hover_cursor(egui::CursorIcon::PointingHand)
        .on_hover_text(format!("Select {path}"));
    response.widget_info(|| {
        // Its own name is the action: the path and the message are read from the labels.
        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Select {path}"))
    });
    if response.hovered() {
        ui.painter().rect_stroke(
            rect,
            2.0,
            ui.visuals().widgets.hovered.bg_stroke,
            egui::StrokeKind::Inside,
        );
    }
    response.clicked()
}

/// Errors and warnings among `problems` (the panel's header and the status bar).
pub fn counts(problems: &[Problem]) -> (usize, usize) {
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    (errors, problems.len() - errors)
}
