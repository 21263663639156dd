//! The directory: tenants, principals (users, service principals, groups), and the role
//! assignments (grants) that give them access to galleries, definitions and versions.

use serde::{Deserialize, Serialize};

use super::azure_enum::azure_enum;

/// A directory tenant. Galleries belong to one; sharing stays inside it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    pub name: String,
    /// The tenant's primary domain, e.g. `contoso.onmicrosoft.com`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub domain: String,
}

azure_enum! {
    /// Azure's `principalType`.
    #[derive(
        Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
    )]
    pub enum PrincipalKind {
        #[default]
        User = "User",
        ServicePrincipal = "ServicePrincipal",
        Group = "Group",
    }
}

impl PrincipalKind {
    /// In words, for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::ServicePrincipal => "Service principal",
            Self::Group => "Group",
        }
    }
}

/// A user, service principal or group of a tenant.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Principal {
    pub name: String,
    pub kind: PrincipalKind,
    pub tenant: String,
    /// Members of a group, by principal name (users, service principals, other groups).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

/// Built-in roles that matter for galleries.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Role {
    /// See and deploy.
    #[default]
    Reader,
    /// Also create, edit and delete.
    Contributor,
    /// Everything: also share galleries, grant and revoke.
    Owner,
    /// Change a gallery's sharing profile only (it does not even read).
    ComputeGallerySharingAdmin,
    /// Read, grant and revoke.
    UserAccessAdministrator,
    /// Read, grant and revoke.
    RoleBasedAccessControlAdministrator,
}

/// A role assignment: a principal holds a role at a scope and everything below it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    pub principal: String,
    pub role: Role,
    /// `gallery`, `gallery/definition` or `gallery/definition/1.0.0`.
    pub scope: String,
}
