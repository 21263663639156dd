//! What Azure knows of a role assignment beyond the grant it gives (principal, role, scope):
//! its name (a GUID, which ARM keys it by: redeploying under another name fails with
//! `RoleAssignmentExists`), the principal's object id, and the scope it really lives at when
//! that is above the galleries (a resource group or a subscription, which the workspace's grants
//! spell as one grant per gallery below it). Kept beside the grants so that a grant stays
//! `principal, role, scope` for the rules and the editor; the import fills it, the export and
//! the plan read it.

use serde::{Deserialize, Serialize};

use super::{Grant, Role};

/// One role assignment as Azure holds it, for the grant with the same principal, role and
/// scope.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleAssignment {
    /// The grant's principal (a principal's name, or its object id).
    pub principal: String,
    pub role: Role,
    /// The grant's scope (`gallery[/definition[/version]]`).
    pub scope: String,
    /// The assignment's name in Azure (a GUID).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The principal's object id in Entra ID.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub principal_id: String,
    /// The ARM scope the assignment lives at when it is above the gallery (a resource group or
    /// subscription id); empty when it is the grant's own resource.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub arm_scope: String,
}

impl RoleAssignment {
    /// Whether this record describes `grant` (names and scopes compared ignoring case).
    pub fn describes(&self, grant: &Grant) -> bool {
        self.role == grant.role
            && self.principal.eq_ignore_ascii_case(&grant.principal)
            && self.scope.eq_ignore_ascii_case(&grant.scope)
    }
}

impl super::Workspace {
    /// What Azure knows of the role assignment behind a grant, if the import saw it.
    pub fn assignment_of(&self, grant: &Grant) -> Option<&RoleAssignment> {
        self.assignments.iter().find(|a| a.describes(grant))
    }
}
