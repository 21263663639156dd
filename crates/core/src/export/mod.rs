//! Export: the workspace as what Azure deploys. An ARM template (`arm`) or a bash script of az
//! CLI calls (`az`), for the whole workspace or one gallery or definition; or one planned
//! version handed to an image build (`handoff`: `packer`, `image_builder`).
//!
//! Both are built from the same walk over the workspace ([`Selection`]): resources in
//! dependency order (gallery, its definitions, their versions, then role assignments), skipping
//! placeholders known only by reference (their fields are unknown, and writing them would blank
//! what Azure holds). What differs per environment — a principal's object id when the workspace
//! knows only its name, the ARM id of a workspace managed image — becomes a template parameter
//! or a script variable read from the environment, never an invented value.

pub mod arm;
pub mod assign;
pub mod az;
mod az_assign;
mod az_resource;
mod az_write;
pub mod body;
pub mod handoff;
pub mod image_builder;
mod index;
pub mod names;
pub mod packer;

use crate::model::{Gallery, Grant, ImageDefinition, ImageVersion, Presence, Principal, Workspace};

/// The API version of the gallery resources the export writes.
pub const API_VERSION: &str = "2025-03-03";
/// The API version of the role assignments the export writes.
pub const ROLE_ASSIGNMENT_API_VERSION: &str = "2022-04-01";
/// `$schema` of a resource-group deployment template.
pub const DEPLOYMENT_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/// What an export writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// An ARM deployment template (JSON).
    #[default]
    Arm,
    /// A bash script of az CLI calls.
    Az,
}

impl Format {
    pub const ALL: [Self; 2] = [Self::Arm, Self::Az];

    pub fn label(self) -> &'static str {
        match self {
            Self::Arm => "ARM template (JSON)",
            Self::Az => "az CLI script (bash)",
        }
    }

    /// The usual file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Arm => "json",
            Self::Az => "sh",
        }
    }
}

/// The text of an export.
pub fn export(ws: &Workspace, scope: &Scope, format: Format) -> Result<String, ExportError> {
    match format {
        Format::Arm => arm::to_string(ws, scope),
        Format::Az => az::to_string(ws, scope),
    }
}

/// What to export: everything, one gallery, or one definition (with what is below it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    pub gallery: Option<String>,
    pub definition: Option<String>,
}

/// Why nothing was exported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("\"{0}\" is not a scope: give GALLERY or GALLERY/DEFINITION")]
    BadScope(String),
    #[error("the workspace has no gallery \"{0}\"")]
    UnknownGallery(String),
    #[error("gallery \"{0}\" has no image definition \"{1}\"")]
    UnknownDefinition(String, String),
    #[error("nothing to export: {0}")]
    Nothing(String),
    /// A name Azure does not accept: written into a script or template it would address another
    /// resource (`..` is the parent's URL) or fail half way.
    #[error("{path}: {message}; Azure would not take it, so nothing is exported")]
    BadName { path: String, message: String },
}

impl Scope {
    /// `GALLERY` or `GALLERY/DEFINITION`.
    pub fn parse(text: &str) -> Result<Self, ExportError> {
        let parts: Vec<&str> = text.split('/').collect();
        match parts.as_slice() {
            [g] if !g.is_empty() => Ok(Self {
                gallery: Some((*g).to_owned()),
                definition: None,
            }),
            [g, d] if !g.is_empty() && !d.is_empty() => Ok(Self {
                gallery: Some((*g).to_owned()),
                definition: Some((*d).to_owned()),
            }),
            _ => Err(ExportError::BadScope(text.to_owned())),
        }
    }

    /// A scope when given, else the whole workspace.
    pub fn parse_optional(text: Option<&str>) -> Result<Self, ExportError> {
        text.map_or_else(|| Ok(Self::default()), Self::parse)
    }

