//! Lists read from the file into vectors of exactly their length.
//!
//! RON gives serde no length for a list, so a vector read from it grows by doubling: nine
//! target regions take room for sixteen. Over 100,000 versions that was 110 MB of 263 MB, and
//! the room is not given back while the workspace lives (issue 23, item 7). Each list gives it
//! back as soon as it is read, so even the peak while loading holds no spare room.

use serde::{Deserialize, Deserializer};

/// `#[serde(deserialize_with = "exact::vec")]`: the list, its spare room given back.
pub fn vec<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut list = Vec::<T>::deserialize(deserializer)?;
    list.shrink_to_fit();
    Ok(list)
}
