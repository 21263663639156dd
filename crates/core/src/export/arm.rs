//! The ARM deployment template: one resource per gallery, definition and version (API
//! 2025-03-03, bodies from [`super::body`]), role assignments as extension resources scoped to
//! their resource, and parameters for what differs per environment. Every string and every
//! property name that ARM would read as an expression (`[` … `]`) is escaped (`[[` … `]`). The
//! import reads it back (see `import`).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::io::Write;

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value, json};

use super::assign::{self, AssignmentScope};
use super::body;
use super::names;
use super::{
    DEPLOYMENT_SCHEMA, ExportError, ROLE_ASSIGNMENT_API_VERSION, Scope, Selection, VersionItem,
};
use crate::access::roles::role_definition_id;
use crate::model::{Gallery, ImageDefinition, ImageVersion, Workspace};

pub use body::{DEFINITION_TYPE, GALLERY_TYPE, VERSION_TYPE};
pub const ROLE_ASSIGNMENT_TYPE: &str = "Microsoft.Authorization/roleAssignments";

/// Key of a parameter's metadata naming what it stands for, which the import reads back.
pub const METADATA_PRINCIPAL: &str = "principalName";
pub const METADATA_PRINCIPAL_TYPE: &str = "principalType";
pub const METADATA_MANAGED_IMAGE: &str = "managedImage";

/// The template as pretty JSON, ending with a newline (written as [`Template::write_to`]
/// writes it, without a tree of the whole document).
pub fn to_string(ws: &Workspace, scope: &Scope) -> Result<String, ExportError> {
    let cannot = |e: String| ExportError::Nothing(format!("cannot write JSON: {e}"));
    let mut out = Vec::new();
    Template::new(ws, scope)?
        .write_to(&mut out)
        .map_err(|e| cannot(e.to_string()))?;
    String::from_utf8(out).map_err(|e| cannot(e.to_string()))
}

/// The deployment template of a scope, as one JSON value (tests and callers that inspect it;
/// a file is written by [`Template::write_to`], one resource at a time).
pub fn template(ws: &Workspace, scope: &Scope) -> Result<Value, ExportError> {
    let selection = checked_selection(ws, scope)?;
    let mut params = Params::default();
    let mut resources = Vec::new();
    let Ok(()) = each_resource(&selection, &mut params, |resource| {
        resources.push(resource);
        Ok::<(), Infallible>(())
    });
    Ok(json!({
        "$schema": DEPLOYMENT_SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": metadata(),
        "parameters": Value::Object(params.map),
        "resources": resources,
    }))
}

/// A template ready to be written: its resources chosen and checked, and its parameters (which
/// the text gives before the resources) found.
pub struct Template<'w> {
    selection: Selection<'w>,
    params: Params,
}

impl<'w> Template<'w> {
    /// Every reason not to export is found here, before anything is written.
    pub fn new(ws: &'w Workspace, scope: &Scope) -> Result<Self, ExportError> {
        let selection = checked_selection(ws, scope)?;
        // In the order the resources ask for them, so they are numbered as they would be.
        let mut params = Params::default();
        for item in &selection.versions {
            if let Some(name) = body::workspace_image(item.version) {
                params.image(name);
            }
        }
        for item in assign::items(&selection) {
            principal(&selection, &mut params, &item);
        }
        Ok(Self { selection, params })
    }

    /// Writes the template (pretty JSON, then a newline): the same text as the whole document
    /// serialized at once, but each resource is built, written and dropped in turn.
    pub fn write_to(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let resources = Resources {
            selection: &self.selection,
            params: RefCell::new(self.params.clone()),
        };
        let mut ser = serde_json::Serializer::pretty(&mut *out);
        let mut map = ser.serialize_map(None)?;
        map.serialize_entry("$schema", DEPLOYMENT_SCHEMA)?;
        map.serialize_entry("contentVersion", "1.0.0.0")?;
        map.serialize_entry("metadata", &metadata())?;
        map.serialize_entry("parameters", &self.params.map)?;
        map.serialize_entry("resources", &resources)?;
        SerializeMap::end(map)?;
        if resources.params.borrow().map.len() != self.params.map.len() {
            return Err(std::io::Error::other(
                "a resource asked for a template parameter after the parameters were written",
            ));
        }
        out.write_all(b"\n")
    }
}

