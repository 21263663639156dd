//! The command line's tests: subcommands through their parsing and output.

#[path = "../common/mod.rs"]
mod common;

mod cli;
mod fuzz;
mod outputs;
mod save;
mod simulate;
