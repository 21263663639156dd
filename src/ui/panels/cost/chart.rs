//! The cost view's bar charts, drawn with the painter.

use egui::Ui;

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
    // Narrow panels give the names less room before the chart scrolls sideways.
    let visible = ui.clip_rect().right() - ui.cursor().left();
    let name_width = (visible * 0.3).clamp(90.0, 140.0);
    let value_width = 80.0;
    let axis_height = 34.0;
    let header_height = 16.0;
    // As wide as what shows of the panel from here: a wide table above must not widen the
    // chart past the panel's edge (the panel scrolls sideways for the table alone).
    let width = visible
        .min(ui.available_width())
        .max(name_width + value_width + 80.0);
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
    // Round ticks about every 80 points: 1, 2 or 5 × 10^n dollars.
    let ticks = Ticks::new(max, (plot_width / 80.0).clamp(2.0, 6.0) as usize);
    let top = rect.top() + header_height;
    let bottom = top + bars.len() as f32 * (bar_height + gap);
    let x_of = |usd: f64| {
        let fraction = usd / ticks.end();
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
    for usd in ticks.values() {
        let x = x_of(usd);
        painter.line_segment([egui::pos2(x, top), egui::pos2(x, bottom + 3.0)], stroke);
        painter.text(
            egui::pos2(x, bottom + 4.0),
            egui::Align2::CENTER_TOP,
            ticks.label(usd),
            small.clone(),
            weak,
        );
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
    let fill = crate::ui::theme::chart_bar(ui.visuals());
    for (i, (name, usd)) in bars.iter().enumerate() {
        let y = top + i as f32 * (bar_height + gap);
        // A name longer than its room ends in "…" (the whole list is in the chart's label).
        let mut job =
            egui::text::LayoutJob::simple_singleline(name.clone(), font.clone(), text_color);
        job.wrap = egui::text::TextWrapping::truncate_at_width(name_width - 6.0);
        let galley = painter.layout_job(job);
        let at = egui::pos2(
            plot_left - 6.0 - galley.size().x,
            y + (bar_height - galley.size().y) / 2.0,
        );
        painter.galley(at, galley, text_color);
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

/// Round axis ticks from zero: a step of 1, 2 or 5 × 10^n, enough steps to pass the largest
/// value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ticks {
    pub step: f64,
    pub count: u32,
}

impl Ticks {
    /// About `wanted` steps (at least one) up to `max` or just past it.
    pub fn new(max: f64, wanted: usize) -> Self {
        let wanted = wanted.max(1) as f64;
        if !(max.is_finite() && max > 0.0) {
            return Self {
                step: 1.0,
                count: 1,
            };
        }
        let raw = max / wanted;
        let magnitude = 10_f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|f| f * magnitude)
            .find(|s| *s >= raw * (1.0 - 1e-9))
            .unwrap_or(10.0 * magnitude);
        let count = ((max / step) * (1.0 - 1e-9)).ceil().max(1.0) as u32;
        Self { step, count }
    }

    /// The last tick: the axis ends here.
    pub fn end(self) -> f64 {
        self.step * f64::from(self.count)
    }

    pub fn values(self) -> impl Iterator<Item = f64> {
        (0..=self.count).map(move |i| self.step * f64::from(i))
    }

    /// "$0", "$50", "$1,000", "$0.5", "$0.05": as many decimals as the step needs.
    pub fn label(self, usd: f64) -> String {
        if usd == 0.0 {
            return "$0".to_owned();
        }
        let decimals = if self.step >= 1.0 {
            0
        } else {
            (-(self.step.log10() + 1e-9).floor()) as usize
        };
        let text = format!("{usd:.decimals$}");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let mut grouped = String::new();
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        if fraction.is_empty() {
            format!("${grouped}")
        } else {
            format!("${grouped}.{fraction}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Ticks;

    fn labels(max: f64, wanted: usize) -> Vec<String> {
        let ticks = Ticks::new(max, wanted);
        ticks.values().map(|v| ticks.label(v)).collect()
    }

    #[test]
    fn ticks_are_round_and_pass_the_largest_value() {
        assert_eq!(labels(82.70, 4), ["$0", "$50", "$100"]);
        assert_eq!(labels(82.70, 6), ["$0", "$20", "$40", "$60", "$80", "$100"]);
        assert_eq!(labels(15.26, 4), ["$0", "$5", "$10", "$15", "$20"]);
        assert_eq!(labels(100.0, 2), ["$0", "$50", "$100"]);
        assert_eq!(labels(4.98, 3), ["$0", "$2", "$4", "$6"]);
        assert_eq!(labels(0.3, 3), ["$0", "$0.1", "$0.2", "$0.3"]);
        assert_eq!(labels(0.07, 2), ["$0", "$0.05", "$0.10"]);
        assert_eq!(labels(2400.0, 3), ["$0", "$1,000", "$2,000", "$3,000"]);
        assert_eq!(labels(0.0, 4), ["$0", "$1"]);
        for max in [0.013, 0.9, 7.0, 63.0, 999.0, 12_345.0] {
            for wanted in 1..=6 {
                let ticks = Ticks::new(max, wanted);
                assert!(ticks.end() >= max, "{max} over {wanted}: {ticks:?}");
                assert!(ticks.end() < max * 2.5 + ticks.step, "{max}: {ticks:?}");
                let mantissa = ticks.step / 10_f64.powf(ticks.step.log10().floor());
                assert!(
                    [1.0, 2.0, 5.0].iter().any(|m| (m - mantissa).abs() < 1e-6),
                    "{max}: step {}",
                    ticks.step
                );
            }
        }
    }
}
