//! The cost view (View, Cost): totals, a sortable breakdown table, bar charts of the monthly
//! storage cost per gallery and per region (`cost_chart.rs`), and the editable price table.
//! The panel owns its grouping, sorting, cached report and price draft. The numbers come from
//! `crate::cost`; this file only shows them.

pub mod chart;
pub mod prices;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::cost::{CostReport, GroupBy, Totals, format_usd, workspace_cost};
use crate::memo::Memo;
use crate::model::prices::DEFAULT_PRICES_NOTE;
use crate::model::{Edit, PriceTable, Region, ResourcePath, Workspace};
use crate::ui::intent::Intent;
use crate::ui::panels::cost::chart::bar_chart_ui;
use crate::ui::panels::cost::prices::{new_override_ui, overrides_ui, price_grid};
use crate::ui::view::ViewCx;

/// A column of the breakdown table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CostColumn {
    Name,
    Replicas,
    SnapshotGb,
    MonthlyUsd,
    EgressGb,
    EgressUsd,
}

impl CostColumn {
    pub const ALL: [Self; 6] = [
        Self::Name,
        Self::Replicas,
        Self::SnapshotGb,
        Self::MonthlyUsd,
        Self::EgressGb,
        Self::EgressUsd,
    ];

    pub fn title(self, by: GroupBy) -> &'static str {
        match self {
            Self::Name => match by {
                GroupBy::Region => "Region",
                GroupBy::Version => "Version",
                GroupBy::Definition => "Definition",
                GroupBy::Gallery => "Gallery",
            },
            Self::Replicas => "Replicas",
            Self::SnapshotGb => "Snapshot GB",
            Self::MonthlyUsd => "USD/month",
            Self::EgressGb => "Transfer GB",
            Self::EgressUsd => "Transfer USD",
        }
    }
}

/// One row of the breakdown table: what it is, where it is in the tree (not for regions), and
/// its totals.
#[derive(Clone, Debug, PartialEq)]
pub struct CostRow {
    pub name: String,
    pub path: Option<ResourcePath>,
    pub totals: Totals,
}

/// The rows of a breakdown, in the report's order.
pub fn cost_rows(report: &CostReport, by: GroupBy) -> Vec<CostRow> {
    match by {
        GroupBy::Region => report
            .regions
            .iter()
            .map(|r| CostRow {
                name: r.region.display_name().to_owned(),
                path: None,
                totals: r.totals,
            })
            .collect(),
        GroupBy::Gallery => report
            .galleries
            .iter()
            .map(|g| CostRow {
                name: g.name.clone(),
                path: Some(ResourcePath::gallery(&g.name)),
                totals: g.totals,
            })
            .collect(),
        GroupBy::Definition => report
            .galleries
            .iter()
            .flat_map(|g| {
                g.definitions.iter().map(|d| {
                    let path = ResourcePath::definition(&g.name, &d.name);
                    CostRow {
                        name: path.to_string(),
                        path: Some(path),
                        totals: d.totals,
                    }
                })
            })
            .collect(),
        GroupBy::Version => report
            .galleries
            .iter()
            .flat_map(|g| {
                g.definitions.iter().flat_map(move |d| {
                    d.versions.iter().map(move |v| {
                        let path = ResourcePath::version(&g.name, &d.name, &v.name);
                        CostRow {
                            name: path.to_string(),
                            path: Some(path),
                            totals: v.cost.totals,
                        }
                    })
                })
            })
            .collect(),
    }
}

/// Sorts rows by a column; ties keep their order.
pub fn sort_rows(rows: &mut [CostRow], column: CostColumn, descending: bool) {
    let number = |row: &CostRow| match column {
        CostColumn::Name => 0.0,
        CostColumn::Replicas => row.totals.replicas as f64,
        CostColumn::SnapshotGb => row.totals.snapshot_gb,
        CostColumn::MonthlyUsd => row.totals.monthly_usd,
        CostColumn::EgressGb => row.totals.egress_gb,
        CostColumn::EgressUsd => row.totals.egress_usd,
    };
    rows.sort_by(|a, b| {
        let order = if column == CostColumn::Name {
            a.name.to_lowercase().cmp(&b.name.to_lowercase())
        } else {
            number(a).total_cmp(&number(b))
        };
        if descending { order.reverse() } else { order }
    });
}

/// Chart bars in the table's default order: the dearest first, ties by name.
pub fn by_cost(mut bars: Vec<(String, f64)>) -> Vec<(String, f64)> {
    bars.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    bars
}

