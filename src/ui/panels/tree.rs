//! The tree panel: search, "Add…" buttons and the resource rows (only visible rows are laid
//! out). It owns what is expanded, the search and the rows built for them.

use egui::{Color32, RichText, Ui};

use std::collections::HashSet;

use super::super::actions::Action;
use super::super::command::{Command, PanelCx, Permissions};
use super::super::editors::Draft;
use super::super::tree::{self, Filter, Row, RowKind, expand_key, replication_badge};
use crate::model::{AggregateState, OsType, ResourcePath, Workspace};

const ROW_HEIGHT: f32 = 22.0;

fn os_badge(os: OsType) -> (&'static str, Color32) {
    match os {
        OsType::Windows => ("WIN", Color32::from_rgb(0x3a, 0x8e, 0xe6)),
        OsType::Linux => ("LNX", Color32::from_rgb(0xe0, 0x8a, 0x2e)),
    }
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
    match state {
        AggregateState::Completed => super::super::form::COMPLETED_GREEN,
        AggregateState::InProgress => ui.visuals().warn_fg_color,
        AggregateState::Failed => ui.visuals().error_fg_color,
        AggregateState::Unknown => ui.visuals().weak_text_color(),
    }
}

fn state_glyph(state: AggregateState) -> &'static str {
    match state {
        AggregateState::Completed => "✔",
        AggregateState::InProgress => "⟳",
        AggregateState::Failed => "✖",
        AggregateState::Unknown => "○",
    }
}

/// A rename in place (F2): the row's name becomes a text field.
pub struct Rename {
    pub path: ResourcePath,
    pub text: String,
    /// Focus the field and select the name on the next frame.
    fresh: bool,
}

/// The tree panel's state.
pub struct TreePanel {
    pub expanded: HashSet<String>,
    pub search: String,
    pub rows: Vec<Row>,
    /// (generation, expanded revision, search, hidden) the rows were built for.
    built_for: Option<(u64, u64, String, bool)>,
    /// Hide the resources the acting principal cannot see (instead of marking them).
    pub hide_unseen: bool,
    expanded_revision: u64,
    scroll_to_selection: bool,
    pub focus_search: bool,
    /// The row being renamed in place, if any.
    pub renaming: Option<Rename>,
}

impl Default for TreePanel {
    fn default() -> Self {
        let mut expanded = HashSet::new();
        expanded.insert(tree::GALLERIES_HEADER.to_owned());
        expanded.insert(tree::IMAGES_HEADER.to_owned());
        Self {
            expanded,
            search: String::new(),
            rows: Vec::new(),
            built_for: None,
            hide_unseen: false,
            expanded_revision: 0,
            scroll_to_selection: false,
            focus_search: false,
            renaming: None,
        }
    }
}

impl TreePanel {
    /// Another workspace is shown: galleries expanded, and their definitions too when the
    /// workspace is small.
    pub fn reset(&mut self, ws: &Workspace) {
        self.built_for = None;
        let small = ws.version_count() <= 200;
        for g in &ws.galleries {
            self.expanded.insert(g.name.clone());
            if small {
                for d in &g.definitions {
                    self.expanded.insert(format!("{}/{}", g.name, d.name));
                }
            }
        }
        self.expanded_revision += 1;
    }

    /// Expands every gallery and definition.
    pub fn expand_all(&mut self, ws: &Workspace) {
        for g in &ws.galleries {
            self.expanded.insert(g.name.clone());
            for d in &g.definitions {
                self.expanded.insert(format!("{}/{}", g.name, d.name));
            }
        }
        self.expanded_revision += 1;
    }

    pub fn toggle(&mut self, key: String) {
        if !self.expanded.remove(&key) {
            self.expanded.insert(key);
        }
        self.expanded_revision += 1;
    }

    /// Starts renaming `path` in place, its name selected (F2).
    pub fn start_rename(&mut self, path: ResourcePath) {
        self.reveal(&path);
        self.renaming = Some(Rename {
            text: path.name().to_owned(),
            path,
            fresh: true,
        });
    }

    /// Expanded keys follow a renamed gallery or definition, so the node stays open.
    pub fn renamed(&mut self, old: &ResourcePath, new: &ResourcePath) {
        let (old, new) = (old.to_string(), new.to_string());
        let prefix = format!("{old}/");
        let moved: Vec<String> = self
            .expanded
            .iter()
            .filter(|k| **k == old || k.starts_with(&prefix))
            .cloned()
            .collect();
        for key in moved {
            self.expanded.remove(&key);
            self.expanded.insert(format!("{new}{}", &key[old.len()..]));
        }
        self.expanded_revision += 1;
    }

    /// Expands the parents of `path` and scrolls to it on the next frame.
    pub fn reveal(&mut self, path: &ResourcePath) {
        let mut parent = path.parent();
        while let Some(p) = parent {
            self.expanded.insert(p.to_string());
            parent = p.parent();
        }
        self.expanded_revision += 1;
        self.scroll_to_selection = true;
    }

