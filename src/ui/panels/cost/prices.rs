//! The cost view's price table: storage and transfer prices, and prices for pairs of regions.

use egui::Ui;

use crate::model::{PriceTable, Region, StorageType};
use crate::ui::widgets::form::{number_committed, number_field};

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
                        number_field(&mut value)
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
                        number_field(value)
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
                    number_field(&mut pair.usd_per_gb)
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

/// The row that adds a price for a pair of regions; returns whether one was added.
pub fn new_override_ui(
    ui: &mut Ui,
    prices: &mut PriceTable,
    new_override: &mut Option<(Region, Region, f64)>,
    override_error: &mut Option<String>,
) -> bool {
    let mut commit = false;
    if new_override.is_none() {
        *new_override = Region::parse("westcentralus")
            .ok()
            .zip(Region::parse("northeurope").ok())
            .map(|(from, to)| (from, to, prices.transfer_between_continents_usd_per_gb));
    }
    if let Some((from, to, usd)) = new_override {
        ui.label("Price for a pair of regions (overrides the continent rule, both ways)");
        ui.horizontal_wrapped(|ui| {
                let label = ui.label("Between");
                crate::ui::widgets::form::region_combo(ui, "override-from", from).labelled_by(label.id);
                let label = ui.label("and");
                crate::ui::widgets::form::region_combo(ui, "override-to", to).labelled_by(label.id);
                let label = ui.label("Pair price");
                ui.add(
                    egui::DragValue::new(usd)
                        .speed(0.001)
                        .max_decimals(4)
                        .suffix(" USD/GB"),
                )
                .labelled_by(label.id);
                if ui
                    .button("Add price override")
                    .on_hover_text(
                        "Use this transfer price between the two regions; an existing price for the pair is replaced",
                    )
                    .clicked()
                {
                    match prices.set_transfer_override(*from, *to, *usd) {
                        Ok(()) => {
                            *override_error = None;
                            commit = true;
                        }
                        Err(err) => *override_error = Some(err.to_string()),
                    }
                }
            });
    }
    commit
}
