//! The import one resource at a time, for a read from ARM: each body is merged as it arrives
//! and dropped, so that a read of thousands of versions never holds all their JSON at once.
//! Parents must arrive before their children (a read lists a gallery's definitions only after
//! the gallery); role assignments after the galleries they name.

use std::collections::HashMap;

use serde_json::Value;

use super::json::Cx;
use super::{FileSummary, Hint, Item, Summary, assign, classify, convert};
use crate::model::{Region, Workspace};

/// An import fed one JSON value at a time.
pub(crate) struct Stream<'w> {
    merge: convert::Merge<'w>,
    summary: Summary,
    regions: HashMap<String, Option<Region>>,
}

impl<'w> Stream<'w> {
    /// Starts merging into `ws`; `source` names the inputs in the summary (e.g. the endpoint).
    pub fn new(ws: &'w mut Workspace, source: &str) -> Self {
        let summary = Summary {
            files: vec![FileSummary {
                file: source.to_owned(),
                kind: "ARM response",
                read: 0,
            }],
            ..Summary::default()
        };
        let mut merge = convert::Merge::new(ws);
        merge.live = true;
        Self {
            merge,
            summary,
            regions: HashMap::new(),
        }
    }

    /// Merges one resource or role assignment body; `source` (its URL) names it in warnings.
    /// `false` when it was skipped (with a warning).
    pub fn add(&mut self, source: &str, value: Value) -> bool {
        let Value::Object(map) = value else {
            self.summary.warnings.push(super::Warning {
                file: source.to_owned(),
                path: String::new(),
                message: "not a JSON object: skipped".to_owned(),
            });
            return false;
        };
        let mut items = Vec::with_capacity(1);
        classify(map, String::new(), Hint::default(), &mut items);
        let mut cx = Cx {
            file: source,
            warnings: &mut self.summary.warnings,
            regions: &mut self.regions,
        };
        let mut read = false;
        for item in items {
            read |= match item {
                Item::Resource {
                    obj,
                    flattened,
                    hint,
                } => self.merge.resource(&mut cx, obj, flattened, &hint),
                Item::Assignment(obj) => assign::assignment(&mut self.merge, &mut cx, obj),
                Item::SharingUpdate { obj, hint } => self.merge.sharing_update(&mut cx, obj, &hint),
            };
        }
        if read && let Some(file) = self.summary.files.first_mut() {
            file.read += 1;
        }
        read
    }

    /// The workspace merged into, to set what no body carries (replication status copied
    /// from an earlier read).
    pub fn ws_mut(&mut self) -> &mut Workspace {
        self.merge.ws
    }

    /// Ends a live read into an empty workspace: counts only (its galleries and grants are all
    /// Azure's; the caller moves them into Azure as last seen).
    pub fn finish(self) -> Summary {
        let mut summary = self.summary;
        let (_, ws) = self.merge.finish(&mut summary);
        super::count_references(ws, &mut summary);
        summary
    }
}