    fn rebuild_rows(&mut self, cx: &PanelCx<'_>) {
        // Rows depend on replication state only through the search (e.g. "replicating").
        let generation = if self.search.trim().is_empty() {
            cx.edit_generation
        } else {
            cx.generation
        };
        let hide = self.hide_unseen && !cx.permissions.unseen.is_empty();
        let key = (
            generation,
            self.expanded_revision,
            self.search.clone(),
            hide,
        );
        if self.built_for.as_ref() != Some(&key) {
            self.rows = tree::build_rows(cx.ws, &self.expanded, &Filter::new(&self.search));
            if hide {
                self.rows = without_unseen(std::mem::take(&mut self.rows), cx);
            }
            self.built_for = Some(key);
        }
    }

    /// Draws the panel's content.
    pub fn ui(&mut self, ui: &mut Ui, cx: &PanelCx<'_>, out: &mut Vec<Command>) {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let label = ui.label("Search");
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut self.search)
                        .hint_text("name, OS, region or state")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if self.focus_search {
                response.request_focus();
                self.focus_search = false;
            }
        });
        ui.horizontal(|ui| {
            let refusal = cx.permissions.add_gallery.as_deref();
            if ui
                .add_enabled(refusal.is_none(), egui::Button::new("Add gallery…"))
                .on_hover_text("Create a gallery")
                .on_disabled_hover_text(refusal.unwrap_or_default())
                .clicked()
            {
                out.push(Command::AddChild(None));
            }
            let refusal = cx.permissions.add_image.as_deref();
            if ui
                .add_enabled(refusal.is_none(), egui::Button::new("Add managed image…"))
                .on_hover_text("Register a managed image to build versions from")
                .on_disabled_hover_text(refusal.unwrap_or_default())
                .clicked()
            {
                out.push(Command::AddChild(Some(ResourcePath::managed_image(""))));
            }
        });
        if let Some(actor) = &cx.permissions.actor
            && !cx.permissions.unseen.is_empty()
        {
            ui.checkbox(&mut self.hide_unseen, format!("Hide what {actor} cannot see"))
                .on_hover_text(
                    "Otherwise they are listed, marked \"no access\" (a resource the principal can see stays listed with its parents)",
                );
        }
        ui.separator();
        self.rebuild_rows(cx);
        self.keyboard(ui, cx, out);

        let rows = std::mem::take(&mut self.rows);
        // Finding the selected row walks the rows: done only when asked to scroll to it.
        let selected_index = if self.scroll_to_selection {
            cx.selection.and_then(|sel| {
                rows.iter()
                    .position(|r| r.path(cx.ws).as_ref() == Some(sel))
            })
        } else {
            None
        };
        let mut scroll = egui::ScrollArea::vertical().auto_shrink([false, false]);
        if self.scroll_to_selection
            && let Some(index) = selected_index
        {
            let spacing = ui.spacing().item_spacing.y;
            let y = index as f32 * (ROW_HEIGHT + spacing);
            let visible = ui.available_height();
            scroll = scroll.vertical_scroll_offset((y - visible / 2.0).max(0.0));
            self.scroll_to_selection = false;
        }
        let renaming = &mut self.renaming;
        scroll.show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
            for index in range {
                if let Some(row) = rows.get(index) {
                    row_ui(ui, cx, row, renaming, out);
                }
            }
        });
        if rows.len() <= 2 && !self.search.is_empty() {
            ui.weak("Nothing matches the search");
        }
        self.rows = rows;
    }
}

