//! Import of real Azure state: REST response bodies (one resource or a `value` list), example
//! documents of the REST spec (`parameters` + `responses`), the az CLI's output (`az sig …
//! show/list`, properties flattened; `az role assignment list`), and ARM templates
//! (`resources[]`). The kind is detected from the content, never from the file name.
//!
//! Resources are joined by ARM id (compared case-insensitively) and merged into the workspace:
//! matches are updated with what the payload gives, new resources are added, nothing is
//! deleted, and the workspace's replication progress, prices and simulation settings are kept.
//! A child whose parents are unknown gets placeholder parents "known only by reference".
//! Every value not understood is reported with its JSON path and kept verbatim.

mod assign;
mod convert;
mod depth;
mod detect;
mod document;
mod identity;
mod json;
mod seen;
pub(crate) mod stream;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::Serialize;

use crate::model::{Presence, Workspace};
use document::Source;
use json::{Cx, Obj};

/// One input: a name for messages (the file's path) and its text.
#[derive(Clone, Debug)]
pub struct Input {
    pub name: String,
    pub text: String,
}

impl Input {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }

    /// Reads a file (a UTF-8 byte order mark is ignored).
    pub fn read(path: &Path) -> Result<Self, ImportError> {
        // A regular file of a bounded size: never `/dev/zero` or a FIFO.
        let (bytes, _) = crate::workspace::read_input(path, crate::workspace::MAX_INPUT_BYTES)
            .map_err(|e| ImportError::Io {
                file: path.display().to_string(),
                message: e.to_string(),
            })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            ImportError::NotJson {
                file: path.display().to_string(),
                line,
                column: String::from_utf8_lossy(&valid[start..]).chars().count() + 1,
                message: "the file is not UTF-8 text (is it JSON?)".to_owned(),
            }
        })?;
        Ok(Self::new(path.display().to_string(), text))
    }
}

/// Why nothing was imported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: {message}")]
    Io { file: String, message: String },
    #[error("{file}:{line}:{column}: {message}")]
    NotJson {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// Resources of one kind: added, updated and unchanged by an import.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Of those added or still there: placeholders known only by reference.
    pub known_only_by_reference: usize,
}

/// A value the import did not understand, or something it skipped, with where it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub file: String,
    /// JSON path in the file, e.g. `value[3].properties.storageProfile.osDiskImage.hostCaching`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.path, self.message)
        }
    }
}

/// What one input held.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    pub file: String,
    /// What the content was recognised as.
    pub kind: &'static str,
    /// Resources and role assignments read from it.
    pub read: usize,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: Vec<FileSummary>,
    pub galleries: Counts,
    pub definitions: Counts,
    pub versions: Counts,
    pub principals: Counts,
    pub grants: Counts,
    /// Paths of the placeholders still known only by reference.
    pub known_only_by_reference: Vec<String>,
    pub warnings: Vec<Warning>,
}

impl Summary {
    /// Resources and role assignments read from every input.
    pub fn read(&self) -> usize {
        self.files.iter().map(|f| f.read).sum()
    }

    /// Whether anything could be imported at all (else the CLI exits 1 and writes nothing).
    pub fn imported_anything(&self) -> bool {
        self.read() > 0
    }

    /// The counts as text, one line per kind.
    pub fn count_lines(&self) -> Vec<String> {
        let line = |what: &str, c: &Counts| {
            let mut text = format!(
                "{what}: {} added, {} updated, {} unchanged",
                c.added, c.updated, c.unchanged
            );
            if c.known_only_by_reference > 0 {
                text.push_str(&format!(
                    " ({} known only by reference)",
                    c.known_only_by_reference
                ));
            }
            text
        };
        vec![
            line("galleries", &self.galleries),
            line("image definitions", &self.definitions),
            line("image versions", &self.versions),
            line("principals", &self.principals),
            line("grants", &self.grants),
        ]
    }
}

/// Names and kind a document gives its resources from outside them: an example's `parameters`,
/// a template resource's `type` and `name`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Hint {
    pub subscription: Option<String>,
    pub resource_group: Option<String>,
    pub gallery: Option<String>,
    pub definition: Option<String>,
    pub version: Option<String>,
    pub kind: Option<Kind>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Gallery,
    Definition,
    Version,
}

/// One thing found in an input.
pub(crate) enum Item {
    Resource {
        obj: Obj,
        /// Properties at the top level, as the az CLI prints them.
        flattened: bool,
        hint: Hint,
    },
    Assignment(Obj),
    /// `POST …/share` body: changes a gallery's sharing.
    SharingUpdate {
        obj: Obj,
        hint: Hint,
    },
}

/// How far an import got, for a progress display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress<'a> {
    /// Parsing input `index` (from 0) of `of`.
    Parsing {
        index: usize,
        of: usize,
        file: &'a str,
    },
    /// Every input parsed; merging `items` resources and role assignments.
    Merging { items: usize },
}

/// Imports inputs into a workspace. Every input is parsed first: when one is not JSON, the
/// workspace is left untouched and the error names the file, line and column.
pub fn import(ws: &mut Workspace, inputs: &[Input]) -> Result<Summary, ImportError> {
    import_with_progress(ws, inputs, &mut |_| {})
}

