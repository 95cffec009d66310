//! What the benches share (a folder, so cargo does not take it for a bench of its own).

use std::time::{Duration, Instant};

/// Mean time of `f` over enough iterations to fill about `budget` (after one warm-up call).
pub fn mean_time(budget: Duration, mut f: impl FnMut()) -> Duration {
    f();
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < budget {
        f();
        n += 1;
    }
    start.elapsed() / n.max(1)
}
