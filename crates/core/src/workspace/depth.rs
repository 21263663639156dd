//! How deep the properties kept verbatim may nest. The RON reader stops at 128 levels (its
//! guard against a stack overflow), and each JSON level of a kept value costs it two; a kept
//! value of a target region already sits ten levels down. A workspace whose kept values nest
//! deeper than [`MAX_KEPT_DEPTH`] is never written: it could not be opened again. The import
//! keeps far less (`import::depth`).

use serde_json::Value;

use crate::model::{Gallery, ResourcePath, Verbatim, Workspace};

/// The deepest a kept value may nest (an object or array is one level, its contents the next).
pub const MAX_KEPT_DEPTH: usize = 48;

/// How deep `value` nests: 0 for a number, string, boolean or null; 1 for an object or array of
/// those; one more per level below. Without recursion.
pub fn nesting(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 0usize)];
    while let Some((value, above)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        let depth = above + 1;
        deepest = deepest.max(depth);
        stack.extend(children.map(|child| (child, depth)));
    }
    deepest
}

/// How deep the kept properties nest, counting their own map as the first level.
fn kept_nesting(kept: &Verbatim) -> usize {
    if kept.is_empty() {
        return 0;
    }
    1 + kept
        .keys()
        .filter_map(|key| kept.get(key))
        .map(nesting)
        .max()
        .unwrap_or(0)
}

/// The first resource (and region) whose kept properties nest deeper than [`MAX_KEPT_DEPTH`],
/// with how deep: in the planned galleries, then in Azure as last seen (the file holds both).
pub fn too_deep(ws: &Workspace) -> Option<(String, usize)> {
    galleries_too_deep(&ws.galleries, "").or_else(|| {
        let seen = ws.azure.as_ref()?;
        galleries_too_deep(seen.galleries(), " (Azure as last seen)")
    })
}

fn galleries_too_deep(galleries: &[Gallery], suffix: &str) -> Option<(String, usize)> {
    let check = |kept: &Verbatim, at: &dyn Fn() -> String| {
        let depth = kept_nesting(kept);
        (depth > MAX_KEPT_DEPTH).then(|| (format!("{}{suffix}", at()), depth))
    };
    for g in galleries {
        let found = check(&g.unmodeled, &|| ResourcePath::gallery(&g.name).to_string());
        if found.is_some() {
            return found;
        }
        for d in &g.definitions {
            let at = || ResourcePath::definition(&g.name, &d.name).to_string();
            if let Some(found) = check(&d.unmodeled, &at) {
                return Some(found);
            }
            for v in &d.versions {
                let at = || ResourcePath::version(&g.name, &d.name, &v.name).to_string();
                if let Some(found) = check(&v.unmodeled, &at) {
                    return Some(found);
                }
                for t in &v.target_regions {
                    let at = || format!("{} in {}", at(), t.region.display_name());
                    if let Some(found) = check(&t.unmodeled, &at) {
                        return Some(found);
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_containers() {
        assert_eq!(nesting(&serde_json::json!(1)), 0);
        assert_eq!(nesting(&serde_json::json!({})), 1);
        assert_eq!(nesting(&serde_json::json!({"a": [1, {"b": []}]})), 4);
    }
}
