//! The export written as it is made (issue 23): the same bytes as the whole document built and
//! then serialized (the ARM template as one `serde_json::Value`, the az script as one `Script`),
//! for the sample, the richest workspace, 10,000 generated versions, scopes, and parameters
//! numbered past 9; a failing output stops the write and leaves the previous file.

use std::io::Write;

use sig_studio_core::export::{self, Export, Format, Scope, arm, az};
use sig_studio_core::model::{Grant, ManagedImage, Role, Workspace};
use sig_studio_core::sample::{sample, synthetic};
use sig_studio_core::workspace;

/// The template as the writer before streaming made it: the whole tree, then pretty JSON.
fn arm_whole(ws: &Workspace, scope: &Scope) -> String {
    serde_json::to_string_pretty(&arm::template(ws, scope).unwrap()).unwrap() + "\n"
}

/// The script as the writer before streaming made it: every command, then rendered.
fn az_whole(ws: &Workspace, scope: &Scope) -> String {
    az::render(&az::script(ws, scope).unwrap())
}

fn streamed(ws: &Workspace, scope: &Scope, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    Export::new(ws, scope, format)
        .unwrap()
        .write_to(&mut out)
        .unwrap();
    out
}

fn assert_same(ws: &Workspace, scope: &Scope, what: &str) {
    let arm = streamed(ws, scope, Format::Arm);
    assert!(
        arm == arm_whole(ws, scope).as_bytes(),
        "{what}: the streamed template differs from the whole one"
    );
    assert_eq!(arm::to_string(ws, scope).unwrap().as_bytes(), arm);
    assert_eq!(
        export::export(ws, scope, Format::Arm).unwrap().as_bytes(),
        arm
    );
    let script = streamed(ws, scope, Format::Az);
    assert!(
        script == az_whole(ws, scope).as_bytes(),
        "{what}: the streamed script differs from the whole one"
    );
    assert_eq!(
        export::export(ws, scope, Format::Az).unwrap().as_bytes(),
        script
    );
}

#[test]
fn the_sample_and_the_richest_workspace_stream_to_the_same_bytes() {
    assert_same(&sample(), &Scope::default(), "sample");
    let rich = crate::export::rich();
    assert_same(&rich, &Scope::default(), "rich");
    let g = rich.galleries[0].name.clone();
    let d = rich.galleries[0].definitions[0].name.clone();
    assert_same(&rich, &Scope::parse(&g).unwrap(), "one gallery");
    assert_same(
        &rich,
        &Scope::parse(&format!("{g}/{d}")).unwrap(),
        "one definition",
    );
}

#[test]
fn ten_thousand_versions_stream_to_the_same_bytes() {
    let ws = synthetic(10_000);
    assert_same(&ws, &Scope::default(), "10,000 versions");
}

/// Twelve principals known by name only and twelve managed images, asked for in an order that
/// is neither their names' nor their parameters' (principalObjectId10 sorts before …Id2).
fn many_parameters() -> Workspace {
    let mut ws = synthetic(40);
    let template = ws.managed_images[0].clone();
    for i in (0..12).rev() {
        ws.managed_images.push(ManagedImage {
            name: format!("image-{i:02}"),
            ..template.clone()
        });
    }
    let mut i = 0;
    for g in &mut ws.galleries {
        for d in &mut g.definitions {
            for v in &mut d.versions {
                v.source = format!("image-{:02}", (i * 7) % 12);
                i += 1;
            }
        }
    }
    let scopes: Vec<String> = ws
        .galleries
        .iter()
        .flat_map(|g| {
            g.definitions.iter().flat_map(move |d| {
                d.versions
                    .iter()
                    .map(move |v| format!("{}/{}/{}", g.name, d.name, v.name))
            })
        })
        .collect();
    for (n, scope) in scopes.iter().enumerate().take(24) {
        ws.grants.push(Grant {
            principal: format!("user{:02}@contoso.com", (n * 5) % 12),
            role: Role::Reader,
            scope: scope.clone(),
        });
    }
    ws
}

#[test]
fn parameters_are_numbered_as_the_whole_document_numbers_them() {
    let ws = many_parameters();
    let whole = arm_whole(&ws, &Scope::default());
    assert!(whole.contains("\"principalObjectId12\""), "{whole}");
    assert!(whole.contains("\"managedImageId12\""));
    assert_same(&ws, &Scope::default(), "many parameters");
    let script = az_whole(&ws, &Scope::default());
    assert!(script.contains("PRINCIPAL_OBJECT_ID_12"));
    assert!(script.contains("MANAGED_IMAGE_ID_12"));
}

#[test]
fn what_cannot_be_exported_is_refused_before_anything_is_written() {
    let ws = sample();
    for format in Format::ALL {
        assert!(Export::new(&ws, &Scope::parse("nope").unwrap(), format).is_err());
    }
}

/// An output that fails after `after` bytes.
struct Failing {
    written: usize,
    after: usize,
}

impl Write for Failing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.written + buf.len() > self.after {
            return Err(std::io::Error::other("disk full"));
        }
        self.written += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_failing_output_stops_the_export_and_keeps_the_previous_file() {
    let ws = synthetic(200);
    let dir = tempfile::tempdir().unwrap();
    for format in Format::ALL {
        let export = Export::new(&ws, &Scope::default(), format).unwrap();
        let mut out = Failing {
            written: 0,
            after: 10_000,
        };
        let err = export.write_to(&mut out).unwrap_err();
        assert!(err.to_string().contains("disk full"), "{err}");

        let path = dir.path().join(format!("out.{}", format.extension()));
        std::fs::write(&path, "previous").unwrap();
        let result = workspace::write_atomically_from(&path, |sink| {
            export.write_to(&mut Failing {
                written: 0,
                after: 10_000,
            })?;
            sink.write_all(b"never")
        });
        assert!(result.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "previous");

        workspace::write_atomically_from(&path, |sink| export.write_to(sink)).unwrap();
        let written = std::fs::read(&path).unwrap();
        assert_eq!(written, streamed(&ws, &Scope::default(), format));
    }
}

#[test]
fn a_streamed_save_stamps_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.ron");
    let text = workspace::to_ron_string(&synthetic(300));
    let stamp = workspace::write_file_from(&path, false, None, |sink| {
        for piece in text.as_bytes().chunks(777) {
            sink.write_all(piece)?;
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(stamp, workspace::DiskStamp::of_file(&path).unwrap());
    assert!(!stamp.changed(&path));
}
