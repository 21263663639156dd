//! One row of the tree: disclosure arrow, badge, name (or the rename field), marks, and the
//! context menu; the whole row's width answers a click.

use egui::{Color32, RichText, Ui};

use crate::model::{AggregateState, ResourcePath, Workspace};
use crate::ui::actions::Action;
use crate::ui::command::{Command, PanelCx, Permissions};
use crate::ui::editors::Draft;
use crate::ui::panels::tree::model::{Row, RowKind, expand_key, replication_badge};

pub(in crate::ui::panels) const ROW_HEIGHT: f32 = 22.0;

/// A rename in place (F2): the row's name becomes a text field.
pub struct Rename {
    pub path: ResourcePath,
    pub text: String,
    /// Focus the field and select the name on the next frame.
    pub fresh: bool,
}

/// A disclosure triangle, pointing right (collapsed) or down (expanded).
fn paint_arrow(ui: &Ui, rect: egui::Rect, expanded: bool, hovered: bool) {
    let color = if hovered {
        ui.visuals().strong_text_color()
    } else {
        ui.visuals().text_color()
    };
    let c = rect.center();
    let r = 4.0;
    let points = if expanded {
        vec![
            c + egui::vec2(-r, -r * 0.6),
            c + egui::vec2(r, -r * 0.6),
            c + egui::vec2(0.0, r * 0.7),
        ]
    } else {
        vec![
            c + egui::vec2(-r * 0.6, -r),
            c + egui::vec2(-r * 0.6, r),
            c + egui::vec2(r * 0.7, 0.0),
        ]
    };
    ui.painter().add(egui::Shape::convex_polygon(
        points,
        color,
        egui::Stroke::NONE,
    ));
}

fn state_color(ui: &Ui, state: AggregateState) -> Color32 {
    crate::ui::theme::replication_state(ui.visuals(), state)
}

fn state_glyph(state: AggregateState) -> &'static str {
    match state {
        AggregateState::Completed => "✔",
        AggregateState::InProgress => "⟳",
        AggregateState::Failed => "✖",
        AggregateState::Unknown => "○",
    }
}

/// The name field of a rename in place: Enter (or leaving it) renames, Escape cancels.
fn rename_ui(ui: &mut Ui, cx: &PanelCx<'_>, renaming: &mut Option<Rename>, out: &mut Vec<Command>) {
    let Some(rename) = renaming.as_mut() else {
        return;
    };
    let label = ui.label("New name");
    let mut output = egui::TextEdit::singleline(&mut rename.text)
        .desired_width(ui.available_width().min(240.0))
        .show(ui);
    let response = egui::Response::clone(&output.response).labelled_by(label.id);
    if std::mem::take(&mut rename.fresh) {
        response.request_focus();
        let all = egui::text::CCursorRange::select_all_str(&rename.text);
        output.state.cursor.set_char_range(Some(all));
        output.state.store(ui.ctx(), response.id);
    }
    if !response.lost_focus() {
        return;
    }
    let cancelled = ui.input(|i| i.key_pressed(egui::Key::Escape));
    let name = rename.text.trim().to_owned();
    let path = rename.path.clone();
    *renaming = None;
    if cancelled || name.is_empty() || name == path.name() {
        return;
    }
    if let Some(mut draft) = Draft::load(cx.ws, &path) {
        draft.set_name(name.clone());
        if let Some(edit) = draft.to_edit(&path) {
            out.push(Command::Apply {
                edit,
                select: Some(draft.path_after(&path)),
                notice: Some(format!("Renamed {} {} to {name}", path.kind(), path.name())),
            });
        }
    }
}

pub(in crate::ui::panels) fn row_ui(
    ui: &mut Ui,
    cx: &PanelCx<'_>,
    row: &Row,
    renaming: &mut Option<Rename>,
    commands: &mut Vec<Command>,
) {
    let ws = cx.ws;
    let path = row.path(ws);
    let mut out = Vec::new();
    // The row's own `Ui` spans the whole width and answers a click behind its widgets (added
    // later, on top). Its id follows the resource, not the position, so a press and its release
    // meet on the same row while the list scrolls; hashing the path allocates nothing.
    let id = match &path {
        Some(path) => egui::Id::unique(("tree-row", path)),
        None => egui::Id::unique(("tree-row header", row.kind == RowKind::ImagesHeader)),
    };
    // Where `ui.horizontal` would put the row, and the same layout.
    let max_rect = egui::Rect::from_min_size(
        ui.cursor().min,
        egui::vec2(
            ui.available_size_before_wrap().x,
            ui.spacing().interact_size.y,
        ),
    );
    let row_ui = egui::UiBuilder::new()
        .scope_id(id)
        .max_rect(max_rect)
        .layout(egui::Layout::left_to_right(egui::Align::Center))
        .sense(egui::Sense::click());
    let background = ui
        .scope_builder(row_ui, |ui| {
            row_content(ui, cx, row, path, renaming, &mut out)
        })
        .response;
    if background.clicked()
        && let Some(path) = row.path(ws)
    {
        out.push(Command::Select(path, None));
    } else if background.clicked()
        && let Some(key) = expand_key(row, ws)
    {
        out.push(Command::ToggleExpanded(key));
    }
    commands.extend(out);
}

