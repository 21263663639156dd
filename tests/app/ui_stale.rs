//! Everything worked out from the document follows a new document (issue 24 item 1: after
//! *Open recent* the cost panel still showed the previous workspace's total, even when hidden
//! and shown again, until the next edit).

use crate::common;

use common::{H, Setup, click, finish_file_work, shortcut, tempdir, type_into};
use egui_kittest::kittest::Queryable;
use sig_studio::cost::{format_usd, workspace_cost};
use sig_studio::model::Workspace;
use sig_studio::sample::sample;
use sig_studio::ui::Prefs;
use sig_studio::ui::actions::UserAction;
use sig_studio::workspace::save;

fn storage_line(ws: &Workspace) -> String {
    format!(
        "Storage {}/month",
        format_usd(workspace_cost(ws).totals.monthly_usd)
    )
}

fn open_by_path(h: &mut H, file: &std::path::Path) {
    shortcut(
        h,
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::O,
    );
    type_into(h, "Workspace file path", &file.display().to_string());
    click(h, "Open");
    finish_file_work(h);
}

/// Another workspace: one gallery of another name, without the Windows definition.
fn other() -> Workspace {
    let mut ws = sample();
    ws.galleries[0].name = "fabrikam_images".to_owned();
    ws.galleries[0]
        .definitions
        .retain(|d| d.name != "win2022-datacenter");
    ws
}

fn toggle_cost(h: &mut H) {
    let ctx = h.ctx.clone();
    h.state_mut().run(UserAction::ToggleCost, &ctx);
}

#[test]
fn the_cost_panel_follows_a_workspace_opened_from_recent_files() {
    let dir = tempdir("stale-cost");
    let (first, second) = (dir.join("first.ron"), dir.join("second.ron"));
    save(&first, &sample()).unwrap();
    save(&second, &other()).unwrap();
    let (first_line, second_line) = (storage_line(&sample()), storage_line(&other()));
    assert_ne!(first_line, second_line);

    let prefs = Prefs {
        show_cost: true,
        ..Prefs::default()
    };
    let mut h = Setup::new(sample())
        .prefs(prefs)
        .dirs("stale-cost-app")
        .build();
    open_by_path(&mut h, &first);
    h.get_by_label(&first_line);
    open_by_path(&mut h, &second);
    h.get_by_label(&second_line);
    assert!(h.query_by_label(&first_line).is_none());

    // The first file again, from File › Open recent.
    click(&mut h, "File");
    click(&mut h, "Open recent");
    click(&mut h, &first.display().to_string());
    finish_file_work(&mut h);
    assert_eq!(h.state().doc.path.as_deref(), Some(first.as_path()));
    h.get_by_label(&first_line);
    assert!(h.query_by_label(&second_line).is_none());
    assert!(
        h.query_by_label_contains("fabrikam_images").is_none(),
        "no row of a gallery the workspace does not have"
    );

    // Hidden while another file opens, then shown again: the panel shows that file's figures.
    toggle_cost(&mut h);
    h.run_steps(3);
    assert!(
        h.query_by_label(&first_line).is_none(),
        "the panel is hidden"
    );
    open_by_path(&mut h, &second);
    toggle_cost(&mut h);
    h.run_steps(3);
    h.get_by_label(&second_line);
}
