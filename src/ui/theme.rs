//! Colours and fonts: the one place the app declares them (`clippy.toml` refuses literal colours
//! anywhere else). Every colour is chosen for the theme in use, so light mode reads as well as
//! dark mode; everything else takes egui's own visuals (`warn_fg_color`, `error_fg_color`, weak
//! text).

#![allow(
    clippy::disallowed_methods,
    reason = "the theme is where literal colours are declared"
)]

use egui::{Color32, Visuals};

use crate::model::{AggregateState, OsType};

/// A colour for each theme.
#[derive(Clone, Copy, Debug)]
struct Pair {
    dark: Color32,
    light: Color32,
}

impl Pair {
    fn on(self, visuals: &Visuals) -> Color32 {
        if visuals.dark_mode {
            self.dark
        } else {
            self.light
        }
    }
}

const GREEN: Pair = Pair {
    dark: Color32::from_rgb(0x3c, 0xb3, 0x71),
    light: Color32::from_rgb(0x1e, 0x7d, 0x46),
};
const BLUE: Pair = Pair {
    dark: Color32::from_rgb(0x3a, 0x8e, 0xe6),
    light: Color32::from_rgb(0x1f, 0x6f, 0xc4),
};
const ORANGE: Pair = Pair {
    dark: Color32::from_rgb(0xe0, 0x8a, 0x2e),
    light: Color32::from_rgb(0xb8, 0x62, 0x0c),
};
const AMBER: Pair = Pair {
    dark: Color32::from_rgb(0xe0, 0xa0, 0x3a),
    light: Color32::from_rgb(0xc0, 0x80, 0x1a),
};
const RED: Pair = Pair {
    dark: Color32::from_rgb(0xd0, 0x5a, 0x5a),
    light: Color32::from_rgb(0xb8, 0x3a, 0x3a),
};

/// Completed replication ("✔ Completed", the tree's `✔ 14/14`).
pub fn completed(visuals: &Visuals) -> Color32 {
    GREEN.on(visuals)
}

/// The colour of a replication state: completed green, in progress and failed in egui's warning
/// and error colours, unknown weak.
pub fn replication_state(visuals: &Visuals, state: AggregateState) -> Color32 {
    match state {
        AggregateState::Completed => completed(visuals),
        AggregateState::InProgress => visuals.warn_fg_color,
        AggregateState::Failed => visuals.error_fg_color,
        AggregateState::Unknown => visuals.weak_text_color(),
    }
}

/// The tree's OS badge: its text and colour.
pub fn os_badge(visuals: &Visuals, os: OsType) -> (&'static str, Color32) {
    match os {
        OsType::Windows => ("WIN", BLUE.on(visuals)),
        OsType::Linux => ("LNX", ORANGE.on(visuals)),
    }
}

/// The cost charts' bars.
pub fn chart_bar(visuals: &Visuals) -> Color32 {
    BLUE.on(visuals)
}

/// How much a principal may do, as the access matrix tints its cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// May change who has access (Owner, User Access Administrator, …).
    Admin,
    /// May change the resources.
    Contributor,
    /// May read and deploy.
    Reader,
}

/// The access matrix's cell tint for `tone`: a light wash of the tone's colour.
pub fn tone_fill(visuals: &Visuals, tone: Tone) -> Color32 {
    let color = match tone {
        Tone::Admin => RED,
        Tone::Contributor => AMBER,
        Tone::Reader => BLUE,
    }
    .on(visuals);
    color.gamma_multiply(if visuals.dark_mode { 0.28 } else { 0.18 })
}

/// egui's bundled fonts with Hack (already bundled, for monospace) as the last fallback of
/// proportional text: Ubuntu Light has no arrows, so group chains read "carol ← web-team" in the
/// app as on the command line.
pub fn fonts() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    if let Some(family) = fonts.families.get_mut(&egui::FontFamily::Proportional)
        && !family.iter().any(|f| f == "Hack")
    {
        family.push("Hack".to_owned());
    }
    fonts
}
