//! Image snapshots of the main views, so visual regressions are seen. Regenerate after an
//! intended change with `UPDATE_SNAPSHOTS=1 cargo nextest run --test snapshots`.

use sig_studio::model::ResourcePath;
use sig_studio::sample::sample;
use sig_studio::ui::{Prefs, SigStudioApp, Startup, screenshot};

fn snapshot(name: &str, select: Option<ResourcePath>, dark: bool) {
    let prefs = Prefs {
        dark,
        ..Prefs::default()
    };
    let mut app =
        SigStudioApp::new(Startup::Workspace(sample(), None), None, prefs).without_native_dialogs();
    app.set_today(jiff::civil::date(2026, 11, 26));
    if let Some(path) = select {
        app.select_path(path);
    }
    let mut harness = screenshot::harness(app, 1.0);
    harness.run_steps(6);
    harness.snapshot(name);
}

#[test]
fn gallery_view() {
    snapshot(
        "gallery",
        Some(ResourcePath::gallery("contoso_images")),
        true,
    );
}

#[test]
fn version_with_target_regions() {
    snapshot(
        "version_regions",
        Some(ResourcePath::version(
            "contoso_images",
            "ubuntu-2204-base",
            "1.0.12",
        )),
        true,
    );
}

#[test]
fn definition_light_theme() {
    snapshot(
        "definition_light",
        Some(ResourcePath::definition(
            "contoso_images",
            "win2022-datacenter",
        )),
        false,
    );
}
