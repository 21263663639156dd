//! One row of the tree: disclosure arrow, badge, name (or the rename field), marks, and the
//! context menu; the whole row's width answers a click.

use egui::{Color32, RichText, Ui};

use crate::model::{AggregateState, ResourcePath, Workspace};
use crate::ui::actions::UserAction;
use crate::ui::editors::Draft;
use crate::ui::intent::{Intent, Target};
use crate::ui::panels::tree::model::{Row, RowKind, expand_key, replication_badge};
use crate::ui::view::ViewCx;
use crate::ui::widgets::action::menu_item;

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
fn rename_ui(ui: &mut Ui, cx: &ViewCx<'_>, renaming: &mut Option<Rename>, out: &mut Vec<Intent>) {
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
            out.push(Intent::Edit {
                edit,
                select: Some(draft.path_after(&path)),
                notice: Some(format!("Renamed {} {} to {name}", path.kind(), path.name())),
            });
        }
    }
}

/// "Galleries (3)", or while searching "Galleries (1 of 3)".
fn group_name(name: &str, matched: Option<u32>, total: usize) -> String {
    match matched {
        Some(n) => format!("{name} ({n} of {total})"),
        None => format!("{name} ({total})"),
    }
}

pub(in crate::ui::panels) fn row_ui(
    ui: &mut Ui,
    cx: &ViewCx<'_>,
    row: &Row,
    renaming: &mut Option<Rename>,
    intents: &mut Vec<Intent>,
) {
    let ws = cx.ws;
    let path = row.path(ws);
    let mut out = Vec::new();
    // The row's own `Ui` spans the whole width and answers a click behind its widgets (added
    // later, on top). Its id follows the resource, not the position, so a press and its release
    // meet on the same row while the list scrolls; hashing the path allocates nothing.
    let id = match &path {
        Some(path) => egui::Id::unique(("tree-row", path)),
        None => egui::Id::unique((
            "tree-row header",
            matches!(row.kind, RowKind::ImagesHeader { .. }),
        )),
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
        out.push(Intent::select(path));
    } else if background.clicked()
        && let Some(key) = expand_key(row, ws)
    {
        out.push(Intent::ToggleExpanded(key));
    }
    intents.extend(out);
}

/// What a row shows, laid out left to right in its `Ui`.
fn row_content(
    ui: &mut Ui,
    cx: &ViewCx<'_>,
    row: &Row,
    path: Option<ResourcePath>,
    renaming: &mut Option<Rename>,
    out: &mut Vec<Intent>,
) {
    let ws = cx.ws;
    ui.set_height(ROW_HEIGHT);
    ui.set_min_width(ui.available_width());
    ui.add_space(f32::from(row.depth) * 14.0);
    let name: String = match row.kind {
        RowKind::GalleriesHeader { matched } => {
            group_name("Galleries", matched, ws.galleries.len())
        }
        RowKind::ImagesHeader { matched } => {
            group_name("Managed images", matched, ws.managed_images.len())
        }
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
            out.push(Intent::ToggleExpanded(key));
        }
    } else {
        ui.add_space(18.0);
    }
    match row.kind {
        RowKind::GalleriesHeader { .. } | RowKind::ImagesHeader { .. } => {
            let response =
                ui.add(egui::Label::new(RichText::new(name).strong()).sense(egui::Sense::click()));
            if response.clicked()
                && let Some(key) = expand_key(row, ws)
            {
                out.push(Intent::ToggleExpanded(key));
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
                out.push(Intent::select(path.clone()));
            }
            if response.double_clicked()
                && let Some(key) = expand_key(row, ws)
                && row.has_children
            {
                out.push(Intent::ToggleExpanded(key));
            }
            // The menu's actions work on this row, selected or not.
            response.context_menu(|ui| row_menu(ui, cx, &path, out));
        }
    }
}

/// The row's context menu: each action of the action table that applies to the row, on the
/// row (whatever is selected), disabled with the reason when it may not run.
fn row_menu(ui: &mut Ui, cx: &ViewCx<'_>, path: &ResourcePath, out: &mut Vec<Intent>) {
    let target = Target::Resource(path.clone());
    let container = matches!(
        path,
        ResourcePath::Gallery(_) | ResourcePath::Definition(..)
    );
    if container {
        menu_item(ui, cx, UserAction::AddChild, &target, out);
    }
    for action in [
        UserAction::Rename,
        UserAction::Duplicate,
        UserAction::PlanReplicas,
    ] {
        menu_item(ui, cx, action, &target, out);
    }
    if container {
        menu_item(ui, cx, UserAction::RetentionPolicy, &target, out);
    }
    menu_item(ui, cx, UserAction::Deploy, &target, out);
    menu_item(ui, cx, UserAction::HandOff, &target, out);
    menu_item(ui, cx, UserAction::Delete, &target, out);
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
fn marks_ui(ui: &mut Ui, cx: &ViewCx<'_>, row: &Row, path: &ResourcePath) {
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
    if let Some(actor) = cx.permissions().actor()
        && cx.acting.unseen.contains(path)
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
        if let Some(why) = version.flagged() {
            ui.label(
                RichText::new("flagged")
                    .small()
                    .color(ui.visuals().warn_fg_color),
            )
            .on_hover_text(format!("Azure flags this version: {why}"));
        }
    }
}
