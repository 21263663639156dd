//! The role table: what each built-in role allows. This is the only place that says so.

use serde::Serialize;

use crate::model::Role;

/// Something a principal may do with a gallery, image definition or image version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Action {
    /// See the resource and read its properties.
    See,
    /// Create VMs and scale sets from it (in any subscription of the same tenant).
    Deploy,
    /// Create resources below it (a definition in a gallery, a version in a definition).
    Create,
    Edit,
    Delete,
    /// Add a role assignment on it.
    Grant,
    /// Remove a role assignment on it.
    Revoke,
}

impl Action {
    pub const ALL: [Self; 7] = [
        Self::See,
        Self::Deploy,
        Self::Create,
        Self::Edit,
        Self::Delete,
        Self::Grant,
        Self::Revoke,
    ];

    /// The verb as used in sentences: "cannot {verb} …".
    pub fn verb(self) -> &'static str {
        match self {
            Self::See => "see",
            Self::Deploy => "deploy",
            Self::Create => "create",
            Self::Edit => "edit",
            Self::Delete => "delete",
            Self::Grant => "grant access on",
            Self::Revoke => "revoke access on",
        }
    }

    /// Short lower-case label for lists ("see, deploy").
    pub fn label(self) -> &'static str {
        match self {
            Self::See => "see",
            Self::Deploy => "deploy",
            Self::Create => "create",
            Self::Edit => "edit",
            Self::Delete => "delete",
            Self::Grant => "grant",
            Self::Revoke => "revoke",
        }
    }
}

use Action::{Create, Delete, Deploy, Edit, Grant, Revoke, See};

/// What each role allows, at its scope and everything below it.
///
/// Compute Gallery Sharing Admin is modelled as grant and revoke only: it does **not** see or
/// deploy. The issue defines it so, and Azure's built-in role definition
/// (`1ef6a3be-d0ac-425d-8c01-acb62866290b`, Microsoft docs "Azure built-in roles for Compute")
/// holds the single action `Microsoft.Compute/galleries/share/action`, with no `read`. A sharing
/// admin who should also consume images needs a Reader grant as well, and the answers show that.
pub const ROLE_TABLE: [(Role, &[Action]); 4] = [
    (Role::Reader, &[See, Deploy]),
    (Role::Contributor, &[See, Deploy, Create, Edit, Delete]),
    (
        Role::Owner,
        &[See, Deploy, Create, Edit, Delete, Grant, Revoke],
    ),
    (Role::ComputeGallerySharingAdmin, &[Grant, Revoke]),
];

/// Every role, in the table's order.
pub const ROLES: [Role; 4] = [
    ROLE_TABLE[0].0,
    ROLE_TABLE[1].0,
    ROLE_TABLE[2].0,
    ROLE_TABLE[3].0,
];

/// The role's name as Azure writes it.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Reader => "Reader",
        Role::Contributor => "Contributor",
        Role::Owner => "Owner",
        Role::ComputeGallerySharingAdmin => "Compute Gallery Sharing Admin",
    }
}

/// The actions a role allows.
pub fn actions_of(role: Role) -> &'static [Action] {
    ROLE_TABLE
        .iter()
        .find(|(r, _)| *r == role)
        .map_or(&[], |(_, actions)| *actions)
}

/// Whether `role` allows `action`.
pub fn allows(role: Role, action: Action) -> bool {
    actions_of(role).contains(&action)
}

/// The roles that allow `action`, in the table's order.
pub fn roles_allowing(action: Action) -> Vec<Role> {
    ROLES.into_iter().filter(|r| allows(*r, action)).collect()
}

/// "Owner or Compute Gallery Sharing Admin".
pub fn roles_text(roles: &[Role]) -> String {
    let labels: Vec<&str> = roles.iter().map(|r| role_label(*r)).collect();
    match labels.as_slice() {
        [] => "no role".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn bit(role: Role) -> u8 {
    match role {
        Role::Reader => 1,
        Role::Contributor => 2,
        Role::Owner => 4,
        Role::ComputeGallerySharingAdmin => 8,
    }
}

/// A set of roles held on one resource (a byte, so a principal × resource matrix stays small).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RoleSet(u8);

impl RoleSet {
    pub const EMPTY: Self = Self(0);

    pub fn of(role: Role) -> Self {
        Self(bit(role))
    }

    pub fn insert(&mut self, role: Role) {
        self.0 |= bit(role);
    }

    pub fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    pub fn contains(self, role: Role) -> bool {
        self.0 & bit(role) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The roles, in the table's order.
    pub fn roles(self) -> Vec<Role> {
        ROLES.into_iter().filter(|r| self.contains(*r)).collect()
    }

    /// Whether any role of the set allows `action`.
    pub fn allows(self, action: Action) -> bool {
        ROLES
            .into_iter()
            .any(|r| self.contains(r) && allows(r, action))
    }

    /// Every action some role of the set allows, in `Action::ALL` order.
    pub fn actions(self) -> Vec<Action> {
        Action::ALL
            .into_iter()
            .filter(|a| self.allows(*a))
            .collect()
    }
}

impl std::ops::BitOrAssign for RoleSet {
    fn bitor_assign(&mut self, other: Self) {
        self.0 |= other.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_as_the_issue_states_it() {
        assert_eq!(actions_of(Role::Reader), &[See, Deploy]);
        assert!(allows(Role::Contributor, Delete));
        assert!(!allows(Role::Contributor, Grant));
        assert!(allows(Role::Owner, Revoke));
        assert!(allows(Role::ComputeGallerySharingAdmin, Grant));
        assert!(!allows(Role::ComputeGallerySharingAdmin, See));
        assert!(!allows(Role::ComputeGallerySharingAdmin, Deploy));
        assert_eq!(
            roles_text(&roles_allowing(Grant)),
            "Owner or Compute Gallery Sharing Admin"
        );
        assert_eq!(roles_text(&roles_allowing(Edit)), "Contributor or Owner");
    }

    #[test]
    fn role_sets() {
        let mut set = RoleSet::of(Role::ComputeGallerySharingAdmin);
        assert!(!set.allows(See));
        set.insert(Role::Reader);
        assert_eq!(set.actions(), vec![See, Deploy, Grant, Revoke]);
        assert_eq!(
            set.roles(),
            vec![Role::Reader, Role::ComputeGallerySharingAdmin]
        );
        assert!(RoleSet::EMPTY.is_empty());
    }
}
