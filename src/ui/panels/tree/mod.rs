//! The tree panel: search, "Add…" buttons and the resource rows (only visible rows are laid
//! out). It owns what is expanded, the search and the rows built for them.

pub mod model;
mod row;

use egui::Ui;

use std::collections::HashSet;

use crate::memo::Memo;
use crate::model::{ResourcePath, Workspace};
use crate::ui::actions::UserAction;
use crate::ui::intent::{Intent, Target};
use crate::ui::panels::tree::row::{ROW_HEIGHT, Rename, row_ui};
use crate::ui::view::ViewCx;
use crate::ui::widgets::action::action_button;
use model::{Filter, Row, expand_key};

/// The tree panel's state.
pub struct TreePanel {
    pub expanded: HashSet<String>,
    pub search: String,
    /// The rows, by the (generation, expanded revision, search, hidden) they were built for.
    rows: Memo<(u64, u64, String, bool), Vec<Row>>,
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
        expanded.insert(model::GALLERIES_HEADER.to_owned());
        expanded.insert(model::IMAGES_HEADER.to_owned());
        Self {
            expanded,
            search: String::new(),
            rows: Memo::default(),
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
        self.rows.clear();
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

    /// Builds the rows again when the workspace, what is expanded, the search or the hiding
    /// changed.
    fn rebuild_rows(&mut self, cx: &ViewCx<'_>) {
        // Rows depend on replication state only through the search (e.g. "replicating").
        let generation = if self.search.trim().is_empty() {
            cx.edit_generation
        } else {
            cx.generation
        };
        let hide = self.hide_unseen && !cx.acting.unseen.is_empty();
        let (revision, search, expanded) = (self.expanded_revision, &self.search, &self.expanded);
        self.rows.get_by(
            |(g, r, s, h)| *g == generation && *r == revision && s == search && *h == hide,
            || (generation, revision, search.clone(), hide),
            |_| {
                let rows = model::build_rows(cx.ws, expanded, &Filter::new(search));
                if hide { without_unseen(rows, cx) } else { rows }
            },
        );
    }

    /// Draws the panel's content.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        ui.add_space(4.0);
        self.search_ui(ui);
        ui.horizontal_wrapped(|ui| {
            for action in [UserAction::AddGallery, UserAction::AddImage] {
                action_button(ui, cx, action, &Target::Workspace, out);
            }
            let settings = UserAction::WorkspaceSettings;
            let open = cx.selection == Some(&ResourcePath::Settings);
            if ui
                .selectable_label(open, settings.label())
                .on_hover_text(settings.tooltip())
                .clicked()
            {
                out.push(Intent::run(settings, Target::Workspace));
            }
        });
        ui.separator();
        // At the foot of the panel: appearing when the app acts as someone else, it moves no
        // row under the pointer.
        if let Some(actor) = cx.permissions().actor()
            && !cx.acting.unseen.is_empty()
        {
            egui::Panel::bottom("tree-foot")
                .frame(egui::Frame::NONE)
                .show(ui, |ui| {
                    ui.checkbox(&mut self.hide_unseen, format!("Hide what {actor} cannot see"))
                        .on_hover_text(
                            "Otherwise they are listed, marked \"no access\" (a resource the principal can see stays listed with its parents)",
                        );
                });
        }
        self.rebuild_rows(cx);
        self.keyboard(ui, cx, out);

        let rows = self.rows.last().map_or(&[][..], Vec::as_slice);
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
        // Only the two group headers: say so where the rows would be.
        if rows.len() <= 2 && !self.search.trim().is_empty() {
            ui.weak(format!("No matches for \"{}\"", self.search.trim()));
        }
        scroll.show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
            for index in range {
                if let Some(row) = rows.get(index) {
                    row_ui(ui, cx, row, renaming, out);
                }
            }
        });
    }

    /// The search field, its clear button (always there, so nothing moves when it is enabled)
    /// and Escape in the field, which clears it.
    fn search_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let label = ui.label("Search");
            // The clear button at the right end, the field in what remains.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let filled = !self.search.is_empty();
                let clear = ui
                    .add_enabled(filled, egui::Button::new("✖").small())
                    .on_hover_text("Clear the search (Escape in the field)");
                clear.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::Button, filled, "Clear search")
                });
                if clear.clicked() {
                    self.search.clear();
                }
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
                if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    self.search.clear();
                }
            });
        });
    }
}

/// The rows without the resources the acting principal cannot see, keeping the parents of
/// those it can see (a Reader on one version still finds it under its gallery).
fn without_unseen(rows: Vec<Row>, cx: &ViewCx<'_>) -> Vec<Row> {
    let mut kept = Vec::with_capacity(rows.len());
    // Going backwards: the rows above a kept row with a smaller depth are its parents.
    let mut parents_below: Option<u8> = None;
    for row in rows.into_iter().rev() {
        let Some(path) = row.path(cx.ws) else {
            parents_below = None;
            kept.push(row);
            continue;
        };
        let seen = !cx.acting.unseen.contains(&path);
        if seen || parents_below.is_some_and(|depth| row.depth < depth) {
            parents_below = Some(parents_below.map_or(row.depth, |d| d.min(row.depth)));
            kept.push(row);
        }
    }
    kept.reverse();
    kept
}

impl TreePanel {
    /// Arrow keys move and expand, Enter opens, when no text field has the keyboard.
    fn keyboard(&self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
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
        let rows = self.rows.last().map_or(&[][..], Vec::as_slice);
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
            out.push(Intent::select(path));
        }
        if up && let Some(path) = step(current, false) {
            out.push(Intent::select(path));
        }
        if let Some(row) = current.and_then(|i| rows.get(i)) {
            if right
                && row.has_children
                && !row.expanded
                && let Some(key) = expand_key(row, ws)
            {
                out.push(Intent::ToggleExpanded(key));
            }
            if left {
                if row.expanded {
                    if let Some(key) = expand_key(row, ws) {
                        out.push(Intent::ToggleExpanded(key));
                    }
                } else if let Some(parent) = row.path(ws).and_then(|p| p.parent()) {
                    out.push(Intent::select(parent));
                }
            }
            if enter && let Some(path) = row.path(ws) {
                out.push(Intent::Select {
                    path,
                    focus: Some("name"),
                });
            }
        }
    }
}
