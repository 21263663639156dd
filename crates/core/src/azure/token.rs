//! Access tokens and the cloud's endpoints, from the Azure CLI the administrator is signed in to
//! (`az account get-access-token`, `az cloud show`). A token lives in memory only: its `Debug`
//! says nothing of it, it has no `Display`, and no error or log line holds it.

use std::fmt;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use super::AzureError;

/// An access token and when it expires.
#[derive(Clone)]
pub struct AccessToken {
    secret: String,
    /// When the token stops working (from `expires_on`).
    pub expires_on: jiff::Timestamp,
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccessToken(<redacted>, expires {})", self.expires_on)
    }
}

impl AccessToken {
    pub fn new(secret: impl Into<String>, expires_on: jiff::Timestamp) -> Self {
        Self {
            secret: secret.into(),
            expires_on,
        }
    }

    /// The `Authorization` header's value. Only the HTTP client calls this.
    pub(crate) fn bearer(&self) -> String {
        format!("Bearer {}", self.secret)
    }

    /// Whether `text` holds the token (for tests that prove it was written nowhere).
    pub fn appears_in(&self, text: &str) -> bool {
        !self.secret.is_empty() && text.contains(&self.secret)
    }
}

/// Where tokens come from. The client asks again when one is about to expire, and once more
/// when ARM answers 401.
pub trait TokenSource: Send + Sync {
    /// A token for `resource` (the ARM endpoint, or Microsoft Graph).
    fn token(&self, resource: &str) -> Result<AccessToken, AzureError>;
}

/// A cloud's endpoints (`az cloud show`): ARM, and Microsoft Graph for principal names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cloud {
    /// `AzureCloud`, `AzureUSGovernment`, `AzureChinaCloud`…
    pub name: String,
    /// `endpoints.resourceManager`, e.g. `https://management.azure.com/`.
    pub resource_manager: String,
    /// `endpoints.microsoftGraphResourceId`, e.g. `https://graph.microsoft.com/`.
    pub graph: Option<String>,
}

/// The Azure CLI: `az` on `PATH` (or another program, for tests).
#[derive(Clone, Debug)]
pub struct AzCli {
    pub program: PathBuf,
    /// `--subscription` for the token, so that az picks that subscription's tenant.
    pub subscription: Option<String>,
    /// How long one az command may take.
    pub timeout: Duration,
}

impl Default for AzCli {
    fn default() -> Self {
        Self {
            program: PathBuf::from("az"),
            subscription: None,
            timeout: Duration::from_secs(120),
        }
    }
}

/// What `az` said, at most this much of it, in an error.
const DETAIL_CHARS: usize = 400;