/// The number cells of a row, as the table shows them.
fn cells(t: &Totals) -> [String; 5] {
    [
        t.replicas.to_string(),
        format!("{:.2}", t.snapshot_gb),
        format_usd(t.monthly_usd),
        format!("{:.2}", t.egress_gb),
        format_usd(t.egress_usd),
    ]
}

/// A column title as shown, on two lines so the panel keeps every column in view: "Snapshot"
/// over "GB", "USD/month" over the sort arrow.
fn header_text(title: &str, arrow: &str) -> String {
    let (first, rest) = title.split_once(' ').unwrap_or((title, ""));
    format!("{first}\n{}", format!("{rest}{arrow}").trim_start())
}

/// The longest text of each number column: its title with a sort arrow, or a value.
fn longest_cells(rows: &[CostRow], by: GroupBy) -> [String; 5] {
    let mut longest: [String; 5] = Default::default();
    for (slot, column) in longest.iter_mut().zip(&CostColumn::ALL[1..]) {
        let header = header_text(column.title(by), " ⬇");
        let line = header.lines().max_by_key(|l| l.chars().count());
        *slot = line.unwrap_or_default().to_owned();
    }
    // Amounts are never negative, so the largest of a column is written the longest: one
    // pass over the rows, one formatting per column.
    let mut largest = Totals::default();
    for t in rows.iter().map(|r| &r.totals) {
        largest.replicas = largest.replicas.max(t.replicas);
        largest.snapshot_gb = largest.snapshot_gb.max(t.snapshot_gb);
        largest.monthly_usd = largest.monthly_usd.max(t.monthly_usd);
        largest.egress_gb = largest.egress_gb.max(t.egress_gb);
        largest.egress_usd = largest.egress_usd.max(t.egress_usd);
    }
    for (slot, text) in longest.iter_mut().zip(cells(&largest)) {
        if text.chars().count() > slot.chars().count() {
            *slot = text;
        }
    }
    longest
}

/// State of the cost panel: grouping, sorting, the cached report and the price draft.
pub struct CostView {
    pub group_by: GroupBy,
    pub sort: CostColumn,
    pub descending: bool,
    /// The report, by edit generation.
    report: Memo<u64, CostReport>,
    /// The rows, by (generation, group, sort, descending).
    breakdown: Memo<(u64, GroupBy, CostColumn, bool), Breakdown>,
    /// Prices being edited, by the edit generation they were loaded at: loaded again from the
    /// workspace after every change.
    prices: Memo<u64, PriceTable>,
    /// The region-pair price being added: from, to, USD per GB.
    new_override: Option<(Region, Region, f64)>,
    /// Why the last "Add price override" was refused.
    override_error: Option<String>,
}

impl Default for CostView {
    fn default() -> Self {
        Self {
            group_by: GroupBy::Gallery,
            sort: CostColumn::MonthlyUsd,
            descending: true,
            report: Memo::default(),
            breakdown: Memo::default(),
            prices: Memo::default(),
            new_override: None,
            override_error: None,
        }
    }
}

/// The breakdown table's rows, sorted, and the longest text of each number column (its title
/// or a value), to size the columns.
struct Breakdown {
    rows: Vec<CostRow>,
    longest: [String; 5],
}

impl CostView {
    /// Forgets the report and the price draft (another document: nothing of the
    /// old one's is kept); how the table is grouped and sorted stays.
    pub fn forget(&mut self) {
        self.report.clear();
        self.breakdown.clear();
        self.prices.clear();
    }

    fn refresh(&mut self, ws: &Workspace, generation: u64) {
        let report = self.report.get(generation, |_| workspace_cost(ws));
        let (by, sort, descending) = (self.group_by, self.sort, self.descending);
        self.breakdown.get((generation, by, sort, descending), |_| {
            let mut rows = cost_rows(report, by);
            sort_rows(&mut rows, sort, descending);
            let longest = longest_cells(&rows, by);
            Breakdown { rows, longest }
        });
        self.prices.get(generation, |_| ws.settings.prices.clone());
    }
}