    /// Whether a grant's scope (`gallery[/definition[/version]]`) lies inside this one.
    fn covers_grant(&self, grant: &Grant) -> bool {
        let mut parts = grant.scope.split('/');
        let g = parts.next().unwrap_or_default();
        let d = parts.next();
        match (&self.gallery, &self.definition) {
            (None, _) => true,
            (Some(sg), None) => sg == g,
            (Some(sg), Some(sd)) => sg == g && d == Some(sd.as_str()),
        }
    }
}

/// One version to export, with its definition and gallery.
pub struct VersionItem<'w> {
    pub gallery: &'w Gallery,
    pub definition: &'w ImageDefinition,
    pub version: &'w ImageVersion,
}

/// What an export writes, in dependency order.
pub struct Selection<'w> {
    pub ws: &'w Workspace,
    pub galleries: Vec<&'w Gallery>,
    pub definitions: Vec<(&'w Gallery, &'w ImageDefinition)>,
    pub versions: Vec<VersionItem<'w>>,
    /// Grants whose resource is exported (a grant on a placeholder is kept: the resource
    /// exists in Azure).
    pub grants: Vec<&'w Grant>,
    index: index::Index<'w>,
}

impl<'w> Selection<'w> {
    /// The resources of a scope; an error when the scope names nothing.
    pub fn new(ws: &'w Workspace, scope: &Scope) -> Result<Self, ExportError> {
        let galleries: Vec<&Gallery> = match &scope.gallery {
            None => ws.galleries.iter().collect(),
            Some(name) => vec![
                ws.gallery(name)
                    .ok_or_else(|| ExportError::UnknownGallery(name.clone()))?,
            ],
        };
        if let (Some(g), Some(d)) = (&scope.gallery, &scope.definition)
            && !galleries
                .iter()
                .any(|gallery| gallery.definitions.iter().any(|def| &def.name == d))
        {
            return Err(ExportError::UnknownDefinition(g.clone(), d.clone()));
        }
        let mut out = Self::empty(ws);
        for gallery in galleries {
            if scope.definition.is_none()
                && ws.presence_of(&gallery.name, None, None) != Presence::Reference
            {
                out.galleries.push(gallery);
            }
            for definition in &gallery.definitions {
                if scope
                    .definition
                    .as_ref()
                    .is_some_and(|d| d != &definition.name)
                {
                    continue;
                }
                if ws.presence_of(&gallery.name, Some(&definition.name), None)
                    != Presence::Reference
                {
                    out.definitions.push((gallery, definition));
                }
                for version in &definition.versions {
                    out.versions.push(VersionItem {
                        gallery,
                        definition,
                        version,
                    });
                }
            }
        }
        out.grants = ws.grants.iter().filter(|g| scope.covers_grant(g)).collect();
        for g in &out.galleries {
            out.index.mark(&g.name, "", "");
        }
        for (g, d) in &out.definitions {
            out.index.mark(&g.name, &d.name, "");
        }
        for v in &out.versions {
            out.index
                .mark(&v.gallery.name, &v.definition.name, &v.version.name);
        }
        if out.galleries.is_empty() && out.definitions.is_empty() && out.versions.is_empty() {
            return Err(ExportError::Nothing(
                "the scope holds no gallery, definition or version that is not a placeholder"
                    .to_owned(),
            ));
        }
        Ok(out)
    }

    /// Nothing selected yet.
    fn empty(ws: &'w Workspace) -> Self {
        Self {
            ws,
            galleries: Vec::new(),
            definitions: Vec::new(),
            versions: Vec::new(),
            grants: Vec::new(),
            index: index::Index::default(),
        }
    }

    /// Whether the resource at a path (`g`, `g/d`, `g/d/v`) is written by this export.
    pub fn exports(&self, path: &str) -> bool {
        self.index.exports(path)
    }

