//! The one harness of the UI tests: the real app as eframe runs it (`App::logic`, then
//! `App::ui`, so the close guard and background polling are covered), headless, animations off,
//! native file dialogs off, driven through the labels a screen reader uses.

#![allow(dead_code)] // Each test file uses its own part of the harness.

pub use crate::shared::*;

use std::path::PathBuf;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sig_studio::model::{ResourcePath, Workspace};
use sig_studio::ui::tasks::files::AppDirs;
use sig_studio::ui::{Prefs, SigStudioApp, Startup};

pub type H = Harness<'static, SigStudioApp>;

/// The app with `file` open, its recent files and recovery copies in `app/` beside the file.
pub fn open_file(file: &std::path::Path) -> H {
    let dir = file.parent().expect("a file in a folder").join("app");
    let app = SigStudioApp::new(
        Startup::File(file.to_owned()),
        Some(AppDirs::under(&dir)),
        Prefs::default(),
        today(),
    )
    .without_native_dialogs();
    let mut h = harness(app, 1.0);
    h.run_steps(3);
    h
}

/// How a test starts the app.
pub struct Setup {
    pub startup: Startup,
    pub prefs: Prefs,
    /// Folder name for recent files and recovery copies (`None`: the app keeps none).
    pub dirs: Option<PathBuf>,
    pub select: Option<ResourcePath>,
    pub scale: f32,
}

impl Setup {
    pub fn new(ws: Workspace) -> Self {
        Self {
            startup: Startup::Workspace(ws, None),
            prefs: Prefs::default(),
            dirs: None,
            select: None,
            scale: 1.0,
        }
    }

    pub fn prefs(mut self, prefs: Prefs) -> Self {
        self.prefs = prefs;
        self
    }

    /// Keeps recent files and recovery copies in a fresh temporary folder named `name`.
    pub fn dirs(mut self, name: &str) -> Self {
        self.dirs = Some(tempdir(name));
        self
    }

    pub fn select(mut self, path: ResourcePath) -> Self {
        self.select = Some(path);
        self
    }

    pub fn build(self) -> H {
        let dirs = self.dirs.map(|d| AppDirs::under(&d));
        let mut app =
            SigStudioApp::new(self.startup, dirs, self.prefs, today()).without_native_dialogs();
        if let Some(path) = self.select {
            app.select_path(path);
        }
        let mut harness = harness(app, self.scale);
        harness.run_steps(3);
        harness
    }
}

/// The app in a headless harness, as eframe would run it, with animations off (the harness
/// `sig-studio screenshot` renders with).
pub fn harness(app: SigStudioApp, scale: f32) -> H {
    sig_studio::ui::screenshot::harness(app, scale)
}

/// The sample, or any workspace, with nothing selected.
pub fn harness_with(ws: Workspace) -> H {
    Setup::new(ws).build()
}

/// Clicks, then runs frames until the UI settles (a dialog takes a few frames to size itself).
pub fn click(h: &mut H, label: &str) {
    h.get_by_label(label).click();
    h.run_steps(12);
}

/// Clicks through accesskit: the editor's Access section may lie below the visible part.
pub fn click_in_editor(h: &mut H, label: &str) {
    h.get_by_label(label).click_accesskit();
    h.run_steps(12);
}

pub fn click_button(h: &mut H, label: &str) {
    h.get_by_role_and_label(Role::Button, label).click();
    h.run_steps(12);
}

pub fn type_into(h: &mut H, label: &str, text: &str) {
    let field = h.get_by_role_and_label(Role::TextInput, label);
    field.focus();
    field.type_text(text);
    h.run_steps(2);
}

pub fn select(h: &mut H, path: ResourcePath) {
    h.state_mut().select_path(path);
    h.run_steps(4);
}

pub fn shortcut(h: &mut H, modifiers: egui::Modifiers, key: egui::Key) {
    h.key_press_modifiers(modifiers, key);
    h.run_steps(12);
}

/// Lets a background load or save finish (waiting on the task itself), then takes its result.
pub fn finish_file_work(h: &mut H) {
    h.run_steps(1);
    h.state().wait_for_file_work();
    h.run_steps(3);
}

/// Scrolls a button into view and rests the pointer on it until its tooltip shows (a disabled
/// control's tooltip says why it is disabled).
pub fn hover_button(h: &mut H, label: &str) {
    h.get_by_role_and_label(Role::Button, label).scroll_to_me();
    h.run_steps(4);
    h.get_by_role_and_label(Role::Button, label).hover();
    h.run_steps(6);
}

/// The window sizes the UI is tried at: a desktop window and a small one (issue 24's tester
/// used both).
pub const SIZES: [egui::Vec2; 2] = [egui::vec2(1600.0, 1000.0), egui::vec2(1000.0, 700.0)];

/// The app with `ws` at `size`, `path` selected, frames run until it settles.
pub fn at_size(ws: Workspace, size: egui::Vec2, path: Option<ResourcePath>) -> H {
    let mut setup = Setup::new(ws);
    if let Some(path) = path {
        setup = setup.select(path);
    }
    let mut h = setup.build();
    h.set_size(size);
    h.run_steps(6);
    h
}

/// The sample with Azure as last seen holding exactly what it plans (as after a pull): every
/// gallery, definition and version exists in Azure.
pub fn sample_in_azure() -> Workspace {
    let mut ws = sig_studio::sample::sample();
    ws.azure = Some(std::sync::Arc::new(sig_studio::model::AzureSeen::snapshot(
        &ws,
        sig_studio::model::Origin::default(),
    )));
    ws
}
