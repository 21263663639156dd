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
mod identity;
mod json;
mod seen;
pub(crate) mod stream;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::{Presence, Workspace};
use json::{Cx, Obj, index, join};

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

/// [`import`], telling `progress` what it does as it goes.
pub fn import_with_progress(
    ws: &mut Workspace,
    inputs: &[Input],
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Summary, ImportError> {
    let mut parsed = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.iter().enumerate() {
        progress(Progress::Parsing {
            index,
            of: inputs.len(),
            file: &input.name,
        });
        let text = input.text.strip_prefix('\u{feff}').unwrap_or(&input.text);
        let value: Value = serde_json::from_str(text).map_err(|e| ImportError::NotJson {
            file: input.name.clone(),
            line: e.line(),
            column: e.column(),
            message: describe_json_error(&e),
        })?;
        parsed.push(value);
    }
    let mut summary = Summary::default();
    let mut regions = HashMap::new();
    let mut items: Vec<(usize, Item)> = Vec::new();
    for (i, (input, mut value)) in inputs.iter().zip(parsed).enumerate() {
        let mut cx = Cx {
            file: &input.name,
            warnings: &mut summary.warnings,
            regions: &mut regions,
        };
        depth::cut_deep_values(&mut cx, &mut value);
        let (kind, found) = detect(&mut cx, value);
        if found.is_empty() {
            cx.warn("", format!("nothing to import in this {kind}"));
        }
        summary.files.push(FileSummary {
            file: input.name.clone(),
            kind,
            read: 0,
        });
        items.extend(found.into_iter().map(|item| (i, item)));
    }
    // Parents before children, resources before the role assignments that name them.
    items.sort_by_cached_key(|(_, item)| match item {
        Item::Resource {
            obj,
            hint,
            flattened,
        } => (
            convert::kind_of(obj, hint, *flattened).map_or(3, |k| k as u8),
            0,
        ),
        Item::SharingUpdate { .. } => (4, 0),
        Item::Assignment(_) => (5, 0),
    });
    progress(Progress::Merging { items: items.len() });
    let chosen = identity::choose(ws, &items);
    let mut merge = convert::Merge::new(ws);
    merge.chosen = chosen;
    let mut assigner = assign::Assigner::default();
    for (file, item) in items {
        let name = &inputs[file].name;
        let mut cx = Cx {
            file: name,
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

/// serde_json's message without its own " at line L column C" (the caller prints the position).
fn describe_json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    };
    format!("not JSON: {message}")
}

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
fn classify(map: Map<String, Value>, path: String, hint: Hint, out: &mut Vec<Item>) {
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

/// What kind of document a value is, and the items in it.
fn detect(cx: &mut Cx<'_>, value: Value) -> (&'static str, Vec<Item>) {
    let mut items = Vec::new();
    match value {
        Value::Array(list) => {
            for (i, element) in list.into_iter().enumerate() {
                let path = index("", i);
                match element {
                    Value::Object(map) => classify(map, path, Hint::default(), &mut items),
                    other => cx.warn(&path, format!("{} is not a resource", json::show(&other))),
                }
            }
            ("list (az CLI output)", items)
        }
        Value::Object(mut map) => {
            if map.contains_key("parameters") && map.contains_key("responses") {
                example(cx, map, &mut items);
                ("example document of the REST spec", items)
            } else if map.get("resources").is_some_and(Value::is_array) {
                let params = template_parameters(map.get("parameters"));
                if let Some(Value::Array(resources)) = map.remove("resources") {
                    template(cx, resources, "resources", None, &params, &mut items);
                }
                ("ARM template", items)
            } else if map.get("value").is_some_and(Value::is_array) {
                if let Some(Value::String(next)) = map.get("nextLink") {
                    cx.warn(
                        "nextLink",
                        format!("this is one page of a longer list: save the next page ({next}) as another file and import it too"),
                    );
                }
                if let Some(Value::Array(list)) = map.remove("value") {
                    for (i, element) in list.into_iter().enumerate() {
                        let path = index("value", i);
                        match element {
                            Value::Object(map) => classify(map, path, Hint::default(), &mut items),
                            other => {
                                cx.warn(&path, format!("{} is not a resource", json::show(&other)))
                            }
                        }
                    }
                }
                ("REST list response", items)
            } else {
                classify(map, String::new(), Hint::default(), &mut items);
                ("REST or az CLI resource", items)
            }
        }
        other => {
            cx.warn(
                "",
                format!(
                    "{} is neither a resource, a list, an example nor a template",
                    json::show(&other)
                ),
            );
            ("JSON value", items)
        }
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
        let path = index(base, i);
        let Value::Object(map) = resource else {
            cx.warn(&path, "a template resource is not an object");
            continue;
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
            continue;
        }
        let name_is_expression = map
            .get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| n.starts_with('[') && !n.starts_with("[["));
        let Value::Object(mut map) = resolve(Value::Object(map), params) else {
            continue;
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
            continue;
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
                format!(
                    "\"{type_name}\" is not a gallery, image definition or image version: skipped"
                ),
            );
            continue;
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
                    format!("the template keyword \"{keyword}\" is not a property of the resource: ignored"),
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
