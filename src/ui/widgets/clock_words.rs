//! How the app words replication time, saying which clock a figure is on: the one place that
//! writes "simulated". Every time today comes from the simulation and is labelled with its
//! speed ("simulated: 2 min left at 60×"), so it is never taken for Azure's; a figure from the
//! live connection (Azure's own progress) is worded here beside it ("Azure, 2 min ago").

use crate::replication::{Speed, format_duration};

/// "simulated: 2 min left at 60×" (or ", paused").
pub fn time_left(secs: f64, speed: Speed) -> String {
    format!("simulated: {} left{}", format_duration(secs), at(speed))
}

/// "simulated: took 21 min".
pub fn took(secs: f64) -> String {
    format!("simulated: took {}", format_duration(secs))
}

/// "simulated: 3 min so far".
pub fn so_far(secs: f64) -> String {
    format!("simulated: {} so far", format_duration(secs))
}

/// The speed a simulated time runs at, as its label ends.
fn at(speed: Speed) -> String {
    match speed {
        Speed::Paused => ", paused".to_owned(),
        speed => format!(" at {}", speed.label()),
    }
}

/// What a simulated figure is, on hover.
pub const SIMULATED_HINT: &str = "Simulated time: the replication simulation runs at the speed chosen in the status bar (Simulation speed); it is not Azure's progress";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulated_times_say_so_with_their_speed() {
        assert_eq!(time_left(120.0, Speed::X60), "simulated: 2 min left at 60×");
        assert_eq!(
            time_left(30.0, Speed::Paused),
            "simulated: 30 s left, paused"
        );
        assert_eq!(took(1260.0), "simulated: took 21 min");
        assert_eq!(so_far(180.0), "simulated: 3 min so far");
    }
}
