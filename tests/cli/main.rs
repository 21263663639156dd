//! The command line's tests: subcommands through their parsing and output.

#[path = "../common/mod.rs"]
mod common;

mod cli;
mod concurrent;
mod fuzz;
mod inputs;
mod outputs;
mod save;
mod simulate;
