//! The tree, problems and status panels of the main window.

use egui::{Color32, RichText, Ui};

use super::actions::Action;
use super::app::{Command, SigStudioApp, counts};
use super::form::{severity_color, severity_icon};
use super::tree::{self, Filter, RowKind, expand_key, replication_badge};
use crate::model::{AggregateState, OsType, ResourcePath};

const ROW_HEIGHT: f32 = 22.0;

/// Colour of completed replication, readable on both themes.
pub const COMPLETED_GREEN: Color32 = Color32::from_rgb(0x3c, 0xb3, 0x71);

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
        AggregateState::Completed => COMPLETED_GREEN,
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

impl SigStudioApp {
    fn rebuild_rows(&mut self) {
        // Rows depend on replication state only through the search (e.g. "replicating").
        let generation = if self.tree.search.trim().is_empty() {
            self.doc.edit_generation()
        } else {
            self.doc.generation()
        };
        let key = (
            generation,
            self.tree.expanded_revision,
            self.tree.search.clone(),
        );
        if self.tree.built_for.as_ref() != Some(&key) {
            self.tree.rows = tree::build_rows(
                &self.doc.ws,
                &self.tree.expanded,
                &Filter::new(&self.tree.search),
            );
            self.tree.built_for = Some(key);
        }
    }

    pub(super) fn tree_panel(&mut self, ui: &mut Ui) {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let label = ui.label("Search");
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut self.tree.search)
                        .hint_text("name, OS, region or state")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if self.tree.focus_search {
                response.request_focus();
                self.tree.focus_search = false;
            }
        });
        ui.horizontal(|ui| {
            if ui
                .button("Add gallery…")
                .on_hover_text("Create a gallery")
                .clicked()
            {
                self.add_child_of(None);
            }
            if ui
                .button("Add managed image…")
                .on_hover_text("Register a managed image to build versions from")
                .clicked()
            {
                self.add_child_of(Some(ResourcePath::managed_image("")));
            }
        });
        ui.separator();
        self.rebuild_rows();
        self.tree_keyboard(ui);

        let rows = std::mem::take(&mut self.tree.rows);
        // Finding the selected row walks the rows: done only when asked to scroll to it.
        let selected_index = if self.tree.scroll_to_selection {
            self.selection.as_ref().and_then(|sel| {
                rows.iter()
                    .position(|r| r.path(&self.doc.ws).as_ref() == Some(sel))
            })
        } else {
            None
        };
        let mut scroll = egui::ScrollArea::vertical().auto_shrink([false, false]);
        if self.tree.scroll_to_selection
            && let Some(index) = selected_index
        {
            let spacing = ui.spacing().item_spacing.y;
            let y = index as f32 * (ROW_HEIGHT + spacing);
            let visible = ui.available_height();
            scroll = scroll.vertical_scroll_offset((y - visible / 2.0).max(0.0));
            self.tree.scroll_to_selection = false;
        }
        scroll.show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
            for index in range {
                if let Some(row) = rows.get(index) {
                    self.tree_row_ui(ui, row);
                }
            }
        });
        if rows.len() <= 2 && !self.tree.search.is_empty() {
            ui.weak("Nothing matches the search");
        }
        self.tree.rows = rows;
    }

    /// Opens the "Add…" dialog for a child of `parent` (`None`: a gallery).
    pub(super) fn add_child_of(&mut self, parent: Option<ResourcePath>) {
        self.selection_for_add = Some(parent);
        self.commands.push(Command::Run(Action::AddChild));
    }

    fn tree_row_ui(&mut self, ui: &mut Ui, row: &tree::Row) {
        let ws = &self.doc.ws;
        let path = row.path(ws);
        let mut out = Vec::new();
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
                    let selected = self.selection.as_ref() == Some(&path);
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
                    response.context_menu(|ui| row_menu(ui, &path, &mut out));
                }
            }
        });
        self.commands.extend(out);
    }
}

