//! The progress of a workspace file being opened, over the window (the current workspace stays
//! open until the new one has loaded completely).

use crate::ui::view::ViewCx;

/// Draws the overlay while a file loads; nothing otherwise.
pub fn ui(ctx: &egui::Context, cx: &ViewCx<'_>) {
    let Some(load) = cx.files.loading else {
        return;
    };
    let text = format!(
        "Opening {} ({:.1} MB)…",
        load.path.display(),
        load.total_bytes as f64 / 1e6
    );
    let fraction = load.read_fraction();
    let elapsed = load.started.elapsed().as_secs_f32();
    egui::Modal::new(egui::Id::unique("sig-studio-loading")).show(ctx, |ui| {
        ui.label(text);
        ui.add(
            egui::ProgressBar::new(fraction)
                .desired_width(360.0)
                .text(if fraction < 1.0 {
                    format!("reading {:.0} %", fraction * 100.0)
                } else {
                    format!("checking the file… {elapsed:.1} s")
                })
                .animate(true),
        );
        ui.weak("The current workspace stays open until the new one has loaded completely.");
    });
}