/// An item found in an input, kept until the merge (parents first): whole when it came alone,
/// else where it is, to be read again then.
enum Kept<'a> {
    Whole(Item),
    At(detect::At<'a>),
}

/// Where an item goes in the merge: parents before children, resources before the role
/// assignments that name them.
fn merge_order(item: &Item) -> u8 {
    match item {
        Item::Resource {
            obj,
            hint,
            flattened,
        } => convert::kind_of(obj, hint, *flattened).map_or(3, |k| k as u8),
        Item::SharingUpdate { .. } => 4,
        Item::Assignment(_) => 5,
    }
}

/// [`import`], telling `progress` what it does as it goes. Every input is read before anything
/// is merged, one element of its large array at a time; only where each item is stays in memory
/// until the merge reads it again (an import of 100,000 versions never holds their JSON trees
/// at once).
pub fn import_with_progress(
    ws: &mut Workspace,
    inputs: &[Input],
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Summary, ImportError> {
    let sources: Vec<Source<'_>> = inputs.iter().map(Source::new).collect();
    let mut summary = Summary::default();
    let mut regions = HashMap::new();
    let mut chooser = identity::Chooser::new(ws);
    let mut found: Vec<(usize, u8, Kept<'_>)> = Vec::new();
    let mut shapes = Vec::with_capacity(inputs.len());
    for (file, source) in sources.iter().enumerate() {
        progress(Progress::Parsing {
            index: file,
            of: inputs.len(),
            file: source.name,
        });
        let document = source.document()?;
        let mut cx = Cx {
            file: source.name,
            warnings: &mut summary.warnings,
            regions: &mut regions,
        };
        let before = found.len();
        let (kind, shape) = detect::detect(&mut cx, source, document, &mut |item, at| {
            chooser.add(&item);
            let order = merge_order(&item);
            let kept = match at {
                Some(at) => Kept::At(at),
                None => Kept::Whole(item),
            };
            found.push((file, order, kept));
        })?;
        if found.len() == before {
            cx.warn("", format!("nothing to import in this {kind}"));
        }
        summary.files.push(FileSummary {
            file: source.name.to_owned(),
            kind,
            read: 0,
        });
        shapes.push(shape);
    }
    // A stable sort: within a kind, the inputs' order.
    found.sort_by_key(|(_, order, _)| *order);
    progress(Progress::Merging { items: found.len() });
    let mut merge = convert::Merge::new(ws);
    merge.chosen = chooser.finish();
    let mut assigner = assign::Assigner::default();
    for (file, _, kept) in found {
        let item = match kept {
            Kept::Whole(item) => item,
            Kept::At(at) => match &shapes[file] {
                Some(shape) => match detect::again(&sources[file], shape, &mut regions, at) {
                    Some(item) => item,
                    None => continue,
                },
                None => continue,
            },
        };
        let mut cx = Cx {
            file: sources[file].name,
            warnings: &mut summary.warnings,
            regions: &mut regions,
        };
        let read = match item {
            Item::Resource {
                obj,
                flattened,
                hint,
            } => merge.resource(&mut cx, obj, flattened, &hint),
            Item::SharingUpdate { obj, hint } => merge.sharing_update(&mut cx, obj, &hint),
            Item::Assignment(obj) => assign::assignment(&mut merge, &mut assigner, &mut cx, obj),
        };
        if read && let Some(file_summary) = summary.files.get_mut(file) {
            file_summary.read += 1;
        }
    }
    assigner.finish(&mut *merge.ws);
    let (touched, ws) = merge.finish(&mut summary);
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    seen::update(ws, &touched, &names);
    count_references(ws, &mut summary);
    Ok(summary)
}

/// The placeholders left, in the summary.
fn count_references(ws: &Workspace, summary: &mut Summary) {
    summary.known_only_by_reference = references(ws);
    let (definitions, galleries): (Vec<&String>, Vec<&String>) = summary
        .known_only_by_reference
        .iter()
        .partition(|r| r.contains('/'));
    summary.galleries.known_only_by_reference = galleries.len();
    summary.definitions.known_only_by_reference = definitions.len();
}

/// Paths of the workspace's placeholders, for the summary.
fn references(ws: &Workspace) -> Vec<String> {
    let mut out = Vec::new();
    for gallery in &ws.galleries {
        if ws.presence_of(&gallery.name, None, None) == Presence::Reference {
            out.push(gallery.name.clone());
        }
        for definition in &gallery.definitions {
            if ws.presence_of(&gallery.name, Some(&definition.name), None) == Presence::Reference {
                out.push(format!("{}/{}", gallery.name, definition.name));
            }
        }
    }
    out
}

/// Lower-case key of a resource path, for joining case-insensitively.
pub(crate) fn key(parts: &[&str]) -> String {
    parts.join("/").to_lowercase()
}

/// Tallies touched resources: added when new, updated when their fields changed.
pub(crate) fn tally<T>(
    counts: &mut Counts,
    touched: HashMap<String, Option<T>>,
    changed: impl Fn(&str, &T) -> bool,
) {
    for (k, before) in touched {
        match before {
            None => counts.added += 1,
            Some(before) => {
                if changed(&k, &before) {
                    counts.updated += 1;
                } else {
                    counts.unchanged += 1;
                }
            }
        }
    }
}
