//! The apply log: every request an apply sends, one JSON object per line, written and flushed as
//! it happens (an interrupted run leaves a complete log of what it sent). One file per run, next
//! to the workspace: `NAME.apply-20261126T100000Z.jsonl`.
//!
//! A line holds the time (the caller's clock), the step (1-based, as the plan numbers it), the
//! method, the URL, the body sent, ARM's status, `x-ms-correlation-request-id`,
//! `x-ms-request-id`, and what ARM said (an operation's status, an error's code and message);
//! or an event in words (a step started, finished or failed, a wait). Never a header, never the
//! token.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use serde_json::{Value, json};

use crate::azure::Clock;
use crate::azure::http::Exchange;

/// The log of one run.
pub struct ApplyLog {
    path: PathBuf,
    file: Mutex<Option<BufWriter<File>>>,
    clock: Clock,
    /// The first write that failed, in words.
    broken: Mutex<Option<String>>,
}

impl ApplyLog {
    /// A new log in `dir` named after the workspace (`stem`) and `clock`'s "now"; never an
    /// existing file (a second run in the same second gets `-2`, `-3`…).
    pub fn create(dir: &Path, stem: &str, clock: Clock) -> std::io::Result<Self> {
        let now = clock();
        let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
        let mut n = 1;
        loop {
            let name = if n == 1 {
                format!("{stem}.apply-{stamp}.jsonl")
            } else {
                format!("{stem}.apply-{stamp}-{n}.jsonl")
            };
            let path = dir.join(name);
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    return Ok(Self {
                        path,
                        file: Mutex::new(Some(BufWriter::new(file))),
                        clock,
                        broken: Mutex::new(None),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
                Err(e) => return Err(e),
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why the log could not be written, when a write failed.
    pub fn broken(&self) -> Option<String> {
        self.broken
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn write(&self, mut line: Value) {
        line["at"] = json!((self.clock)().to_string());
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(writer) = file.as_mut() else { return };
        let text = serde_json::to_string(&line).unwrap_or_default();
        let written = writeln!(writer, "{text}").and_then(|()| writer.flush());
        if let Err(e) = written {
            let mut broken = self.broken.lock().unwrap_or_else(PoisonError::into_inner);
            if broken.is_none() {
                *broken = Some(format!("{}: {e}", self.path.display()));
            }
        }
    }

    /// One request and ARM's answer.
    pub fn request(&self, step: Option<usize>, exchange: &Exchange<'_>) {
        let mut line = json!({
            "method": exchange.method.as_str(),
            "url": exchange.url,
        });
        if let Some(step) = step {
            line["step"] = json!(step + 1);
        }
        if let Some(body) = exchange.body {
            line["body"] = body.clone();
        }
        match exchange.status {
            Some(status) => line["status"] = json!(status),
            None => line["networkError"] = json!(exchange.error.unwrap_or_default()),
        }
        if !exchange.correlation_id.is_empty() {
            line["correlationId"] = json!(exchange.correlation_id);
        }
        if !exchange.request_id.is_empty() {
            line["requestId"] = json!(exchange.request_id);
        }
        if let Some(said) = exchange.said {
            line["said"] = json!(said);
        }
        self.write(line);
    }

    /// An event in words (a step started, finished, failed; a wait).
    pub fn event(&self, step: Option<usize>, text: &str) {
        let mut line = json!({ "event": text });
        if let Some(step) = step {
            line["step"] = json!(step + 1);
        }
        self.write(line);
    }
}
