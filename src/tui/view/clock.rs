//! The simulated clock as the UI shows it: the time of day, and the day once the
//! simulation has run past its first midnight (the clock starts at 09:00 on day 1).

use crate::actors::clock::{EPOCH_UNIX_SECS, SimTime};

const DAY_SECS: u64 = 86_400;

/// The simulated day `t` falls on, counting the first day as 1.
pub fn day(t: SimTime) -> u64 {
    t.unix_secs() / DAY_SECS - EPOCH_UNIX_SECS / DAY_SECS + 1
}

/// `HH:MM:SS.mmm` on day 1, `day N HH:MM:SS.mmm` after it.
pub fn label(t: SimTime) -> String {
    match day(t) {
        1 => t.clock_label(),
        n => format!("day {n} {}", t.clock_label()),
    }
}

/// `HH:MM:SS` on day 1, `day N HH:MM:SS` after it.
pub fn label_secs(t: SimTime) -> String {
    let full = label(t);
    // Drop the milliseconds (`.mmm`).
    full[..full.len() - 4].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_shows_after_the_first_midnight() {
        assert_eq!(label(SimTime::ZERO), "09:00:00.000");
        // 14 h 59 min 59 s after 09:00 is still day 1.
        assert_eq!(
            label(SimTime::ZERO.plus_secs(14 * 3600 + 3599)),
            "23:59:59.000"
        );
        assert_eq!(
            label(SimTime::ZERO.plus_secs(15 * 3600)),
            "day 2 00:00:00.000"
        );
        assert_eq!(
            label_secs(SimTime::ZERO.plus_secs(16 * 3600)),
            "day 2 01:00:00"
        );
        assert_eq!(
            label_secs(SimTime::ZERO.plus_secs(40 * 3600)),
            "day 3 01:00:00"
        );
    }
}
