//! Image version names: `Major.Minor.Patch`, three non-negative 32-bit integers, compared numerically.

use std::fmt;

/// A parsed version name. Orders numerically: `1.0.9 < 1.0.12`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VersionNumber {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

/// The service's own text for a malformed version name.
pub const VERSION_NAME_MESSAGE: &str = "The image version name should follow Major(int).Minor(int).Patch(int) format, for e.g: 1.0.0, 2018.12.1";

impl VersionNumber {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }

    /// Parses `Major.Minor.Patch`; each part a non-negative int32 written in decimal digits.
    pub fn parse(name: &str) -> Option<Self> {
        let mut parts = name.split('.');
        let mut next = || -> Option<u32> {
            let part = parts.next()?;
            if part.is_empty() || part.len() > 10 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let value: u32 = part.parse().ok()?;
            (value <= i32::MAX as u32).then_some(value)
        };
        let version = Self::new(next()?, next()?, next()?);
        parts.next().is_none().then_some(version)
    }

    /// The next patch number, for "new version" suggestions.
    pub fn next_patch(self) -> Self {
        Self::new(self.major, self.minor, self.patch.saturating_add(1))
    }
}

impl fmt::Display for VersionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Compares two version names numerically; names that do not parse sort after all valid ones,
/// among themselves by text.
pub fn compare_names(a: &str, b: &str) -> std::cmp::Ordering {
    match (VersionNumber::parse(a), VersionNumber::parse(b)) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.cmp(b)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_ordering() {
        let a = VersionNumber::parse("1.0.9").unwrap();
        let b = VersionNumber::parse("1.0.12").unwrap();
        assert!(a < b);
        assert!(VersionNumber::parse("2.0.0").unwrap() > VersionNumber::parse("1.99.99").unwrap());
        assert_eq!(compare_names("1.0.9", "1.0.12"), std::cmp::Ordering::Less);
        assert_eq!(compare_names("bad", "0.0.1"), std::cmp::Ordering::Greater);
    }

    #[test]
    fn parse_limits() {
        assert!(VersionNumber::parse("2018.12.1").is_some());
        assert!(VersionNumber::parse("0.0.0").is_some());
        assert!(VersionNumber::parse("2147483647.0.0").is_some());
        assert!(VersionNumber::parse("2147483648.0.0").is_none());
        for bad in [
            "1.0", "1.0.0.0", "1.-1.0", "a.b.c", "1..0", "", "1.0.0 ", "+1.0.0", "1.0.x",
        ] {
            assert!(VersionNumber::parse(bad).is_none(), "{bad}");
        }
    }
}