impl CostView {
    /// Draws the panel's content.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        // Costs depend on regions and replicas, not on replication progress.
        let generation = cx.edit_generation;
        self.refresh(cx.ws, generation);
        let Some(report) = self.report.last() else {
            return;
        };
        ui.add_space(4.0);
        ui.heading("Cost");
        ui.label(format!(
            "Storage {}/month",
            format_usd(report.totals.monthly_usd)
        ));
        ui.label(format!(
            "Transfer {} once, when replicas are first copied",
            format_usd(report.totals.egress_usd)
        ));
        ui.weak(format!(
            "{}, {:.2} GB of snapshots",
            crate::words::count(report.totals.replicas as usize, "replica", "replicas"),
            report.totals.snapshot_gb
        ));
        if report.default_prices {
            ui.label(
                RichText::new(format!("⚠ {DEFAULT_PRICES_NOTE}")).color(ui.visuals().warn_fg_color),
            );
        } else {
            ui.weak("Prices edited in this workspace (estimates, not quotes)");
        }
        for unpriced in &report.unpriced {
            ui.label(
                RichText::new(format!(
                    "Not priced: {}: {}",
                    unpriced.path, unpriced.reason
                ))
                .small()
                .color(ui.visuals().warn_fg_color),
            );
        }
        let bars_by_gallery = by_cost(
            report
                .galleries
                .iter()
                .map(|g| (g.name.clone(), g.totals.monthly_usd))
                .collect(),
        );
        let bars_by_region = by_cost(
            report
                .regions
                .iter()
                .map(|r| (r.region.display_name().to_owned(), r.totals.monthly_usd))
                .collect(),
        );

        ui.add_space(8.0);
        ui.horizontal(|ui| {
            ui.strong("Breakdown by");
            for by in GroupBy::ALL {
                ui.selectable_value(&mut self.group_by, by, by.label());
            }
        });
        self.breakdown_table_ui(ui, out);

