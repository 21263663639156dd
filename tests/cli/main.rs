//! The command line's tests: subcommands through their parsing and output.

#[path = "../common/mod.rs"]
mod common;

mod azure;
mod cli;
mod fuzz;
mod handoff;
mod save;
mod simulate;
