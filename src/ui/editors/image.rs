//! The image editor.

use egui::Ui;

use crate::model::{CaptureKind, ManagedImage, ResourcePath};
use crate::ui::editors::context::{editable, grid, heading, other_problems, read_only};
use crate::ui::intent::Intent;
use crate::ui::view::ViewCx;
use crate::ui::widgets::form::{
    CAPTURES, Form, OS_TYPES, number_committed, number_field, region_combo,
};

pub(in crate::ui::editors) fn image_ui(
    ui: &mut Ui,
    cx: &ViewCx<'_>,
    path: &ResourcePath,
    image: &mut ManagedImage,
    form: &mut Form<'_>,
    out: &mut Vec<Intent>,
) {
    let ws = cx.ws;
    heading(ui, cx, "managed image", path);
    editable(ui, read_only(cx, path).as_deref(), |ui| {
        grid(ui, "image-form", |ui| {
            form.text(ui, "Name", "name", &mut image.name, "");
            form.row(ui, "Region", Some("region"), |ui, id| {
                region_combo(ui, "image-region", &mut image.region).labelled_by(id)
            });
            form.choice(ui, "OS type", "os_type", &mut image.os_type, &OS_TYPES);
            form.choice(
                ui,
                "Captured from",
                "capture",
                &mut image.capture,
                &CAPTURES,
            );
            form.number(
                ui,
                "OS disk size",
                "os_disk_gb",
                &mut image.os_disk_gb,
                1..=32_768,
                " GB",
            );
            form.float(ui, "Occupied", "occupied_gb", &mut image.occupied_gb, " GB");
            form.row(ui, "Data disks", Some("data_disks"), |ui, id| {
                data_disks_ui(ui, id, image)
            });
        });
    });
    other_problems(
        ui,
        form.problems,
        &[
            "name",
            "region",
            "os_type",
            "capture",
            "os_disk_gb",
            "occupied_gb",
            "data_disks",
        ],
    );
    ui.add_space(8.0);
    let users: Vec<(String, String, String)> = ws
        .versions()
        .filter(|(_, _, v)| v.source == path.name())
        .map(|(g, d, v)| (g.name.clone(), d.name.clone(), v.name.clone()))
        .collect();
    ui.label(format!(
        "Source of {}",
        crate::words::count(users.len(), "image version", "image versions")
    ));
    for (g, d, v) in users {
        if ui.link(format!("{g}/{d}/{v}")).clicked() {
            out.push(Intent::select(ResourcePath::version(&g, &d, &v)));
        }
    }
}

/// The data disks, each with its LUN, size and Remove, and Add data disk for a whole-VM capture.
fn data_disks_ui(ui: &mut Ui, id: egui::Id, image: &mut ManagedImage) -> egui::Response {
    ui.vertical(|ui| {
        let mut response = ui
            .weak(crate::words::count(
                image.data_disks.len(),
                "data disk",
                "data disks",
            ))
            .labelled_by(id);
        let mut remove = None;
        for (i, disk) in image.data_disks.iter_mut().enumerate() {
            ui.horizontal(|ui| {
                let lun = ui.label("LUN");
                let r = ui
                    .add(number_field(&mut disk.lun).range(0..=63))
                    .labelled_by(lun.id);
                if number_committed(&r) {
                    response.mark_changed();
                }
                let size = ui.label("Size");
                let r = ui
                    .add(
                        number_field(&mut disk.size_gb)
                            .range(1..=32_768)
                            .suffix(" GB"),
                    )
                    .labelled_by(size.id);
                if number_committed(&r) {
                    response.mark_changed();
                }
                if ui
                    .button("Remove")
                    .on_hover_text("Remove this data disk")
                    .clicked()
                {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            image.data_disks.remove(i);
            response.mark_changed();
        }
        if image.capture == CaptureKind::WholeVm && ui.button("Add data disk").clicked() {
            let lun = image
                .data_disks
                .iter()
                .map(|d| d.lun + 1)
                .max()
                .unwrap_or(0);
            image
                .data_disks
                .push(crate::model::DataDisk { lun, size_gb: 64 });
            response.mark_changed();
        }
        response
    })
    .inner
}
