//! Whether an action is available for a target now, and why not: the one answer a menu item,
//! a button, a shortcut, the shortcut list (F1) and the app's runner all give.

use crate::model::ResourcePath;
use crate::ui::actions::UserAction;
use crate::ui::intent::Target;
use crate::ui::view::ViewCx;

/// Whether an action may run on a target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Availability {
    Enabled,
    /// It applies, but not now: the reason, shown on a disabled control's hover and in the
    /// notice of a refused shortcut.
    Disabled(String),
    /// It does not apply to this kind of target (Duplicate of a gallery): left out of menus,
    /// and a shortcut does nothing.
    Hidden,
}

impl Availability {
    pub fn is_enabled(&self) -> bool {
        *self == Self::Enabled
    }

    /// Why it is disabled (`None`: enabled or hidden).
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Disabled(reason) => Some(reason),
            Self::Enabled | Self::Hidden => None,
        }
    }
}

/// Whether an action takes a resource of this kind.
type Takes = fn(&ResourcePath) -> bool;

impl UserAction {
    /// Whether the action may run on `target` now: first whether it applies to the target and
    /// the app's state, then whether the acting principal may (the access rule the edit would
    /// meet).
    pub fn availability(self, cx: &ViewCx<'_>, target: &Target) -> Availability {
        if let Some(not) = self.applies(cx, target) {
            return not;
        }
        match self.operation().and_then(|op| cx.refusal(op, target)) {
            Some(reason) => Availability::Disabled(reason.into_owned()),
            None => Availability::Enabled,
        }
    }

    /// The notice of a shortcut refused for `reason`, the reason word for word as the
    /// disabled menu item's hover gives it: "Delete refused: bob cannot …".
    pub fn refused_notice(self, reason: &str) -> String {
        format!("{} refused: {reason}", self.label().trim_end_matches('…'))
    }

    /// `None` when the action applies to `target` in the app's state; else why not.
    fn applies(self, cx: &ViewCx<'_>, target: &Target) -> Option<Availability> {
        use ResourcePath as P;
        let disabled = |reason: &str| Some(Availability::Disabled(reason.to_owned()));
        let path = target.path();
        // What kinds of resource it takes; `None`: the action needs none.
        let takes: Option<(Takes, &str)> = match self {
            Self::Save | Self::SaveAs | Self::SaveToPath if cx.files.saving => {
                return disabled("A save is already running");
            }
            Self::ConnectAzure | Self::RefreshAzure if cx.azure.reading() => {
                return disabled(
                    "Azure is being read: wait for it, or cancel it in the status bar",
                );
            }
            Self::ApplyToAzure if cx.azure.link.is_none() => {
                return disabled(
                    "Connect to Azure first (File, Connect to Azure…): the plan is applied to the connected subscription",
                );
            }
            Self::ApplyToAzure if cx.doc.path.is_none() => {
                return disabled(
                    "Save the workspace to a file first: the apply log is written next to it, and the file records what was done",
                );
            }
            Self::ApplyToAzure if cx.azure.reading() => {
                return disabled(
                    "Azure is being read: wait for it, or cancel it in the status bar",
                );
            }
            Self::Undo if cx.doc.undo_label().is_none() => {
                return disabled("There is nothing to undo");
            }
            Self::Redo if cx.doc.redo_label().is_none() => {
                return disabled("There is nothing to redo");
            }
            Self::Rename | Self::Delete => {
                Some((|p| *p != P::Settings, "Select a resource in the tree first"))
            }
            Self::Duplicate | Self::PlanReplicas | Self::HandOff => Some((
                |p| matches!(p, P::Version(..)),
                "Select an image version first",
            )),
            Self::Deploy => Some((
                |p| matches!(p, P::Version(..) | P::Definition(..)),
                "Select an image version or definition first",
            )),
            Self::RetentionPolicy => Some((
                |p| matches!(p, P::Gallery(_) | P::Definition(..) | P::Version(..)),
                "Select a gallery, image definition or version first",
            )),
            Self::AddGrant => Some((
                |p| p.gallery_name().is_some(),
                "Select a gallery, image definition or version first",
            )),
            _ => None,
        };
        let (fits, select_first) = takes?;
        match path {
            None => disabled(select_first),
            Some(path) if !fits(path) => Some(Availability::Hidden),
            Some(_) => None,
        }
    }
}
