//! The central panel: the editor of the selected resource (its draft is committed as one edit
//! when a field is left or a choice made) with its Access section, or the welcome page. It owns
//! the draft, the field to focus next and the cached access section.

use egui::{RichText, Ui};

use crate::model::{Edit, Problem, ResourcePath, latest};
use crate::replication::Engine;
use crate::ui::command::{Command, PanelCx};
use crate::ui::dialogs::add_regions::AddRegionsDialog;
use crate::ui::dialogs::duplicate::DuplicateDialog;
use crate::ui::editors::access::{AccessState, access_section_ui};
use crate::ui::editors::what_if::WhatIf;
use crate::ui::editors::{Draft, EditorEnv, EditorRequest, SettingsEditor, editor_ui};
use crate::ui::tasks::simulation::Live;
use crate::words::count;

/// The draft being edited and what it was loaded from.
pub struct EditorState {
    pub path: ResourcePath,
    pub draft: Draft,
    /// The document's edit generation the draft was loaded at.
    pub generation: u64,
    /// For a version: the name of the version "latest" resolves to in its definition as
    /// stored, worked out with the draft (it changes only with an edit).
    pub latest: Option<String>,
}

#[derive(Default)]
pub struct EditorPanel {
    pub state: Option<EditorState>,
    /// The field to focus (and scroll to) on the next frame.
    pub focus_field: Option<&'static str>,
    access: AccessState,
    /// The version editor's what-if: its baseline and last result.
    what_if: WhatIf,
    /// The resource shown last frame: another one starts at the top.
    shown: Option<ResourcePath>,
    /// The selection's problems and the (edit generation, path) they were gathered for.
    problems: Option<(u64, ResourcePath, Vec<Problem>)>,
    settings: SettingsEditor,
}

impl EditorPanel {
    /// Forgets the draft: it is loaded again from the workspace on the next frame.
    pub fn reset(&mut self) {
        self.state = None;
    }

    /// Draws the editor of `path`; `false` when the resource no longer exists.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        cx: &PanelCx<'_>,
        path: &ResourcePath,
        engine: &Engine,
        out: &mut Vec<Command>,
    ) -> bool {
        let generation = cx.edit_generation;
        if *path == ResourcePath::Settings {
            self.settings_ui(ui, cx, out);
            return true;
        }
        // Reload the draft when the selection or the workspace changed underneath it (by an
        // edit: replication progress is shown live and never discards what is being typed).
        let stale = self
            .state
            .as_ref()
            .is_none_or(|e| e.path != *path || e.generation != generation);
        if stale {
            let Some(draft) = Draft::load(cx.ws, path) else {
                self.state = None;
                return false;
            };
            let latest = match path {
                ResourcePath::Version(g, d, _) => cx
                    .ws
                    .gallery(g)
                    .and_then(|g| g.definition(d))
                    .and_then(|d| latest::latest(d, None))
                    .map(|v| v.name.clone()),
                _ => None,
            };
            self.state = Some(EditorState {
                path: path.clone(),
                draft,
                generation,
                latest,
            });
        }
        if self
            .problems
            .as_ref()
            .is_none_or(|(g, p, _)| *g != generation || p != path)
        {
            let mine = cx.problems.iter().filter(|p| p.path == *path).cloned();
            self.problems = Some((generation, path.clone(), mine.collect()));
        }
        let scroll = self.scroll_area(path);
        let (Some(editor), Some((_, _, problems))) = (self.state.as_mut(), &self.problems) else {
            return true;
        };
        let live = Live {
            ws: cx.ws,
            engine,
            version: match path {
                ResourcePath::Version(g, d, v) => cx
                    .ws
                    .gallery(g)
                    .and_then(|g| g.definition(d))
                    .and_then(|d| d.version(v)),
                _ => None,
            },
        };
        let mut env = EditorEnv {
            today: cx.today,
            live: &live,
            what_if: &mut self.what_if,
            edit_generation: generation,
            permissions: cx.permissions,
            latest: editor.latest.as_deref(),
        };
        let mut requests = Vec::new();
        let refusal = cx.permissions.edit.as_deref();
        if let Some(reason) = refusal {
            ui.label(
                RichText::new(format!("Read only: {reason}")).color(ui.visuals().warn_fg_color),
            );
        }
        scroll.show(ui, |ui| {
            editor_ui(
                ui,
                cx.ws,
                path,
                &mut editor.draft,
                problems,
                &mut self.focus_field,
                &mut env,
                &mut requests,
            );
            access_section_ui(
                ui,
                &mut self.access,
                cx.ws,
                generation,
                path,
                cx.permissions,
                out,
            );
        });
        for request in requests {
            answer(request, cx, path, &editor.draft, out);
        }
        true
    }
}

impl EditorPanel {
    /// The editor's scroll area; another resource than last frame's starts at the top. Wide
    /// content (the region table) scrolls sideways in a small window.
    fn scroll_area(&mut self, path: &ResourcePath) -> egui::ScrollArea {
        let mut scroll = egui::ScrollArea::both()
            .id_salt(("editor", path))
            .auto_shrink([false, false]);
        if self.shown.as_ref() != Some(path) {
            scroll = scroll.vertical_scroll_offset(0.0);
            self.shown = Some(path.clone());
        }
        scroll
    }

    /// The workspace settings page: each change is one undoable edit of the settings.
    fn settings_ui(&mut self, ui: &mut Ui, cx: &PanelCx<'_>, out: &mut Vec<Command>) {
        let path = ResourcePath::Settings;
        let problems: Vec<Problem> = cx
            .problems
            .iter()
            .filter(|p| p.path == path)
            .cloned()
            .collect();
        let mut change = None;
        let scroll = self.scroll_area(&path);
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
            out.push(Command::Apply {
                edit: Edit::SetSettings { settings },
                select: None,
                notice: Some(notice),
            });
        }
    }
}

/// Shown when nothing is selected.
pub fn welcome_ui(ui: &mut Ui, cx: &PanelCx<'_>, out: &mut Vec<Command>) {
    ui.vertical_centered(|ui| {
        ui.add_space(60.0);
        ui.heading("SIG Studio");
        ui.label(
            "Select a gallery, image definition, version or managed image in the tree to edit it.",
        );
        ui.add_space(12.0);
        if ui.button("Add gallery…").clicked() {
            out.push(Command::AddChild(None));
        }
        if ui.button("Add managed image…").clicked() {
            out.push(Command::AddChild(Some(ResourcePath::managed_image(""))));
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

/// What the app does for an editor's request about the resource at `path`.
fn answer(
    request: EditorRequest,
    cx: &PanelCx<'_>,
    path: &ResourcePath,
    draft: &Draft,
    out: &mut Vec<Command>,
) {
    match request {
        EditorRequest::Commit => {
            if Draft::load(cx.ws, path).as_ref() == Some(draft) {
                return;
            }
            if let Some(edit) = draft.to_edit(path) {
                out.push(Command::Apply {
                    edit,
                    select: Some(draft.path_after(path)),
                    notice: None,
                });
            }
        }
        EditorRequest::AddRegions => {
            out.push(Command::OpenDialog(Box::new(AddRegionsDialog::new(
                path.clone(),
            ))));
        }
        EditorRequest::DuplicateWithNewName => out.push(Command::OpenDialog(Box::new(
            DuplicateDialog::new(path.clone()),
        ))),
        EditorRequest::Select(target) => out.push(Command::Select(target, None)),
        EditorRequest::Run(action) => out.push(Command::Run(action)),
        EditorRequest::Replication(command) => out.push(Command::Replication(command)),
    }
}
