//! The app's logger: what SIG Studio could not do but went on without (a recovery copy not
//! written, a recent-files list not read) goes to standard error, one line each, with the path
//! and the reason. `SIG_STUDIO_LOG` sets the level of SIG Studio's own messages (`off`,
//! `error`, `warn`, the default, `info`, `debug`, `trace`); the libraries it uses (eframe,
//! wgpu…) say only errors unless `deps=<level>` follows (`SIG_STUDIO_LOG=debug,deps=warn`).
//! Installed once by `main`; the core and the app write through the `log` facade. A few lines
//! of our own instead of a logging crate: one format, one variable, nothing to build.

use std::io::Write;

use log::{LevelFilter, Log, Metadata, Record};

/// The environment variable that sets the levels.
pub const ENV: &str = "SIG_STUDIO_LOG";

/// Writes records to standard error: SIG Studio's own up to `own`, the libraries' up to `deps`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Logger {
    pub own: LevelFilter,
    pub deps: LevelFilter,
}

impl Default for Logger {
    fn default() -> Self {
        Self {
            own: LevelFilter::Warn,
            deps: LevelFilter::Error,
        }
    }
}

impl Logger {
    /// The levels `spec` sets (the variable's value); `Err` names the part it cannot read.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut logger = Self::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (slot, level) = match part.strip_prefix("deps=") {
                Some(level) => (&mut logger.deps, level),
                None => (&mut logger.own, part),
            };
            *slot = level.parse().map_err(|_| part.to_owned())?;
        }
        Ok(logger)
    }

    /// Installs the logger the environment asks for (the default when unset or unreadable).
    pub fn install() {
        let spec = std::env::var(ENV).unwrap_or_default();
        let (logger, unreadable) = match Self::parse(&spec) {
            Ok(logger) => (logger, None),
            Err(part) => (Self::default(), Some(part)),
        };
        log::set_max_level(logger.own.max(logger.deps));
        if log::set_boxed_logger(Box::new(logger)).is_ok()
            && let Some(part) = unreadable
        {
            log::warn!("{ENV}: \"{part}\" is not a level (off, error, warn, info, debug, trace)");
        }
    }

    fn level_for(&self, target: &str) -> LevelFilter {
        if target.starts_with("sig_studio") {
            self.own
        } else {
            self.deps
        }
    }
}

/// One line: `sig-studio: warning: …`, with the module for a library's record.
pub fn line(record: &Record<'_>) -> String {
    let level = record.level().as_str().to_lowercase();
    let level = if level == "warn" { "warning" } else { &level };
    let target = record.target();
    if target.starts_with("sig_studio") {
        format!("sig-studio: {level}: {}", record.args())
    } else {
        format!("sig-studio: {level} [{target}]: {}", record.args())
    }
}

impl Log for Logger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= self.level_for(metadata.target())
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            // Standard error is where a failure would be told: if it cannot be written, there
            // is nowhere left to say so.
            let _ = writeln!(std::io::stderr().lock(), "{}", line(record));
        }
    }

    fn flush(&self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_sets_our_level_and_the_libraries() {
        assert_eq!(Logger::parse(""), Ok(Logger::default()));
        let debug = Logger::parse("debug").unwrap();
        assert_eq!(
            (debug.own, debug.deps),
            (LevelFilter::Debug, LevelFilter::Error)
        );
        let both = Logger::parse(" INFO , deps=warn").unwrap();
        assert_eq!(
            (both.own, both.deps),
            (LevelFilter::Info, LevelFilter::Warn)
        );
        assert_eq!(Logger::parse("off").unwrap().own, LevelFilter::Off);
        assert_eq!(Logger::parse("loud"), Err("loud".to_owned()));
        assert_eq!(Logger::parse("warn,deps=x"), Err("deps=x".to_owned()));
    }

    #[test]
    fn records_are_filtered_by_their_crate() {
        let logger = Logger::default();
        let ours = Metadata::builder()
            .level(log::Level::Warn)
            .target("sig_studio_core::workspace::recovery")
            .build();
        let theirs = Metadata::builder()
            .level(log::Level::Warn)
            .target("wgpu_core::device")
            .build();
        assert!(logger.enabled(&ours));
        assert!(!logger.enabled(&theirs));
        assert!(
            !logger.enabled(
                &Metadata::builder()
                    .level(log::Level::Info)
                    .target("sig_studio")
                    .build()
            )
        );
    }

    #[test]
    fn a_line_says_the_level_and_for_a_library_its_module() {
        let args = format_args!("cannot write {}: denied", "/tmp/x");
        let record = Record::builder()
            .level(log::Level::Warn)
            .target("sig_studio::ui::tasks::files")
            .args(args)
            .build();
        assert_eq!(
            line(&record),
            "sig-studio: warning: cannot write /tmp/x: denied"
        );
        let args = format_args!("lost");
        let record = Record::builder()
            .level(log::Level::Error)
            .target("wgpu_core")
            .args(args)
            .build();
        assert_eq!(line(&record), "sig-studio: error [wgpu_core]: lost");
    }
}