/// The resources of a template as a JSON array built while it is written.
struct Resources<'a, 'w> {
    selection: &'a Selection<'w>,
    params: RefCell<Params>,
}

impl Serialize for Resources<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        let mut params = self.params.borrow_mut();
        each_resource(self.selection, &mut params, |resource| {
            seq.serialize_element(&resource)
        })?;
        seq.end()
    }
}

fn metadata() -> Value {
    json!({"generator": {"name": "sig-studio", "version": env!("CARGO_PKG_VERSION")}})
}

/// The selection of a scope, refused when a name is not one Azure takes or the galleries are
/// in more than one resource group.
fn checked_selection<'w>(ws: &'w Workspace, scope: &Scope) -> Result<Selection<'w>, ExportError> {
    let selection = Selection::new(ws, scope)?;
    selection.check_names()?;
    let groups: std::collections::BTreeSet<String> = selection
        .galleries
        .iter()
        .copied()
        .chain(selection.definitions.iter().map(|(g, _)| *g))
        .chain(selection.versions.iter().map(|v| v.gallery))
        .filter(|g| !g.resource_group.is_empty())
        .map(|g| g.resource_group.to_lowercase())
        .collect();
    if groups.len() > 1 {
        return Err(ExportError::Nothing(format!(
            "the galleries are in {} resource groups and a template deploys to one: export each gallery with --scope",
            groups.len()
        )));
    }
    Ok(selection)
}

/// Each resource of the template in order (galleries, definitions, versions, role
/// assignments), given to `f` as it is built; parameters are added to `params` as resources ask.
fn each_resource<E>(
    selection: &Selection<'_>,
    params: &mut Params,
    mut f: impl FnMut(Value) -> Result<(), E>,
) -> Result<(), E> {
    for gallery in &selection.galleries {
        f(escape(body::gallery(gallery)))?;
    }
    for (gallery, definition) in &selection.definitions {
        let mut resource = escape(body::definition(gallery, definition));
        depends(selection, &mut resource, &[&gallery.name]);
        f(resource)?;
    }
    for item in &selection.versions {
        let mut source = None;
        let mut resource = escape(body::version(selection.ws, item, |name| {
            source = Some(name.to_owned());
            String::new()
        }));
        if let Some(name) = source {
            resource["properties"]["storageProfile"]["source"]["id"] =
                json!(format!("[parameters({})]", quote(&params.image(&name))));
        }
        depends(
            selection,
            &mut resource,
            &[&item.gallery.name, &item.definition.name],
        );
        f(resource)?;
    }
    for item in assign::items(selection) {
        if let Some(resource) = role_assignment(selection, params, &item) {
            f(resource)?;
        }
    }
    Ok(())
}

/// Template parameters: one per principal known only by name and per workspace managed image.
#[derive(Clone, Default)]
struct Params {
    map: Map<String, Value>,
    principals: BTreeMap<String, String>,
    images: BTreeMap<String, String>,
}

impl Params {
    fn principal(&mut self, selection: &Selection<'_>, name: &str) -> String {
        if let Some(p) = self.principals.get(name) {
            return p.clone();
        }
        let param = format!("principalObjectId{}", self.principals.len() + 1);
        let kind = selection
            .principal(name)
            .map(|p| names::name(&names::PRINCIPAL_TYPES, p.kind));
        let mut metadata = json!({
            "description": format!("Object id (in Entra ID) of {} \"{name}\"", kind.unwrap_or("the principal")),
            METADATA_PRINCIPAL: name,
        });
        if let Some(kind) = kind {
            metadata[METADATA_PRINCIPAL_TYPE] = json!(kind);
        }
        self.map.insert(
            param.clone(),
            json!({"type": "string", "metadata": escape(metadata)}),
        );
        self.principals.insert(name.to_owned(), param.clone());
        param
    }

    fn image(&mut self, name: &str) -> String {
        if let Some(p) = self.images.get(name) {
            return p.clone();
        }
        let param = format!("managedImageId{}", self.images.len() + 1);
        let metadata = json!({
            "description": format!("ARM id of the managed image \"{name}\" (/subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/images/{name})"),
            METADATA_MANAGED_IMAGE: name,
        });
        self.map.insert(
            param.clone(),
            json!({"type": "string", "metadata": escape(metadata)}),
        );
        self.images.insert(name.to_owned(), param.clone());
        param
    }
}

