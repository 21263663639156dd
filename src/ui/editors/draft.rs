//! The draft an editor works on: a copy of the selected resource's own fields.

use crate::model::{
    Edit, Gallery, ImageDefinition, ImageVersion, ManagedImage, Resource, ResourcePath, Workspace,
};

/// A copy of the selected resource's own fields (children left out).
#[derive(Clone, Debug, PartialEq)]
pub enum Draft {
    Gallery(Gallery),
    Definition(ImageDefinition),
    Version(ImageVersion),
    Image(ManagedImage),
}

impl Draft {
    /// Reads the resource at `path`, without its children.
    pub fn load(ws: &Workspace, path: &ResourcePath) -> Option<Self> {
        Some(match ws.resolve(path)? {
            Resource::Gallery(g) => Self::Gallery(g.without_definitions()),
            Resource::Definition(_, d) => Self::Definition(d.without_versions()),
            Resource::Version(.., v) => Self::Version(v.clone()),
            Resource::ManagedImage(m) => Self::Image(m.clone()),
            Resource::Settings(_) | Resource::Tenant(_) | Resource::Principal(_) => return None,
        })
    }

    /// The edit that stores this draft over the resource at `path`.
    pub fn to_edit(&self, path: &ResourcePath) -> Option<Edit> {
        Some(match (self, path) {
            (Self::Gallery(gallery), ResourcePath::Gallery(name)) => Edit::UpdateGallery {
                name: name.clone(),
                gallery: gallery.clone(),
            },
            (Self::Definition(definition), ResourcePath::Definition(g, name)) => {
                Edit::UpdateDefinition {
                    gallery: g.clone(),
                    name: name.clone(),
                    definition: definition.clone(),
                }
            }
            (Self::Version(version), ResourcePath::Version(g, d, name)) => Edit::UpdateVersion {
                gallery: g.clone(),
                definition: d.clone(),
                name: name.clone(),
                version: version.clone(),
            },
            (Self::Image(image), ResourcePath::ManagedImage(name)) => Edit::UpdateImage {
                name: name.clone(),
                image: image.clone(),
            },
            _ => return None,
        })
    }

    /// Gives the resource another name (a rename in the tree).
    pub fn set_name(&mut self, name: String) {
        match self {
            Self::Gallery(g) => g.name = name,
            Self::Definition(d) => d.name = name,
            Self::Version(v) => v.name = name,
            Self::Image(m) => m.name = name,
        }
    }

    /// The resource's path once this draft is stored (its name may have changed).
    pub fn path_after(&self, path: &ResourcePath) -> ResourcePath {
        let name = match self {
            Self::Gallery(g) => &g.name,
            Self::Definition(d) => &d.name,
            Self::Version(v) => &v.name,
            Self::Image(m) => &m.name,
        };
        path.with_name(name)
    }
}
