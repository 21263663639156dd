//! Image snapshots of the main views, so visual regressions are seen. Regenerate after an
//! intended change with `UPDATE_SNAPSHOTS=1 cargo nextest run --test snapshots`.

use sig_studio::model::ResourcePath;
use sig_studio::sample::sample;
use sig_studio::ui::{Prefs, screenshot};

use crate::common;

use common::Setup;

fn snapshot(name: &str, select: Option<ResourcePath>, dark: bool) {
    let prefs = Prefs {
        dark,
        ..Prefs::default()
    };
    let mut setup = Setup::new(sample()).prefs(prefs);
    if let Some(path) = select {
        setup = setup.select(path);
    }
    let mut harness = setup.build();
    harness.run_steps(3);
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

/// `sig-studio screenshot` writes every documented view, and the problems view only for a
/// workspace that breaks a rule (the bundled unfinished example does).
#[test]
fn the_screenshot_command_writes_the_problems_view_when_there_are_problems() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/unfinished.ron");
    let ws = sig_studio::workspace::load(&path).expect("the example loads");
    let out = std::env::temp_dir().join(format!("sig-studio-shots-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    // A link planted in the output folder is replaced, never followed (issue 23, point 13).
    std::fs::create_dir_all(&out).unwrap();
    let victim = out.with_extension("victim");
    std::fs::write(&victim, "keep").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&victim, out.join("gallery.png")).unwrap();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let written = screenshot::write_screenshots(&ws, &path, &out, Some(&examples))
        .expect("screenshots written");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    assert!(
        std::fs::symlink_metadata(out.join("gallery.png"))
            .unwrap()
            .is_file()
    );
    let _ = std::fs::remove_file(&victim);
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for name in [
        "gallery.png",
        "version.png",
        "problems.png",
        "access-matrix.png",
        "small-window.png",
        "import.png",
        "review.png",
        "settings.png",
    ] {
        assert!(
            names.iter().any(|n| n == name),
            "{name} missing from {names:?}"
        );
    }
    let problems = image::open(out.join("problems.png")).expect("a PNG");
    assert_eq!(
        (problems.width(), problems.height()),
        (
            (screenshot::SIZE[0] * screenshot::SCALE) as u32,
            (screenshot::SIZE[1] * screenshot::SCALE) as u32
        ),
        "rendered at 2×"
    );
    let _ = std::fs::remove_dir_all(&out);
}
