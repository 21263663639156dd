//! The role table: each built-in role's Azure name and GUID, and what it allows. This is the
//! only place that says so.

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
    /// Change a gallery's sharing profile (direct sharing with subscriptions and tenants,
    /// community): `Microsoft.Compute/galleries/share/action`. Not a role assignment.
    Share,
    /// Add a role assignment on it (`Microsoft.Authorization/roleAssignments/write`).
    Grant,
    /// Remove a role assignment on it (`Microsoft.Authorization/roleAssignments/delete`).
    Revoke,
}

impl Action {
    pub const ALL: [Self; 8] = [
        Self::See,
        Self::Deploy,
        Self::Create,
        Self::Edit,
        Self::Delete,
        Self::Share,
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
            Self::Share => "change the sharing profile of",
            Self::Grant => "grant access on",
            Self::Revoke => "revoke access on",
        }
    }

    /// Whether the action means something on a resource of this kind: a sharing profile belongs
    /// to a gallery, so `Share` means nothing on a definition or a version.
    pub fn applies_to(self, kind: &str) -> bool {
        self != Self::Share || kind == "gallery"
    }

    /// Short lower-case label for lists ("see, deploy").
    pub fn label(self) -> &'static str {
        match self {
            Self::See => "see",
            Self::Deploy => "deploy",
            Self::Create => "create",
            Self::Edit => "edit",
            Self::Delete => "delete",
            Self::Share => "share",
            Self::Grant => "grant",
            Self::Revoke => "revoke",
        }
    }
}

use Action::{Create, Delete, Deploy, Edit, Grant, Revoke, See, Share};

/// A built-in Azure role as the app models it: Azure's name and fixed role definition GUID
/// (Microsoft docs, "Azure built-in roles"), the definition's own `actions` and `notActions`
/// as Azure lists them, and what they allow on galleries, definitions and versions.
#[derive(Debug)]
pub struct RoleDefinition {
    pub role: Role,
    /// The role's name as Azure writes it (`roleName`, and `roleDefinitionName` in
    /// `az role assignment list`).
    pub name: &'static str,
    /// A short form for narrow places (the access matrix).
    pub short: &'static str,
    /// The role definition's GUID (`name` of
    /// `/providers/Microsoft.Authorization/roleDefinitions/{id}`), the same in every tenant.
    pub id: &'static str,
    /// Azure's `permissions[0].actions`, verbatim.
    pub azure_actions: &'static [&'static str],
    /// Azure's `permissions[0].notActions`, verbatim (only those that matter here).
    pub azure_not_actions: &'static [&'static str],
    /// What those allow at the role's scope and everything below it.
    pub actions: &'static [Action],
}

/// What each role allows, at its scope and everything below it. The only place that says so.
///
/// - `*/read` (Reader, User Access Administrator, Role Based Access Control Administrator) sees
///   and, with it, deploys: creating a VM from a gallery image needs only read access to it.
/// - Contributor holds `*` but not `Microsoft.Authorization/*/Write` or `*/Delete` and not
///   `Microsoft.Compute/galleries/share/action`: it manages images but neither grants nor shares.
/// - Creating and removing role assignments needs `Microsoft.Authorization/roleAssignments/write`
///   and `/delete`: Owner, User Access Administrator, Role Based Access Control Administrator.
/// - Compute Gallery Sharing Admin holds the single action
///   `Microsoft.Compute/galleries/share/action`: it changes the gallery's sharing profile, does
///   not read (a sharing admin who should consume images needs Reader as well) and cannot create
///   role assignments.
pub const ROLE_TABLE: [RoleDefinition; 6] = [
    RoleDefinition {
        role: Role::Reader,
        name: "Reader",
        short: "Reader",
        id: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        azure_actions: &["*/read"],
        azure_not_actions: &[],
        actions: &[See, Deploy],
    },
    RoleDefinition {
        role: Role::Contributor,
        name: "Contributor",
        short: "Contributor",
        id: "b24988ac-6180-42a0-ab88-20f7382dd24c",
        azure_actions: &["*"],
        azure_not_actions: &[
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/*/Write",
            "Microsoft.Compute/galleries/share/action",
        ],
        actions: &[See, Deploy, Create, Edit, Delete],
    },
    RoleDefinition {
        role: Role::Owner,
        name: "Owner",
        short: "Owner",
        id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        azure_actions: &["*"],
        azure_not_actions: &[],
        actions: &[See, Deploy, Create, Edit, Delete, Share, Grant, Revoke],
    },
    RoleDefinition {
        role: Role::UserAccessAdministrator,
        name: "User Access Administrator",
        short: "Access Admin",
        id: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        azure_actions: &["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"],
        azure_not_actions: &[],
        actions: &[See, Deploy, Grant, Revoke],
    },
    RoleDefinition {
        role: Role::RoleBasedAccessControlAdministrator,
        name: "Role Based Access Control Administrator",
        short: "RBAC Admin",
        id: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
        azure_actions: &[
            "Microsoft.Authorization/roleAssignments/write",
            "Microsoft.Authorization/roleAssignments/delete",
            "*/read",
            "Microsoft.Support/*",
        ],
        azure_not_actions: &[],
        actions: &[See, Deploy, Grant, Revoke],
    },
    RoleDefinition {
        role: Role::ComputeGallerySharingAdmin,
        name: "Compute Gallery Sharing Admin",
        short: "Sharing",
        id: "1ef6a3be-d0ac-425d-8c01-acb62866290b",
        azure_actions: &["Microsoft.Compute/galleries/share/action"],
        azure_not_actions: &[],
        actions: &[Share],
    },
];

