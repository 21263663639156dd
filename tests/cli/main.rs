//! The command line's tests: subcommands through their parsing and output.

#[path = "../common/mod.rs"]
mod common;

mod azure;
mod cli;
mod fuzz;
mod save;
mod simulate;
