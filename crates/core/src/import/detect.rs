//! What an input is (a list, a REST page, a template, an example of the REST spec, one
//! resource) and the items in it: resources, role assignments and sharing updates, each with
//! its JSON path. Template strings are read as the deployment sees them.

use std::collections::HashMap;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::document::{Document, Source};
use super::json::{self, Cx, Obj, index, join};
use super::{Hint, ImportError, Item, Kind, depth};

const ENVELOPE: [&str; 4] = ["id", "name", "type", "location"];

/// Whether an object looks like a role assignment (az CLI or REST).
fn is_assignment(map: &Map<String, Value>) -> bool {
    if map.contains_key("roleDefinitionName") {
        return true;
    }
    let type_is = map
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("Microsoft.Authorization/roleAssignments"));
    type_is
        || map
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| p.contains_key("roleDefinitionId") && p.contains_key("principalId"))
}

/// An object that is a resource (REST or az CLI shape), an assignment, or a sharing update.
pub(crate) fn classify(map: Map<String, Value>, path: String, hint: Hint, out: &mut Vec<Item>) {
    if is_assignment(&map) {
        out.push(Item::Assignment(Obj::new(map, path)));
        return;
    }
    if map.contains_key("operationType") {
        out.push(Item::SharingUpdate {
            obj: Obj::new(map, path),
            hint,
        });
        return;
    }
    let flattened = !map.get("properties").is_some_and(Value::is_object)
        && map
            .keys()
            .any(|k| !ENVELOPE.contains(&k.as_str()) && k != "tags");
    out.push(Item::Resource {
        obj: Obj::new(map, path),
        flattened,
        hint,
    });
}

fn param(params: &Map<String, Value>, key: &str) -> Option<String> {
    params
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|s| !s.is_empty())
}

/// How each element of an input's large array becomes items: the same in the first pass,
/// which keeps only where each item is, and in the merge, which reads the element again.
pub(crate) enum Shape {
    /// Resources of a list (the az CLI's, or a REST page's `value`) at `base[i]`.
    List { base: &'static str },
    /// Resources of a template, with what its parameters stand for.
    Template { params: HashMap<String, String> },
}

impl Shape {
    /// The element `i` of the large array read from `raw`, without what nests deeper than the
    /// whole document may (warned at its path in the whole document).
    fn element(
        &self,
        cx: &mut Cx<'_>,
        source: &Source<'_>,
        raw: &RawValue,
        i: usize,
    ) -> Result<Value, ImportError> {
        let mut element = source.value(raw)?;
        let base = match self {
            Shape::List { base } => base,
            Shape::Template { .. } => "resources",
        };
        // The document's own array is level 1 of a list; a member's array level 2.
        let depth = if base.is_empty() { 2 } else { 3 };
        depth::cut_deep_values_at(cx, &mut element, index(base, i), depth);
        Ok(element)
    }
}

/// Where an item of a large array is: element `i` (its text) and the item's place among the
/// element's items (a template resource's nested children are items of their own).
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    pub raw: &'a RawValue,
    pub i: usize,
    pub k: usize,
}

/// The items of element `i` of a large array.
fn element_items(cx: &mut Cx<'_>, shape: &Shape, i: usize, element: Value, out: &mut Vec<Item>) {
    match shape {
        Shape::List { base } => {
            let path = index(base, i);
            match element {
                Value::Object(map) => classify(map, path, Hint::default(), out),
                other => cx.warn(&path, format!("{} is not a resource", json::show(&other))),
            }
        }
        Shape::Template { params } => {
            template_resource(cx, index("resources", i), element, None, params, out)
        }
    }
}

/// The item at `at`, read again from the input's text (for the merge; the warnings were given
/// by the first pass). `None` only if the text no longer reads, which it always did.
pub(crate) fn again(
    source: &Source<'_>,
    shape: &Shape,
    regions: &mut HashMap<String, Option<crate::model::Region>>,
    at: At<'_>,
) -> Option<Item> {
    let mut warnings = Vec::new();
    let mut cx = Cx {
        file: source.name,
        warnings: &mut warnings,
        regions,
    };
    let element = shape.element(&mut cx, source, at.raw, at.i).ok()?;
    let mut items = Vec::new();
    element_items(&mut cx, shape, at.i, element, &mut items);
    items.into_iter().nth(at.k)
}