/// A string literal inside a template expression.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `resourceId(...)` of a gallery, definition or version path, without brackets.
fn resource_id(path: &[&str]) -> String {
    let kind = match path.len() {
        1 => GALLERY_TYPE,
        2 => DEFINITION_TYPE,
        _ => VERSION_TYPE,
    };
    let args: Vec<String> = path.iter().map(|p| quote(p)).collect();
    format!("resourceId({}, {})", quote(kind), args.join(", "))
}

/// A text ARM would evaluate as an expression (`[` … `]`) escaped as a literal (`[[` … `]`).
fn escape_text(text: String) -> String {
    if text.starts_with('[') && text.ends_with(']') {
        format!("[{text}")
    } else {
        text
    }
}

/// Every string and every property name escaped: ARM evaluates both.
pub fn escape(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(escape_text(s)),
        Value::Array(items) => Value::Array(items.into_iter().map(escape).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (escape_text(k), escape(v)))
                .collect(),
        ),
        other => other,
    }
}

/// What ARM receives for a gallery, definition or version, without dependencies and with
/// literal strings; a workspace managed image source is named, not parameterised. Two states of
/// one resource differ in what Azure holds exactly when these differ (the plan compares them).
pub fn gallery_body(gallery: &Gallery) -> Value {
    body::gallery(gallery)
}

/// See [`gallery_body`].
pub fn definition_body(gallery: &Gallery, definition: &ImageDefinition) -> Value {
    body::definition(gallery, definition)
}

/// See [`gallery_body`].
pub fn version_body(
    ws: &Workspace,
    gallery: &Gallery,
    definition: &ImageDefinition,
    version: &ImageVersion,
) -> Value {
    let item = VersionItem {
        gallery,
        definition,
        version,
    };
    body::version(ws, &item, |name| format!("managed image {name}"))
}

/// Adds `dependsOn` the parent when the template writes it.
fn depends(selection: &Selection<'_>, resource: &mut Value, path: &[&str]) {
    if selection.exports(&path.join("/")) {
        resource["dependsOn"] = json!([format!("[{}]", resource_id(path))]);
    }
}

/// The expression of an assignment's principal: its object id, or the parameter standing for it.
fn principal(
    selection: &Selection<'_>,
    params: &mut Params,
    item: &assign::AssignmentItem<'_>,
) -> String {
    match item.object_id() {
        Some(id) => quote(id),
        None => format!(
            "parameters({})",
            quote(&params.principal(selection, &item.grant.principal))
        ),
    }
}

fn role_assignment(
    selection: &Selection<'_>,
    params: &mut Params,
    item: &assign::AssignmentItem<'_>,
) -> Option<Value> {
    let grant = item.grant;
    let role = role_definition_id(grant.role);
    let principal = principal(selection, params, item);
    let (scope, path) = match &item.scope {
        AssignmentScope::Resource { path, .. } => {
            let mut scope = String::from(GALLERY_TYPE);
            for (i, part) in path.iter().enumerate() {
                scope.push_str(["/", "/images/", "/versions/"][i.min(2)]);
                scope.push_str(part);
            }
            (Some(scope), path.clone())
        }
        // A resource-group assignment is the deployment's own scope; one above it cannot be
        // deployed by a resource-group template.
        AssignmentScope::Above(id) => {
            let parsed = crate::model::azure::ArmId::parse(id)?;
            parsed.resource_group.as_ref()?;
            (None, Vec::new())
        }
    };
    let name = match item.name() {
        Some(name) => json!(name),
        None if path.is_empty() => json!(format!(
            "[guid(resourceGroup().id, {principal}, {})]",
            quote(role)
        )),
        None => json!(format!(
            "[guid({}, {principal}, {})]",
            resource_id(&path),
            quote(role)
        )),
    };
    let mut props = json!({
        "roleDefinitionId": format!("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', {})]", quote(role)),
        "principalId": format!("[{principal}]"),
    });
    if let Some(p) = selection.principal(&grant.principal) {
        props["principalType"] = json!(names::name(&names::PRINCIPAL_TYPES, p.kind));
    }
    let mut out = json!({
        "type": ROLE_ASSIGNMENT_TYPE,
        "apiVersion": ROLE_ASSIGNMENT_API_VERSION,
        "name": name,
    });
    if let Some(scope) = scope {
        out["scope"] = escape(json!(scope));
        depends(selection, &mut out, &path);
    }
    out["properties"] = props;
    Some(out)
}
