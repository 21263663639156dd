//! What every editor shares: the small layout helpers. Editors read the one
//! [`ViewCx`] and answer with [`Intent`]s, as every view does.

use egui::{RichText, Ui};

use crate::access::Operation;
use crate::model::edit::rename_refusal;
use crate::model::{Date, Presence, Problem, Resource, ResourcePath};
use crate::ui::actions::UserAction;
use crate::ui::intent::{DialogRequest, Intent, Target};
use crate::ui::view::ViewCx;
use crate::ui::widgets::WhyDisabled;
use crate::ui::widgets::action::action_button;
use crate::ui::widgets::form::{Form, severity_color, severity_icon};

/// Why the fields of the resource at `path` are read only (`None`: they may be edited).
pub fn read_only<'a>(cx: &'a ViewCx<'_>, path: &ResourcePath) -> Option<std::borrow::Cow<'a, str>> {
    cx.refusal_at(Operation::Edit, Some(path))
}

/// Draws the resource's editable part: disabled, with the reason on hover, when the acting
/// principal may not edit it (the buttons beside it keep their own rule).
pub fn editable(ui: &mut Ui, read_only: Option<&str>, add: impl FnOnce(&mut Ui)) {
    match read_only {
        None => add(ui),
        Some(reason) => {
            ui.add_enabled_ui(false, add).response.why_disabled(reason);
        }
    }
}

/// The resource's name and kind, and its path; beside the path, why the editor is read only
/// (in the row the path already takes: acting as someone else moves no field down).
pub fn heading(ui: &mut Ui, cx: &ViewCx<'_>, kind: &str, path: &ResourcePath) {
    ui.horizontal(|ui| {
        ui.heading(path.name());
        ui.weak(kind);
    });
    ui.horizontal(|ui| {
        ui.weak(path.to_string());
        if let Some(reason) = read_only(cx, path) {
            let text = format!("Read only: {reason}");
            let rich = RichText::new(&text).color(ui.visuals().warn_fg_color);
            crate::ui::widgets::form::cut_label(ui, rich, &text);
        }
    });
    ui.add_space(6.0);
}

/// Problems of the resource that no field shows (e.g. quota, grants).
pub fn other_problems(ui: &mut Ui, problems: &[Problem], shown: &[&str]) {
    for problem in problems
        .iter()
        .filter(|p| p.field.is_none_or(|f| !shown.contains(&f)))
    {
        ui.label(
            RichText::new(format!(
                "{} {}",
                severity_icon(problem.severity),
                problem.message
            ))
            .color(severity_color(ui, problem.severity)),
        );
    }
}

pub fn grid(ui: &mut Ui, id: &str, add: impl FnOnce(&mut Ui)) {
    egui::Grid::new(id)
        .num_columns(2)
        .spacing([16.0, 8.0])
        .min_col_width(150.0)
        .striped(false)
        .show(ui, add);
}

/// The policy in force and a button opening the retention dialog (definitions and galleries).
pub fn retention_button_ui(
    ui: &mut Ui,
    cx: &ViewCx<'_>,
    path: &ResourcePath,
    out: &mut Vec<Intent>,
) {
    let ws = cx.ws;
    let text = match ws.resolve(path) {
        Some(Resource::Definition(g, d)) => {
            crate::model::retention::effective(g, d).map(|(policy, source)| match source {
                crate::model::retention::PolicySource::Definition => {
                    format!("Retention: {}", policy.describe())
                }
                crate::model::retention::PolicySource::GalleryDefault => {
                    format!("Retention: {} (gallery default)", policy.describe())
                }
            })
        }
        Some(Resource::Gallery(g)) => g
            .default_retention
            .as_ref()
            .map(|policy| format!("Default retention: {}", policy.describe())),
        _ => None,
    };
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let none = match path {
            ResourcePath::Gallery(_) => "No default retention policy",
            _ => "No retention policy",
        };
        ui.label(text.unwrap_or_else(|| none.to_owned()));
        let target = Target::Resource(path.clone());
        action_button(ui, cx, UserAction::RetentionPolicy, &target, out);
    });
}

/// The end-of-life date a ticked box starts from: a year ahead, since the service refuses a
/// date that is not in the future.
pub fn end_of_life_default(today: Date) -> Date {
    today
        .checked_add(jiff::Span::new().years(1))
        .unwrap_or(today)
}

/// The name row: editable for what exists only in the workspace; for a resource that exists in
/// Azure, read-only with the reason (ARM cannot rename it) and *Duplicate with a new name…*.
#[allow(clippy::too_many_arguments)] // One row: each argument is a part of it.
pub fn name_row(
    form: &mut Form<'_>,
    ui: &mut Ui,
    label: &str,
    name: &mut String,
    hint: &str,
    presence: Presence,
    path: &ResourcePath,
    out: &mut Vec<Intent>,
) {
    if presence.is_planned() {
        form.text(ui, label, "name", name, hint);
        return;
    }
    let why = rename_refusal(path);
    form.row(ui, label, Some("name"), |ui, id| {
        ui.horizontal(|ui| {
            let response = ui.label(name.as_str()).labelled_by(id).on_hover_text(&why);
            if ui
                .button("Duplicate with a new name…")
                .on_hover_text(&why)
                .clicked()
            {
                out.push(Intent::Open(DialogRequest::Duplicate(path.clone())));
            }
            response
        })
        .inner
    });
}