/// What kind of document an input is; each item found is given to `keep` with where it is
/// when it comes from a large array (the element is read again when merged, so that only one
/// element's tree is held at a time), else alone. Errors: a part that is not JSON.
pub(crate) fn detect<'a>(
    cx: &mut Cx<'_>,
    source: &Source<'a>,
    document: Document<'a>,
    keep: &mut dyn FnMut(Item, Option<At<'a>>),
) -> Result<(&'static str, Option<Shape>), ImportError> {
    let document = cut_deep_members(cx, document);
    let (kind, shape, list) = match document {
        Document::Array(list) => {
            let shape = Shape::List { base: "" };
            ("list (az CLI output)", shape, list)
        }
        Document::Object { members, large } => match large {
            Some(("resources", list)) => {
                let params = template_parameters(members.get("parameters"));
                ("ARM template", Shape::Template { params }, list)
            }
            Some((_, list)) => {
                if let Some(Value::String(next)) = members.get("nextLink") {
                    cx.warn(
                        "nextLink",
                        format!("this is one page of a longer list: save the next page ({next}) as another file and import it too"),
                    );
                }
                ("REST list response", Shape::List { base: "value" }, list)
            }
            None => {
                let mut items = Vec::new();
                let kind =
                    if members.contains_key("parameters") && members.contains_key("responses") {
                        example(cx, members, &mut items);
                        "example document of the REST spec"
                    } else {
                        classify(members, String::new(), Hint::default(), &mut items);
                        "REST or az CLI resource"
                    };
                items.into_iter().for_each(|item| keep(item, None));
                return Ok((kind, None));
            }
        },
        Document::Other(other) => {
            cx.warn(
                "",
                format!(
                    "{} is neither a resource, a list, an example nor a template",
                    json::show(&other)
                ),
            );
            return Ok(("JSON value", None));
        }
    };
    let mut items = Vec::new();
    for (i, raw) in list.into_iter().enumerate() {
        let element = shape.element(cx, source, raw, i)?;
        element_items(cx, &shape, i, element, &mut items);
        for (k, item) in items.drain(..).enumerate() {
            keep(item, Some(At { raw, i, k }));
        }
    }
    Ok((kind, Some(shape)))
}

/// The document's parsed parts without what nests too deep (the large array's elements are cut
/// as each is read).
fn cut_deep_members<'a>(cx: &mut Cx<'_>, document: Document<'a>) -> Document<'a> {
    match document {
        Document::Object { mut members, large } => {
            for (key, value) in &mut members {
                depth::cut_deep_values_at(cx, value, key.clone(), 2);
            }
            Document::Object { members, large }
        }
        Document::Other(mut value) => {
            depth::cut_deep_values(cx, &mut value);
            Document::Other(value)
        }
        array @ Document::Array(_) => array,
    }
}

/// An example document: resources from the response bodies, named with the parameters where
/// the bodies do not name them.
fn example(cx: &mut Cx<'_>, mut map: Map<String, Value>, items: &mut Vec<Item>) {
    let params = match map.remove("parameters") {
        Some(Value::Object(params)) => params,
        _ => Map::new(),
    };
    let mut hint = Hint {
        subscription: param(&params, "subscriptionId"),
        resource_group: param(&params, "resourceGroupName"),
        gallery: param(&params, "galleryName"),
        definition: param(&params, "galleryImageName"),
        version: param(&params, "galleryImageVersionName"),
        kind: None,
    };
    // The operation's own resource: the deepest one the parameters name.
    hint.kind = if params.contains_key("artifactType") {
        None
    } else if hint.version.is_some() {
        Some(Kind::Version)
    } else if hint.definition.is_some() {
        Some(Kind::Definition)
    } else if hint.gallery.is_some() && !params.contains_key("sharingUpdate") {
        Some(Kind::Gallery)
    } else {
        None
    };
    let Some(Value::Object(responses)) = map.remove("responses") else {
        cx.warn("responses", "the example has no responses object");
        return;
    };
    let mut statuses: Vec<(String, Value)> = responses.into_iter().collect();
    statuses.sort_by(|a, b| a.0.cmp(&b.0));
    for (status, response) in statuses {
        let base = join("responses", &status);
        let Value::Object(mut response) = response else {
            continue;
        };
        let Some(body) = response.remove("body") else {
            continue;
        };
        let path = join(&base, "body");
        match body {
            Value::Object(mut body) => {
                if let Some(Value::Array(list)) = body.remove("value") {
                    // A list: its items are children of what the parameters name.
                    let list_hint = Hint {
                        kind: None,
                        ..hint.clone()
                    };
                    for (i, element) in list.into_iter().enumerate() {
                        let item_path = index(&join(&path, "value"), i);
                        match element {
                            Value::Object(m) => classify(m, item_path, list_hint.clone(), items),
                            other => cx.warn(
                                &item_path,
                                format!("{} is not a resource", json::show(&other)),
                            ),
                        }
                    }
                } else {
                    classify(body, path, hint.clone(), items);
                }
            }
            other => cx.warn(&path, format!("{} is not a resource", json::show(&other))),
        }
    }
}