/// The rows without the resources the acting principal cannot see, keeping the parents of
/// those it can see (a Reader on one version still finds it under its gallery).
fn without_unseen(rows: Vec<Row>, cx: &PanelCx<'_>) -> Vec<Row> {
    let mut kept = Vec::with_capacity(rows.len());
    // Going backwards: the rows above a kept row with a smaller depth are its parents.
    let mut parents_below: Option<u8> = None;
    for row in rows.into_iter().rev() {
        let Some(path) = row.path(cx.ws) else {
            parents_below = None;
            kept.push(row);
            continue;
        };
        let seen = !cx.permissions.unseen.contains(&path);
        if seen || parents_below.is_some_and(|depth| row.depth < depth) {
            parents_below = Some(parents_below.map_or(row.depth, |d| d.min(row.depth)));
            kept.push(row);
        }
    }
    kept.reverse();
    kept
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

fn row_ui(
    ui: &mut Ui,
    cx: &PanelCx<'_>,
    row: &Row,
    renaming: &mut Option<Rename>,
    commands: &mut Vec<Command>,
) {
    let ws = cx.ws;
    let path = row.path(ws);
    let mut out = Vec::new();
    // The whole row's width answers a click, behind its own widgets (added later, on top).
    let row_rect = egui::Rect::from_min_size(
        ui.cursor().min,
        egui::vec2(ui.available_width(), ROW_HEIGHT),
    );
    let key = path.as_ref().map_or_else(
        || format!("header {}", u8::from(row.kind == RowKind::ImagesHeader)),
        ToString::to_string,
    );
    let background = ui.interact(
        row_rect,
        egui::Id::unique(("tree-row", key)),
        egui::Sense::click(),
    );
    ui.horizontal(|ui| {
            ui.set_height(ROW_HEIGHT);
            ui.add_space(f32::from(row.depth) * 14.0);
            let name: String = match row.kind {
                RowKind::GalleriesHeader => format!("Galleries ({})", ws.galleries.len()),
                RowKind::ImagesHeader => format!("Managed images ({})", ws.managed_images.len()),
                _ => path.as_ref().map(|p| p.name().to_owned()).unwrap_or_default(),
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
                    let response = ui.add(egui::Label::new(RichText::new(name).strong()).sense(egui::Sense::click()));
                    if response.clicked()
                        && let Some(key) = expand_key(row, ws)
                    {
                        out.push(Command::ToggleExpanded(key));
                    }
                }
                _ => {
                    let Some(path) = path else { return };
                    let selected = cx.selection == Some(&path);
                    match row.kind {
                        RowKind::Gallery { .. } => {
                            ui.label(RichText::new("GAL").small().strong().color(ui.visuals().weak_text_color()));
                        }
                        RowKind::Definition { g, d } => {
                            if let Some(def) = ws.galleries.get(g as usize).and_then(|g| g.definitions.get(d as usize)) {
                                let (text, color) = os_badge(def.os_type);
                                ui.label(RichText::new(text).small().strong().color(color));
                            }
                        }
                        RowKind::Image { i } => {
                            if let Some(image) = ws.managed_images.get(i as usize) {
                                let (text, color) = os_badge(image.os_type);
                                ui.label(RichText::new(text).small().strong().color(color));
                            }
                        }
                        _ => {}
                    }
                    if renaming.as_ref().is_some_and(|r| r.path == path) {
                        rename_ui(ui, cx, renaming, &mut out);
                        return;
                    }
                    let response = ui.selectable_label(selected, &name);
                    let reference = match row.kind {
                        RowKind::Gallery { g } => ws.galleries.get(g as usize).map(|g| g.presence),
                        RowKind::Definition { g, d } => ws
                            .galleries
                            .get(g as usize)
                            .and_then(|g| g.definitions.get(d as usize))
                            .map(|d| d.presence),
                        _ => None,
                    } == Some(crate::model::Presence::Reference);
                    if reference {
                        ui.label(RichText::new("known only by reference").small().italics().color(ui.visuals().weak_text_color()))
                            .on_hover_text("Created from a child's id by an import; import its own payload to fill in its properties");
                    }
                    if let Some(actor) = &cx.permissions.actor
                        && cx.permissions.unseen.contains(&path)
                    {
                        ui.label(RichText::new("no access").small().color(ui.visuals().warn_fg_color))
                            .on_hover_text(format!("{actor} cannot see this {}: no role on it or above it", path.kind()));
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
                                .on_hover_text("\"latest\" resolves to this version (numeric order, exclusions honoured)");
                        }
                        if version.exclude_from_latest {
                            ui.label(RichText::new("excluded").small().weak())
                                .on_hover_text("Excluded from latest");
                        }
                    }
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
                    response.context_menu(|ui| row_menu(ui, &path, permissions, &mut out));
                }
            }
        });
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

impl TreePanel {
    /// Arrow keys move and expand, Enter opens, when no text field has the keyboard.
    fn keyboard(&self, ui: &mut Ui, cx: &PanelCx<'_>, out: &mut Vec<Command>) {
        if cx.dialog_open || ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let (up, down, left, right, enter) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowLeft),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowRight),
                i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
            )
        });
        if !(up || down || left || right || enter) {
            return;
        }
        let rows = &self.rows;
        let ws = cx.ws;
        let current = cx
            .selection
            .and_then(|sel| rows.iter().position(|r| r.path(ws).as_ref() == Some(sel)));
        let step = |from: Option<usize>, forward: bool| -> Option<ResourcePath> {
            let mut index = from.map_or(if forward { 0 } else { rows.len() }, |i| {
                if forward { i + 1 } else { i }
            });
            loop {
                if forward {
                    let row = rows.get(index)?;
                    if let Some(path) = row.path(ws) {
                        return Some(path);
                    }
                    index += 1;
                } else {
                    index = index.checked_sub(1)?;
                    if let Some(path) = rows.get(index).and_then(|r| r.path(ws)) {
                        return Some(path);
                    }
                }
            }
        };
        if down && let Some(path) = step(current, true) {
            out.push(Command::Select(path, None));
        }
        if up && let Some(path) = step(current, false) {
            out.push(Command::Select(path, None));
        }
        if let Some(row) = current.and_then(|i| rows.get(i)) {
            if right
                && row.has_children
                && !row.expanded
                && let Some(key) = expand_key(row, ws)
            {
                out.push(Command::ToggleExpanded(key));
            }
            if left {
                if row.expanded {
                    if let Some(key) = expand_key(row, ws) {
                        out.push(Command::ToggleExpanded(key));
                    }
                } else if let Some(parent) = row.path(ws).and_then(|p| p.parent()) {
                    out.push(Command::Select(parent, None));
                }
            }
            if enter && let Some(path) = row.path(ws) {
                out.push(Command::Select(path, Some("name")));
            }
        }
    }
}