/// Every role, in the table's order.
pub const ROLES: [Role; 6] = [
    ROLE_TABLE[0].role,
    ROLE_TABLE[1].role,
    ROLE_TABLE[2].role,
    ROLE_TABLE[3].role,
    ROLE_TABLE[4].role,
    ROLE_TABLE[5].role,
];

/// The role's row of the table.
pub fn definition(role: Role) -> &'static RoleDefinition {
    // A unit test checks that each index holds its role.
    &ROLE_TABLE[match role {
        Role::Reader => 0,
        Role::Contributor => 1,
        Role::Owner => 2,
        Role::UserAccessAdministrator => 3,
        Role::RoleBasedAccessControlAdministrator => 4,
        Role::ComputeGallerySharingAdmin => 5,
    }]
}

/// The role's name as Azure writes it.
pub fn role_label(role: Role) -> &'static str {
    definition(role).name
}

/// The role definition GUID Azure gives the built-in role.
pub fn role_definition_id(role: Role) -> &'static str {
    definition(role).id
}

/// The role with this Azure name (any letter case) or role definition GUID (bare, or the end of
/// a `/providers/Microsoft.Authorization/roleDefinitions/{id}` id); `None` for any other role.
pub fn role_named(name_or_id: &str) -> Option<Role> {
    let text = name_or_id.trim();
    let id = text.rsplit('/').next().unwrap_or(text);
    ROLE_TABLE
        .iter()
        .find(|d| d.name.eq_ignore_ascii_case(text) || d.id.eq_ignore_ascii_case(id))
        .map(|d| d.role)
}

/// The actions a role allows.
pub fn actions_of(role: Role) -> &'static [Action] {
    definition(role).actions
}

/// Whether `role` allows `action`.
pub fn allows(role: Role, action: Action) -> bool {
    actions_of(role).contains(&action)
}

/// The roles that allow `action`, in the table's order.
pub fn roles_allowing(action: Action) -> Vec<Role> {
    ROLES.into_iter().filter(|r| allows(*r, action)).collect()
}

