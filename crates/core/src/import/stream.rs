//! The import one resource at a time, for a read from ARM: each body is merged as it arrives
//! and dropped, so that a read of thousands of versions never holds all their JSON at once.
//! Parents must arrive before their children (a read lists a gallery's definitions only after
//! the gallery); role assignments after the galleries they name.

use std::collections::HashMap;

use serde_json::Value;

use super::json::Cx;
use super::{FileSummary, Hint, Item, Summary, assign, classify, convert, depth};
use crate::model::{Region, Workspace};

/// An import fed one JSON value at a time.
pub(crate) struct Stream<'w> {
    merge: convert::Merge<'w>,
    /// Role assignments' look-ups, kept from one body to the next.
    assigner: assign::Assigner,
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
            assigner: assign::Assigner::default(),
            summary,
            regions: HashMap::new(),
        }
    }

    /// Merges one resource or role assignment body; `source` (its URL) names it in warnings.
    /// `false` when it was skipped (with a warning).
    pub fn add(&mut self, source: &str, mut value: Value) -> bool {
        if !value.is_object() {
            self.summary.warnings.push(super::Warning {
                file: source.to_owned(),
                path: String::new(),
                message: "not a JSON object: skipped".to_owned(),
            });
            return false;
        }
        let mut cx = Cx {
            file: source,
            warnings: &mut self.summary.warnings,
            regions: &mut self.regions,
        };
        // As a file's import does: what nests deeper than any Azure body is left out.
        depth::cut_deep_values(&mut cx, &mut value);
        let Value::Object(map) = value else {
            return false;
        };
        let mut items = Vec::with_capacity(1);
        classify(map, String::new(), Hint::default(), &mut items);
        let mut read = false;
        for item in items {
            read |= match item {
                Item::Resource {
                    obj,
                    flattened,
                    hint,
                } => self.merge.resource(&mut cx, obj, flattened, &hint),
                Item::Assignment(obj) => {
                    assign::assignment(&mut self.merge, &mut self.assigner, &mut cx, obj)
                }
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
        let merge = self.merge;
        self.assigner.finish(&mut *merge.ws);
        let (_, ws) = merge.finish(&mut summary);
        super::count_references(ws, &mut summary);
        summary
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_body_nested_too_deep_is_cut_as_a_files_import_cuts_it() {
        let mut deep = json!(1);
        for _ in 0..60 {
            deep = json!({ "n": deep });
        }
        let gallery = json!({
            "id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1",
            "name": "g1",
            "type": "Microsoft.Compute/galleries",
            "location": "westeurope",
            "properties": {"description": "x", "deep": deep},
        });
        let mut ws = Workspace::default();
        let mut stream = Stream::new(&mut ws, "https://management.azure.com/");
        assert!(stream.add("https://management.azure.com/g1", gallery));
        let summary = stream.finish();
        assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
        assert!(
            summary.warnings[0]
                .message
                .contains("nested deeper than 32 levels"),
            "{:?}",
            summary.warnings
        );
        assert!(crate::workspace::depth::too_deep(&ws).is_none());
        let text = crate::workspace::to_ron_string(&ws);
        assert_eq!(crate::workspace::from_ron_str(&text).unwrap(), ws);
    }
}
