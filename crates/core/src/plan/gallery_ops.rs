//! What a gallery step sends, in order: the body's PUT, the DELETE, and the sharing changes
//! `POST …/galleries/{g}/share` makes (the subscriptions and tenants shared with are read-only in
//! the body). The az script (`az sig share …`) and the apply (the REST calls) both follow this
//! list, so the two cannot disagree.

use super::{Action, Step, same};
use crate::model::Gallery;
use crate::model::azure::SharingPermission;

/// One sharing change (`operationType` of the share action).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Share {
    /// Back to private: every group and the community publication removed.
    Reset,
    /// Publishes a community gallery.
    EnableCommunity,
    Add {
        subscriptions: Vec<String>,
        tenants: Vec<String>,
    },
    Remove {
        subscriptions: Vec<String>,
        tenants: Vec<String>,
    },
}

impl Share {
    /// The share action's `operationType`.
    pub fn operation_type(&self) -> &'static str {
        match self {
            Self::Reset => "Reset",
            Self::EnableCommunity => "EnableCommunity",
            Self::Add { .. } => "Add",
            Self::Remove { .. } => "Remove",
        }
    }

    /// The az CLI's verb for it (`az sig share VERB`).
    pub fn az_verb(&self) -> &'static str {
        match self {
            Self::Reset => "reset",
            Self::EnableCommunity => "enable-community",
            Self::Add { .. } => "add",
            Self::Remove { .. } => "remove",
        }
    }
}

/// One request of a gallery step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GalleryOp {
    /// PUT of the gallery's body as AFTER has it.
    Put,
    Delete,
    Share(Share),
}

fn groups(subscriptions: Vec<String>, tenants: Vec<String>, add: bool) -> Option<GalleryOp> {
    if subscriptions.is_empty() && tenants.is_empty() {
        return None;
    }
    Some(GalleryOp::Share(if add {
        Share::Add {
            subscriptions,
            tenants,
        }
    } else {
        Share::Remove {
            subscriptions,
            tenants,
        }
    }))
}

/// `a` without what `b` holds (ids compared ignoring case).
fn without(a: &[String], b: &[String]) -> Vec<String> {
    a.iter()
        .filter(|x| !b.iter().any(|y| same(x, y)))
        .cloned()
        .collect()
}

/// The requests of a gallery step: `old` is the gallery as Azure has it (BEFORE), `new` as
/// planned (AFTER).
pub fn gallery_ops(step: &Step, old: Option<&Gallery>, new: Option<&Gallery>) -> Vec<GalleryOp> {
    let mut ops = Vec::new();
    match (step.action, old, new) {
        (Action::Delete, Some(old), _) => {
            if old.sharing.permission == SharingPermission::Community {
                // A community gallery is deleted only once it is no longer shared.
                ops.push(GalleryOp::Share(Share::Reset));
            }
            ops.push(GalleryOp::Delete);
        }
        (Action::Create, _, Some(new)) => {
            ops.push(GalleryOp::Put);
            ops.extend(groups(
                new.sharing.subscriptions.clone(),
                new.sharing.tenants.clone(),
                true,
            ));
            if new.sharing.permission == SharingPermission::Community {
                ops.push(GalleryOp::Share(Share::EnableCommunity));
            }
        }
        (Action::Update, Some(old), Some(new)) => {
            let (from, to) = (old.sharing.permission, new.sharing.permission);
            if from != to && to == SharingPermission::Private {
                ops.push(GalleryOp::Share(Share::Reset));
            }
            if step
                .changes
                .iter()
                .any(|c| !c.property.starts_with("sharingProfile.groups"))
            {
                ops.push(GalleryOp::Put);
            }
            if from == SharingPermission::Private && to == SharingPermission::Community {
                ops.push(GalleryOp::Share(Share::EnableCommunity));
            }
            let (s, t) = (&new.sharing.subscriptions, &new.sharing.tenants);
            let (os, ot) = (&old.sharing.subscriptions, &old.sharing.tenants);
            if to != SharingPermission::Private {
                ops.extend(groups(without(os, s), without(ot, t), false));
            }
            ops.extend(groups(without(s, os), without(t, ot), true));
        }
        _ => {}
    }
    ops
}
