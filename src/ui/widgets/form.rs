//! A two-column form (label, widget) where every input is labelled for screen readers, problems
//! of a field show under it, and focus can be moved to a field by name. Also the choices the
//! editors and dialogs share (OS types, storage types, …), the region combo and the colours.

use egui::{Color32, RichText, Ui};

use crate::model::{CaptureKind, Date, Problem, Region, SecurityType, Severity, StorageType};
use crate::ui::widgets::WhyDisabled;

/// Colours for severities, readable on both themes.
pub fn severity_color(ui: &Ui, severity: Severity) -> Color32 {
    match severity {
        Severity::Error => ui.visuals().error_fg_color,
        Severity::Warning => ui.visuals().warn_fg_color,
    }
}

pub fn severity_icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "⛔",
        Severity::Warning => "⚠",
    }
}

/// Gives a dialog's first field the keyboard once, when the dialog opens, so that the first
/// keystrokes land in it.
#[derive(Debug, Default)]
pub struct FirstFocus {
    given: bool,
}

impl FirstFocus {
    pub fn give(&mut self, response: &egui::Response) {
        if !self.given {
            response.request_focus();
            self.given = true;
        }
    }
}

/// A label cut to its space with "…", its full text on hover: one tooltip (egui's own tooltip
/// for elided text is turned off, or the two would stack).
pub fn cut_label(ui: &mut Ui, text: impl Into<egui::WidgetText>, full: &str) -> egui::Response {
    ui.add(
        egui::Label::new(text)
            .truncate()
            .show_tooltip_when_elided(false),
    )
    .on_hover_text(full)
}

/// The principal search of a dialog: a field labelled "Search principals" that takes the
/// keyboard when the dialog opens. Returns the lowercase text to match names against.
pub fn principal_search(
    ui: &mut Ui,
    text: &mut String,
    hint: Option<&str>,
    focus: &mut FirstFocus,
) -> String {
    let label = ui.label("Search principals");
    let mut field = egui::TextEdit::singleline(text).desired_width(360.0);
    if let Some(hint) = hint {
        field = field.hint_text(hint);
    }
    let response = ui.add(field).labelled_by(label.id);
    focus.give(&response);
    text.trim().to_lowercase()
}

/// Whether the folder of a typed path exists: the file system is asked only when the text
/// changes, never every frame.
#[derive(Default)]
pub struct FolderCheck(crate::memo::Memo<String, bool>);

impl FolderCheck {
    pub fn exists(&mut self, text: &str) -> bool {
        let text = text.trim();
        *self.0.get_by(
            |checked| checked == text,
            || text.to_owned(),
            |text| {
                std::path::Path::new(text)
                    .parent()
                    .is_some_and(|p| p.as_os_str().is_empty() || p.is_dir())
            },
        )
    }
}

/// Whether Enter in the single-line field `response` submits it: only when the form is `ready`.
/// Otherwise the field keeps the keyboard (Enter takes it away in egui), so the path the error
/// line is about can be corrected at once.
pub fn submitted(ui: &Ui, response: &egui::Response, ready: bool) -> bool {
    let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if enter && !ready {
        response.request_focus();
    }
    enter && ready
}

/// Whether Enter was pressed this frame: a dialog's default button answers it.
pub fn enter_pressed(ui: &Ui) -> bool {
    ui.input(|i| i.key_pressed(egui::Key::Enter))
}

/// Collects what happened while a form was drawn.
pub struct Form<'a> {
    /// Problems of the resource being edited.
    pub problems: &'a [Problem],
    /// A field to move the keyboard focus to (from the problems panel or F2).
    pub focus: &'a mut Option<&'static str>,
    /// Whether any value changed this frame.
    pub changed: bool,
    /// Whether a text field has the keyboard (its changes are committed when it loses focus).
    pub typing: bool,
    /// Whether a text field lost focus this frame (commit point).
    pub committed: bool,
}

impl<'a> Form<'a> {
    pub fn new(problems: &'a [Problem], focus: &'a mut Option<&'static str>) -> Self {
        Self {
            problems,
            focus,
            changed: false,
            typing: false,
            committed: false,
        }
    }