        ui.add_space(10.0);
        bar_chart_ui(
            ui,
            "Monthly storage cost per gallery",
            "Gallery",
            &bars_by_gallery,
        );
        ui.add_space(10.0);
        bar_chart_ui(
            ui,
            "Monthly storage cost per region",
            "Region",
            &bars_by_region,
        );
        ui.add_space(10.0);
        egui::CollapsingHeader::new("Prices")
            .default_open(true)
            .show(ui, |ui| self.prices_ui(ui, cx, out));
    }

    fn breakdown_table_ui(&mut self, ui: &mut Ui, out: &mut Vec<Intent>) {
        let view = &mut *self;
        let by = view.group_by;
        let mut clicked_column = None;
        let mut select = None;
        let Some(Breakdown { rows, longest }) = view.breakdown.last() else {
            return;
        };
        let row_height = ui.spacing().interact_size.y;
        // Number columns as wide as their longest text: right-aligned cells would otherwise
        // grow an automatic column to all the room there is, pushing the last one off the
        // panel.
        let font = egui::TextStyle::Body.resolve(ui.style());
        let padding = 10.0;
        let widths = longest.clone().map(|text| {
            let galley =
                ui.painter()
                    .layout_no_wrap(text, font.clone(), egui::Color32::PLACEHOLDER);
            galley.size().x + padding
        });
        ui.push_id("cost-breakdown", |ui| {
            let mut table = TableBuilder::new(ui)
                .striped(true)
                // The panel scrolls: a second scroll area inside it would trap the wheel.
                .vscroll(false)
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::remainder().at_least(100.0).clip(true));
            for width in widths {
                table = table.column(Column::exact(width));
            }
            table
                .header(36.0, |mut header| {
                    for column in CostColumn::ALL {
                        header.col(|ui| {
                            let sorted = view.sort == column;
                            let arrow = match (sorted, view.descending) {
                                (false, _) => "",
                                (true, true) => " ⬇",
                                (true, false) => " ⬆",
                            };
                            let title = column.title(by);
                            let text = RichText::new(header_text(title, arrow)).strong();
                            let response = ui
                                .add(egui::Label::new(text).extend().sense(egui::Sense::click()))
                                .on_hover_cursor(egui::CursorIcon::PointingHand)
                                .on_hover_text(format!("Sort by {}", title.to_lowercase()));
                            // Spoken on one line, as it reads.
                            response.widget_info(|| {
                                egui::WidgetInfo::labeled(
                                    egui::Role::Button,
                                    true,
                                    format!("{title}{arrow}"),
                                )
                            });
                            if response.clicked() {
                                clicked_column = Some(column);
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(row_height, rows.len(), |mut row| {
                        let Some(item) = rows.get(row.index()) else {
                            return;
                        };
                        row.col(|ui| match &item.path {
                            Some(path) => {
                                if ui
                                    .link(&item.name)
                                    .on_hover_text("Select in the tree")
                                    .clicked()
                                {
                                    select = Some(path.clone());
                                }
                            }
                            None => {
                                ui.label(&item.name);
                            }
                        });
                        for text in cells(&item.totals) {
                            row.col(|ui| {
                                ui.with_layout(
                                    egui::Layout::right_to_left(egui::Align::Center),
                                    |ui| ui.label(text),
                                );
                            });
                        }
                    });
                });
        });
        if let Some(column) = clicked_column {
            if view.sort == column {
                view.descending = !view.descending;
            } else {
                view.sort = column;
                // Names read best A to Z, amounts largest first.
                view.descending = column != CostColumn::Name;
            }
        }
        if rows.is_empty() {
            ui.weak("No priced image versions");
        }
        if let Some(path) = select {
            out.push(Intent::select(path));
        }
    }

    fn prices_ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let Self {
            prices,
            new_override,
            override_error,
            ..
        } = self;
        let Some(prices) = prices.last_mut() else {
            return;
        };
        let mut commit = price_grid(ui, prices);
        commit |= overrides_ui(ui, prices);
        commit |= new_override_ui(ui, prices, new_override, override_error);
        if let Some(err) = override_error {
            ui.label(RichText::new(format!("⛔ {err}")).color(ui.visuals().error_fg_color));
        }
        let check = prices.check();
        if let Err(err) = &check {
            ui.label(
                RichText::new(format!("⛔ {err}; the price is not stored"))
                    .color(ui.visuals().error_fg_color),
            );
        }
        ui.weak("Transfer inside a region is free: extra replicas are copied within it");
        let stored = &cx.ws.settings.prices;
        let mut new_prices = None;
        if commit && check.is_ok() && prices != stored {
            new_prices = Some(prices.clone());
        }
        if ui
            .add_enabled(
                !stored.is_default_estimate(),
                egui::Button::new("Reset to the default estimates"),
            )
            .clicked()
        {
            new_prices = Some(PriceTable::default());
        }
        if let Some(prices) = new_prices {
            let mut settings = cx.ws.settings.clone();
            settings.prices = prices;
            out.push(Intent::Edit {
                edit: Edit::SetSettings { settings },
                select: None,
                notice: Some("Changed the prices".to_owned()),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample;

    #[test]
    fn chart_bars_put_the_dearest_first() {
        let bars = by_cost(vec![
            ("East US".to_owned(), 7.74),
            ("West Central US".to_owned(), 15.26),
            ("Canada East".to_owned(), 4.98),
            ("Canada Central".to_owned(), 4.98),
        ]);
        let names: Vec<&str> = bars.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "West Central US",
                "East US",
                "Canada Central",
                "Canada East"
            ]
        );
    }

    #[test]
    fn columns_are_sized_by_their_longest_title_line_or_largest_value() {
        let row = |replicas, usd| CostRow {
            name: "v".to_owned(),
            path: None,
            totals: Totals {
                replicas,
                monthly_usd: usd,
                egress_usd: usd,
                ..Totals::default()
            },
        };
        let longest = longest_cells(&[row(3, 9.5), row(120, 12_345.678)], GroupBy::Version);
        assert_eq!(longest[0], "Replicas", "the title is longer than 120");
        assert_eq!(longest[1], "Snapshot");
        assert_eq!(longest[2], cells(&row(120, 12_345.678).totals)[2]);
        assert_eq!(longest[4], format_usd(12_345.678));
        assert_eq!(header_text("Transfer USD", " ⬇"), "Transfer\nUSD ⬇");
        assert_eq!(header_text("USD/month", ""), "USD/month\n");
    }

    #[test]
    fn rows_sort_by_any_column_and_versions_have_paths() {
        let report = workspace_cost(&sample());
        let mut rows = cost_rows(&report, GroupBy::Version);
        assert_eq!(rows.len(), 7);
        assert!(
            rows.iter()
                .all(|r| matches!(r.path, Some(ResourcePath::Version(..))))
        );
        sort_rows(&mut rows, CostColumn::MonthlyUsd, true);
        assert_eq!(rows[0].name, "contoso_images/win2022-datacenter/2026.9.0");
        sort_rows(&mut rows, CostColumn::MonthlyUsd, false);
        assert_eq!(rows[0].name, "contoso_images/ubuntu-2204-base/1.0.8");
        sort_rows(&mut rows, CostColumn::Name, false);
        assert_eq!(rows[0].name, "contoso_images/ubuntu-2204-base/1.0.12");
        let regions = cost_rows(&report, GroupBy::Region);
        assert!(regions.iter().all(|r| r.path.is_none()));
        let sum: f64 = regions.iter().map(|r| r.totals.monthly_usd).sum();
        assert!((sum - report.totals.monthly_usd).abs() < 1e-9);
    }
}
