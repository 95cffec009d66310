//! `oauth-lab serve`: live mode. The client, the AS and the RS on real HTTP over
//! loopback. On a terminal, the UI over the live trace until `q`, Ctrl-C or a signal;
//! otherwise (or with `--no-tui`) a start banner saying how to try them and one log line
//! per message until SIGINT or SIGTERM. Then a graceful shutdown.

use std::future::Future;
use std::io::{IsTerminal, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use super::WorldArgs;
use super::serve_banner::banner;
use crate::live::attacker_site_banner::{attack_banner, attack_verdict};
use crate::live::hold::DEFAULT_HOLD_TIMEOUT;
use crate::live::log_line::{self, LogFormat};
use crate::live::record::Recorder;
use crate::live::{AttackSite, Binding, LiveError, LiveOptions, LiveServer, StepSink, limits};
use crate::sim::Step;
use crate::terminal_text::printable;
use crate::tui::live::LiveApp;
use crate::world::LiveSite;

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub world: WorldArgs,
    /// The client listens on this port, the AS on the next, the RS on the one after
    /// (0: ephemeral ports).
    #[arg(long, default_value_t = 9000, value_name = "PORT")]
    pub port_base: u16,
    /// Listen on this address instead of 127.0.0.1/.2/.3 (all three parties on it).
    /// An address that is not loopback also needs --allow-non-loopback.
    #[arg(long, value_name = "IP")]
    pub listen: Option<IpAddr>,
    /// Allow --listen on an address other hosts can reach. This server hands out
    /// tokens to anyone who asks. Over plain http the AS accepts redirect URIs only on
    /// loopback (RFC 8252 §8.3), so such a start ends with that error for now.
    #[arg(long)]
    pub allow_non_loopback: bool,
    /// Run this attack's attacker's site as a fourth party on 127.0.0.4 (port base+3),
    /// for attacks whose attacker acts from a site of its own. Not with --record: a
    /// recorded session replays without the attacker's site.
    #[arg(long, value_name = "ID", conflicts_with = "record")]
    pub attack: Option<String>,
    /// Format of the log lines.
    #[arg(long, short, value_enum, default_value_t = LogFormat::Text)]
    pub format: LogFormat,
    /// Record the session as a scenario file (`oauth-lab run --scenario FILE` replays
    /// it): every request from outside, in arrival order. Kept up to date as it goes.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Let --record overwrite an existing file.
    #[arg(long, requires = "record")]
    pub force: bool,
    /// Log one line per message even when stdout is a terminal (no UI).
    #[arg(long)]
    pub no_tui: bool,
    /// Seconds a request held at the intercept waits before it gets a 504 Gateway
    /// Timeout (the UI's `i`). The parties' own back-channel calls give up after 30 s.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_HOLD_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub hold_timeout: u64,
}