    /// Draws a labelled row; `add` draws the widget, labelled by the row's label.
    pub fn row(
        &mut self,
        ui: &mut Ui,
        label: &str,
        field: Option<&'static str>,
        add: impl FnOnce(&mut Ui, egui::Id) -> egui::Response,
    ) -> egui::Response {
        let label_response = ui.label(label);
        let response = ui
            .vertical(|ui| {
                let response = add(ui, label_response.id);
                if let Some(field) = field {
                    for problem in self
                        .problems
                        .iter()
                        .filter(|p| p.field == Some(field) && p.region.is_none())
                    {
                        ui.label(
                            RichText::new(format!(
                                "{} {}",
                                severity_icon(problem.severity),
                                problem.message
                            ))
                            // Normal size: the message names what to fix.
                            .color(severity_color(ui, problem.severity)),
                        );
                    }
                }
                response
            })
            .inner;
        ui.end_row();
        if field.is_some() && *self.focus == field {
            response.request_focus();
            response.scroll_to_me(Some(egui::Align::Center));
            *self.focus = None;
        }
        self.changed |= response.changed();
        response
    }

    pub fn text(
        &mut self,
        ui: &mut Ui,
        label: &str,
        field: &'static str,
        value: &mut String,
        hint: &str,
    ) {
        let response = self.row(ui, label, Some(field), |ui, id| {
            ui.add(
                egui::TextEdit::singleline(value)
                    .hint_text(hint)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(id)
        });
        self.typing |= response.has_focus();
        self.committed |= response.lost_focus();
    }

    pub fn multiline(
        &mut self,
        ui: &mut Ui,
        label: &str,
        field: &'static str,
        value: &mut String,
        hint: &str,
    ) {
        let response = self.row(ui, label, Some(field), |ui, id| {
            ui.add(
                egui::TextEdit::multiline(value)
                    .hint_text(hint)
                    .desired_rows(4)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(id)
        });
        self.typing |= response.has_focus();
        self.committed |= response.lost_focus();
    }

    /// A value fixed at creation: shown, not editable, with the reason on hover.
    pub fn fixed(
        &mut self,
        ui: &mut Ui,
        label: &str,
        field: &'static str,
        value: &str,
        what: &str,
    ) {
        self.row(ui, label, Some(field), |ui, id| {
            let mut text = value.to_owned();
            ui.add_enabled(false, egui::TextEdit::singleline(&mut text).desired_width(f32::INFINITY))
                .labelled_by(id)
                .why_disabled(format!(
                    "Fixed when the {what} was created: the service refuses to change it. Create a new {what} to use another value."
                ))
        });
    }

    pub fn checkbox(
        &mut self,
        ui: &mut Ui,
        label: &str,
        field: &'static str,
        value: &mut bool,
        text: &str,
    ) {
        self.row(ui, label, Some(field), |ui, id| {
            ui.checkbox(value, text).labelled_by(id)
        });
    }

    pub fn number(
        &mut self,
        ui: &mut Ui,
        label: &str,
        field: &'static str,
        value: &mut u32,
        range: std::ops::RangeInclusive<u32>,
        unit: &str,
    ) {
        self.row(ui, label, Some(field), |ui, id| {
            changed_when_committed(ui.add(number_field(value).range(range).suffix(unit)))
                .labelled_by(id)
        });
    }

    pub fn float(
        &mut self,
        ui: &mut Ui,
        label: &str,
        field: &'static str,
        value: &mut f64,
        unit: &str,
    ) {
        self.row(ui, label, Some(field), |ui, id| {
            changed_when_committed(
                ui.add(
                    number_field(value)
                        .range(0.0..=65536.0)
                        .speed(0.25)
                        .suffix(unit),
                ),
            )
            .labelled_by(id)
        });
    }

    /// An optional number: a checkbox turns it on, then a drag value edits it.
    pub fn optional_number(
        &mut self,
        ui: &mut Ui,
        label: &str,
        field: &'static str,
        value: &mut Option<u32>,
        default: u32,
        unit: &str,
    ) {
        self.row(ui, label, Some(field), |ui, id| {
            ui.horizontal(|ui| {
                let mut set = value.is_some();
                let mut response = ui.checkbox(&mut set, "").labelled_by(id);
                if set != value.is_some() {
                    *value = set.then_some(value.unwrap_or(default));
                    response.mark_changed();
                }
                if let Some(number) = value {
                    let r = ui
                        .add(number_field(number).range(0..=4096).suffix(unit))
                        .labelled_by(id);
                    if number_committed(&r) {
                        response.mark_changed();
                    }
                } else {
                    ui.weak("not set");
                }
                response
            })
            .inner
        });
    }

    /// An optional date with a calendar picker.
    pub fn optional_date(
        &mut self,
        ui: &mut Ui,
        label: &str,
        field: &'static str,
        value: &mut Option<Date>,
        default: Date,
    ) {
        self.row(ui, label, Some(field), |ui, id| {
            ui.horizontal(|ui| {
                let mut set = value.is_some();
                let mut response = ui.checkbox(&mut set, "").labelled_by(id);
                if set != value.is_some() {
                    *value = set.then_some(value.unwrap_or(default));
                    response.mark_changed();
                }
                if let Some(date) = value {
                    let before = *date;
                    ui.add(
                        egui_extras::DatePickerButton::new(date)
                            .id_salt(field)
                            .calendar_week(false),
                    );
                    if *date != before {
                        response.mark_changed();
                    }
                } else {
                    ui.weak("not set");
                }
                response
            })
            .inner
        });
    }

    /// A choice among a few values.
    pub fn choice<T: PartialEq + Copy>(
        &mut self,
        ui: &mut Ui,
        label: &str,
        field: &'static str,
        value: &mut T,
        options: &[(T, &str)],
    ) {
        self.row(ui, label, Some(field), |ui, id| {
            let current = options
                .iter()
                .find(|(v, _)| v == value)
                .map_or("", |(_, l)| *l);
            let mut changed = false;
            let mut response = egui::ComboBox::from_id_salt(field)
                .selected_text(current)
                .show_ui(ui, |ui| {
                    for (option, text) in options {
                        if ui.selectable_label(*value == *option, *text).clicked()
                            && *value != *option
                        {
                            *value = *option;
                            changed = true;
                        }
                    }
                })
                .response
                .labelled_by(id);
            if changed {
                response.mark_changed();
            }
            response
        });
    }
}

/// The choices the editors and dialogs offer, labelled as Azure spells them: the tables the
/// model's enums declare, which the export and the import read too.
pub use crate::export::names::{
    ARCHITECTURES, GENERATIONS, OS_STATES, OS_TYPES, REPLICATION_MODES as MODES,
};

pub const STORAGE_TYPES: [(StorageType, &str); StorageType::ALL.len()] = StorageType::NAMES;
pub const SECURITY_TYPES: [(SecurityType, &str); SecurityType::ALL.len()] = SecurityType::NAMES;
pub const CAPTURES: [(CaptureKind, &str); 2] = [
    (CaptureKind::WholeVm, "Whole VM (OS and data disks)"),
    (CaptureKind::OsDiskOnly, "OS disk only"),
];

pub fn label_of<T: PartialEq>(options: &[(T, &'static str)], value: &T) -> &'static str {
    options
        .iter()
        .find(|(v, _)| v == value)
        .map_or("", |(_, l)| l)
}

/// A combo box of every catalog region, grouped by continent.
pub fn region_combo(ui: &mut Ui, id: &str, region: &mut Region) -> egui::Response {
    let mut changed = false;
    let mut response = egui::ComboBox::from_id_salt(id)
        .selected_text(region.display_name())
        .height(400.0)
        .show_ui(ui, |ui| {
            for continent in crate::model::region::Continent::ALL {
                ui.label(RichText::new(continent.label()).strong());
                for r in Region::all().filter(|r| r.continent() == continent) {
                    let mark = if r.on_request() { ON_REQUEST } else { "" };
                    if ui
                        .selectable_label(
                            *region == r,
                            format!("{} ({}){mark}", r.display_name(), r.name()),
                        )
                        .clicked()
                        && *region != r
                    {
                        *region = r;
                        changed = true;
                    }
                }
            }
        })
        .response;
    if changed {
        response.mark_changed();
    }
    response
}

/// The mark after a region open only on request, in pickers.
pub const ON_REQUEST: &str = " · on request";
/// Why, on hover.
pub const ON_REQUEST_HINT: &str = "Access to this region is restricted: Microsoft opens it to a subscription only after an access request (Azure region access request process)";

/// A number field of an editor or the settings: typed digits apply on Enter or when the field
/// is left, like a text field's, never per keystroke (replacing 2 with 15 must not pass through
/// 1: two undo steps and a replication job for a count nobody chose). A drag changes the value
/// as it goes; [`number_committed`] says when to store it.
pub fn number_field<Num: egui::emath::Numeric>(value: &mut Num) -> egui::DragValue<'_> {
    egui::DragValue::new(value).update_while_editing(false)
}

/// A number field's response, marked changed only when its edit ended ([`number_committed`]):
/// a form stores it then, once, and not at every step of a drag.
pub fn changed_when_committed(mut response: egui::Response) -> egui::Response {
    let committed = number_committed(&response);
    response
        .flags
        .set(egui::response::Flags::CHANGED, committed);
    response
}

/// Whether a number field's change should be stored now: a drag ended, the text field lost
/// focus, or it changed by other means (keyboard arrows, a screen reader).
pub fn number_committed(response: &egui::Response) -> bool {
    response.drag_stopped()
        || response.lost_focus()
        || (response.changed() && !response.dragged() && !response.has_focus())
}
