//! Simulated time. Nothing in the core reads the wall clock (docs/ARCHITECTURE.md rule 3).

use serde::{Deserialize, Serialize};

/// The Unix time, in seconds, at which every simulation starts: 2026-01-01T09:00:00Z.
pub const EPOCH_UNIX_SECS: u64 = 1_767_258_000;

/// Milliseconds since the start of the simulation.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct SimTime(pub u64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);

    /// Seconds since the Unix epoch, for JWT `iat`/`exp` (RFC 7519 §2 NumericDate).
    pub fn unix_secs(self) -> u64 {
        EPOCH_UNIX_SECS + self.0 / 1000
    }

    pub fn plus_ms(self, ms: u64) -> SimTime {
        SimTime(self.0.saturating_add(ms))
    }

    pub fn plus_secs(self, secs: u64) -> SimTime {
        self.plus_ms(secs.saturating_mul(1000))
    }

    /// `HH:MM:SS.mmm` of the simulated day (starting 09:00:00).
    pub fn clock_label(self) -> String {
        let total = self.unix_secs();
        let (h, m, s) = ((total / 3600) % 24, (total / 60) % 60, total % 60);
        format!("{h:02}:{m:02}:{s:02}.{:03}", self.0 % 1000)
    }
}

/// A duration in words: `45 s`, `10 min`, `1 h 5 min`.
pub fn duration_label(secs: u64) -> String {
    match secs {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 && s % 60 == 0 => format!("{} min", s / 60),
        s if s < 3600 => format!("{} min {} s", s / 60, s % 60),
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(SimTime::ZERO.clock_label(), "09:00:00.000");
        assert_eq!(SimTime(61_250).clock_label(), "09:01:01.250");
        assert_eq!(duration_label(600), "10 min");
        assert_eq!(duration_label(3900), "1 h 5 min");
    }
}