/// What a template's parameters stand for, by name: a default value, or what the export's
/// metadata says (a principal's name for its object id, a managed image for its ARM id).
fn template_parameters(params: Option<&Value>) -> HashMap<String, String> {
    use crate::export::arm::{METADATA_MANAGED_IMAGE, METADATA_PRINCIPAL};
    let mut out = HashMap::new();
    let Some(Value::Object(params)) = params else {
        return out;
    };
    for (name, param) in params {
        let metadata = |key: &str| param.get("metadata")?.get(key)?.as_str().map(unescape);
        let value = param
            .get("defaultValue")
            .and_then(Value::as_str)
            .map(unescape)
            .or_else(|| metadata(METADATA_PRINCIPAL))
            .or_else(|| {
                metadata(METADATA_MANAGED_IMAGE)
                    .map(|image| format!("/providers/Microsoft.Compute/images/{image}"))
            });
        if let Some(value) = value {
            out.insert(name.to_lowercase(), value);
        }
    }
    out
}

/// A template string as the deployment sees it: `[[…]` is the literal `[…]`.
fn unescape(text: &str) -> String {
    match text.strip_prefix("[[") {
        Some(rest) if text.ends_with(']') => format!("[{rest}"),
        _ => text.to_owned(),
    }
}

/// Every string of a template resource as the deployment sees it: escapes undone, and
/// `[parameters('name')]` replaced by what the parameter stands for when known.
fn resolve(value: Value, params: &HashMap<String, String>) -> Value {
    match value {
        Value::String(s) => {
            let param = s
                .strip_prefix("[parameters('")
                .and_then(|rest| rest.strip_suffix("')]"))
                .and_then(|name| params.get(&name.to_lowercase()));
            Value::String(param.cloned().unwrap_or_else(|| unescape(&s)))
        }
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| resolve(v, params)).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, resolve(v, params)))
                .collect(),
        ),
        other => other,
    }
}

/// A template's role assignment (an extension resource, `scope` relative to the deployment's
/// resource group) as the assignment the import reads: role by its GUID, principal by name
/// when a parameter's metadata gives it, else by object id.
fn template_assignment(
    mut map: Map<String, Value>,
    params: &HashMap<String, String>,
    path: String,
) -> Result<Item, String> {
    let mut out = Map::new();
    let props = match map.remove("properties") {
        Some(Value::Object(props)) => props,
        _ => Map::new(),
    };
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    if let Some(role) = text(props.get("roleDefinitionId")) {
        let guid = crate::export::last_guid_in(&role).map_or(role.clone(), str::to_owned);
        out.insert("roleDefinitionId".to_owned(), Value::String(guid));
    }
    if let Some(principal) = text(props.get("principalId")) {
        let resolved = match resolve(Value::String(principal.clone()), params) {
            Value::String(s) if s != principal => s,
            _ => principal
                .strip_prefix("['")
                .and_then(|p| p.strip_suffix("']"))
                .unwrap_or(&principal)
                .to_owned(),
        };
        if resolved.starts_with('[') {
            return Err(format!(
                "the principal \"{resolved}\" is a template expression the import does not evaluate (give the parameter a defaultValue): skipped"
            ));
        }
        if crate::export::is_object_id(&resolved) {
            out.insert("principalId".to_owned(), Value::String(resolved.clone()));
        }
        out.insert("principalName".to_owned(), Value::String(resolved));
    }
    // A literal name is the assignment's own (a `guid(...)` expression is left to ARM).
    if let Some(name) = text(map.get("name")).filter(|n| crate::export::is_object_id(n)) {
        out.insert("name".to_owned(), Value::String(name));
    }
    if let Some(kind) = props.get("principalType") {
        out.insert("principalType".to_owned(), kind.clone());
    }
    if let Some(scope) = text(map.get("scope")) {
        if scope.starts_with('[') && !scope.starts_with("[[") {
            return Err(format!(
                "the scope \"{scope}\" is a template expression the import does not evaluate: skipped"
            ));
        }
        let scope = unescape(&scope);
        let scope = if scope.starts_with('/') {
            scope
        } else {
            format!("/providers/{scope}")
        };
        out.insert("scope".to_owned(), Value::String(scope));
    }
    Ok(Item::Assignment(Obj::new(out, path)))
}

