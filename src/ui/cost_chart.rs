//! The cost view's bar charts, drawn with the painter.

use egui::{Color32, Ui};

use crate::cost::format_usd;

/// A horizontal bar chart of amounts in USD per month, drawn with the painter: one bar per
/// item with its name on the left and its value at the bar's end, the amount axis below.
pub fn bar_chart_ui(ui: &mut Ui, title: &str, category: &str, bars: &[(String, f64)]) {
    ui.strong(title);
    if bars.is_empty() {
        ui.weak("Nothing to show");
        return;
    }
    let bar_height = 16.0;
    let gap = 4.0;
    let name_width = 140.0;
    let value_width = 90.0;
    let axis_height = 34.0;
    let header_height = 16.0;
    let width = ui.available_width().max(name_width + value_width + 80.0);
    let height = header_height + bars.len() as f32 * (bar_height + gap) + axis_height;
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::hover());
    let summary = bars
        .iter()
        .map(|(name, usd)| format!("{name} {}/month", format_usd(*usd)))
        .collect::<Vec<_>>()
        .join(", ");
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Image, true, format!("{title}: {summary}"))
    });
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    let text_color = visuals.text_color();
    let weak = visuals.weak_text_color();
    let font = egui::FontId::proportional(12.0);
    let small = egui::FontId::proportional(11.0);
    let max = bars.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max);
    let plot_left = rect.left() + name_width;
    let plot_right = rect.right() - value_width;
    let plot_width = (plot_right - plot_left).max(1.0);
    let top = rect.top() + header_height;
    let bottom = top + bars.len() as f32 * (bar_height + gap);
    let x_of = |usd: f64| {
        let fraction = if max > 0.0 { usd / max } else { 0.0 };
        plot_left + plot_width * fraction as f32
    };
    // Category axis title.
    painter.text(
        egui::pos2(rect.left(), rect.top()),
        egui::Align2::LEFT_TOP,
        category,
        small.clone(),
        weak,
    );
    // Grid lines and amount ticks.
    let stroke = egui::Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color);
    for step in 0..=4 {
        let usd = max * f64::from(step) / 4.0;
        let x = x_of(usd);
        painter.line_segment([egui::pos2(x, top), egui::pos2(x, bottom + 3.0)], stroke);
        if step % 2 == 0 {
            painter.text(
                egui::pos2(x, bottom + 4.0),
                egui::Align2::CENTER_TOP,
                format!("{usd:.2}"),
                small.clone(),
                weak,
            );
        }
    }
    painter.line_segment(
        [
            egui::pos2(plot_left, bottom),
            egui::pos2(plot_right, bottom),
        ],
        egui::Stroke::new(1.0, weak),
    );
    painter.text(
        egui::pos2((plot_left + plot_right) / 2.0, bottom + 18.0),
        egui::Align2::CENTER_TOP,
        "Storage, USD/month",
        small,
        weak,
    );
    let fill = Color32::from_rgb(0x3a, 0x8e, 0xe6);
    for (i, (name, usd)) in bars.iter().enumerate() {
        let y = top + i as f32 * (bar_height + gap);
        let name_rect = egui::Rect::from_min_max(
            egui::pos2(rect.left(), y),
            egui::pos2(plot_left - 6.0, y + bar_height),
        );
        painter.with_clip_rect(name_rect).text(
            egui::pos2(plot_left - 6.0, y + bar_height / 2.0),
            egui::Align2::RIGHT_CENTER,
            name,
            font.clone(),
            text_color,
        );
        let end = x_of(*usd).max(plot_left + 1.0);
        painter.rect_filled(
            egui::Rect::from_min_max(egui::pos2(plot_left, y), egui::pos2(end, y + bar_height)),
            2.0,
            fill,
        );
        painter.text(
            egui::pos2(end + 4.0, y + bar_height / 2.0),
            egui::Align2::LEFT_CENTER,
            format_usd(*usd),
            font.clone(),
            text_color,
        );
    }
}
