//! The service's rules for names (DOMAIN.md §2) as one table: every kind of name with its
//! length in characters, the characters it may hold and how it must start and end, read by one
//! check. Azure's limits count characters, and so does the check (it counted bytes before, and
//! reported characters).

use super::super::version_name::{VERSION_NAME_MESSAGE, VersionNumber};

/// Which characters a name may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chars {
    /// ASCII letters, digits, `_` and `.` (no hyphens): galleries.
    NoHyphens,
    /// ASCII letters, digits, `-`, `_` and `.`: definitions, images, publisher, offer and sku.
    Hyphens,
    /// Letters and digits of any script, `_`, `-`, `.`, `(` and `)`: resource groups.
    ResourceGroup,
}

impl Chars {
    pub fn allows(self, c: char) -> bool {
        match self {
            Self::NoHyphens => c.is_ascii_alphanumeric() || matches!(c, '_' | '.'),
            Self::Hyphens => c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'),
            Self::ResourceGroup => c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '(' | ')'),
        }
    }

    /// What the refusal of another character says is allowed.
    fn words(self) -> &'static str {
        match self {
            Self::NoHyphens => {
                "only letters, digits, underscores and periods are allowed (no hyphens)"
            }
            Self::Hyphens | Self::ResourceGroup => {
                "only letters, digits, hyphens, underscores and periods are allowed"
            }
        }
    }
}

/// How a name must start and end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ends {
    /// A letter or digit at both ends.
    Alphanumeric,
    /// A letter or digit first; a letter, digit or underscore last (managed images).
    AlphanumericThenUnderscore,
    /// Anything but a period last.
    NoTrailingPeriod,
}

impl Ends {
    fn allows(self, name: &str) -> bool {
        let alphanumeric = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        let (first, last) = (name.chars().next(), name.chars().last());
        match self {
            Self::Alphanumeric => alphanumeric(first) && alphanumeric(last),
            Self::AlphanumericThenUnderscore => {
                alphanumeric(first) && (alphanumeric(last) || last == Some('_'))
            }
            Self::NoTrailingPeriod => last != Some('.'),
        }
    }

    fn words(self) -> &'static str {
        match self {
            Self::Alphanumeric => "must start and end with a letter or a digit",
            Self::AlphanumericThenUnderscore => {
                "must start with a letter or digit and end with a letter, digit or underscore"
            }
            Self::NoTrailingPeriod => "must not end with a period",
        }
    }
}

/// The shape a name takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// An ARM resource name: 1 to `max_chars` characters.
    Name { chars: Chars, ends: Ends },
    /// A required identifier: not empty, at most `max_chars` characters.
    Identifier { chars: Chars, ends: Ends },
    /// `Major.Minor.Patch`: three non-negative 32-bit integers.
    VersionNumber,
    /// A resource group: empty (not set) or 1 to `max_chars` characters; one refusal says all.
    ResourceGroup,
}

/// The rule for one kind of name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameRule {
    /// In words, as refusals say it ("gallery name", "publisher").
    pub what: &'static str,
    /// Longest, in characters; 0 when the form sets no length.
    pub max_chars: usize,
    pub form: Form,
}

/// The kinds of names the service rules, in the order of [`NAME_RULES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    Gallery,
    Definition,
    ManagedImage,
    Publisher,
    Offer,
    Sku,
    Version,
    ResourceGroup,
}

/// Every name rule (DOMAIN.md §2), by [`NameKind`].
pub const NAME_RULES: [NameRule; 8] = [
    NameRule {
        what: "gallery name",
        max_chars: 80,
        form: Form::Name {
            chars: Chars::NoHyphens,
            ends: Ends::Alphanumeric,
        },
    },
    NameRule {
        what: "image definition name",
        max_chars: 80,
        form: Form::Name {
            chars: Chars::Hyphens,
            ends: Ends::Alphanumeric,
        },
    },
    NameRule {
        what: "managed image name",
        max_chars: 80,
        form: Form::Name {
            chars: Chars::Hyphens,
            ends: Ends::AlphanumericThenUnderscore,
        },
    },
    NameRule {
        what: "publisher",
        max_chars: 128,
        form: Form::Identifier {
            chars: Chars::Hyphens,
            ends: Ends::NoTrailingPeriod,
        },
    },
    NameRule {
        what: "offer",
        max_chars: 64,
        form: Form::Identifier {
            chars: Chars::Hyphens,
            ends: Ends::NoTrailingPeriod,
        },
    },
    NameRule {
        what: "sku",
        max_chars: 64,
        form: Form::Identifier {
            chars: Chars::Hyphens,
            ends: Ends::NoTrailingPeriod,
        },
    },
    NameRule {
        what: "version name",
        max_chars: 0,
        form: Form::VersionNumber,
    },
    NameRule {
        what: "resource group name",
        max_chars: 90,
        form: Form::ResourceGroup,
    },
];

impl NameKind {
    /// This kind's rule.
    pub const fn rule(self) -> NameRule {
        NAME_RULES[self as usize]
    }

