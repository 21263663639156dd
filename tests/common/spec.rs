//! The REST spec of the gallery resources (`GalleryRP.json`, API 2025-03-03) as a validator:
//! the export's template resources and the apply's request bodies are checked against it.

use std::path::Path;

use serde_json::{Map, Value, json};

/// The gallery resource types, as template resources name them.
const GALLERY_TYPE: &str = "Microsoft.Compute/galleries";
const DEFINITION_TYPE: &str = "Microsoft.Compute/galleries/images";
const VERSION_TYPE: &str = "Microsoft.Compute/galleries/images/versions";
const ROLE_ASSIGNMENT_TYPE: &str = "Microsoft.Authorization/roleAssignments";

/// A validator of the JSON Schema subset GalleryRP.json uses: local `$ref`, `allOf`,
/// `properties` (a name not declared is an error unless `additionalProperties` allows it),
/// `additionalProperties`, `items`, `type`, `format` (int32, date-time), `enum`, `required`,
/// and `readOnly` (writing a read-only property is an error). External `$ref`s (common types)
/// are outside the file and not followed.
pub struct Spec {
    definitions: Map<String, Value>,
}

impl Spec {
    fn resolve<'a>(&'a self, schema: &'a Value) -> Option<&'a Value> {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => r
                .strip_prefix("#/definitions/")
                .and_then(|name| self.definitions.get(name))
                .and_then(|s| self.resolve(s)),
            None => Some(schema),
        }
    }

    /// Declared properties, through `allOf`.
    fn properties<'a>(&'a self, schema: &'a Value, out: &mut Map<String, Value>) {
        let Some(schema) = self.resolve(schema) else {
            return;
        };
        if let Some(Value::Object(props)) = schema.get("properties") {
            for (k, v) in props {
                out.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.properties(part, out);
        }
    }

    fn additional<'a>(&'a self, schema: &'a Value) -> Option<&'a Value> {
        let schema = self.resolve(schema)?;
        schema.get("additionalProperties").or_else(|| {
            schema
                .get("allOf")?
                .as_array()?
                .iter()
                .find_map(|p| self.additional(p))
        })
    }

    fn check(&self, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
        self.check_all(schema, value, path, errors, true);
    }

    /// A schema and its `allOf` parts; property names are checked only at the top, against
    /// every part's declarations together.
    fn check_all(
        &self,
        schema: &Value,
        value: &Value,
        path: &str,
        errors: &mut Vec<String>,
        names: bool,
    ) {
        let Some(schema) = self.resolve(schema) else {
            return; // an external reference
        };
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.check_all(part, value, path, errors, false);
        }
        self.check_own(schema, value, path, errors, names);
    }

    fn check_own(
        &self,
        schema: &Value,
        value: &Value,
        path: &str,
        errors: &mut Vec<String>,
        names: bool,
    ) {
        let Some(schema) = self.resolve(schema) else {
            return;
        };
        let kind_ok = match schema.get("type").and_then(Value::as_str) {
            Some("object") => value.is_object(),
            Some("array") => value.is_array(),
            Some("string") => value.is_string(),
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("number") => value.is_number(),
            Some("boolean") => value.is_boolean(),
            _ => true,
        };
        if !kind_ok {
            errors.push(format!("{path}: {value} is not of type {}", schema["type"]));
            return;
        }
        match schema.get("format").and_then(Value::as_str) {
            Some("int32") if value.as_i64().is_none_or(|n| i32::try_from(n).is_err()) => {
                errors.push(format!("{path}: {value} is not an int32"));
            }
            Some("date-time")
                if value
                    .as_str()
                    .is_none_or(|s| s.parse::<jiff::Timestamp>().is_err()) =>
            {
                errors.push(format!("{path}: {value} is not a date-time"));
            }
            _ => {}
        }
        if let Some(Value::Array(allowed)) = schema.get("enum")
            && !allowed.contains(value)
        {
            errors.push(format!("{path}: {value} is not one of {allowed:?}"));
        }
        if let Some(Value::Array(required)) = schema.get("required") {
            for key in required.iter().filter_map(Value::as_str) {
                if value.get(key).is_none() {
                    errors.push(format!("{path}: required property {key} is missing"));
                }
            }
        }
        if let (Some(items), Some(values)) = (schema.get("items"), value.as_array()) {
            for (i, v) in values.iter().enumerate() {
                self.check(items, v, &format!("{path}[{i}]"), errors);
            }
        }
        let mut declared = Map::new();
        self.properties(schema, &mut declared);
        let additional = self.additional(schema);
        if let Value::Object(map) = value
            && names
            && (!declared.is_empty() || additional.is_some())
        {
            for (k, v) in map {
                let here = format!("{path}.{k}");
                match declared.get(k) {
                    Some(prop) => {
                        if prop.get("readOnly") == Some(&Value::Bool(true)) {
                            errors.push(format!("{here}: read-only property written"));
                        }
                        self.check(prop, v, &here, errors);
                    }
                    None => match additional {
                        Some(Value::Object(_)) => self.check(additional.unwrap(), v, &here, errors),
                        Some(Value::Bool(true)) => {}
                        _ => errors.push(format!("{here}: not a property of this definition")),
                    },
                }
            }
        }
    }

    /// Errors of one template resource: envelope keys, tags, identity, and its properties.
    pub fn resource(&self, resource: &Value, errors: &mut Vec<String>) {
        let name = resource["name"].as_str().unwrap_or("?").to_owned();
        let definition = match resource["type"].as_str().unwrap_or_default() {
            GALLERY_TYPE => "GalleryProperties",
            DEFINITION_TYPE => "GalleryImageProperties",
            VERSION_TYPE => "GalleryImageVersionProperties",
            ROLE_ASSIGNMENT_TYPE => {
                let props = &resource["properties"];
                for key in ["roleDefinitionId", "principalId"] {
                    if !props[key].is_string() {
                        errors.push(format!("{name}: role assignment without {key}"));
                    }
                }
                if let Some(t) = props.get("principalType")
                    && !["User", "Group", "ServicePrincipal"].contains(&t.as_str().unwrap_or(""))
                {
                    errors.push(format!("{name}: principalType {t}"));
                }
                return;
            }
            other => {
                errors.push(format!("{name}: unexpected type {other}"));
                return;
            }
        };
        for key in resource.as_object().unwrap().keys() {
            let allowed = [
                "type",
                "apiVersion",
                "name",
                "location",
                "dependsOn",
                "tags",
                "properties",
                "identity",
            ];
            if !allowed.contains(&key.as_str()) {
                errors.push(format!("{name}: {key} is not a resource key"));
            }
        }
        if let Some(tags) = resource.get("tags")
            && !tags
                .as_object()
                .is_some_and(|t| t.values().all(Value::is_string))
        {
            errors.push(format!("{name}: tags are not strings"));
        }
        if let Some(identity) = resource.get("identity") {
            self.check(
                &json!({"$ref": "#/definitions/GalleryIdentity"}),
                identity,
                &name,
                errors,
            );
        }
        let schema = json!({ "$ref": format!("#/definitions/{definition}") });
        self.check(
            &schema,
            &resource["properties"],
            &format!("{name}.properties"),
            errors,
        );
    }
}

/// The service's OpenAPI document (a copy in the repository: `tests/fixtures/arm-spec/README.md`).
pub fn spec() -> Spec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/arm-spec/GalleryRP.json");
    let text = std::fs::read_to_string(&path).expect("the spec is readable");
    let spec: Value = serde_json::from_str(&text).expect("the spec is JSON");
    Spec {
        definitions: spec["definitions"].as_object().cloned().unwrap_or_default(),
    }
}

impl Spec {
    /// Errors of a REST request body (a PUT of `kind`, as the apply sends it): checked as the
    /// template resource it would be, with its type and name.
    pub fn rest_body(&self, kind: &str, body: &Value, errors: &mut Vec<String>) {
        let mut resource = body.clone();
        for key in ["type", "apiVersion", "name"] {
            if resource.get(key).is_some() {
                errors.push(format!(
                    "{kind}: {key} is a template key, not a REST body's"
                ));
            }
        }
        resource["type"] = json!(kind);
        resource["name"] = json!("rest-body");
        self.resource(&resource, errors);
    }
}