/// Runs live mode until a signal; returns what to print last.
pub fn run(args: &ServeArgs) -> anyhow::Result<String> {
    let spec = args.world.spec(args.attack.as_deref())?;
    let attack = spec
        .attack
        .map(|a| AttackSite::of(a.attack()))
        .transpose()
        .map_err(|why| anyhow::anyhow!("serve --attack {why}"))?;
    let (last, after_client) = match attack {
        Some(_) => (3, "the AS, the RS and the attacker's site"),
        None => (2, "the AS and the RS"),
    };
    if args.port_base > u16::MAX - last {
        anyhow::bail!(
            "--port-base {} leaves no room for {after_client} (base+1 to base+{last}); the highest is {}",
            args.port_base,
            u16::MAX - last
        );
    }
    let binding = match args.listen {
        None => Binding::loopback(args.port_base),
        Some(ip) if ip.is_loopback() => Binding::on(ip, args.port_base),
        Some(ip) if !args.allow_non_loopback => anyhow::bail!(
            "--listen {ip} is not a loopback address: other hosts could get tokens from this server; add --allow-non-loopback if that is what you want"
        ),
        Some(ip) => Binding::on(ip, args.port_base),
    };
    let reachable = args.listen.filter(|ip| !ip.is_loopback());
    if let Some(path) = args.record.as_deref() {
        record_folder_exists(path)?;
    }
    let mut recorder = (args.record.as_deref())
        .map(|path| Recorder::create(path, args.force, spec.clone()))
        .transpose()?;
    let ui = wants_ui(args);
    // With the UI, a recorded step wakes it to redraw; without, it is logged.
    let (stepped, steps) = tokio::sync::mpsc::unbounded_channel();
    let format = args.format;
    let show: StepSink = if ui {
        Box::new(move |_step| {
            // The UI may be gone already (shutting down): nobody to wake then.
            let _ = stepped.send(());
        })
    } else {
        Box::new(move |step: &Step| {
            let line = log_line::render(step, format);
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
        })
    };
    let sink: StepSink = match recorder.as_ref().map(Recorder::step_sink) {
        Some(record) => Box::new(move |step| {
            record(step);
            show(step);
        }),
        None => show,
    };
    let server = LiveServer::start(LiveOptions {
        seed: spec.seed,
        defenses: spec.defenses.clone(),
        binding,
        with_browser: false,
        attack,
        sink: Some(sink),
        inputs: recorder.as_ref().map(Recorder::input_sink),
    })
    .map_err(|e| match (reachable, e) {
        (Some(ip), LiveError::Registration(why)) => anyhow::anyhow!(
            "--listen {ip}: live mode speaks plain http, and its AS refuses an http redirect URI on a host that is not loopback, so other hosts cannot take part: {why}"
        ),
        (_, e) => e.into(),
    })?;
    if let Some(ip) = reachable {
        eprintln!(
            "warning: listening on {ip}, which other hosts can reach. This server hands out tokens to anyone who asks; stop it when you are done."
        );
    }
    server
        .hub()
        .holds()
        .set_timeout(Duration::from_secs(args.hold_timeout));
    if let Some(r) = &mut recorder {
        r.begin(LiveSite::of(server.urls(), false))?;
        let line = format!("Recording the session to {}.\n", r.path().display());
        eprint!("{}", printable(&line));
    }
    let (stop, ui_failed) = if ui {
        let live = LiveApp::new(Arc::clone(server.hub()), server.urls().clone(), spec);
        match crate::tui::live::run::run(&server, live, steps) {
            Ok(Some(signal)) => (signal_name(signal).to_string(), None),
            Ok(None) => ("quit".to_string(), None),
            Err(e) => (format!("the UI failed ({e})"), Some(e)),
        }
    } else {
        // Listening before the banner says "Ctrl-C stops": a signal sent as soon as
        // it is printed stops the server gracefully instead of killing it.
        let stopped = stop_signals(&server);
        eprint!("{}", printable(&banner(&server, &spec)));
        if let Some(site) = attack {
            eprint!("{}", printable(&attack_banner(&server, site)));
        }
        (server.block_on(stopped).to_string(), None)
    };
    eprintln!(
        "{stop}: stopping; requests in flight get up to {} s to finish.",
        limits::SHUTDOWN_DEADLINE.as_secs()
    );
    // Held requests are in flight too: they go on, as with intercept turned off.
    let released = server.hub().holds().set_on(false);
    if released > 0 {
        eprintln!("Forwarded the {released} held request(s) as they were.");
    }
    let verdict = attack.map(|site| attack_verdict(&server, site));
    let hub = Arc::clone(server.hub());
    server.shutdown();
    if let Some(r) = recorder {
        let path = r.path().display().to_string();
        let recorded = r.finish(&hub.trace())?;
        let line = format!(
            "Recorded {} to {path}; replay the session with: oauth-lab run --scenario {path}\n",
            recorded.in_words
        );
        eprint!("{}", printable(&line));
        if let Some(why) = recorded.divergence {
            let line = format!("warning: the replay of {path} is not faithful: {why}.\n");
            eprint!("{}", printable(&line));
        }
    }
    match ui_failed {
        Some(e) => Err(e),
        // The verdict is the last line of the output.
        None => Ok(verdict.map(|v| format!("{v}\n")).unwrap_or_default()),
    }
}

/// The folder `--record` writes into exists: checked before the servers start, so a
/// mistyped path ends the command before any traffic instead of after it.
fn record_folder_exists(path: &Path) -> anyhow::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        anyhow::bail!(
            "cannot write the recording {}: the folder {} does not exist",
            path.display(),
            folder.display()
        );
    }
    Ok(())
}

/// Whether `serve` opens the UI: stdout is a terminal that can draw one, and
/// `--no-tui` was not given.
fn wants_ui(args: &ServeArgs) -> bool {
    !args.no_tui && std::io::stdout().is_terminal() && !crate::tui::run::dumb_terminal()
}

/// The name of a signal the UI stops on.
fn signal_name(signal: i32) -> &'static str {
    #[cfg(unix)]
    match signal {
        libc::SIGTERM => return "SIGTERM",
        libc::SIGINT => return "SIGINT",
        libc::SIGHUP => return "SIGHUP",
        _ => {}
    }
    let _ = signal;
    "a signal"
}

/// Listens for SIGINT (Ctrl-C) and SIGTERM from now on (the handlers are in place when
/// this returns); the future ends with the name of the first that arrives.
fn stop_signals(server: &LiveServer) -> Pin<Box<dyn Future<Output = &'static str> + Send>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        // Made on the server's runtime, which delivers them.
        let streams = server.block_on(async {
            (
                signal(SignalKind::interrupt()),
                signal(SignalKind::terminate()),
            )
        });
        if let (Ok(mut int), Ok(mut term)) = streams {
            return Box::pin(async move {
                tokio::select! {
                    _ = int.recv() => "SIGINT",
                    _ = term.recv() => "SIGTERM",
                }
            });
        }
    }
    let _ = server;
    Box::pin(async {
        let _ = tokio::signal::ctrl_c().await;
        "SIGINT"
    })
}
