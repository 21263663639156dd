//! A value worked out from some inputs and kept until they change: the one shape of the caches
//! a front end keeps across frames, keyed by a document generation and whatever else the value
//! depends on (a path, a search text, a sort order).

/// The last value computed and the key it was computed for.
///
/// ```
/// use sig_studio_core::memo::Memo;
/// let mut squares: Memo<u64, u64> = Memo::default();
/// let mut runs = 0;
/// for _ in 0..3 {
///     squares.get(7, |k| {
///         runs += 1;
///         k * k
///     });
/// }
/// assert_eq!((squares.last(), runs), (Some(&49), 1));
/// ```
#[derive(Clone, Debug)]
pub struct Memo<K, V> {
    entry: Option<(K, V)>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self { entry: None }
    }
}

impl<K: PartialEq, V> Memo<K, V> {
    /// The value for `key`: the kept one when it was computed for an equal key, else
    /// `compute`'s, kept from now on. Mutable, for a value the user edits in place (a draft
    /// loaded again when the document changes).
    pub fn get(&mut self, key: K, compute: impl FnOnce(&K) -> V) -> &mut V {
        if !self.is_for(&key) {
            self.entry = None;
        }
        let (_, value) = self.entry.get_or_insert_with(|| {
            let value = compute(&key);
            (key, value)
        });
        value
    }

    /// [`Self::get`] for a key that costs something to build (it holds a path or a text):
    /// `is_for` compares the kept key in place, and `key` is built only when the value is
    /// computed again.
    pub fn get_by(
        &mut self,
        is_for: impl FnOnce(&K) -> bool,
        key: impl FnOnce() -> K,
        compute: impl FnOnce(&K) -> V,
    ) -> &mut V {
        if !self.entry.as_ref().is_some_and(|(k, _)| is_for(k)) {
            self.entry = None;
        }
        let (_, value) = self.entry.get_or_insert_with(|| {
            let key = key();
            let value = compute(&key);
            (key, value)
        });
        value
    }

    /// Whether the kept value was computed for `key`.
    pub fn is_for(&self, key: &K) -> bool {
        self.entry.as_ref().is_some_and(|(k, _)| k == key)
    }
}

impl<K, V> Memo<K, V> {
    /// The kept value, whatever it was computed for (`None`: nothing computed yet).
    pub fn last(&self) -> Option<&V> {
        self.entry.as_ref().map(|(_, value)| value)
    }

    pub fn last_mut(&mut self) -> Option<&mut V> {
        self.entry.as_mut().map(|(_, value)| value)
    }

    /// The key the kept value was computed for.
    pub fn key(&self) -> Option<&K> {
        self.entry.as_ref().map(|(key, _)| key)
    }

    /// Forgets the value: the next [`Memo::get`] computes it again.
    pub fn clear(&mut self) {
        self.entry = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_again_only_when_the_key_changes() {
        let mut memo: Memo<(u64, String), usize> = Memo::default();
        let mut runs = 0;
        let mut len = |memo: &mut Memo<(u64, String), usize>, g: u64, text: &str| {
            *memo.get_by(
                |(kg, kt)| *kg == g && kt == text,
                || (g, text.to_owned()),
                |(_, t)| {
                    runs += 1;
                    t.len()
                },
            )
        };
        assert_eq!(len(&mut memo, 1, "abc"), 3);
        assert_eq!(len(&mut memo, 1, "abc"), 3);
        assert_eq!(len(&mut memo, 2, "abc"), 3);
        assert_eq!(len(&mut memo, 2, "abcd"), 4);
        assert_eq!(runs, 3);
        assert!(memo.is_for(&(2, "abcd".to_owned())));
        memo.clear();
        assert_eq!(memo.last(), None);
    }

    #[test]
    fn a_kept_value_can_be_edited_in_place() {
        let mut draft: Memo<u64, String> = Memo::default();
        draft.get(1, |_| "stored".to_owned()).push_str(" and typed");
        assert_eq!(draft.get(1, |_| "stored".to_owned()), "stored and typed");
        // The document changed: the draft is loaded again.
        assert_eq!(draft.get(2, |_| "stored".to_owned()), "stored");
        assert_eq!(draft.key(), Some(&2));
    }
}
