//! One lookup of a resource by its path: [`Workspace::resolve`] instead of chained lookups
//! (gallery, then definition, then version) written out at every caller.

use super::{
    Gallery, ImageDefinition, ImageVersion, ManagedImage, Presence, Principal, ResourcePath,
    Settings, Tenant, Workspace,
};

/// A resource of the workspace, found by its path, with the resources above it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Resource<'a> {
    Settings(&'a Settings),
    Tenant(&'a Tenant),
    Principal(&'a Principal),
    ManagedImage(&'a ManagedImage),
    Gallery(&'a Gallery),
    Definition(&'a Gallery, &'a ImageDefinition),
    Version(&'a Gallery, &'a ImageDefinition, &'a ImageVersion),
}

impl<'a> Resource<'a> {
    /// The gallery of a gallery, definition or version (the gallery itself, or the one above).
    pub fn gallery(self) -> Option<&'a Gallery> {
        match self {
            Self::Gallery(g) | Self::Definition(g, _) | Self::Version(g, ..) => Some(g),
            _ => None,
        }
    }

    /// The definition of a definition or version (the definition itself, or the one above).
    pub fn definition(self) -> Option<&'a ImageDefinition> {
        match self {
            Self::Definition(_, d) | Self::Version(_, d, _) => Some(d),
            _ => None,
        }
    }

    /// The version, when the path names one.
    pub fn version(self) -> Option<&'a ImageVersion> {
        match self {
            Self::Version(.., v) => Some(v),
            _ => None,
        }
    }

    /// The managed image, when the path names one.
    pub fn managed_image(self) -> Option<&'a ManagedImage> {
        match self {
            Self::ManagedImage(m) => Some(m),
            _ => None,
        }
    }
}

/// A resource of the workspace found by its path, to change.
#[derive(Debug)]
pub enum ResourceMut<'a> {
    Settings(&'a mut Settings),
    Tenant(&'a mut Tenant),
    Principal(&'a mut Principal),
    ManagedImage(&'a mut ManagedImage),
    Gallery(&'a mut Gallery),
    Definition(&'a mut ImageDefinition),
    Version(&'a mut ImageVersion),
}

impl<'a> ResourceMut<'a> {
    /// The version, when the path names one.
    pub fn version(self) -> Option<&'a mut ImageVersion> {
        match self {
            Self::Version(v) => Some(v),
            _ => None,
        }
    }

    /// The definition, when the path names one.
    pub fn definition(self) -> Option<&'a mut ImageDefinition> {
        match self {
            Self::Definition(d) => Some(d),
            _ => None,
        }
    }
}

impl Workspace {
    /// The resource at `path` with the resources above it; `None` when any of them is missing.
    /// Names compare exactly, as everywhere in the workspace.
    pub fn resolve(&self, path: &ResourcePath) -> Option<Resource<'_>> {
        Some(match path {
            ResourcePath::Settings => Resource::Settings(&self.settings),
            ResourcePath::Tenant(n) => {
                Resource::Tenant(self.tenants.iter().find(|t| t.name == *n)?)
            }
            ResourcePath::Principal(n) => Resource::Principal(self.principal(n)?),
            ResourcePath::ManagedImage(n) => Resource::ManagedImage(self.managed_image(n)?),
            ResourcePath::Gallery(g) => Resource::Gallery(self.gallery(g)?),
            ResourcePath::Definition(g, d) => {
                let g = self.gallery(g)?;
                Resource::Definition(g, g.definition(d)?)
            }
            ResourcePath::Version(g, d, v) => {
                let g = self.gallery(g)?;
                let d = g.definition(d)?;
                Resource::Version(g, d, d.version(v)?)
            }
        })
    }

    /// The resource at `path`, to change; `None` when it or a resource above it is missing.
    pub fn resolve_mut(&mut self, path: &ResourcePath) -> Option<ResourceMut<'_>> {
        Some(match path {
            ResourcePath::Settings => ResourceMut::Settings(&mut self.settings),
            ResourcePath::Tenant(n) => {
                ResourceMut::Tenant(self.tenants.iter_mut().find(|t| t.name == *n)?)
            }
            ResourcePath::Principal(n) => {
                ResourceMut::Principal(self.principals.iter_mut().find(|p| p.name == *n)?)
            }
            ResourcePath::ManagedImage(n) => {
                ResourceMut::ManagedImage(self.managed_images.iter_mut().find(|m| m.name == *n)?)
            }
            ResourcePath::Gallery(g) => ResourceMut::Gallery(self.gallery_mut(g)?),
            ResourcePath::Definition(g, d) => ResourceMut::Definition(
                self.gallery_mut(g)?
                    .definitions
                    .iter_mut()
                    .find(|x| x.name == *d)?,
            ),
            ResourcePath::Version(g, d, v) => ResourceMut::Version(
                self.gallery_mut(g)?
                    .definitions
                    .iter_mut()
                    .find(|x| x.name == *d)?
                    .versions
                    .iter_mut()
                    .find(|x| x.name == *v)?,
            ),
        })
    }

    /// The path of the first resource from the top of `path` down that is missing: the
    /// gallery, the definition, or the resource itself. `None` when `path` resolves.
    pub fn missing(&self, path: &ResourcePath) -> Option<ResourcePath> {
        if let Some(parent) = path.parent()
            && let Some(missing) = self.missing(&parent)
        {
            return Some(missing);
        }
        self.resolve(path).is_none().then(|| path.clone())
    }

    /// Where the gallery, definition or version at `path` stands with Azure, derived from
    /// Azure as last seen (`None`: no such resource in the workspace, or another kind).
    pub fn presence(&self, path: &ResourcePath) -> Option<Presence> {
        match self.resolve(path)? {
            Resource::Gallery(g) => Some(self.presence_of(&g.name, None, None)),
            Resource::Definition(g, d) => Some(self.presence_of(&g.name, Some(&d.name), None)),
            Resource::Version(g, d, v) => {
                Some(self.presence_of(&g.name, Some(&d.name), Some(&v.name)))
            }
            _ => None,
        }
    }

    /// Where a gallery, definition or version of these names stands with Azure as last seen,
    /// whether or not the workspace plans it (no lookup of the planned resource; names compare
    /// ignoring ASCII case).
    pub fn presence_of(
        &self,
        gallery: &str,
        definition: Option<&str>,
        version: Option<&str>,
    ) -> Presence {
        self.azure.as_ref().map_or(Presence::Planned, |seen| {
            seen.presence_of(gallery, definition, version)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample;

    #[test]
    fn resolves_every_kind_with_its_parents() {
        let ws = sample();
        let (g, d, v) = ws.versions().next().unwrap();
        let path = ResourcePath::version(&g.name, &d.name, &v.name);
        let found = ws.resolve(&path).unwrap();
        assert_eq!(found, Resource::Version(g, d, v));
        assert_eq!(found.gallery(), Some(g));
        assert_eq!(found.definition(), Some(d));
        assert_eq!(found.version(), Some(v));
        assert_eq!(ws.presence(&path), Some(Presence::Planned));
        let mut seen = ws.clone();
        seen.azure = Some(std::sync::Arc::new(crate::model::AzureSeen::snapshot(
            &ws,
            Default::default(),
        )));
        assert_eq!(seen.presence(&path), Some(Presence::InAzure));
        let definition = ws.resolve(&path.parent().unwrap()).unwrap();
        assert_eq!(definition, Resource::Definition(g, d));
        assert_eq!(definition.version(), None);
        assert_eq!(
            ws.resolve(&ResourcePath::gallery(&g.name)),
            Some(Resource::Gallery(g))
        );
        let image = &ws.managed_images[0];
        assert_eq!(
            ws.resolve(&ResourcePath::managed_image(&image.name))
                .and_then(Resource::managed_image),
            Some(image)
        );
        let principal = &ws.principals[0];
        assert_eq!(
            ws.resolve(&ResourcePath::Principal(principal.name.clone())),
            Some(Resource::Principal(principal))
        );
        let tenant = &ws.tenants[0];
        assert_eq!(
            ws.resolve(&ResourcePath::Tenant(tenant.name.clone())),
            Some(Resource::Tenant(tenant))
        );
        assert_eq!(
            ws.resolve(&ResourcePath::Settings),
            Some(Resource::Settings(&ws.settings))
        );
    }

    #[test]
    fn a_missing_resource_or_parent_resolves_to_nothing_and_says_which() {
        let ws = sample();
        let (g, d, v) = ws.versions().next().unwrap();
        let cases = [
            (
                ResourcePath::version(&g.name, &d.name, "9.9.9"),
                ResourcePath::version(&g.name, &d.name, "9.9.9"),
            ),
            (
                ResourcePath::version(&g.name, "nope", &v.name),
                ResourcePath::definition(&g.name, "nope"),
            ),
            (
                ResourcePath::version("nope", &d.name, &v.name),
                ResourcePath::gallery("nope"),
            ),
            // Names compare exactly: another letter case is another resource.
            (
                ResourcePath::gallery(&g.name.to_uppercase()),
                ResourcePath::gallery(&g.name.to_uppercase()),
            ),
            (
                ResourcePath::managed_image("nope"),
                ResourcePath::managed_image("nope"),
            ),
        ];
        for (path, missing) in cases {
            assert!(ws.resolve(&path).is_none(), "{path}");
            assert_eq!(ws.missing(&path), Some(missing), "{path}");
        }
        assert_eq!(
            ws.missing(&ResourcePath::version(&g.name, &d.name, &v.name)),
            None
        );
    }

    #[test]
    fn resolve_mut_changes_the_resource_at_the_path() {
        let mut ws = sample();
        let (g, d, v) = ws
            .versions()
            .next()
            .map(|(g, d, v)| (g.name.clone(), d.name.clone(), v.name.clone()))
            .unwrap();
        let path = ResourcePath::version(&g, &d, &v);
        let version = ws
            .resolve_mut(&path)
            .and_then(ResourceMut::version)
            .unwrap();
        version.exclude_from_latest = !version.exclude_from_latest;
        let flipped = ws
            .resolve(&path)
            .and_then(Resource::version)
            .unwrap()
            .exclude_from_latest;
        assert_eq!(
            flipped,
            !sample()
                .resolve(&path)
                .and_then(Resource::version)
                .unwrap()
                .exclude_from_latest
        );
        assert!(
            ws.resolve_mut(&ResourcePath::version(&g, &d, "9.9.9"))
                .is_none()
        );
        assert!(
            ws.resolve_mut(&ResourcePath::definition(&g, &d))
                .and_then(ResourceMut::definition)
                .is_some()
        );
    }
}
