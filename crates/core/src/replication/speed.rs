//! How fast simulated time runs against the wall clock: the user's choice, which the app's
//! clock thread follows.

/// How fast simulated time runs against the wall clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Speed {
    Paused,
    #[default]
    X1,
    X60,
    X600,
    X3600,
}

impl Speed {
    pub const ALL: [Self; 5] = [Self::Paused, Self::X1, Self::X60, Self::X600, Self::X3600];

    /// Simulated seconds per wall-clock second.
    pub fn factor(self) -> f64 {
        match self {
            Self::Paused => 0.0,
            Self::X1 => 1.0,
            Self::X60 => 60.0,
            Self::X600 => 600.0,
            Self::X3600 => 3600.0,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Paused => "Paused",
            Self::X1 => "1×",
            Self::X60 => "60×",
            Self::X600 => "600×",
            Self::X3600 => "3600×",
        }
    }

    /// A compact form for an atomic (the clock thread reads the speed without a lock).
    pub fn to_u8(self) -> u8 {
        match self {
            Self::Paused => 0,
            Self::X1 => 1,
            Self::X60 => 2,
            Self::X600 => 3,
            Self::X3600 => 4,
        }
    }

    /// The speed [`Self::to_u8`] gave (anything else: Paused).
    pub fn from_u8(value: u8) -> Self {
        match value {
            1 => Self::X1,
            2 => Self::X60,
            3 => Self::X600,
            4 => Self::X3600,
            _ => Self::Paused,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_round_trip_and_scale() {
        for speed in Speed::ALL {
            assert_eq!(Speed::from_u8(speed.to_u8()), speed);
        }
        assert_eq!(Speed::X3600.factor(), 3600.0);
        assert_eq!(Speed::Paused.factor(), 0.0);
    }
}
