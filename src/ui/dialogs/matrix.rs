//! The access matrix: principals (rows) × galleries, definitions and versions (columns), each
//! cell the principal's effective role, and on hover why. The roles are computed once per
//! workspace generation; only the visible cells are laid out, so 1,000 principals × 10,000
//! versions stay within the frame budget.

use egui::{Align2, Rect, RichText, Sense, Ui, pos2, vec2};

use crate::access::roles::definition;
use crate::access::{AccessIndex, RoleSet};
use crate::memo::Memo;
use crate::model::{ResourcePath, Workspace};
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};

const LABEL_W: f32 = 200.0;
/// The header's two levels: the definition (or gallery) above, each column below.
const GROUP_H: f32 = 24.0;
const HEADER_H: f32 = 2.0 * GROUP_H;
const CELL_W: f32 = 96.0;
const ROW_H: f32 = 22.0;
/// How long the pointer rests on a cell before its reasons are worked out (about a tooltip's
/// delay).
const REST_SECS: f64 = 0.15;

/// Roles of every principal on every resource, for one workspace generation.
struct Table {
    principals: Vec<String>,
    /// Column headers: short name and full path.
    resources: Vec<(String, String)>,
    /// The upper header: runs of columns under one definition (its own column and its
    /// versions') or one gallery.
    groups: Vec<Group>,
    /// Row-major: `roles[row * columns + column]`.
    roles: Vec<RoleSet>,
}

/// A run of columns under one upper header.
struct Group {
    label: String,
    /// The full path and what the run holds, on hover.
    hover: String,
    columns: std::ops::Range<usize>,
}

fn build(ws: &Workspace) -> Table {
    let index = AccessIndex::new(ws);
    let ids: Vec<_> = index.resource_ids().collect();
    let paths: Vec<Option<ResourcePath>> = ids.iter().map(|id| index.path(*id)).collect();
    let resources = paths
        .iter()
        .map(|path| {
            let short = path.as_ref().map_or_else(String::new, |p| match p {
                ResourcePath::Gallery(_) => "gallery".to_owned(),
                ResourcePath::Definition(..) => "definition".to_owned(),
                other => other.name().to_owned(),
            });
            let full = path.as_ref().map(ToString::to_string).unwrap_or_default();
            (short, full)
        })
        .collect();
    let mut principals = Vec::with_capacity(ws.principals.len());
    let mut roles = Vec::with_capacity(ws.principals.len() * ids.len());
    for access in index.everyone() {
        principals.push(access.name().to_owned());
        roles.extend(ids.iter().map(|id| access.roles_at(*id)));
    }
    Table {
        principals,
        resources,
        groups: groups(&paths),
        roles,
    }
}

/// Consecutive columns of one definition (the definition, then its versions) form a group;
/// a gallery's own column is a group of one.
fn groups(paths: &[Option<ResourcePath>]) -> Vec<Group> {
    let mut groups: Vec<(ResourcePath, std::ops::Range<usize>)> = Vec::new();
    for (column, path) in paths.iter().enumerate() {
        let key = match path {
            Some(ResourcePath::Version(g, d, _)) => ResourcePath::definition(g, d),
            Some(other) => other.clone(),
            None => ResourcePath::Settings,
        };
        match groups.last_mut() {
            Some((last, columns)) if *last == key && columns.end == column => columns.end += 1,
            _ => groups.push((key, column..column + 1)),
        }
    }
    groups
        .into_iter()
        .map(|(key, columns)| {
            let versions = columns.len().saturating_sub(1);
            let hover = match &key {
                ResourcePath::Gallery(_) => format!("{key}: the gallery"),
                ResourcePath::Definition(..) => format!(
                    "{key}: the image definition and its {}",
                    crate::words::count(versions, "version", "versions")
                ),
                _ => key.to_string(),
            };
            Group {
                label: key.name().to_owned(),
                hover,
                columns,
            }
        })
        .collect()
}

