//! The ARM deployment template: one resource per gallery, definition and version (API
//! 2025-03-03, bodies from [`super::body`]), role assignments as extension resources scoped to
//! their resource, and parameters for what differs per environment. Every string and every
//! property name that ARM would read as an expression (`[` … `]`) is escaped (`[[` … `]`). The
//! import reads it back (see `import`).

use std::collections::BTreeMap;

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

/// The template as pretty JSON, ending with a newline.
pub fn to_string(ws: &Workspace, scope: &Scope) -> Result<String, ExportError> {
    let value = template(ws, scope)?;
    let mut text = serde_json::to_string_pretty(&value)
        .map_err(|e| ExportError::Nothing(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// The deployment template of a scope.
pub fn template(ws: &Workspace, scope: &Scope) -> Result<Value, ExportError> {
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
    let mut params = Params::default();
    let mut resources = Vec::new();
    for gallery in &selection.galleries {
        resources.push(escape(body::gallery(gallery)));
    }
    for (gallery, definition) in &selection.definitions {
        let mut resource = escape(body::definition(gallery, definition));
        depends(&selection, &mut resource, &[&gallery.name]);
        resources.push(resource);
    }
    for item in &selection.versions {
        let mut source = None;
        let mut resource = escape(body::version(ws, item, |name| {
            source = Some(name.to_owned());
            String::new()
        }));
        if let Some(name) = source {
            resource["properties"]["storageProfile"]["source"]["id"] =
                json!(format!("[parameters({})]", quote(&params.image(&name))));
        }
        depends(
            &selection,
            &mut resource,
            &[&item.gallery.name, &item.definition.name],
        );
        resources.push(resource);
    }
    for item in assign::items(&selection) {
        if let Some(resource) = role_assignment(&selection, &mut params, &item) {
            resources.push(resource);
        }
    }
    Ok(json!({
        "$schema": DEPLOYMENT_SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": {"generator": {"name": "sig-studio", "version": env!("CARGO_PKG_VERSION")}},
        "parameters": Value::Object(params.map),
        "resources": resources,
    }))
}

/// Template parameters: one per principal known only by name and per workspace managed image.
#[derive(Default)]
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

fn role_assignment(
    selection: &Selection<'_>,
    params: &mut Params,
    item: &assign::AssignmentItem<'_>,
) -> Option<Value> {
    let grant = item.grant;
    let role = role_definition_id(grant.role);
    let principal = match item.object_id() {
        Some(id) => quote(id),
        None => format!(
            "parameters({})",
            quote(&params.principal(selection, &grant.principal))
        ),
    };
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
