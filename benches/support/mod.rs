//! What the benches share (a folder, so cargo does not take it for a bench of its own).

use std::time::{Duration, Instant};

/// The program's own allocator (see `src/main.rs`), so a bench measures what runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Mean time of `f` over enough iterations to fill about `budget` (after one warm-up call).
#[allow(dead_code)] // not every bench times a closure this way
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

/// The claims of a sample access token, for timing one signature or verification alone.
#[allow(dead_code)] // not every bench times a signature
pub fn sample_claims() -> oauth_lab::protocol::jwt::AccessTokenClaims {
    oauth_lab::protocol::jwt::AccessTokenClaims {
        iss: "https://as.example".into(),
        sub: "alice".into(),
        aud: "https://rs.example".into(),
        exp: 2_000_000_000,
        iat: 1_767_258_000,
        jti: "bench".into(),
        client_id: "photo-printer".into(),
        scope: "photos.read".into(),
        cnf: None,
    }
}

/// CPU time this process has used so far, user and system, over all its threads
/// (getrusage(2), `RUSAGE_SELF`): what a piece of work costs whatever else the machine
/// runs at the same time.
#[allow(dead_code)] // not every bench counts CPU time
pub fn process_cpu() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}
