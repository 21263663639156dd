//! Reusable pieces the panels, editors and dialogs are built from.

pub mod action;
pub mod form;