/// What a row shows, laid out left to right in its `Ui`.
fn row_content(
    ui: &mut Ui,
    cx: &PanelCx<'_>,
    row: &Row,
    path: Option<ResourcePath>,
    renaming: &mut Option<Rename>,
    out: &mut Vec<Command>,
) {
    let ws = cx.ws;
    ui.set_height(ROW_HEIGHT);
    ui.set_min_width(ui.available_width());
    ui.add_space(f32::from(row.depth) * 14.0);
    let name: String = match row.kind {
        RowKind::GalleriesHeader => format!("Galleries ({})", ws.galleries.len()),
        RowKind::ImagesHeader => format!("Managed images ({})", ws.managed_images.len()),
        _ => path
            .as_ref()
            .map(|p| p.name().to_owned())
            .unwrap_or_default(),
    };
    if row.has_children {
        let verb = if row.expanded { "Collapse" } else { "Expand" };
        let label = format!("{verb} {name}");
        let (rect, button) = ui.allocate_exact_size(egui::vec2(16.0, 16.0), egui::Sense::click());
        button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        paint_arrow(ui, rect, row.expanded, button.hovered());
        if button.clicked()
            && let Some(key) = expand_key(row, ws)
        {
            out.push(Command::ToggleExpanded(key));
        }
    } else {
        ui.add_space(18.0);
    }
    match row.kind {
        RowKind::GalleriesHeader | RowKind::ImagesHeader => {
            let response =
                ui.add(egui::Label::new(RichText::new(name).strong()).sense(egui::Sense::click()));
            if response.clicked()
                && let Some(key) = expand_key(row, ws)
            {
                out.push(Command::ToggleExpanded(key));
            }
        }
        _ => {
            let Some(path) = path else { return };
            let selected = cx.selection == Some(&path);
            kind_badge(ui, ws, row);
            if renaming.as_ref().is_some_and(|r| r.path == path) {
                rename_ui(ui, cx, renaming, out);
                return;
            }
            let response = ui.selectable_label(selected, &name);
            marks_ui(ui, cx, row, &path);
            if response.clicked() {
                out.push(Command::Select(path.clone(), None));
            }
            if response.double_clicked()
                && let Some(key) = expand_key(row, ws)
                && row.has_children
            {
                out.push(Command::ToggleExpanded(key));
            }
            if response.secondary_clicked() && !selected {
                // The menu then asks what the acting principal may do with this row.
                out.push(Command::Select(path.clone(), None));
            }
            let permissions = selected.then_some(cx.permissions);
            response.context_menu(|ui| row_menu(ui, &path, permissions, out));
        }
    }
}

/// A menu entry, disabled with the reason when the acting principal may not use it.
fn menu_button(ui: &mut Ui, label: &str, refusal: Option<&String>) -> bool {
    ui.add_enabled(refusal.is_none(), egui::Button::new(label))
        .on_disabled_hover_text(refusal.map_or("", String::as_str))
        .clicked()
}

