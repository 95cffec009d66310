//! The whole attack × defense matrix: every attack in the catalog under every column
//! (`naive`, `rfc6749`, `bcp`, and `bcp` minus each defense), spread over the
//! machine's cores by `matrix::compute`. Goal: under 300 ms on the 2-core dev machine.
//!
//! `cargo bench --bench matrix` prints one summary line with the mean time, the number
//! of runs, the mean cost of one attack run on one thread (wall clock and, on Linux,
//! time actually on a CPU — robust when other jobs share the machine), and the share
//! of that cost spent in RS256 signatures and verifications.

mod support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use oauth_lab::attacks::matrix::{self, compute};
use oauth_lab::attacks::{catalog, run_attack};
use oauth_lab::protocol::jwt::{self, AccessTokenClaims, SigningKey};
use oauth_lab::sim::world::DEFAULT_SEED;

/// Nanoseconds this thread has spent on a CPU (Linux `schedstat`), if available.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The mean cost of one call.
struct Mean {
    wall: Duration,
    /// Time this thread spent on a CPU, where the OS says (contention does not count).
    cpu: Option<Duration>,
    n: u32,
}

impl Mean {
    /// The on-CPU time when known, else the wall-clock time.
    fn best(&self) -> Duration {
        self.cpu.unwrap_or(self.wall)
    }
}

/// Mean cost of `f` over enough iterations to fill about `budget` (after one warm-up).
fn mean_time(budget: Duration, mut f: impl FnMut()) -> Mean {
    f();
    let cpu0 = thread_cpu_ns();
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < budget || n < 3 {
        f();
        n += 1;
    }
    let wall = start.elapsed() / n;
    let cpu = cpu0
        .zip(thread_cpu_ns())
        .map(|(a, b)| Duration::from_nanos(b.saturating_sub(a)) / n);
    Mean { wall, cpu, n }
}

/// Every cell run one after another on this thread (what `compute` parallelises).
fn sequential_cells() -> usize {
    let columns = matrix::columns();
    let mut succeeded = 0;
    for attack in catalog() {
        for col in &columns {
            succeeded += usize::from(
                run_attack(*attack, DEFAULT_SEED, col.defenses.clone())
                    .verdict
                    .succeeded(),
            );
        }
    }
    succeeded
}

fn bench(c: &mut Criterion) {
    c.bench_function("matrix/compute", |b| {
        b.iter(|| black_box(compute(DEFAULT_SEED)))
    });

    // The summary line the README quotes.
    let attacks = catalog().len();
    let columns = matrix::columns().len();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let whole = mean_time(Duration::from_secs(3), || {
        black_box(compute(DEFAULT_SEED));
    });
    let seq = mean_time(Duration::from_secs(2), || {
        black_box(sequential_cells());
    });
    let runs = (attacks * columns) as f64;

    // Where the time goes without signature reuse: the RS256 signatures and
    // verifications the sequential cells perform, each priced at its measured cost on
    // one thread (their crypto floor).
    let before = jwt::crypto_counts();
    sequential_cells();
    let ops = jwt::crypto_counts().since(&before);
    let key = SigningKey::demo_as();
    let jwks = jwt::jwks_of(&key);
    let token = key.sign(jwt::ACCESS_TOKEN_TYP, &support::sample_claims());
    let sign = mean_time(Duration::from_secs(1), || {
        black_box(key.sign(jwt::ACCESS_TOKEN_TYP, &support::sample_claims()));
    });
    let verify = mean_time(Duration::from_secs(1), || {
        black_box(jwt::verify_pinned::<AccessTokenClaims>(&token, &jwks).is_ok());
    });
    // Priced at on-CPU cost when known, like the one-thread figure it is compared with.
    let floor = sign.best() * ops.signs as u32 + verify.best() * ops.verifies as u32;

    let on_cpu = seq.cpu.map_or(String::new(), |c| {
        format!(" ({:.1} ms of it on a CPU)", c.as_secs_f64() * 1e3)
    });
    println!(
        "\nmatrix summary: {attacks} attacks × {columns} columns = {runs} runs on {threads} threads: \
         mean {:.1} ms per matrix, reusing deterministic signatures (over {}; goal < 300 ms). \
         Without reuse, one thread: {:.1} ms{on_cpu}, {:.0} µs per run; \
         crypto {} signs × {:.0} µs + {} verifies × {:.1} µs = {:.1} ms ({:.0}% of it).",
        whole.wall.as_secs_f64() * 1e3,
        whole.n,
        seq.wall.as_secs_f64() * 1e3,
        seq.best().as_secs_f64() * 1e6 / runs,
        ops.signs,
        sign.best().as_secs_f64() * 1e6,
        ops.verifies,
        verify.best().as_secs_f64() * 1e6,
        floor.as_secs_f64() * 1e3,
        100.0 * floor.as_secs_f64() / seq.best().as_secs_f64().max(1e-9),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
