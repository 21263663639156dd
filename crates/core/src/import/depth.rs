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
    cut_deep_values_at(cx, document, String::new(), 1);
}

/// [`cut_deep_values`] of a part of a document read on its own (an element of its large
/// array), which sits at `path` and at level `depth` of the whole document.
pub(crate) fn cut_deep_values_at(cx: &mut Cx<'_>, part: &mut Value, path: String, depth: usize) {
    // Almost every input nests as Azure does: found without writing a path for each container.
    if depth - 1 + nesting(part) <= MAX_DOCUMENT_DEPTH {
        return;
    }
    let mut stack: Vec<(&mut Value, String, usize)> = vec![(part, path, depth)];
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

/// How many levels of objects and arrays `value` holds, counting itself as level 1.
fn nesting(value: &Value) -> usize {
    let mut deepest = 1;
    let mut stack: Vec<(&Value, usize)> = vec![(value, 1)];
    while let Some((value, level)) = stack.pop() {
        deepest = deepest.max(level);
        let below = |child: &&Value| is_container(child);
        match value {
            Value::Object(map) => stack.extend(map.values().filter(below).map(|c| (c, level + 1))),
            Value::Array(items) => stack.extend(items.iter().filter(below).map(|c| (c, level + 1))),
            _ => {}
        }
    }
    deepest
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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde_json::json;

    use super::*;

    /// `[[…[1]…]]`: `levels` arrays, one in the other.
    fn arrays(levels: usize) -> Value {
        (0..levels).fold(json!(1), |inner, _| json!([inner]))
    }

    /// The paths warned of when `value` sits at `depth` of its document.
    fn cut(mut value: Value, depth: usize) -> (Vec<String>, Value) {
        let (mut warnings, mut regions) = (Vec::new(), HashMap::new());
        let mut cx = Cx {
            file: "f.json",
            warnings: &mut warnings,
            regions: &mut regions,
        };
        cut_deep_values_at(&mut cx, &mut value, "p".into(), depth);
        (warnings.into_iter().map(|w| w.path).collect(), value)
    }

    #[test]
    fn the_deepest_level_kept_is_the_limit_wherever_the_part_sits() {
        assert_eq!(nesting(&json!(1)), 1);
        assert_eq!(nesting(&json!({"a": 1, "b": [1, {"c": []}]})), 4);
        for depth in [1, 2, 3, 10] {
            let fits = arrays(MAX_DOCUMENT_DEPTH + 1 - depth);
            assert_eq!(cut(fits.clone(), depth), (vec![], fits), "at {depth}");
            let (paths, kept) = cut(arrays(MAX_DOCUMENT_DEPTH + 2 - depth), depth);
            let path = format!("p{}", "[0]".repeat(MAX_DOCUMENT_DEPTH + 1 - depth));
            assert_eq!(paths, [path], "at {depth}");
            assert_eq!(nesting(&kept), MAX_DOCUMENT_DEPTH + 1 - depth);
        }
    }
}