    /// Why `name` breaks the rule; `None` when it is valid.
    pub fn check(self, name: &str) -> Option<String> {
        self.rule().check(name)
    }
}

impl NameRule {
    /// Why `name` breaks this rule; `None` when it is valid.
    pub fn check(&self, name: &str) -> Option<String> {
        check(self.form, self.what, self.max_chars, name)
    }
}

/// Why `name`, a `what` of `form` and at most `max` characters, is refused.
fn check(form: Form, what: &str, max: usize, name: &str) -> Option<String> {
    let length = name.chars().count();
    let (chars, ends) = match form {
        Form::VersionNumber => {
            return VersionNumber::parse(name)
                .is_none()
                .then(|| format!("{VERSION_NAME_MESSAGE} (got \"{name}\")"));
        }
        Form::ResourceGroup => {
            let valid = length <= max
                && name.chars().all(|c| Chars::ResourceGroup.allows(c))
                && Ends::NoTrailingPeriod.allows(name);
            return (!valid).then(|| {
                format!(
                    "The {what} \"{name}\" is invalid: 1 to {max} letters, digits, '_', '-', '.', '(' and ')', not ending in '.'"
                )
            });
        }
        Form::Name { chars, ends } => {
            if length == 0 || length > max {
                return Some(format!(
                    "The {what} must be 1 to {max} characters long; \"{}\" has {length}",
                    short(name)
                ));
            }
            (chars, ends)
        }
        Form::Identifier { chars, ends } => {
            if length == 0 {
                return Some(format!("The {what} is required"));
            }
            if length > max {
                return Some(format!(
                    "The {what} must be at most {max} characters long; \"{}\" has {length}",
                    short(name)
                ));
            }
            (chars, ends)
        }
    };
    // Every character refused, once each in the order they come: fixing one at a time and
    // being told of the next was the tester's complaint (issue 24 item 10).
    let mut bad: Vec<char> = Vec::new();
    for c in name.chars().filter(|c| !chars.allows(*c)) {
        if !bad.contains(&c) {
            bad.push(c);
        }
    }
    if !bad.is_empty() {
        let quoted: Vec<String> = bad
            .iter()
            .map(|c| format!("'{}'", c.escape_debug()))
            .collect();
        let list = match quoted.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => quoted.concat(),
        };
        return Some(format!(
            "The {what} \"{name}\" contains {list}: {}",
            chars.words()
        ));
    }
    (!ends.allows(name)).then(|| format!("The {what} \"{name}\" {}", ends.words()))
}

/// The first 24 characters of a long name, for messages.
fn short(text: &str) -> String {
    if text.chars().count() > 24 {
        format!("{}…", text.chars().take(24).collect::<String>())
    } else {
        text.to_owned()
    }
}

/// Checks a gallery name; `None` when it is valid.
pub fn check_gallery_name(name: &str) -> Option<String> {
    NameKind::Gallery.check(name)
}

/// Checks an image definition name; `None` when it is valid.
pub fn check_definition_name(name: &str) -> Option<String> {
    NameKind::Definition.check(name)
}

/// Checks a managed image's name: a non-empty ARM resource name.
pub fn check_image_name(name: &str) -> Option<String> {
    NameKind::ManagedImage.check(name)
}

/// Checks a publisher, offer or sku (`what` names which, `max_len` its length in characters,
/// as [`NAME_RULES`] gives them); `None` when valid.
pub fn check_identifier(what: &str, value: &str, max_len: usize) -> Option<String> {
    check(NameKind::Publisher.rule().form, what, max_len, value)
}

/// Checks a version name; `None` when valid.
pub fn check_version_name(name: &str) -> Option<String> {
    NameKind::Version.check(name)
}

/// Checks a resource group name (empty: not set, valid).
pub fn check_resource_group(name: &str) -> Option<String> {
    NameKind::ResourceGroup.check(name)
}

#[cfg(test)]
mod tests {
    use super::super::{MAX_OFFER_LEN, MAX_PUBLISHER_LEN, MAX_SKU_LEN};
    use super::*;

    #[test]
    fn gallery_names_at_their_limits() {
        assert!(check_gallery_name(&"a".repeat(80)).is_none());
        assert!(
            check_gallery_name(&"a".repeat(81))
                .unwrap()
                .contains("1 to 80")
        );
        assert!(check_gallery_name("").is_some());
        assert!(check_gallery_name("my_gallery.v2").is_none());
        assert!(
            check_gallery_name("my-gallery")
                .unwrap()
                .contains("no hyphens")
        );
        assert!(
            check_gallery_name("_gallery")
                .unwrap()
                .contains("start and end")
        );
        assert!(
            check_gallery_name("gallery.")
                .unwrap()
                .contains("start and end")
        );
    }