/// Short cell text for a set of roles.
pub fn cell_text(roles: RoleSet) -> String {
    let labels: Vec<&str> = roles
        .roles()
        .into_iter()
        .map(|r| definition(r).short)
        .collect();
    labels.join("+")
}

/// How strong a cell's strongest role is; its background shows it (the role stays written,
/// for colour-blind users).
pub use crate::ui::theme::Tone;

pub fn cell_tone(roles: RoleSet) -> Option<Tone> {
    use crate::model::Role;
    let admin = [
        Role::Owner,
        Role::UserAccessAdministrator,
        Role::RoleBasedAccessControlAdministrator,
    ];
    if admin.iter().any(|r| roles.contains(*r)) {
        Some(Tone::Admin)
    } else if roles.contains(Role::Contributor) {
        Some(Tone::Contributor)
    } else if roles.is_empty() {
        None
    } else {
        Some(Tone::Reader)
    }
}

fn cell_fill(ui: &Ui, roles: RoleSet) -> Option<egui::Color32> {
    Some(crate::ui::theme::tone_fill(ui.visuals(), cell_tone(roles)?))
}

/// The matrix dialog.
#[derive(Default)]
pub struct MatrixView {
    /// The roles, by workspace generation.
    table: Memo<u64, Table>,
    /// The hovered cell's reasons, by (row, column, generation).
    hovered: Memo<(usize, usize, u64), Vec<String>>,
    /// The cell under the pointer and since when (egui time): its reasons are worked out only
    /// once the pointer rests there, so scrolling over the matrix never pays for them.
    resting: Option<((usize, usize, u64), f64)>,
    /// How many cells the last frame laid out (a test keeps this bounded).
    pub drawn_cells: usize,
    /// Just opened: the first frame scrolls to the start.
    opened: bool,
}

impl OpenDialog for MatrixView {
    type Request = ();

    fn open((): (), _cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        Some(Self {
            opened: true,
            ..Self::default()
        })
    }
}

impl MatrixView {
    /// Draws the dialog.
    fn draw(&mut self, ui: &mut Ui, ws: &Workspace, generation: u64) {
        self.table.get(generation, |_| build(ws));
        let Some(table) = self.table.last() else {
            return;
        };
        ui.heading("Access matrix");
        ui.label(format!(
            "{} × {}. A grant covers its resource and everything below it; hover a cell for why.",
            crate::words::count(table.principals.len(), "principal", "principals"),
            crate::words::count(table.resources.len(), "resource", "resources")
        ));
        let columns = table.resources.len();
        let rows = table.principals.len();
        let mut drawn = 0;
        let mut hover_request = None;
        // The table fills the dialog's stable size, leaving room for the Close button.
        let available = ui.available_size() - vec2(0.0, 36.0);
        let mut scroll = egui::ScrollArea::both().id_salt("access-matrix");
        // A matrix opened again starts at its first row and column: dialog ids repeat from
        // one session to the next, and eframe keeps egui's memory (the scroll offset) between.
        if std::mem::take(&mut self.opened) {
            scroll = scroll.scroll_offset(vec2(0.0, 0.0));
        }
        scroll
            .max_width(available.x.max(400.0))
            .max_height(available.y.max(240.0))
            .auto_shrink([false, false])
            .show_viewport(ui, |ui, viewport| {
                let origin = ui.max_rect().min;
                ui.set_min_size(vec2(
                    LABEL_W + columns as f32 * CELL_W,
                    HEADER_H + rows as f32 * ROW_H,
                ));
                let first_row = ((viewport.min.y / ROW_H).floor().max(0.0)) as usize;
                let last_row =
                    (((viewport.max.y - HEADER_H) / ROW_H).ceil().max(0.0) as usize).min(rows);
                let first_col = ((viewport.min.x / CELL_W).floor().max(0.0)) as usize;
                let last_col =
                    (((viewport.max.x - LABEL_W) / CELL_W).ceil().max(0.0) as usize).min(columns);
                let weak = ui.visuals().weak_text_color();
                let font = egui::TextStyle::Body.resolve(ui.style());
                for row in first_row..last_row {
                    for col in first_col..last_col {
                        let Some(roles) = table.roles.get(row * columns + col) else {
                            continue;
                        };
                        let rect = Rect::from_min_size(
                            origin
                                + vec2(
                                    LABEL_W + col as f32 * CELL_W,
                                    HEADER_H + row as f32 * ROW_H,
                                ),
                            vec2(CELL_W, ROW_H),
                        );
                        drawn += 1;
                        if let Some(fill) = cell_fill(ui, *roles) {
                            ui.painter().rect_filled(rect.shrink(1.0), 2.0, fill);
                        }
                        if roles.is_empty() {
                            ui.painter().text(
                                rect.center(),
                                Align2::CENTER_CENTER,
                                "-",
                                font.clone(),
                                weak,
                            );
                            continue;
                        }
                        let response = ui.put(
                            rect,
                            egui::Label::new(cell_text(*roles)).sense(Sense::hover()),
                        );
                        if response.hovered() {
                            hover_request = Some((row, col));
                        }
                        if self.hovered.key() == Some(&(row, col, generation))
                            && let Some(reasons) = self.hovered.last()
                        {
                            response.on_hover_ui(|ui| {
                                for reason in reasons {
                                    ui.label(reason);
                                }
                            });
                        }
                    }
                }
                sticky_headers(
                    ui,
                    table,
                    origin,
                    viewport,
                    (first_row..last_row, first_col..last_col),
                );
            });
        self.drawn_cells = drawn;
        self.rest_on(ui, ws, generation, hover_request);
        if ui.button("Close").clicked() {
            ui.close();
        }
    }

