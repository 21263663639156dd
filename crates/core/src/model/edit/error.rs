//! Why an edit was refused: a typed reason with the service's words and the field it is about,
//! so the app can say what is wrong and focus the field that holds it.

use super::super::{Date, Region, ResourcePath, Role, fixed};

/// The service's text when an end-of-life date is set to today or earlier.
pub const END_OF_LIFE_IN_THE_PAST: &str = "EndOfLifeDate must be set to a future date.";

/// Why a resource that exists in Azure keeps its name (DOMAIN.md 9).
pub fn rename_refusal(path: &ResourcePath) -> String {
    format!(
        "The {} {} exists in Azure, and ARM cannot rename it: a rename is a delete plus a create. Duplicate it with a new name instead (the copy is planned here, and the original stays until you delete it).",
        path.kind(),
        path
    )
}

/// Why an edit was refused, with the path of the resource it is about.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct EditError {
    /// The resource: `gallery/definition/version`, `principal:<name>`, a grant's scope as
    /// written, or `grants`.
    pub path: String,
    /// What is wrong, in the service's words: the text of [`Self::kind`], kept as a field for
    /// callers that show it or look for its words.
    pub message: String,
    /// Which rule refused, with what the text names.
    pub kind: EditErrorKind,
}

impl EditError {
    pub fn new(path: impl ToString, kind: EditErrorKind) -> Self {
        Self {
            path: path.to_string(),
            message: kind.to_string(),
            kind,
        }
    }

    /// The resource's path, when it names one (a grant's scope may not).
    pub fn resource(&self) -> Option<ResourcePath> {
        ResourcePath::parse(&self.path)
    }

    /// The field of the resource that holds what is wrong, by its name in the file (`name`,
    /// `end_of_life`, `publisher`, …), for the editor to focus; `None` when the refusal is
    /// about the resource as a whole.
    pub fn field(&self) -> Option<&'static str> {
        self.kind.field()
    }
}

/// The rules an edit can break. The texts are the service's where it has one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditErrorKind {
    /// No resource at the path (`kind` as [`ResourcePath::kind`] says it).
    #[error("The {kind} was not found")]
    NotFound { kind: &'static str },
    #[error("A {kind} needs a name")]
    NameMissing { kind: &'static str },
    /// A sibling already has the name. `noun` is the resource in words with its article ("A
    /// gallery"), `scope` where names are unique (" in the subscription"), `renamed_to` the
    /// name asked for when the edit renames (the path holds the old one).
    #[error(
        "{noun} {} already exists{scope}",
        renamed_to.as_ref().map_or_else(|| "with this name".to_owned(), |n| format!("named \"{n}\""))
    )]
    NameTaken {
        noun: &'static str,
        renamed_to: Option<String>,
        scope: &'static str,
    },
    /// Another definition of the gallery has the same publisher, offer and sku.
    #[error(
        "Publisher, offer and sku are already used by image definition \"{other}\"; they must be unique in the gallery"
    )]
    IdentityTaken { other: String },
    /// A property fixed at creation (by its ARM name) would change.
    #[error("{}", fixed::immutable_text(kind, property))]
    Fixed {
        kind: &'static str,
        property: &'static str,
    },
    /// A replicated region the version protects would be removed.
    #[error("{}", fixed::protected_region_message(*region))]
    ProtectedRegion { region: Region },
    /// Something else stands in the way: nested resources, versions built from an image, a
    /// tenant still in use (the service's words in `reason`).
    #[error("{reason}")]
    Blocked { reason: String },
    /// An end-of-life date set to `today` or earlier.
    #[error(
        "{} The end-of-life date {date} is not after today, {today}",
        END_OF_LIFE_IN_THE_PAST
    )]
    DatePassed { date: Date, today: Date },
    /// A rename of a resource that exists in Azure (`text` as [`rename_refusal`] words it).
    #[error("{text}")]
    ExistsInAzure { text: String },
    #[error("The tenant \"{tenant}\" is not defined in this workspace")]
    UnknownTenant { tenant: String },
    #[error("Only groups have members")]
    MembersOfNonGroup,
    #[error("A group cannot be a member of itself")]
    MemberOfItself,
    #[error("The member \"{member}\" is not a principal of this workspace")]
    UnknownMember { member: String },
    /// A grant by its number (1-based) that is not there.
    #[error("There is no grant number {number}")]
    NoSuchGrant { number: usize },
    #[error("The scope is not a gallery, definition or version path")]
    NotAScope,
    #[error("Access is granted on galleries, image definitions and image versions only")]
    NotGrantable,
    #[error("The principal \"{principal}\" is not in this workspace")]
    UnknownPrincipal { principal: String },
    /// Sharing across tenants (boxed: the names would make every refusal large).
    #[error("{0}")]
    OtherTenant(Box<CrossTenant>),
    #[error("\"{principal}\" already holds {role:?} here")]
    GrantHeld { principal: String, role: Role },
    /// Replication control asked of something that is not a version.
    #[error("Replication is run per image version")]
    NotAVersion,
    #[error("{region} is not a target region of the version")]
    NotATarget { region: Region },
    /// A retry of one region that has not failed (`state` in words, lower case).
    #[error("Replication to {region} is {state}, not failed: there is nothing to retry")]
    RegionNotFailed { region: Region, state: String },
    #[error("No region of the version has failed: there is nothing to retry")]
    NothingFailed,
    /// A cancel of a region with no job running (`state` in words, lower case).
    #[error("Replication to {region} is {state}: there is no job to cancel")]
    NoJobToCancel { region: Region, state: String },
}

/// A principal of one tenant and a gallery of another.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "Cannot share with {principal_kind} \"{principal}\" of tenant \"{principal_tenant}\": gallery \"{gallery}\" belongs to tenant \"{gallery_tenant}\", and sharing stays within one tenant"
)]
pub struct CrossTenant {
    /// In words, lower case ("user", "group").
    pub principal_kind: String,
    pub principal: String,
    pub principal_tenant: String,
    pub gallery: String,
    pub gallery_tenant: String,
}

impl EditErrorKind {
    /// The field that holds what is wrong, by its name in the file.
    pub fn field(&self) -> Option<&'static str> {
        Some(match self {
            Self::NameMissing { .. } | Self::NameTaken { .. } | Self::ExistsInAzure { .. } => {
                "name"
            }
            Self::IdentityTaken { .. } => "publisher",
            Self::Fixed { property, .. } => fixed::field_of(property)?,
            Self::ProtectedRegion { .. }
            | Self::NotATarget { .. }
            | Self::RegionNotFailed { .. }
            | Self::NothingFailed
            | Self::NoJobToCancel { .. } => "target_regions",
            Self::DatePassed { .. } => "end_of_life",
            Self::UnknownTenant { .. } => "tenant",
            Self::MembersOfNonGroup | Self::MemberOfItself | Self::UnknownMember { .. } => {
                "members"
            }
            Self::NotAScope | Self::NotGrantable => "scope",
            Self::UnknownPrincipal { .. } | Self::OtherTenant(_) => "principal",
            Self::GrantHeld { .. } => "role",
            Self::NotFound { .. } | Self::Blocked { .. } | Self::NoSuchGrant { .. } => {
                return None;
            }
            Self::NotAVersion => return None,
        })
    }
}

/// The refusal of a resource at `path` that is not there.
pub(super) fn not_found(path: &ResourcePath) -> EditError {
    EditError::new(path, EditErrorKind::NotFound { kind: path.kind() })
}
