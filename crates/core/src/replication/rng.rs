//! Small deterministic hashing and random numbers for the failure draws. Written here so that
//! results never depend on a crate's or the standard library's hashing between versions.

/// SplitMix64: advances `state` and returns the next 64 random bits.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A number in [0, 1) from 64 random bits.
pub fn unit(bits: u64) -> f64 {
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// FNV-1a over several byte strings, each followed by a separator.
pub fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xCBF2_9CE4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(b'/')) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01B3);
        }
    }
    hash
}

/// Whether a copy attempt fails, and if so at which fraction of the copy (0.05–0.95).
/// Decided by the seed, the version, the region and the attempt alone, so neither step sizes
/// nor the order of jobs change which copies fail.
pub fn failure_point(
    seed: u64,
    version_hash: u64,
    region_index: usize,
    attempt: u32,
    failure_rate: f64,
) -> Option<f64> {
    if failure_rate <= 0.0 {
        return None;
    }
    let mut state = seed
        ^ version_hash
        ^ ((region_index as u64) << 48)
        ^ u64::from(attempt).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    let draw = unit(splitmix64(&mut state));
    let point = unit(splitmix64(&mut state));
    (draw < failure_rate).then_some(0.05 + 0.9 * point)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_known_values() {
        // Reference values of SplitMix64 seeded with 0.
        let mut state = 0;
        assert_eq!(splitmix64(&mut state), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(&mut state), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn failure_rate_is_honoured_roughly_and_reproducibly() {
        let hash = fnv1a(&["g", "d", "1.0.0"]);
        let failures = (0..10_000u32)
            .filter(|attempt| failure_point(42, hash, 3, *attempt, 0.2).is_some())
            .count();
        assert!((1_800..2_200).contains(&failures), "{failures}");
        assert_eq!(
            failure_point(42, hash, 3, 7, 0.5),
            failure_point(42, hash, 3, 7, 0.5)
        );
        assert!(failure_point(42, hash, 3, 7, 0.0).is_none());
        assert!((0..100).all(|a| failure_point(1, hash, 0, a, 1.0).is_some()));
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
    }
}
