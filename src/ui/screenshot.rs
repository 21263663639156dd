//! `sig-studio screenshot`: renders the main views headless (egui_kittest on wgpu; on a machine
//! without a GPU, Mesa's software Vulkan) and writes PNGs at 2× scale for documentation. The
//! problems view is written only for a workspace that breaks a rule.

mod apply;

use std::path::{Path, PathBuf};

use egui_kittest::Harness;

use crate::model::{ResourcePath, Workspace};
use crate::ui::{Prefs, SigStudioApp, Startup};

/// Window size of the screenshots, in points.
pub const SIZE: [f32; 2] = [1400.0, 860.0];
/// Pixels per point.
pub const SCALE: f32 = 2.0;
/// The small window of `small-window.png`, in points: side panels give way, tables scroll.
pub const SMALL: [f32; 2] = [1000.0, 700.0];

/// What `import.png` imports, read from the examples folder at run time (the project's own az
/// CLI and REST examples in `tests/fixtures/import`): galleries, definitions, versions with an
/// unknown storage type, role assignments and a REST list. Nothing of the tests is built into
/// the binary.
const IMPORT_EXAMPLES: [(&str, &str); 5] = [
    ("galleries.json", "az-sig-list.json"),
    ("definitions.json", "az-image-definition-list.json"),
    ("versions.json", "az-image-version-list.json"),
    ("roles.json", "az-role-assignment-list.json"),
    ("lab-versions.json", "rest-version-list.json"),
];

/// The import examples in `folder`, under the names the import summary shows.
fn import_examples(folder: &Path) -> Result<Vec<crate::import::Input>, String> {
    IMPORT_EXAMPLES
        .iter()
        .map(|(shown, file)| {
            let path = folder.join(file);
            crate::import::Input::read(&path)
                .map(|input| crate::import::Input::new(*shown, input.text))
                .map_err(|e| format!("cannot read the import example: {e}"))
        })
        .collect()
}

/// A headless harness around the real app, run as eframe runs it (`App::logic`, then
/// `App::ui`), with animations off so that every frame shows the settled state.
pub fn harness(app: SigStudioApp, scale: f32) -> Harness<'static, SigStudioApp> {
    Harness::builder()
        .with_size(SIZE)
        .with_pixels_per_point(scale)
        .with_context_setup(|ctx| ctx.all_styles_mut(|style| style.animation_time = 0.0))
        .build_eframe(move |_cc| app)
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

/// Renders the harness's current frame into `out/name`.
fn save_png(
    harness: &mut Harness<'static, SigStudioApp>,
    out: &Path,
    name: &str,
) -> Result<PathBuf, String> {
    let image = harness.render()?;
    let target = out.join(name);
    // Encoded in memory, then written as every file is (a temporary file and a rename): a link
    // planted at the name is replaced, never followed, and a FIFO there is refused, not opened.
    let mut png = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut png, image::ImageFormat::Png)
        .map_err(|e| format!("cannot encode {}: {e}", target.display()))?;
    crate::workspace::write_replacing_links(&target, png.get_ref()).map_err(|e| e.to_string())?;
    Ok(target)
}