/// ARM template resources, with nested child resources named below their parent.
fn template(
    cx: &mut Cx<'_>,
    resources: Vec<Value>,
    base: &str,
    parent: Option<(&str, &str)>,
    params: &HashMap<String, String>,
    items: &mut Vec<Item>,
) {
    for (i, resource) in resources.into_iter().enumerate() {
        template_resource(cx, index(base, i), resource, parent, params, items);
    }
}

/// One template resource at `path` (and its nested children).
fn template_resource(
    cx: &mut Cx<'_>,
    path: String,
    resource: Value,
    parent: Option<(&str, &str)>,
    params: &HashMap<String, String>,
    items: &mut Vec<Item>,
) {
    let Value::Object(map) = resource else {
        cx.warn(&path, "a template resource is not an object");
        return;
    };
    if map
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case(crate::export::arm::ROLE_ASSIGNMENT_TYPE))
    {
        match template_assignment(map, params, path.clone()) {
            Ok(item) => items.push(item),
            Err(message) => cx.warn(&path, message),
        }
        return;
    }
    let name_is_expression = map
        .get("name")
        .and_then(Value::as_str)
        .is_some_and(|n| n.starts_with('[') && !n.starts_with("[["));
    let Value::Object(mut map) = resolve(Value::Object(map), params) else {
        return;
    };
    let mut type_name = map
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut name = map
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if let Some((parent_type, parent_name)) = parent
        && !type_name.contains('/')
    {
        type_name = format!("{parent_type}/{type_name}");
        name = format!("{parent_name}/{name}");
        // A nested child's own type is relative (`versions`): the item says its full type.
        map.insert("type".to_owned(), Value::String(type_name.clone()));
    }
    let children = match map.remove("resources") {
        Some(Value::Array(children)) => children,
        _ => Vec::new(),
    };
    if name_is_expression {
        cx.warn(
                &join(&path, "name"),
                format!("\"{name}\" is a template expression, which the import does not evaluate: the resource is skipped"),
            );
        return;
    }
    let kind = match type_name.to_ascii_lowercase().as_str() {
        "microsoft.compute/galleries" => Some(Kind::Gallery),
        "microsoft.compute/galleries/images" => Some(Kind::Definition),
        "microsoft.compute/galleries/images/versions" => Some(Kind::Version),
        _ => None,
    };
    let Some(kind) = kind else {
        cx.warn(
            &join(&path, "type"),
            format!("\"{type_name}\" is not a gallery, image definition or image version: skipped"),
        );
        return;
    };
    let parts: Vec<&str> = name.split('/').collect();
    let hint = Hint {
        gallery: parts.first().map(|s| (*s).to_owned()),
        definition: parts.get(1).map(|s| (*s).to_owned()),
        version: parts.get(2).map(|s| (*s).to_owned()),
        kind: Some(kind),
        ..Hint::default()
    };
    map.remove("apiVersion");
    map.remove("dependsOn");
    map.remove("comments");
    // Template keywords, not properties of the resource: never kept (an export would
    // write them back as keywords).
    for keyword in ["condition", "copy", "scope", "metadata", "resources"] {
        if map.remove(keyword).is_some() {
            cx.warn(
                &join(&path, keyword),
                format!(
                    "the template keyword \"{keyword}\" is not a property of the resource: ignored"
                ),
            );
        }
    }
    map.insert(
        "name".to_owned(),
        Value::String(parts.last().copied().unwrap_or_default().to_owned()),
    );
    if !children.is_empty() {
        template(
            cx,
            children,
            &join(&path, "resources"),
            Some((&type_name, &name)),
            params,
            items,
        );
    }
    items.push(Item::Resource {
        obj: Obj::new(map, path),
        flattened: false,
        hint,
    });
}