    #[test]
    fn definition_names_at_their_limits() {
        assert!(check_definition_name(&"d".repeat(80)).is_none());
        assert!(check_definition_name(&"d".repeat(81)).is_some());
        assert!(check_definition_name("ubuntu-22.04_lts").is_none());
        assert!(check_definition_name("-ubuntu").is_some());
        assert!(check_definition_name("ubuntu 22").unwrap().contains("' '"));
    }

    #[test]
    fn identifiers_at_their_limits() {
        assert!(check_identifier("publisher", &"p".repeat(128), MAX_PUBLISHER_LEN).is_none());
        assert!(check_identifier("publisher", &"p".repeat(129), MAX_PUBLISHER_LEN).is_some());
        assert!(check_identifier("offer", &"o".repeat(64), MAX_OFFER_LEN).is_none());
        assert!(check_identifier("offer", &"o".repeat(65), MAX_OFFER_LEN).is_some());
        assert!(check_identifier("sku", &"s".repeat(64), MAX_SKU_LEN).is_none());
        assert!(check_identifier("sku", &"s".repeat(65), MAX_SKU_LEN).is_some());
        assert!(
            check_identifier("sku", "22.04.", MAX_SKU_LEN)
                .unwrap()
                .contains("period")
        );
        assert!(
            check_identifier("sku", "", MAX_SKU_LEN)
                .unwrap()
                .contains("required")
        );
        assert!(check_identifier("sku", "a/b", MAX_SKU_LEN).is_some());
    }

    #[test]
    fn version_names() {
        assert!(check_version_name("1.0.0").is_none());
        assert!(
            check_version_name("1.0")
                .unwrap()
                .starts_with(VERSION_NAME_MESSAGE)
        );
    }

    #[test]
    fn lengths_count_characters_as_their_messages_say() {
        // 80 characters of two bytes each: at the limit, so the length is fine, and the name
        // is refused for its character, not for a length it does not have.
        let accented = "é".repeat(80);
        let refusal = check_definition_name(&accented).unwrap();
        assert!(refusal.contains("contains 'é'"), "{refusal}");
        let refusal = check_definition_name(&"é".repeat(81)).unwrap();
        assert!(refusal.ends_with("has 81"), "{refusal}");
        // Resource groups take letters of any script: 90 of them are valid, 91 are not.
        assert_eq!(check_resource_group(&"é".repeat(90)), None);
        assert_eq!(
            check_resource_group(&format!("rg-{}", "ü".repeat(87))),
            None
        );
        let refusal = check_resource_group(&"é".repeat(91)).unwrap();
        assert!(refusal.contains("1 to 90"), "{refusal}");
        // A publisher of 128 characters, 127 of them two bytes long (255 bytes).
        let refusal = check_identifier("publisher", &format!("p{}", "ß".repeat(127)), 128);
        assert!(refusal.unwrap().contains("contains 'ß'"));
        let refusal = check_identifier("publisher", &"ß".repeat(129), 128).unwrap();
        assert!(refusal.contains("at most 128 characters long"), "{refusal}");
        assert!(refusal.ends_with("has 129"), "{refusal}");
    }

    /// Every refused character is named, once (issue 24 item 10: only the first was).
    #[test]
    fn every_refused_character_is_named_once() {
        let refusal = check_gallery_name("my gallery-1!-x").unwrap();
        assert!(
            refusal.contains("\"my gallery-1!-x\" contains ' ', '-' and '!':"),
            "{refusal}"
        );
        let refusal = check_definition_name("ubuntu\tbase").unwrap();
        assert!(refusal.contains("contains '\\t':"), "{refusal}");
    }

    #[test]
    fn one_table_gives_every_kind_its_limit_and_words() {
        let kinds = [
            NameKind::Gallery,
            NameKind::Definition,
            NameKind::ManagedImage,
            NameKind::Publisher,
            NameKind::Offer,
            NameKind::Sku,
            NameKind::Version,
            NameKind::ResourceGroup,
        ];
        assert_eq!(kinds.len(), NAME_RULES.len());
        for kind in kinds {
            assert_eq!(kind.rule(), NAME_RULES[kind as usize]);
        }
        assert_eq!(
            [MAX_PUBLISHER_LEN, MAX_OFFER_LEN, MAX_SKU_LEN],
            [128, 64, 64]
        );
        assert_eq!(
            NameKind::Gallery.check(&"g".repeat(81)).unwrap(),
            "The gallery name must be 1 to 80 characters long; \"gggggggggggggggggggggggg…\" has 81"
        );
        assert_eq!(
            NameKind::ManagedImage.check("img-").unwrap(),
            "The managed image name \"img-\" must start with a letter or digit and end with a letter, digit or underscore"
        );
        assert_eq!(NameKind::ManagedImage.check("img_"), None);
        assert!(NameKind::ManagedImage.check("_img_").is_some());
        assert_eq!(NameKind::Offer.check("").unwrap(), "The offer is required");
        assert_eq!(NameKind::Version.check("2026.1.0"), None);
        assert_eq!(NameKind::ResourceGroup.check(""), None, "not set");
    }
}