fn detail(stderr: &str) -> String {
    let text: String = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut cut: String = text.chars().take(DETAIL_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

impl AzCli {
    /// Runs az with `args`; its standard output on success.
    fn run(&self, args: &[&str]) -> Result<String, AzureError> {
        let shown = format!("az {}", args.join(" "));
        let mut child = Command::new(&self.program)
            .args(args)
            .arg("--only-show-errors")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => AzureError::NoAzCli,
                _ => AzureError::AzFailed {
                    command: shown.clone(),
                    detail: e.to_string(),
                },
            })?;
        let (mut out, mut err) = (String::new(), String::new());
        let stdout = child.stdout.take();
        let stderr = child.stderr.take();
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut s) = stderr {
                let _ = s.read_to_string(&mut text);
            }
            text
        });
        if let Some(mut s) = stdout {
            let _ = s.read_to_string(&mut out);
        }
        let status = wait(&mut child, self.timeout);
        if let Ok(text) = reader.join() {
            err = text;
        }
        let Some(status) = status else {
            return Err(AzureError::AzFailed {
                command: shown,
                detail: format!("no answer within {} s", self.timeout.as_secs()),
            });
        };
        if status.success() {
            return Ok(out);
        }
        let said = detail(&err);
        let lower = said.to_ascii_lowercase();
        if lower.contains("az login")
            || lower.contains("not logged in")
            || lower.contains("expired")
        {
            return Err(AzureError::NotSignedIn { detail: said });
        }
        Err(AzureError::AzFailed {
            command: shown,
            detail: said,
        })
    }

    /// `az cloud show`: the active cloud's endpoints.
    pub fn cloud(&self) -> Result<Cloud, AzureError> {
        let text = self.run(&["cloud", "show", "-o", "json"])?;
        let value: Value = serde_json::from_str(&text).map_err(|e| AzureError::AzFailed {
            command: "az cloud show".to_owned(),
            detail: format!("its output is not JSON: {e}"),
        })?;
        let endpoint = |key: &str| {
            value
                .pointer(&format!("/endpoints/{key}"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let resource_manager = endpoint("resourceManager").ok_or(AzureError::AzFailed {
            command: "az cloud show".to_owned(),
            detail: "its output has no endpoints.resourceManager".to_owned(),
        })?;
        Ok(Cloud {
            name: value
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            resource_manager,
            graph: endpoint("microsoftGraphResourceId"),
        })
    }
}

/// Waits for `child` at most `timeout`; kills it after that (`None`).
fn wait(child: &mut std::process::Child, timeout: Duration) -> Option<std::process::ExitStatus> {
    let step = Duration::from_millis(20);
    let mut waited = Duration::ZERO;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if waited < timeout => {
                std::thread::sleep(step);
                waited += step;
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// Reads az's `get-access-token` output: `accessToken` and `expires_on` (epoch seconds, az 2.54
/// and later). Without `expires_on`, the token is taken to expire `fallback` from `now`.
pub fn parse_token(
    text: &str,
    now: jiff::Timestamp,
    fallback: Duration,
) -> Result<AccessToken, AzureError> {
    let bad = |why: &str| AzureError::AzFailed {
        command: "az account get-access-token".to_owned(),
        detail: why.to_owned(),
    };
    let value: Value = serde_json::from_str(text).map_err(|_| bad("its output is not JSON"))?;
    let secret = value
        .get("accessToken")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad("its output has no accessToken"))?;
    let expires = value.get("expires_on").and_then(|v| match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    });
    let expires_on = match expires {
        Some(secs) => {
            jiff::Timestamp::from_second(secs).map_err(|_| bad("expires_on is out of range"))?
        }
        None => now
            .checked_add(jiff::SignedDuration::try_from(fallback).unwrap_or_default())
            .unwrap_or(now),
    };
    Ok(AccessToken::new(secret, expires_on))
}

/// Tokens from the Azure CLI, with "now" from the caller's clock.
pub struct AzTokens {
    pub az: AzCli,
    pub clock: super::Clock,
}

impl TokenSource for AzTokens {
    fn token(&self, resource: &str) -> Result<AccessToken, AzureError> {
        let mut args = vec!["account", "get-access-token", "--resource", resource];
        if let Some(sub) = &self.az.subscription {
            args.extend(["--subscription", sub.as_str()]);
        }
        args.extend(["-o", "json"]);
        let text = self.az.run(&args)?;
        parse_token(&text, (self.clock)(), Duration::from_secs(600))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_never_shows_itself() {
        let at = jiff::Timestamp::from_second(1_800_000_000).unwrap();
        let token = AccessToken::new("eyJ0eXAiOiJKV1Qi.secret", at);
        let shown = format!("{token:?}");
        assert!(!shown.contains("secret") && shown.contains("redacted"));
        assert!(token.appears_in("x eyJ0eXAiOiJKV1Qi.secret y"));
    }

    #[test]
    fn reads_az_output() {
        let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        let t = parse_token(
            r#"{"accessToken":"abc","expires_on":1700003600,"expiresOn":"2023-11-14 23:13:20.000000","tokenType":"Bearer"}"#,
            now,
            Duration::from_secs(600),
        )
        .unwrap();
        assert_eq!(t.expires_on.as_second(), 1_700_003_600);
        let old = parse_token(r#"{"accessToken":"abc"}"#, now, Duration::from_secs(600)).unwrap();
        assert_eq!(old.expires_on.as_second(), 1_700_000_600);
        let err = parse_token(r#"{"accessToken":""}"#, now, Duration::from_secs(1)).unwrap_err();
        assert!(err.to_string().contains("no accessToken"));
    }
}
