//! Reusable pieces the panels, editors and dialogs are built from.

pub mod action;
pub mod form;
pub mod job_button;
pub mod region_picker;
