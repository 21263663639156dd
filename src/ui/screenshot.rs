//! `sig-studio screenshot`: renders the main views headless (egui_kittest on wgpu; on a machine
//! without a GPU, Mesa's software Vulkan) and writes PNGs at 2× scale for documentation. The
//! problems view is written only for a workspace that breaks a rule.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;

use super::{Prefs, SigStudioApp, Startup};
use crate::model::{ResourcePath, Workspace};

/// Window size of the screenshots, in points.
pub const SIZE: [f32; 2] = [1400.0, 860.0];
/// Pixels per point.
pub const SCALE: f32 = 2.0;

/// A headless harness around the real app.
pub fn harness(app: SigStudioApp, scale: f32) -> Harness<'static, SigStudioApp> {
    Harness::builder()
        .with_size(SIZE)
        .with_pixels_per_point(scale)
        .build_ui_state(|ui, app: &mut SigStudioApp| app.ui_frame(ui), app)
}

/// The views documented in the README: which resource is selected, the file name, and whether
/// the cost view (and the activity panel) is open.
fn views(ws: &Workspace) -> Vec<(ResourcePath, &'static str, bool, bool)> {
    let mut views = Vec::new();
    if let Some(gallery) = ws.galleries.first() {
        views.push((
            ResourcePath::gallery(&gallery.name),
            "gallery.png",
            false,
            false,
        ));
        // The version with the most target regions (the seed's "latest everywhere").
        let widest = ws
            .versions()
            .max_by_key(|(_, _, v)| (v.target_regions.len(), v.number()))
            .map(|(g, d, v)| ResourcePath::version(&g.name, &d.name, &v.name));
        if let Some(path) = widest {
            views.push((path.clone(), "version.png", false, false));
            views.push((path.clone(), "cost.png", true, false));
            views.push((path, "activity.png", false, true));
        }
        if let Some(definition) = gallery.definitions.first() {
            views.push((
                ResourcePath::definition(&gallery.name, &definition.name),
                "definition.png",
                false,
                false,
            ));
        }
    }
    views
}

/// Renders the views of `ws` into `out`; returns the files written.
pub fn write_screenshots(ws: &Workspace, file: &Path, out: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut written = Vec::new();
    for (path, name, show_cost, show_activity) in views(ws) {
        let prefs = Prefs {
            show_cost,
            show_activity,
            ..Prefs::default()
        };
        let app = SigStudioApp::new(
            Startup::Workspace(ws.clone(), Some(file.to_owned())),
            None,
            prefs,
        )
        .without_native_dialogs();
        let mut harness = harness(app, SCALE);
        harness.state_mut().select_path(path);
        harness.run_steps(4);
        let image = harness.render()?;
        let target = out.join(name);
        image
            .save(&target)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        written.push(target);
    }
    // The problems panel, when the workspace breaks any rule: the first problem's resource
    // selected, as a click in the panel does, so its field shows the message too.
    {
        let app = SigStudioApp::new(
            Startup::Workspace(ws.clone(), Some(file.to_owned())),
            None,
            Prefs::default(),
        )
        .without_native_dialogs();
        let mut harness = harness(app, SCALE);
        harness.run_steps(2);
        let first = harness
            .state()
            .problems
            .first()
            .map(|p| (p.path.clone(), p.field));
        if let Some((path, field)) = first {
            harness.state_mut().select_path(path);
            harness.state_mut().focus_field = field;
            harness.run_steps(4);
            let image = harness.render()?;
            let target = out.join("problems.png");
            image
                .save(&target)
                .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
            written.push(target);
        }
    }
    // The access matrix (Access, Access matrix…).
    let app = SigStudioApp::new(
        Startup::Workspace(ws.clone(), Some(file.to_owned())),
        None,
        Prefs::default(),
    )
    .without_native_dialogs();
    let mut harness = harness(app, SCALE);
    harness.state_mut().modal = Some(super::Modal::Matrix(Box::default()));
    harness.run_steps(12);
    let image = harness.render()?;
    let target = out.join("access-matrix.png");
    image
        .save(&target)
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    written.push(target);
    Ok(written)
}
