//! The central panel: the editor of the selected resource (its draft is committed as one edit
//! when a field is left or a choice made) with its Access section, or the welcome page. It owns
//! the draft, the field to focus next and the cached access section.

use egui::Ui;

use crate::memo::Memo;
use crate::model::{Edit, Problem, Resource, ResourcePath, latest};
use crate::ui::actions::UserAction;
use crate::ui::editors::access::{AccessState, access_section_ui};
use crate::ui::editors::{Draft, SettingsEditor, VersionState, editor_ui};
use crate::ui::intent::{Intent, Target};
use crate::ui::view::ViewCx;
use crate::ui::widgets::form::Form;
use crate::words::count;

/// The draft being edited.
pub struct EditorState {
    pub draft: Draft,
}

#[derive(Default)]
pub struct EditorPanel {
    /// The draft, by the (edit generation, path) it was loaded at: loaded again when the
    /// selection or the workspace changed underneath it (by an edit: replication progress is
    /// shown live and never discards what is being typed). `None`: the resource is gone.
    pub state: Memo<(u64, ResourcePath), Option<EditorState>>,
    /// The field to focus (and scroll to) on the next frame.
    pub focus_field: Option<&'static str>,
    access: AccessState,
    /// The version editor's what-if and which version is "latest".
    version: VersionState,
    /// The resource shown last frame: another one starts at the top.
    shown: Option<ResourcePath>,
    /// The selection's problems, by (edit generation, path).
    problems: Memo<(u64, ResourcePath), Vec<Problem>>,
    settings: SettingsEditor,
}

impl EditorPanel {
    /// Forgets the draft: it is loaded again from the workspace on the next frame.
    pub fn reset(&mut self) {
        self.state.clear();
    }

    /// The draft being edited, if one is (tests look inside).
    pub fn draft(&self) -> Option<&Draft> {
        self.state.last()?.as_ref().map(|s| &s.draft)
    }

    /// Draws the editor of `path`; when the resource no longer exists (deleted, or undone
    /// away), asks for nothing to be selected.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, path: &ResourcePath, out: &mut Vec<Intent>) {
        let generation = cx.edit_generation;
        if *path == ResourcePath::Settings {
            self.settings_ui(ui, cx, out);
            return;
        }
        let is_for = |(g, p): &(u64, ResourcePath)| *g == generation && p == path;
        let version = &mut self.version;
        let loaded = self.state.get_by(
            is_for,
            || (generation, path.clone()),
            |_| {
                version.latest = latest_of(cx, path);
                Draft::load(cx.ws, path).map(|draft| EditorState { draft })
            },
        );
        let Some(editor) = loaded else {
            out.push(Intent::Deselect);
            return;
        };
        let problems = self.problems.get_by(
            is_for,
            || (generation, path.clone()),
            |_| {
                cx.problems
                    .iter()
                    .filter(|p| p.path == *path)
                    .cloned()
                    .collect()
            },
        );
        let scroll = scroll_area(&mut self.shown, path);
        let mut commit = false;
        scroll.show(ui, |ui| {
            let mut form = Form::new(problems, &mut self.focus_field);
            commit = editor_ui(ui, cx, path, &mut editor.draft, &mut form, version, out);
            access_section_ui(ui, &mut self.access, cx, path, out);
        });
        if commit {
            store(cx, path, &editor.draft, out);
        }
    }
}

/// For a version: the name of the version "latest" resolves to in its definition as stored,
/// worked out with the draft (it changes only with an edit).
fn latest_of(cx: &ViewCx<'_>, path: &ResourcePath) -> Option<String> {
    match cx.ws.resolve(path)? {
        Resource::Version(_, d, _) => latest::latest(d, None).map(|v| v.name.clone()),
        _ => None,
    }
}

/// The editor's scroll area; another resource than last frame's starts at the top. Wide
/// content (the region table) scrolls sideways in a small window.
fn scroll_area(shown: &mut Option<ResourcePath>, path: &ResourcePath) -> egui::ScrollArea {
    let mut scroll = egui::ScrollArea::both()
        .id_salt(("editor", path))
        .auto_shrink([false, false]);
    if shown.as_ref() != Some(path) {
        scroll = scroll.vertical_scroll_offset(0.0);
        *shown = Some(path.clone());
    }
    scroll
}

impl EditorPanel {
    /// The workspace settings page: each change is one undoable edit of the settings.
    fn settings_ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let path = ResourcePath::Settings;
        let problems: Vec<Problem> = cx
            .problems
            .iter()
            .filter(|p| p.path == path)
            .cloned()
            .collect();
        let mut change = None;
        let scroll = scroll_area(&mut self.shown, &path);
        scroll.show(ui, |ui| {
            change = self.settings.ui(
                ui,
                cx.ws,
                cx.edit_generation,
                &problems,
                &mut self.focus_field,
            );
        });
        if let Some((settings, notice)) = change {
            out.push(Intent::Edit {
                edit: Edit::SetSettings { settings },
                select: None,
                notice: Some(notice),
            });
        }
    }
}

/// Shown when nothing is selected.
pub fn welcome_ui(ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
    ui.vertical_centered(|ui| {
        ui.add_space(60.0);
        ui.heading("SIG Studio");
        ui.label(
            "Select a gallery, image definition, version or managed image in the tree to edit it.",
        );
        ui.add_space(12.0);
        for action in [UserAction::AddGallery, UserAction::AddImage] {
            crate::ui::widgets::action::action_button(ui, cx, action, &Target::Workspace, out);
        }
        ui.add_space(12.0);
        let counts = [
            count(cx.ws.galleries.len(), "gallery", "galleries"),
            count(cx.ws.version_count(), "image version", "image versions"),
            count(
                cx.ws.managed_images.len(),
                "managed image",
                "managed images",
            ),
        ]
        .join(" · ");
        ui.weak(counts);
    });
}

/// Stores the draft of the resource at `path` as one edit, when it differs from the stored one.
fn store(cx: &ViewCx<'_>, path: &ResourcePath, draft: &Draft, out: &mut Vec<Intent>) {
    if Draft::load(cx.ws, path).as_ref() == Some(draft) {
        return;
    }
    if let Some(edit) = draft.to_edit(path) {
        out.push(Intent::Edit {
            edit,
            select: Some(draft.path_after(path)),
            notice: None,
        });
    }
}