    /// Computes a cell's reasons once the pointer has rested on it for a moment.
    fn rest_on(
        &mut self,
        ui: &Ui,
        ws: &Workspace,
        generation: u64,
        hover_request: Option<(usize, usize)>,
    ) {
        let Some(table) = self.table.last() else {
            return;
        };
        match hover_request {
            Some((row, col)) => {
                let key = (row, col, generation);
                let now = ui.input(|i| i.time);
                let since = match self.resting {
                    Some((k, since)) if k == key => since,
                    _ => {
                        self.resting = Some((key, now));
                        now
                    }
                };
                if !self.hovered.is_for(&key) {
                    if now - since >= REST_SECS {
                        self.hovered.get(key, |_| reasons_for(ws, table, row, col));
                        ui.ctx().request_repaint();
                    } else {
                        ui.ctx()
                            .request_repaint_after(std::time::Duration::from_secs_f64(REST_SECS));
                    }
                }
            }
            None => self.resting = None,
        }
    }
}

/// Sticky headers: principal names on the left, resources on top, over the scrolled cells.
fn sticky_headers(
    ui: &mut Ui,
    table: &Table,
    origin: egui::Pos2,
    viewport: Rect,
    (rows, cols): (std::ops::Range<usize>, std::ops::Range<usize>),
) {
    // Sticky headers: principal names on the left, resources on top.
    let bg = ui.visuals().panel_fill;
    let left = origin.x + viewport.min.x;
    let top = origin.y + viewport.min.y;
    ui.painter().rect_filled(
        Rect::from_min_size(pos2(left, top + HEADER_H), vec2(LABEL_W, viewport.height())),
        0.0,
        bg,
    );
    for row in rows {
        let Some(name) = table.principals.get(row) else {
            continue;
        };
        let y = origin.y + HEADER_H + row as f32 * ROW_H;
        if y + ROW_H <= top + HEADER_H {
            continue;
        }
        // A name longer than the column is cut, the whole name on hover (egui's own tooltip
        // for a cut label, shown only then).
        let rect = Rect::from_min_size(pos2(left + 4.0, y), vec2(LABEL_W - 8.0, ROW_H));
        let layout = egui::Layout::left_to_right(egui::Align::Center);
        ui.scope_builder(egui::UiBuilder::new().max_rect(rect).layout(layout), |ui| {
            ui.add(egui::Label::new(name.as_str()).truncate());
        });
    }
    ui.painter().rect_filled(
        Rect::from_min_size(pos2(left, top), vec2(viewport.width(), HEADER_H)),
        0.0,
        bg,
    );
    let first_x = left + LABEL_W;
    let stroke = egui::Stroke::new(1.0, ui.visuals().widgets.noninteractive.bg_stroke.color);
    // Upper level: each definition (or gallery) once, over all its columns; its label stays
    // in view while the run is scrolled part way.
    for group in table
        .groups
        .iter()
        .filter(|g| g.columns.start < cols.end && cols.start < g.columns.end)
    {
        let x0 = origin.x + LABEL_W + group.columns.start as f32 * CELL_W;
        let x1 = origin.x + LABEL_W + group.columns.end as f32 * CELL_W;
        let right = left + viewport.width();
        let rect = Rect::from_min_max(
            pos2(x0.max(first_x), top),
            pos2(x1.min(right), top + GROUP_H),
        );
        if rect.width() < 8.0 {
            continue;
        }
        ui.painter().line_segment(
            [
                pos2(rect.left() + 3.0, rect.bottom() - 2.0),
                pos2(rect.right() - 3.0, rect.bottom() - 2.0),
            ],
            stroke,
        );
        header_label(ui, rect.shrink2(vec2(4.0, 0.0)), &group.label, &group.hover);
    }
    // Lower level: the column itself (the gallery, the definition, or a version).
    for col in cols {
        let Some((short, full)) = table.resources.get(col) else {
            continue;
        };
        let x = origin.x + LABEL_W + col as f32 * CELL_W;
        if x + CELL_W <= first_x {
            continue;
        }
        let rect = Rect::from_min_size(pos2(x, top + GROUP_H), vec2(CELL_W, GROUP_H));
        header_label(ui, rect.shrink2(vec2(4.0, 0.0)), short, full);
    }
}

