//! The cost view's price table: storage and transfer prices, and prices for pairs of regions.

use egui::Ui;

use crate::model::{PriceTable, StorageType};
use crate::ui::widgets::form::number_committed;

/// The storage and transfer prices; returns whether an edit of one ended.
pub fn price_grid(ui: &mut Ui, prices: &mut PriceTable) -> bool {
    let mut commit = false;
    egui::Grid::new("prices")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            for storage in StorageType::ALL {
                let label = ui.label(format!("{} storage", storage.label()));
                let mut value = prices.storage_usd_per_gb_month(storage);
                let response = ui
                    .add(
                        egui::DragValue::new(&mut value)
                            .speed(0.001)
                            .max_decimals(4)
                            .suffix(" USD/GB-month"),
                    )
                    .labelled_by(label.id);
                if response.changed() {
                    prices.set_storage_usd_per_gb_month(storage, value);
                }
                commit |= number_committed(&response);
                ui.end_row();
            }
            for (text, value) in [
                (
                    "Transfer within a continent",
                    &mut prices.transfer_within_continent_usd_per_gb,
                ),
                (
                    "Transfer between continents",
                    &mut prices.transfer_between_continents_usd_per_gb,
                ),
            ] {
                let label = ui.label(text);
                let response = ui
                    .add(
                        egui::DragValue::new(value)
                            .speed(0.001)
                            .max_decimals(4)
                            .suffix(" USD/GB"),
                    )
                    .labelled_by(label.id);
                commit |= number_committed(&response);
                ui.end_row();
            }
        });
    commit
}

/// The prices for pairs of regions, each with Remove; returns whether one changed.
pub fn overrides_ui(ui: &mut Ui, prices: &mut PriceTable) -> bool {
    let mut commit = false;
    let mut remove = None;
    for (i, pair) in prices.transfer_overrides.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let text = format!("Transfer between {} and {}", pair.from, pair.to);
            let label = ui.label(&text);
            let response = ui
                .add(
                    egui::DragValue::new(&mut pair.usd_per_gb)
                        .speed(0.001)
                        .max_decimals(4)
                        .suffix(" USD/GB"),
                )
                .labelled_by(label.id);
            commit |= number_committed(&response);
            let button = ui
                .button("Remove")
                .on_hover_text("Remove this price override");
            button.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Remove {text}"))
            });
            if button.clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        prices.transfer_overrides.remove(i);
        commit = true;
    }
    commit
}