    /// Refuses names Azure does not accept, before anything is written.
    pub fn check_names(&self) -> Result<(), ExportError> {
        use crate::model::rules::{check_definition_name, check_gallery_name, check_version_name};
        let bad = |path: String, message: Option<String>| match message {
            Some(message) => Err(ExportError::BadName { path, message }),
            None => Ok(()),
        };
        let galleries = self
            .galleries
            .iter()
            .copied()
            .chain(self.definitions.iter().map(|(g, _)| *g))
            .chain(self.versions.iter().map(|v| v.gallery));
        for g in galleries {
            bad(g.name.clone(), check_gallery_name(&g.name))?;
            if !g.subscription.is_empty() && !is_object_id(&g.subscription) {
                bad(
                    g.name.clone(),
                    Some(format!(
                        "the subscription \"{}\" is not a subscription id (a GUID)",
                        g.subscription
                    )),
                )?;
            }
            bad(g.name.clone(), check_resource_group(&g.resource_group))?;
        }
        for (g, d) in &self.definitions {
            bad(g.name.clone(), check_gallery_name(&g.name))?;
            bad(
                format!("{}/{}", g.name, d.name),
                check_definition_name(&d.name),
            )?;
        }
        for item in &self.versions {
            let (g, d, v) = (item.gallery, item.definition, item.version);
            bad(g.name.clone(), check_gallery_name(&g.name))?;
            bad(
                format!("{}/{}", g.name, d.name),
                check_definition_name(&d.name),
            )?;
            bad(
                format!("{}/{}/{}", g.name, d.name, v.name),
                check_version_name(&v.name),
            )?;
        }
        Ok(())
    }

    /// The gallery a grant's scope starts with.
    pub fn gallery_of(&self, scope: &str) -> Option<&'w Gallery> {
        let name = scope.split('/').next()?;
        self.index.lookup(self.ws).gallery(name)
    }

    /// The principal named `name` (as `Workspace::principal` finds it, in constant time).
    pub fn principal(&self, name: &str) -> Option<&'w Principal> {
        self.index.lookup(self.ws).principal(name)
    }
}

/// A resource group name as ARM takes it (1 to 90 letters, digits, `_`, `-`, `.`, `(`, `)`;
/// not ending in `.`); empty is "not known yet" and passes.
fn check_resource_group(name: &str) -> Option<String> {
    if name.is_empty() {
        return None;
    }
    let valid = name.chars().count() <= 90
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '(' | ')'))
        && !name.ends_with('.');
    (!valid).then(|| {
        format!(
            "the resource group \"{name}\" is not a name ARM takes (1 to 90 letters, digits, _ - . ( ), not ending in .)"
        )
    })
}

/// Whether a principal's name is already its object id (a GUID, as an import without
/// principal names leaves it).
pub fn is_object_id(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// The first GUID inside a text (e.g. a role definition id, bare or inside an expression).
pub fn guid_in(text: &str) -> Option<&str> {
    (0..text.len().saturating_sub(35))
        .filter(|i| text.is_char_boundary(*i) && text.is_char_boundary(i + 36))
        .map(|i| &text[i..i + 36])
        .find(|s| is_object_id(s))
}

/// The last GUID inside a text: the role of a role definition id, which may start with a
/// subscription's GUID.
pub fn last_guid_in(text: &str) -> Option<&str> {
    (0..text.len().saturating_sub(35))
        .rev()
        .filter(|i| text.is_char_boundary(*i) && text.is_char_boundary(i + 36))
        .map(|i| &text[i..i + 36])
        .find(|s| is_object_id(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_and_guids() {
        assert_eq!(Scope::parse("g").unwrap().gallery.as_deref(), Some("g"));
        assert_eq!(
            Scope::parse("g/d").unwrap().definition.as_deref(),
            Some("d")
        );
        assert!(Scope::parse("g/d/1.0.0").is_err());
        assert!(Scope::parse("/d").is_err());
        assert_eq!(
            guid_in("[subscriptionResourceId('x', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')]"),
            Some("acdd72a7-3385-48ef-bd42-f606fba81ae7")
        );
        assert!(!is_object_id("alice@contoso.com"));
    }
}
