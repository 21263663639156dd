//! The access matrix as a user meets it: two-level column headers (a definition over its
//! versions), full names on hover, and tooltips that appear once the pointer rests, without a
//! second move: the app draws a frame only when something asked for one, as eframe does.

use crate::common;

use std::time::Duration;

use common::{H, click, harness_with};
use egui_kittest::kittest::Queryable;
use sig_studio::model::{ReplicaStatus, Workspace};
use sig_studio::sample::sample;

/// The sample with every replication finished: nothing repaints on its own.
fn settled() -> Workspace {
    let mut ws = sample();
    for gallery in &mut ws.galleries {
        for definition in &mut gallery.definitions {
            for version in &mut definition.versions {
                for target in &mut version.target_regions {
                    target.status = ReplicaStatus::completed();
                }
            }
        }
    }
    ws
}

/// Frames as eframe would draw them with the pointer at rest: only when the last frame asked
/// for one, and only once the delay it asked for has passed (the clock moves on by exactly
/// that, at least a 60th of a second).
fn rest(h: &mut H) -> usize {
    let mut frames = 0;
    while frames < 40 {
        let delay = h
            .output()
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map_or(Duration::MAX, |v| v.repaint_delay);
        if delay > Duration::from_secs(5) {
            break;
        }
        step_after(h, delay.as_secs_f64().max(1.0 / 60.0));
        frames += 1;
    }
    frames
}

/// One frame, `secs` after the last one.
fn step_after(h: &mut H, secs: f64) {
    let now = h.ctx.input(|i| i.time);
    h.input_mut().time = Some(now + secs);
    h.step();
}

/// Moves the pointer onto the node labelled `label` (one frame), then rests.
fn hover_and_rest(h: &mut H, node: impl FnOnce(&H) -> egui::Rect) {
    let at = node(h).center();
    h.event(egui::Event::PointerMoved(at));
    step_after(h, 1.0 / 60.0);
    rest(h);
}

fn open_matrix(h: &mut H) {
    click(h, "Access");
    click(h, "Access matrix… Ctrl+Shift+M");
    h.run_steps(6);
}

#[test]
fn a_cell_tooltip_appears_after_the_delay_without_a_second_move() {
    let mut h = harness_with(settled());
    open_matrix(&mut h);
    assert!(rest(&mut h) < 40, "the matrix keeps repainting on its own");
    // One pointer move onto carol's cell on ubuntu-2204-base, then nothing but time.
    hover_and_rest(&mut h, |h| {
        h.get_all_by_label("Reader").nth(1).unwrap().rect()
    });
    h.get_by_label(
        "carol@contoso.com ← web-team ← app-teams: Reader on contoso_images/ubuntu-2204-base",
    );
}

#[test]
fn columns_are_grouped_under_their_definition_with_full_names_on_hover() {
    let mut h = harness_with(settled());
    // The tree names them too: count what the matrix adds.
    let names = [
        "contoso_images",
        "win2022-datacenter",
        "ubuntu-2204-base",
        "2026.9.0",
        "2026.7.0",
        "definition",
    ];
    let before: Vec<usize> = names
        .iter()
        .map(|n| h.query_all_by_label(n).count())
        .collect();
    open_matrix(&mut h);
    let added: Vec<usize> = names
        .iter()
        .zip(&before)
        .map(|(n, b)| h.query_all_by_label(n).count() - b)
        .collect();
    // The upper header names the gallery and each definition once, over its own column and its
    // versions'; the lower one names each column: a version, or the definition itself.
    assert_eq!(added, [1, 1, 1, 1, 1, 2]);
    let upper = h
        .query_all_by_label("win2022-datacenter")
        .last()
        .unwrap()
        .rect();
    let lower = h.query_all_by_label("2026.9.0").last().unwrap().rect();
    assert!(upper.bottom() <= lower.top(), "{upper:?} over {lower:?}");
    // Resting on a version's header shows its full path, once.
    hover_and_rest(&mut h, |h| {
        h.query_all_by_label("2026.9.0").last().unwrap().rect()
    });
    assert_eq!(
        h.query_all_by_label("contoso_images/win2022-datacenter/2026.9.0")
            .count(),
        1
    );
    // And on a definition's: its path and how many versions it spans.
    hover_and_rest(&mut h, |h| {
        h.query_all_by_label("ubuntu-2204-base")
            .last()
            .unwrap()
            .rect()
    });
    h.get_by_label_contains(
        "contoso_images/ubuntu-2204-base: the image definition and its 3 versions",
    );
}

#[test]
fn a_long_principal_name_is_cut_and_shown_whole_on_hover() {
    let mut ws = settled();
    let long = "sp-image-pipeline-for-the-contoso-production-subscription";
    ws.principals.push(sig_studio::model::Principal {
        name: long.to_owned(),
        kind: sig_studio::model::PrincipalKind::ServicePrincipal,
        tenant: "contoso".to_owned(),
        ..Default::default()
    });
    let mut h = harness_with(ws);
    open_matrix(&mut h);
    let before = h.query_all_by_label(long).count();
    let name = h.query_all_by_label(long).last().unwrap().rect();
    assert!(name.width() < 200.0, "cut to the names' column: {name:?}");
    hover_and_rest(&mut h, |h| {
        h.query_all_by_label(long).last().unwrap().rect()
    });
    assert_eq!(
        h.query_all_by_label(long).count(),
        before + 1,
        "the whole name on hover"
    );
}
