//! Counts with their nouns, shared by the app and the command line: "1 gallery",
//! "2 galleries", "0 warnings".

/// `n` and the noun that agrees with it: `one` for exactly one, `many` otherwise.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn the_noun_agrees_with_the_count() {
        assert_eq!(count(0, "gallery", "galleries"), "0 galleries");
        assert_eq!(count(1, "gallery", "galleries"), "1 gallery");
        assert_eq!(count(2, "replica", "replicas"), "2 replicas");
    }
}