/// A header's name, cut to its room, with the full text on hover once (egui's own tooltip for
/// a cut name would stack on it).
fn header_label(ui: &mut Ui, rect: Rect, text: &str, hover: &str) {
    ui.put(
        rect,
        egui::Label::new(RichText::new(text).strong())
            .truncate()
            .show_tooltip_when_elided(false),
    )
    .on_hover_text(hover);
}

/// Why the principal of `row` holds its roles on the resource of `col`.
fn reasons_for(ws: &Workspace, table: &Table, row: usize, col: usize) -> Vec<String> {
    let (Some(principal), Some((_, path))) = (table.principals.get(row), table.resources.get(col))
    else {
        return Vec::new();
    };
    let Some(resource) = ResourcePath::parse(path) else {
        return Vec::new();
    };
    let index = AccessIndex::new(ws);
    let Ok(access) = index.principal_access(principal) else {
        return Vec::new();
    };
    access
        .reasons_on(&resource)
        .iter()
        .map(|r| r.text_for(path))
        .collect()
}

impl Dialog for MatrixView {
    /// The table's own size (plus the heading, the note and Close), up to what the window
    /// gives a dialog (the dialog stack fits it to the window): a small directory gets a
    /// small dialog, a wide one the window. Fixed for a workspace generation, whatever the
    /// pointer does.
    fn size(&self) -> Option<egui::Vec2> {
        let (rows, columns) = self
            .table
            .last()
            .map_or((8, 8), |t| (t.principals.len(), t.resources.len()));
        Some(vec2(
            (LABEL_W + columns as f32 * CELL_W + 24.0).max(480.0),
            (HEADER_H + rows as f32 * ROW_H + 120.0).max(280.0),
        ))
    }

    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, _out: &mut Vec<Intent>) {
        self.draw(ui, cx.ws, cx.edit_generation);
    }
}