fn row_menu(
    ui: &mut Ui,
    path: &ResourcePath,
    permissions: Option<&Permissions>,
    out: &mut Vec<Command>,
) {
    let refusal = |f: fn(&Permissions) -> &Option<String>| permissions.and_then(|p| f(p).as_ref());
    let add = match path {
        ResourcePath::Gallery(_) => Some("Add image definition…"),
        ResourcePath::Definition(..) => Some("Add version…"),
        _ => None,
    };
    if let Some(label) = add
        && menu_button(ui, label, refusal(|p| &p.add_child))
    {
        out.push(Command::Select(path.clone(), None));
        out.push(Command::Run(Action::AddChild));
        ui.close();
    }
    if menu_button(ui, "Rename", refusal(|p| &p.edit)) {
        out.push(Command::Select(path.clone(), None));
        out.push(Command::Run(Action::Rename));
        ui.close();
    }
    if matches!(path, ResourcePath::Version(..))
        && menu_button(ui, "Duplicate", refusal(|p| &p.add_child))
    {
        out.push(Command::Select(path.clone(), None));
        out.push(Command::Run(Action::Duplicate));
        ui.close();
    }
    let cost_action = match path {
        ResourcePath::Version(..) => Some(Action::PlanReplicas),
        ResourcePath::Definition(..) | ResourcePath::Gallery(_) => Some(Action::RetentionPolicy),
        _ => None,
    };
    if let Some(action) = cost_action
        && ui.button(action.label()).clicked()
    {
        out.push(Command::Select(path.clone(), None));
        out.push(Command::Run(action));
        ui.close();
    }
    if matches!(
        path,
        ResourcePath::Version(..) | ResourcePath::Definition(..)
    ) && ui.button(Action::Deploy.label()).clicked()
    {
        out.push(Command::Select(path.clone(), None));
        out.push(Command::Run(Action::Deploy));
        ui.close();
    }
    if menu_button(ui, "Delete…", refusal(|p| &p.delete)) {
        out.push(Command::Select(path.clone(), None));
        out.push(Command::Run(Action::Delete));
        ui.close();
    }
}

/// The badge before a name: GAL for galleries, the OS for definitions and managed images.
fn kind_badge(ui: &mut Ui, ws: &Workspace, row: &Row) {
    match row.kind {
        RowKind::Gallery { .. } => {
            ui.label(
                RichText::new("GAL")
                    .small()
                    .strong()
                    .color(ui.visuals().weak_text_color()),
            );
        }
        RowKind::Definition { g, d } => {
            if let Some(def) = ws
                .galleries
                .get(g as usize)
                .and_then(|g| g.definitions.get(d as usize))
            {
                let (text, color) = crate::ui::theme::os_badge(ui.visuals(), def.os_type);
                ui.label(RichText::new(text).small().strong().color(color));
            }
        }
        RowKind::Image { i } => {
            if let Some(image) = ws.managed_images.get(i as usize) {
                let (text, color) = crate::ui::theme::os_badge(ui.visuals(), image.os_type);
                ui.label(RichText::new(text).small().strong().color(color));
            }
        }
        _ => {}
    }
}

/// The marks after a name: known only by reference, no access for the acting principal, and a
/// version's replication state, "latest" and "excluded".
fn marks_ui(ui: &mut Ui, cx: &PanelCx<'_>, row: &Row, path: &ResourcePath) {
    let ws = cx.ws;
    let reference = match row.kind {
        RowKind::Gallery { g } => ws
            .galleries
            .get(g as usize)
            .map(|g| ws.presence_of(&g.name, None, None)),
        RowKind::Definition { g, d } => ws.galleries.get(g as usize).and_then(|g| {
            g.definitions
                .get(d as usize)
                .map(|d| ws.presence_of(&g.name, Some(&d.name), None))
        }),
        _ => None,
    } == Some(crate::model::Presence::Reference);
    if reference {
        ui.label(RichText::new("known only by reference").small().italics().color(ui.visuals().weak_text_color()))
            .on_hover_text("Created from a child's id by an import; import its own payload to fill in its properties");
    }
    if let Some(actor) = &cx.permissions.actor
        && cx.permissions.unseen.contains(path)
    {
        ui.label(
            RichText::new("no access")
                .small()
                .color(ui.visuals().warn_fg_color),
        )
        .on_hover_text(format!(
            "{actor} cannot see this {}: no role on it or above it",
            path.kind()
        ));
    }
    if let RowKind::Version { g, d, v, latest } = row.kind
        && let Some(version) = ws
            .galleries
            .get(g as usize)
            .and_then(|g| g.definitions.get(d as usize))
            .and_then(|d| d.versions.get(v as usize))
    {
        let (state, text) = replication_badge(version);
        ui.label(
            RichText::new(format!("{} {text}", state_glyph(state)))
                .small()
                .color(state_color(ui, state)),
        )
        .on_hover_text(format!("Replication: {}", state.label()));
        if latest {
            ui.label(RichText::new("latest").small().strong())
                .on_hover_text(
                    "\"latest\" resolves to this version (numeric order, exclusions honoured)",
                );
        }
        if version.exclude_from_latest {
            ui.label(RichText::new("excluded").small().weak())
                .on_hover_text("Excluded from latest");
        }
    }
}