fn row_menu(ui: &mut Ui, path: &ResourcePath, out: &mut Vec<Command>) {
    let add = match path {
        ResourcePath::Gallery(_) => Some("Add image definition…"),
        ResourcePath::Definition(..) => Some("Add version…"),
        _ => None,
    };
    if let Some(label) = add
        && ui.button(label).clicked()
    {
        out.push(Command::Select(path.clone(), None));
        out.push(Command::Run(Action::AddChild));
        ui.close();
    }
    if ui.button("Rename").clicked() {
        out.push(Command::Select(path.clone(), Some("name")));
        ui.close();
    }
    if matches!(path, ResourcePath::Version(..)) && ui.button("Duplicate").clicked() {
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
    if ui.button("Delete…").clicked() {
        out.push(Command::Select(path.clone(), None));
        out.push(Command::Run(Action::Delete));
        ui.close();
    }
}

impl SigStudioApp {
    /// Arrow keys move and expand, Enter opens, when no text field has the keyboard.
    fn tree_keyboard(&mut self, ui: &mut Ui) {
        if self.modal.is_some() || ui.ctx().egui_wants_keyboard_input() {
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
        let rows = &self.tree.rows;
        let ws = &self.doc.ws;
        let current = self
            .selection
            .as_ref()
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
            self.commands.push(Command::Select(path, None));
        }
        if up && let Some(path) = step(current, false) {
            self.commands.push(Command::Select(path, None));
        }
        if let Some(row) = current.and_then(|i| rows.get(i)) {
            if right
                && row.has_children
                && !row.expanded
                && let Some(key) = expand_key(row, ws)
            {
                self.commands.push(Command::ToggleExpanded(key));
            }
            if left {
                if row.expanded {
                    if let Some(key) = expand_key(row, ws) {
                        self.commands.push(Command::ToggleExpanded(key));
                    }
                } else if let Some(parent) = row.path(ws).and_then(|p| p.parent()) {
                    self.commands.push(Command::Select(parent, None));
                }
            }
            if enter && let Some(path) = row.path(ws) {
                self.commands.push(Command::Select(path, Some("name")));
            }
        }
    }

    pub(super) fn problems_panel(&mut self, ui: &mut Ui) {
        // Borrow the cached list for the frame instead of copying it.
        self.problems();
        let problems = std::mem::take(&mut self.problems);
        let (errors, warnings) = counts(&problems);
        egui::Panel::bottom("problems")
            .resizable(true)
            .default_size(150.0)
            .min_size(60.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.strong("Problems");
                    ui.label(format!("{errors} errors, {warnings} warnings"));
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
                                    self.commands
                                        .push(Command::Select(problem.path.clone(), problem.field));
                                }
                                ui.label(super::access_tab::reason_text(&problem.message));
                            });
                        }
                    });
            });
        self.problems = problems;
    }

    pub(super) fn status_bar(&mut self, ui: &mut Ui) {
        let (errors, warnings) = counts(self.problems());
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some(notice) = &self.notice {
                    ui.label(&notice.text);
                    if notice.undo && ui.button("Undo").clicked() {
                        self.commands.push(Command::Undo);
                        self.notice = None;
                    }
                    ui.separator();
                }
                if self.save.is_some() {
                    ui.spinner();
                    ui.label("Saving…");
                    ui.separator();
                }
                self.simulation_status_ui(ui);
                ui.separator();
                if self.doc.has_user_changes() {
                    ui.label("Unsaved changes");
                } else if self.doc.is_dirty() {
                    ui.label("Replication progress not saved").on_hover_text(
                        "Nothing was edited since the last save; the simulated replication moved on. Save to keep its progress in the file.",
                    );
                } else {
                    ui.label("Saved");
                }
                ui.separator();
                ui.label(format!(
                    "{} galleries · {} versions · {errors} errors · {warnings} warnings",
                    self.doc.ws.galleries.len(),
                    self.doc.ws.version_count()
                ));
                if let Some(path) = &self.doc.path {
                    ui.separator();
                    ui.weak(path.display().to_string());
                }
                ui.separator();
                super::access_tab::acting_as_ui(ui, &self.doc.ws, &mut self.commands);
            });
        });
    }
}
