//! Values nested deeper than any Azure body nests are not kept: a workspace holding them could
//! not be opened again (the file's reader stops at a fixed depth, `workspace::depth`). Each is
//! left out with a warning at its JSON path, before anything else reads the document.

use serde_json::Value;

use super::json::{Cx, index, join};

/// The deepest an input may nest, counting the document's own object or array as level 1.
/// Azure's bodies, templates and examples nest about 12 levels.
pub(crate) const MAX_DOCUMENT_DEPTH: usize = 32;

/// Removes every object or array that would sit deeper than [`MAX_DOCUMENT_DEPTH`] (from an
/// object its key, in an array it becomes `null`), warning once for each.
pub(crate) fn cut_deep_values(cx: &mut Cx<'_>, document: &mut Value) {
    let mut stack: Vec<(&mut Value, String, usize)> = vec![(document, String::new(), 1)];
    while let Some((value, path, depth)) = stack.pop() {
        let cut = |child: &Value| depth >= MAX_DOCUMENT_DEPTH && is_container(child);
        match value {
            Value::Object(map) => {
                let deep: Vec<String> = map
                    .iter()
                    .filter(|(_, child)| cut(child))
                    .map(|(key, _)| key.clone())
                    .collect();
                for key in deep {
                    map.remove(&key);
                    warn(cx, &join(&path, &key));
                }
                for (key, child) in map.iter_mut() {
                    if is_container(child) {
                        stack.push((child, join(&path, key), depth + 1));
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    if cut(child) {
                        *child = Value::Null;
                        warn(cx, &index(&path, i));
                    } else if is_container(child) {
                        stack.push((child, index(&path, i), depth + 1));
                    }
                }
            }
            _ => {}
        }
    }
}

fn is_container(value: &Value) -> bool {
    matches!(value, Value::Object(_) | Value::Array(_))
}

fn warn(cx: &mut Cx<'_>, path: &str) {
    cx.warn(
        path,
        format!(
            "nested deeper than {MAX_DOCUMENT_DEPTH} levels (no Azure resource nests so deep): not kept, so that the workspace can be opened again"
        ),
    );
}
