//! Paths that name resources: `gallery`, `gallery/definition`, `gallery/definition/1.0.0`,
//! `managed-images/<name>` (gallery names cannot contain `-`, so the two never clash),
//! `principal:<name>`, `tenant:<name>` and `workspace:settings`.

use std::fmt;

/// Names a resource of the workspace by its parents' names and its own.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourcePath {
    /// Workspace-wide settings (`workspace:settings`).
    Settings,
    /// A directory tenant (`tenant:<name>`).
    Tenant(String),
    /// A user, service principal or group (`principal:<name>`).
    Principal(String),
    ManagedImage(String),
    Gallery(String),
    Definition(String, String),
    Version(String, String, String),
}

/// Prefix of managed image paths.
pub const MANAGED_IMAGES: &str = "managed-images";

impl ResourcePath {
    pub fn gallery(g: &str) -> Self {
        Self::Gallery(g.to_owned())
    }

    pub fn definition(g: &str, d: &str) -> Self {
        Self::Definition(g.to_owned(), d.to_owned())
    }

    pub fn version(g: &str, d: &str, v: &str) -> Self {
        Self::Version(g.to_owned(), d.to_owned(), v.to_owned())
    }

    pub fn managed_image(name: &str) -> Self {
        Self::ManagedImage(name.to_owned())
    }

    /// Parses a path as written by `Display`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text == "workspace:settings" {
            return Some(Self::Settings);
        }
        if let Some(name) = text.strip_prefix("principal:") {
            return Some(Self::Principal(name.to_owned()));
        }
        if let Some(name) = text.strip_prefix("tenant:") {
            return Some(Self::Tenant(name.to_owned()));
        }
        let parts: Vec<&str> = text.trim().trim_matches('/').split('/').collect();
        if parts.iter().any(|p| p.is_empty()) {
            return None;
        }
        match parts.as_slice() {
            [MANAGED_IMAGES, name] => Some(Self::managed_image(name)),
            [g] => Some(Self::gallery(g)),
            [g, d] => Some(Self::definition(g, d)),
            [g, d, v] => Some(Self::version(g, d, v)),
            _ => None,
        }
    }

    /// The resource's own name.
    pub fn name(&self) -> &str {
        match self {
            Self::Settings => "settings",
            Self::Tenant(n)
            | Self::Principal(n)
            | Self::ManagedImage(n)
            | Self::Gallery(n)
            | Self::Definition(_, n)
            | Self::Version(_, _, n) => n,
        }
    }

    /// The gallery a gallery, definition or version belongs to (its own name for a gallery).
    pub fn gallery_name(&self) -> Option<&str> {
        match self {
            Self::Gallery(g) | Self::Definition(g, _) | Self::Version(g, ..) => Some(g),
            _ => None,
        }
    }

    /// The enclosing resource (a version's definition, a definition's gallery).
    pub fn parent(&self) -> Option<Self> {
        match self {
            Self::Settings
            | Self::Tenant(_)
            | Self::Principal(_)
            | Self::ManagedImage(_)
            | Self::Gallery(_) => None,
            Self::Definition(g, _) => Some(Self::Gallery(g.clone())),
            Self::Version(g, d, _) => Some(Self::Definition(g.clone(), d.clone())),
        }
    }

    /// Whether `self` is `other` or lies below it.
    pub fn is_within(&self, other: &Self) -> bool {
        self == other || self.parent().is_some_and(|p| p.is_within(other))
    }

    /// The same path with a new own name (for renames).
    pub fn with_name(&self, name: &str) -> Self {
        let mut path = self.clone();
        match &mut path {
            Self::Settings => {}
            Self::Tenant(n)
            | Self::Principal(n)
            | Self::ManagedImage(n)
            | Self::Gallery(n)
            | Self::Definition(_, n)
            | Self::Version(_, _, n) => *n = name.to_owned(),
        }
        path
    }

    /// What kind of resource, in words.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Settings => "settings",
            Self::Tenant(_) => "tenant",
            Self::Principal(_) => "principal",
            Self::ManagedImage(_) => "managed image",
            Self::Gallery(_) => "gallery",
            Self::Definition(..) => "image definition",
            Self::Version(..) => "image version",
        }
    }
}

impl fmt::Display for ResourcePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Settings => f.write_str("workspace:settings"),
            Self::Tenant(n) => write!(f, "tenant:{n}"),
            Self::Principal(n) => write!(f, "principal:{n}"),
            Self::ManagedImage(n) => write!(f, "{MANAGED_IMAGES}/{n}"),
            Self::Gallery(g) => f.write_str(g),
            Self::Definition(g, d) => write!(f, "{g}/{d}"),
            Self::Version(g, d, v) => write!(f, "{g}/{d}/{v}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display_round_trip() {
        for text in [
            "g",
            "g/d",
            "g/d/1.0.0",
            "managed-images/img-1",
            "principal:alice@contoso.com",
            "tenant:contoso",
            "workspace:settings",
        ] {
            assert_eq!(ResourcePath::parse(text).unwrap().to_string(), text);
        }
        assert!(ResourcePath::parse("a/b/c/d").is_none());
        assert!(ResourcePath::parse("a//c").is_none());
    }

    #[test]
    fn within() {
        let v = ResourcePath::version("g", "d", "1.0.0");
        assert!(v.is_within(&ResourcePath::gallery("g")));
        assert!(v.is_within(&ResourcePath::definition("g", "d")));
        assert!(!ResourcePath::gallery("g").is_within(&v));
        assert!(!v.is_within(&ResourcePath::gallery("h")));
    }
}