/// "Owner, User Access Administrator or Role Based Access Control Administrator".
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
        Role::UserAccessAdministrator => 16,
        Role::RoleBasedAccessControlAdministrator => 32,
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

    /// Every action some role of the set allows on a resource of `kind` ("gallery", "image
    /// definition", "image version"), in `Action::ALL` order.
    pub fn actions_on(self, kind: &str) -> Vec<Action> {
        Action::ALL
            .into_iter()
            .filter(|a| a.applies_to(kind) && self.allows(*a))
            .collect()
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
    fn every_role_has_one_row_with_azures_guid() {
        for role in ROLES {
            assert_eq!(ROLE_TABLE.iter().filter(|d| d.role == role).count(), 1);
            assert_eq!(definition(role).role, role);
        }
        // Microsoft docs, "Azure built-in roles": each role's fixed id.
        let ids: Vec<(&str, &str)> = ROLE_TABLE.iter().map(|d| (d.name, d.id)).collect();
        assert_eq!(
            ids,
            [
                ("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7"),
                ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"),
                ("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
                (
                    "User Access Administrator",
                    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
                ),
                (
                    "Role Based Access Control Administrator",
                    "f58310d9-a9f6-439a-9e8d-f62e7b41a168"
                ),
                (
                    "Compute Gallery Sharing Admin",
                    "1ef6a3be-d0ac-425d-8c01-acb62866290b"
                ),
            ]
        );
        assert_eq!(
            role_named(
                "/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
            ),
            Some(Role::UserAccessAdministrator)
        );
        assert_eq!(
            role_named("role based access control administrator"),
            Some(Role::RoleBasedAccessControlAdministrator)
        );
        assert_eq!(role_named("Virtual Machine Contributor"), None);
    }

    #[test]
    fn the_sharing_admin_only_shares_as_its_single_azure_action_says() {
        let sharing = definition(Role::ComputeGallerySharingAdmin);
        assert_eq!(
            sharing.azure_actions,
            ["Microsoft.Compute/galleries/share/action"]
        );
        assert_eq!(sharing.actions, [Share]);
        assert!(!allows(Role::ComputeGallerySharingAdmin, See));
        assert!(!allows(Role::ComputeGallerySharingAdmin, Grant));
        assert!(!allows(Role::ComputeGallerySharingAdmin, Revoke));
        // Contributor's notActions hold both role assignments and gallery sharing.
        let contributor = definition(Role::Contributor);
        assert!(
            contributor
                .azure_not_actions
                .contains(&"Microsoft.Compute/galleries/share/action")
        );
        assert!(!allows(Role::Contributor, Share));
        assert!(!allows(Role::Contributor, Grant));
        assert_eq!(
            roles_text(&roles_allowing(Share)),
            "Owner or Compute Gallery Sharing Admin"
        );
    }

    #[test]
    fn role_assignments_need_owner_user_access_or_rbac_administrator() {
        // Creating or removing a role assignment needs
        // Microsoft.Authorization/roleAssignments/write (and /delete).
        for role in [
            Role::UserAccessAdministrator,
            Role::RoleBasedAccessControlAdministrator,
        ] {
            assert!(
                definition(role)
                    .azure_actions
                    .iter()
                    .any(|a| a.starts_with("Microsoft.Authorization/"))
            );
            assert_eq!(actions_of(role), [See, Deploy, Grant, Revoke]);
        }
        assert_eq!(
            roles_text(&roles_allowing(Grant)),
            "Owner, User Access Administrator or Role Based Access Control Administrator"
        );
        assert_eq!(roles_allowing(Revoke), roles_allowing(Grant));
        assert_eq!(actions_of(Role::Reader), &[See, Deploy]);
        assert!(allows(Role::Contributor, Delete));
        assert!(allows(Role::Owner, Revoke));
        assert_eq!(roles_text(&roles_allowing(Edit)), "Contributor or Owner");
    }

    #[test]
    fn role_sets() {
        let mut set = RoleSet::of(Role::ComputeGallerySharingAdmin);
        assert!(!set.allows(See));
        assert!(set.allows(Share));
        set.insert(Role::Reader);
        assert_eq!(set.actions(), vec![See, Deploy, Share]);
        assert_eq!(
            set.roles(),
            vec![Role::Reader, Role::ComputeGallerySharingAdmin]
        );
        set.insert(Role::RoleBasedAccessControlAdministrator);
        assert_eq!(set.actions(), vec![See, Deploy, Share, Grant, Revoke]);
        // A sharing profile belongs to a gallery.
        assert_eq!(
            set.actions_on("image version"),
            vec![See, Deploy, Grant, Revoke]
        );
        assert_eq!(set.actions_on("gallery"), set.actions());
        assert!(RoleSet::EMPTY.is_empty());
    }
}
