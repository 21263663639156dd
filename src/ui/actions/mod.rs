//! The action table: every user action in one flat list, with its label, tooltip, shortcuts,
//! the operation the acting principal may be refused, and (`availability.rs`) whether it is
//! available for a target and why not. Menus, buttons, keyboard shortcuts, the shortcut list
//! (F1) and the app when it runs an action all ask this table, so a disabled menu item and a
//! refused shortcut give the same reason. A test fails on clashing shortcuts.

mod availability;
pub mod keys;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::access::Operation;

pub use availability::Availability;

/// Declares the action enum and `UserAction::ALL` from one list, so that no action can be
/// missing from menus, shortcuts and the F1 list.
macro_rules! actions {
    ($($name:ident),* $(,)?) => {
        /// Something the user can ask for from a menu, a button or a shortcut.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum UserAction {
            $($name),*
        }

        impl UserAction {
            /// Every action, in menu order.
            pub const ALL: [Self; [$(stringify!($name)),*].len()] = [$(Self::$name),*];
        }
    };
}

actions! {
    New,
    Open,
    OpenPath,
    Save,
    SaveAs,
    SaveToPath,
    Import,
    ConnectAzure,
    RefreshAzure,
    Export,
    ReviewChanges,
    ApplyToAzure,
    Quit,
    Undo,
    Redo,
    Rename,
    Duplicate,
    Delete,
    AddChild,
    AddGallery,
    AddImage,
    AddGrant,
    FocusSearch,
    ToggleProblems,
    ToggleTree,
    ToggleTheme,
    ToggleCost,
    ToggleActivity,
    Deploy,
    HandOff,
    PlanReplicas,
    RetentionPolicy,
    WorkspaceSettings,
    Principals,
    AccessMatrix,
    CheckAccess,
    Shortcuts,
    About,
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers {
    alt: false,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: true,
};

impl UserAction {
    /// Menu text. Actions that open a dialog end with "…".
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "New",
            Self::Open => "Open…",
            Self::OpenPath => "Open by path…",
            Self::Save => "Save",
            Self::SaveAs => "Save as…",
            Self::SaveToPath => "Save to path…",
            Self::Import => "Import from Azure JSON…",
            Self::ConnectAzure => "Connect to Azure…",
            Self::RefreshAzure => "Refresh from Azure",
            Self::Export => "Export…",
            Self::ReviewChanges => "Review changes…",
            Self::ApplyToAzure => "Apply to Azure…",
            Self::Quit => "Quit",
            Self::Undo => "Undo",
            Self::Redo => "Redo",
            Self::Rename => "Rename",
            Self::Duplicate => "Duplicate",
            Self::Delete => "Delete…",
            Self::AddChild => "Add…",
            Self::AddGallery => "Add gallery…",
            Self::AddImage => "Add managed image…",
            Self::AddGrant => "Add grant…",
            Self::FocusSearch => "Search the tree",
            Self::ToggleProblems => "Problems panel",
            Self::ToggleTree => "Tree panel",
            Self::ToggleTheme => "Dark theme",
            Self::ToggleCost => "Cost",
            Self::ToggleActivity => "Activity",
            Self::Deploy => "Deploy…",
            Self::HandOff => "Hand off to build…",
            Self::PlanReplicas => "Plan replicas…",
            Self::RetentionPolicy => "Retention policy…",
            Self::WorkspaceSettings => "Workspace settings",
            Self::Principals => "Principals…",
            Self::AccessMatrix => "Access matrix…",
            Self::CheckAccess => "Check access…",
            Self::Shortcuts => "Keyboard shortcuts",
            Self::About => "About SIG Studio",
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            Self::New => "Start an empty workspace",
            Self::Open => "Open a workspace file",
            Self::OpenPath => {
                "Type the path of a workspace file to open (when no file dialog is available)"
            }
            Self::Save => "Save the workspace to its file",
            Self::SaveAs => "Save the workspace to a new file",
            Self::SaveToPath => {
                "Type the path to save the workspace to (when no file dialog is available)"
            }
            Self::Import => {
                "Bring galleries, definitions, versions and role assignments in from az CLI, REST or ARM template JSON; read the summary before accepting"
            }
            Self::ConnectAzure => {
                "Read a subscription live, read only, with the Azure CLI you are signed in to: an empty workspace takes Azure as it is, one with planned work is refreshed"
            }
            Self::RefreshAzure => {
                "Read Azure again and see what it changed since it was last seen beside your planned edits; conflicts are yours to resolve before anything is replaced"
            }
            Self::Export => {
                "Write what Azure deploys: an ARM template or an az CLI script, of everything or one gallery or definition"
            }
            Self::ReviewChanges => {
                "What Azure would deploy to go from Azure as last seen to the planned state: each step in order, with its cost, and the steps the service refuses"
            }
            Self::ApplyToAzure => {
                "Carry out the plan in the connected subscription: Azure is read again first, every delete and removed region is named before anything is sent, and each step's state shows as it runs"
            }
            Self::Quit => "Close SIG Studio",
            Self::Undo => "Undo the last change",
            Self::Redo => "Redo the last undone change",
            Self::Rename => "Rename the selected resource",
            Self::Duplicate => "Copy the selected image version under the next free version number",
            Self::Delete => "Delete the selected resource (asks first)",
            Self::AddChild => "Add a resource under the selected one",
            Self::AddGallery => "Create a gallery",
            Self::AddImage => "Register a managed image to build versions from",
            Self::AddGrant => "Give a principal of the gallery's tenant a role on this resource",
            Self::FocusSearch => "Filter the tree by name, OS, region or replication state",
            Self::ToggleProblems => "Show or hide the list of validation problems",
            Self::ToggleTree => "Show or hide the resource tree",
            Self::ToggleTheme => "Switch between the dark and the light theme",
            Self::ToggleCost => {
                "Show or hide the cost view: estimated storage and transfer in USD, and the prices"
            }
            Self::ToggleActivity => {
                "Show or hide the replication activity: every job with its progress, time left, cancel and retry"
            }
            Self::Deploy => {
                "Check deploying VMs or scale sets from the selected version (or a definition's latest) in a region"
            }
            Self::HandOff => {
                "The Packer and Azure Image Builder settings that publish the selected version, with a pre-flight check of what would make the publish fail"
            }
            Self::PlanReplicas => {
                "Recommend replica counts for the selected version from the VMs expected at once"
            }
            Self::RetentionPolicy => {
                "Preview and apply a retention policy to the selected image definition or gallery"
            }
            Self::WorkspaceSettings => {
                "The region policy, replica guidance, new-definition defaults and replication time model of this workspace"
            }
            Self::Principals => {
                "Create, rename and delete users, service principals and groups; edit group members"
            }
            Self::AccessMatrix => {
                "Every principal's effective role on every gallery, definition and version"
            }
            Self::CheckAccess => "What a principal may do on a resource, and why",
            Self::Shortcuts => "List every keyboard shortcut",
            Self::About => "Version and licence",
        }
    }

    /// Shortcuts, the first being the one shown in menus.
    pub fn shortcuts(self) -> Vec<KeyboardShortcut> {
        const fn s(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
            KeyboardShortcut::new(modifiers, key)
        }
        match self {
            Self::New => vec![s(CMD, Key::N)],
            Self::Open => vec![s(CMD, Key::O)],
            Self::OpenPath => vec![s(CMD_SHIFT, Key::O)],
            Self::Save => vec![s(CMD, Key::S)],
            Self::SaveAs => vec![s(CMD_SHIFT, Key::S)],
            Self::SaveToPath | Self::Import | Self::Export | Self::ReviewChanges => vec![],
            Self::ApplyToAzure => vec![],
            Self::ConnectAzure => vec![],
            Self::RefreshAzure => vec![s(Modifiers::NONE, Key::F5)],
            Self::Quit => vec![s(CMD, Key::Q)],
            Self::Undo => vec![s(CMD, Key::Z)],
            Self::Redo => vec![s(CMD_SHIFT, Key::Z), s(CMD, Key::Y)],
            Self::Rename => vec![s(Modifiers::NONE, Key::F2)],
            Self::Duplicate => vec![s(CMD, Key::D)],
            Self::Delete => vec![s(Modifiers::NONE, Key::Delete)],
            Self::AddChild => vec![s(CMD_SHIFT, Key::N)],
            Self::AddGallery | Self::AddImage | Self::AddGrant => vec![],
            Self::FocusSearch => vec![s(CMD, Key::F)],
            Self::ToggleProblems => vec![s(CMD, Key::J)],
            Self::ToggleTree => vec![s(CMD, Key::B)],
            Self::ToggleTheme => vec![],
            Self::ToggleCost => vec![s(CMD, Key::K)],
            Self::ToggleActivity => vec![s(CMD_SHIFT, Key::A)],
            Self::Deploy | Self::HandOff => vec![],
            Self::PlanReplicas | Self::RetentionPolicy => vec![],
            Self::WorkspaceSettings => vec![s(CMD, Key::Comma)],
            Self::Principals => vec![s(CMD_SHIFT, Key::P)],
            Self::AccessMatrix => vec![s(CMD_SHIFT, Key::M)],
            Self::CheckAccess => vec![s(CMD_SHIFT, Key::C)],
            Self::Shortcuts => vec![s(Modifiers::NONE, Key::F1)],
            Self::About => vec![],
        }
    }

    /// Whether the shortcut should fire while a text field has the keyboard (F-keys and
    /// Ctrl-combinations do; plain keys such as Delete belong to the text field).
    pub fn works_while_typing(self) -> bool {
        !matches!(self, Self::Delete | Self::Rename | Self::Undo | Self::Redo)
    }

    /// The menu text for `target`: "Add…" names what it adds in a resource's context menu.
    pub fn label_for(self, target: &crate::ui::intent::Target) -> &'static str {
        use crate::model::ResourcePath;
        match (self, target.path()) {
            (Self::AddChild, Some(ResourcePath::Gallery(_))) => "Add image definition…",
            (Self::AddChild, Some(ResourcePath::Definition(..) | ResourcePath::Version(..))) => {
                "Add version…"
            }
            _ => self.label(),
        }
    }

    /// What the acting principal may be refused when it runs (`None`: nothing it could be
    /// refused). No fallback arm: a new action must decide.
    pub fn operation(self) -> Option<Operation> {
        match self {
            Self::Rename | Self::PlanReplicas | Self::RetentionPolicy => Some(Operation::Edit),
            Self::Delete => Some(Operation::Delete),
            Self::AddChild | Self::Duplicate => Some(Operation::AddChild),
            Self::AddGallery => Some(Operation::AddGallery),
            Self::AddImage => Some(Operation::AddImage),
            Self::AddGrant => Some(Operation::Grant),
            Self::Deploy => Some(Operation::Deploy),
            Self::Import => Some(Operation::Import),
            Self::ApplyToAzure => Some(Operation::Apply),
            Self::New
            | Self::Open
            | Self::OpenPath
            | Self::Save
            | Self::SaveAs
            | Self::SaveToPath
            | Self::ConnectAzure
            | Self::RefreshAzure
            | Self::Export
            // Reads the version only: whoever sees it may hand it off.
            | Self::HandOff
            | Self::ReviewChanges
            | Self::Quit
            | Self::Undo
            | Self::Redo
            | Self::FocusSearch
            | Self::ToggleProblems
            | Self::ToggleTree
            | Self::ToggleTheme
            | Self::ToggleCost
            | Self::ToggleActivity
            | Self::WorkspaceSettings
            | Self::Principals
            | Self::AccessMatrix
            | Self::CheckAccess
            | Self::Shortcuts
            | Self::About => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_actions_share_a_shortcut() {
        let mut seen: Vec<(KeyboardShortcut, UserAction)> = Vec::new();
        for action in UserAction::ALL {
            for shortcut in action.shortcuts() {
                if let Some((_, other)) = seen.iter().find(|(s, _)| *s == shortcut) {
                    panic!("{action:?} and {other:?} share {shortcut:?}");
                }
                seen.push((shortcut, action));
            }
        }
        assert!(seen.len() > 10);
    }

    #[test]
    fn every_action_is_listed_once() {
        for (i, a) in UserAction::ALL.iter().enumerate() {
            assert!(!UserAction::ALL[i + 1..].contains(a));
            assert!(!a.label().is_empty() && !a.tooltip().is_empty());
        }
    }
}