/// Renders the views of `ws` into `out`; returns the files written. `import.png` is rendered
/// from the JSON examples in `import_folder` when one is given.
pub fn write_screenshots(
    ws: &Workspace,
    file: &Path,
    out: &Path,
    import_folder: Option<&Path>,
) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let open = |prefs: Prefs| {
        harness(
            SigStudioApp::new(
                Startup::Workspace(ws.clone(), Some(file.to_owned())),
                None,
                prefs,
                crate::today(),
            )
            .without_native_dialogs(),
            SCALE,
        )
    };
    let mut written = Vec::new();
    for (path, name, show_cost, show_activity) in views(ws) {
        let mut h = open(Prefs {
            show_cost,
            show_activity,
            ..Prefs::default()
        });
        h.state_mut().select_path(path);
        h.run_steps(4);
        written.push(save_png(&mut h, out, name)?);
    }
    // The widest version with the cost panel open in a small window.
    if let Some((path, ..)) = views(ws)
        .into_iter()
        .find(|(_, name, ..)| *name == "cost.png")
    {
        let mut h = open(Prefs {
            show_cost: true,
            ..Prefs::default()
        });
        h.set_size(egui::Vec2::from(SMALL));
        h.state_mut().select_path(path);
        h.run_steps(6);
        written.push(save_png(&mut h, out, "small-window.png")?);
    }
    // The problems panel, when the workspace breaks any rule: the first problem's resource
    // selected, as a click in the panel does, so its field shows the message too.
    let mut h = open(Prefs::default());
    h.run_steps(2);
    let first = h
        .state_mut()
        .problems()
        .first()
        .map(|p| (p.path.clone(), p.field));
    if let Some((path, field)) = first {
        h.state_mut().select_path(path);
        h.state_mut().focus_field(field);
        h.run_steps(4);
        written.push(save_png(&mut h, out, "problems.png")?);
    }
    // The access matrix (Access, Access matrix…).
    let mut h = open(Prefs::default());
    h.state_mut()
        .open_dialog(crate::ui::DialogRequest::AccessMatrix(()));
    h.run_steps(12);
    written.push(save_png(&mut h, out, "access-matrix.png")?);
    // The import summary (File, Import from Azure JSON…) of the project's own az CLI, REST and
    // role assignment examples merged into the workspace, as read before accepting.
    if let Some(folder) = import_folder {
        written.push(import(
            open(Prefs::default()),
            ws,
            &import_examples(folder)?,
            out,
        )?);
    }
    written.push(review(open(Prefs::default()), out)?);
    written.push(connect(open(Prefs::default()), out)?);
    written.push(azure_changes(open(Prefs::default()), out)?);
    written.push(apply::apply(open(Prefs::default()), out)?);
    // Hand off to build… on the widest version: its Packer HCL, notes and pre-flight.
    if let Some((path, ..)) = views(ws)
        .into_iter()
        .find(|(_, name, ..)| *name == "version.png")
    {
        let mut h = open(Prefs::default());
        h.state_mut().select_path(path.clone());
        h.state_mut()
            .open_dialog(crate::ui::DialogRequest::Handoff(path));
        h.run_steps(8);
        written.push(save_png(&mut h, out, "handoff.png")?);
    }
    // The workspace settings (Edit, Workspace settings): the region policy the picker applies.
    let mut h = open(Prefs::default());
    h.state_mut().select_path(ResourcePath::Settings);
    h.run_steps(4);
    written.push(save_png(&mut h, out, "settings.png")?);
    Ok(written)
}

/// The import dialog's summary of `inputs` merged into `ws`, as read before accepting.
fn import(
    mut h: Harness<'static, SigStudioApp>,
    ws: &Workspace,
    inputs: &[crate::import::Input],
    out: &Path,
) -> Result<PathBuf, String> {
    let inputs = inputs.to_vec();
    let generation = h.state().doc.generation();
    let task = crate::ui::tasks::import::ImportTask::spawn_inputs(
        inputs,
        std::sync::Arc::new(ws.clone()),
        &h.ctx,
    );
    let request = crate::ui::dialogs::import::ImportRequest::Running(Box::new(task), generation);
    h.state_mut()
        .open_dialog(crate::ui::DialogRequest::Import(request));
    h.run_steps(2);
    h.state().wait_for_file_work();
    h.run_steps(12);
    save_png(&mut h, out, "import.png")
}

/// Review changes… after a day's work on the first gallery: its newest version gains a
/// region, its oldest is deleted, and its description changes.
fn review(mut h: Harness<'static, SigStudioApp>, out: &Path) -> Result<PathBuf, String> {
    let edits = {
        let ws = h.state().doc.ws();
        let mut edits = Vec::new();
        if let Some(g) = ws.galleries.first() {
            edits.push(crate::model::Edit::UpdateGallery {
                name: g.name.clone(),
                gallery: crate::model::Gallery {
                    description: format!("{} (reviewed)", g.description),
                    definitions: Vec::new(),
                    ..g.clone()
                },
            });
            if let Some(d) = g.definitions.iter().find(|d| d.versions.len() > 1) {
                let newest = &d.versions[d.versions.len() - 1];
                let mut version = newest.clone();
                let region = crate::model::Region::all()
                    .find(|r| version.target(*r).is_none())
                    .unwrap_or(g.region);
                version
                    .target_regions
                    .push(crate::model::TargetRegion::new(region));
                edits.push(crate::model::Edit::UpdateVersion {
                    gallery: g.name.clone(),
                    definition: d.name.clone(),
                    name: newest.name.clone(),
                    version,
                });
                edits.push(crate::model::Edit::DeleteVersion {
                    gallery: g.name.clone(),
                    definition: d.name.clone(),
                    name: d.versions[0].name.clone(),
                });
            }
        }
        edits
    };
    for edit in edits {
        // A workspace that refuses an edit is shown with the edits it took.
        let _ = h.state_mut().doc.apply(edit);
    }
    h.state_mut()
        .open_dialog(crate::ui::DialogRequest::ReviewChanges(()));
    h.run_steps(8);
    save_png(&mut h, out, "review.png")
}

