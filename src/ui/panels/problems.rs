//! The problems panel: every validation problem, with a link that selects its resource.

use egui::{RichText, Ui};

use super::super::app::counts;
use super::super::command::{Command, PanelCx};
use super::super::form::{severity_color, severity_icon};

/// Draws the panel's content (only the visible rows are laid out).
pub fn problems_ui(ui: &mut Ui, cx: &PanelCx<'_>, out: &mut Vec<Command>) {
    let problems = cx.problems;
    let (errors, warnings) = counts(problems);
    ui.horizontal(|ui| {
        ui.strong("Problems");
        ui.label(format!(
            "{}, {}",
            crate::words::count(errors, "error", "errors"),
            crate::words::count(warnings, "warning", "warnings")
        ));
    });
    if problems.is_empty() {
        ui.weak("No problems: the workspace follows the service's rules.");
        return;
    }
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, 20.0, problems.len(), |ui, range| {
            for problem in &problems[range] {
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(severity_icon(problem.severity))
                            .color(severity_color(ui, problem.severity)),
                    )
                    .on_hover_text(problem.severity.label());
                    let link = ui
                        .link(problem.path.to_string())
                        .on_hover_text("Select this resource");
                    if link.clicked() {
                        out.push(Command::Select(problem.path.clone(), problem.field));
                    }
                    ui.label(&problem.message);
                });
            }
        });
}
