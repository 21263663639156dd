//! The process's peak memory, for the benchmarks of both crates (`#[path]`-included: each bench
//! is a crate of its own).

/// The process's peak resident set (`VmHWM`) so far, or since `/proc/self/clear_refs` reset it,
/// in MB; 0 where `/proc` cannot tell.
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