/// The example subscriptions of `connect.png` and `azure-changes.png`: named "Example", as the
/// README says, since the screenshot command reads no live subscription.
fn example_subscriptions() -> Vec<crate::azure::Subscription> {
    [
        (
            "Example: Contoso production",
            "00000000-0000-4000-8000-000000000001",
        ),
        (
            "Example: Contoso lab",
            "00000000-0000-4000-8000-000000000002",
        ),
    ]
    .iter()
    .map(|(name, id)| crate::azure::Subscription {
        id: (*id).to_owned(),
        name: (*name).to_owned(),
        state: "Enabled".to_owned(),
        tenant: "00000000-0000-4000-8000-0000000000aa".to_owned(),
    })
    .collect()
}

/// File, Connect to Azure…, signed in (a fixed example: no az, no network), over the sample.
fn connect(mut h: Harness<'static, SigStudioApp>, out: &Path) -> Result<PathBuf, String> {
    let signed_in = crate::ui::tasks::azure::SignedIn::example(example_subscriptions())
        .map_err(|e| e.to_string())?;
    h.state_mut()
        .open_dialog(crate::ui::DialogRequest::Connect(Some(Box::new(signed_in))));
    h.run_steps(8);
    save_png(&mut h, out, "connect.png")
}

/// What a refresh found, over the sample as if pulled from the example subscription an hour
/// ago: since then the user changed the first gallery's description and deleted a version,
/// while in Azure someone else changed that description too (a conflict), edited a
/// definition's description and published a version (taken in).
fn azure_changes(mut h: Harness<'static, SigStudioApp>, out: &Path) -> Result<PathBuf, String> {
    use crate::model::{AzureSeen, Edit, Origin};
    use std::sync::Arc;
    let subscription = example_subscriptions().remove(0);
    let now = crate::clock::timestamp();
    let origin = |hours: i64| Origin {
        subscription: subscription.id.clone(),
        endpoint: "https://management.azure.com/".to_owned(),
        read_at: now
            .checked_sub(jiff::SignedDuration::from_hours(hours))
            .ok(),
        ..Origin::default()
    };
    // Connected to the example (no poll: nothing is ever sent).
    let signed_in = crate::ui::tasks::azure::SignedIn::example(example_subscriptions())
        .map_err(|e| e.to_string())?;
    let app = h.state_mut();
    app.azure.setup.poll_interval = std::time::Duration::from_secs(86_400);
    let mut link = crate::ui::tasks::azure::Link::new(&signed_in, subscription.clone(), None);
    link.refreshed = origin(1).read_at;
    app.azure.link = Some(link);
    let pulled = h.state().doc.ws().clone();
    let seen = AzureSeen::snapshot(&pulled, origin(1));
    h.state_mut().doc.set_azure(Some(Arc::new(seen)));
    let mut azure_now = pulled.clone();
    let mut edits = Vec::new();
    if let Some(g) = azure_now.galleries.first_mut() {
        g.description = format!("{} (owned by the platform team)", g.description);
        let mine = crate::model::Gallery {
            description: "Golden images, reviewed".to_owned(),
            definitions: Vec::new(),
            ..pulled.galleries[0].clone()
        };
        edits.push(Edit::UpdateGallery {
            name: g.name.clone(),
            gallery: mine,
        });
        if let Some(d) = g.definitions.iter_mut().find(|d| d.versions.len() > 1) {
            d.description = format!("{} (hardened)", d.description);
            edits.push(Edit::DeleteVersion {
                gallery: g.name.clone(),
                definition: d.name.clone(),
                name: d.versions[0].name.clone(),
            });
            let mut published = d.versions[d.versions.len() - 1].clone();
            published.name = crate::ui::dialogs::add_version::next_version(Some(d));
            d.versions.push(published);
        }
    }
    for edit in edits {
        let _ = h.state_mut().doc.apply(edit);
    }
    let theirs = Arc::new(AzureSeen::snapshot(&azure_now, origin(0)));
    let refresh = crate::azure::Refresh::compare(h.state().doc.ws(), theirs);
    let generation = h.state().doc.generation();
    h.state_mut()
        .open_dialog(crate::ui::DialogRequest::AzureChanges((
            Box::new(refresh),
            generation,
        )));
    h.run_steps(8);
    save_png(&mut h, out, "azure-changes.png")
}
