//! The command line's tests: subcommands through their parsing and output.

#[path = "../common/mod.rs"]
mod common;

mod apply;
mod azure;
mod cli;
mod concurrent;
mod fuzz;
mod handoff;
mod inputs;
mod logging;
mod outputs;
mod save;
mod simulate;
