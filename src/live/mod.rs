//! Live mode (`oauth-lab serve`): the standard world's client (Photo Printer), AS and
//! RS on real HTTP/1.1 over loopback, so a real browser, curl or the learner's own
//! client can take part.
//!
//! The actors stay sans-IO: a listener ([`server`]) turns each real request into the
//! wire text its actor handles and the actor's answer into a real response; what an
//! actor sends (the client's token request, the RS's JWKS fetch and introspection)
//! leaves over real TCP ([`transport`]). [`hub`] holds the world under one lock and
//! records every message in a trace, as the simulation does. Each party listens on its
//! own loopback address (127.0.0.1, .2, .3: distinct hosts, so distinct sites for a
//! browser's cookies). With an attack ([`attacker_site`]), the attacker's site is a
//! fourth party, on 127.0.0.4.

pub mod attacker_site;
pub mod attacker_site_banner;
pub mod conn_table;
pub mod hold;
pub mod hub;
pub mod lanes;
pub mod limits;
pub mod log_line;
pub mod parties;
pub mod record;
pub mod record_check;
pub mod server;
pub mod site;
pub mod transport;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;

pub use attacker_site::AttackSite;
pub use hub::{Hub, InputSink, StepSink};
pub use parties::LiveUrls;

use crate::actors::Defenses;
use crate::actors::auth_server::RegistrationError;

/// Where the listeners bind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The client's, the AS's and the RS's addresses, and the attacker's site's (when
    /// there is an attack).
    pub hosts: [IpAddr; 4],
    /// The client's port; the AS listens on the next, the RS on the one after, the
    /// attacker's site on the one after that. `0` gives each an ephemeral port (tests).
    pub port_base: u16,
}

impl Binding {
    /// 127.0.0.1, 127.0.0.2, 127.0.0.3 (and 127.0.0.4): loopback hosts, one site each.
    pub fn loopback(port_base: u16) -> Self {
        let ip = |last| IpAddr::V4(Ipv4Addr::new(127, 0, 0, last));
        Binding {
            hosts: [ip(1), ip(2), ip(3), ip(4)],
            port_base,
        }
    }

    /// All parties on one address (`--listen`).
    pub fn on(ip: IpAddr, port_base: u16) -> Self {
        Binding {
            hosts: [ip; 4],
            port_base,
        }
    }

    fn addr(&self, i: usize) -> SocketAddr {
        let port = if self.port_base == 0 {
            0
        } else {
            self.port_base.saturating_add(i as u16)
        };
        SocketAddr::new(self.hosts[i], port)
    }
}

/// What a live world is made of.
pub struct LiveOptions {
    pub seed: u64,
    pub defenses: Defenses,
    pub binding: Binding,
    /// Adds Alice's simulated browser (tests drive the flow with it).
    pub with_browser: bool,
    /// Called with every recorded step (log lines, recorder).
    pub sink: Option<StepSink>,
    /// Called with every input from outside the world (`serve --record`), from before
    /// the first request can arrive.
    pub inputs: Option<InputSink>,
    /// The attack whose attacker's site joins as a fourth party.
    pub attack: Option<AttackSite>,
}

/// Why live mode could not start.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("port {} on {} is already in use (another `oauth-lab serve`?); choose another --port-base", .0.port(), .0.ip())]
    PortInUse(SocketAddr),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("cannot start the network runtime: {0}")]
    Runtime(std::io::Error),
    #[error("the live AS's registrations are invalid: {0}")]
    Registration(#[from] RegistrationError),
}

/// A running live world: three listeners on a tokio runtime of its own.
pub struct LiveServer {
    runtime: Option<tokio::runtime::Runtime>,
    hub: Arc<Hub>,
    urls: LiveUrls,
    attack: Option<AttackSite>,
    stop: watch::Sender<bool>,
    listeners: Vec<tokio::task::JoinHandle<()>>,
}

impl LiveServer {
    /// Binds the listeners, starts the parties (the client's discovery, the RS's key
    /// fetch, over real HTTP), then the attacker's own opening moves (with an attack),
    /// and returns once they are done or `STARTUP` has passed for each.
    pub fn start(options: LiveOptions) -> Result<LiveServer, LiveError> {
        let mut bound = Vec::new();
        let parties = if options.attack.is_some() { 4 } else { 3 };
        for i in 0..parties {
            let addr = options.binding.addr(i);
            let listener = std::net::TcpListener::bind(addr).map_err(|e| {
                if e.kind() == std::io::ErrorKind::AddrInUse {
                    LiveError::PortInUse(addr)
                } else {
                    LiveError::Bind(addr, e)
                }
            })?;
            listener
                .set_nonblocking(true)
                .map_err(|e| LiveError::Bind(addr, e))?;
            let local = listener
                .local_addr()
                .map_err(|e| LiveError::Bind(addr, e))?;
            bound.push((listener, local));
        }
        let url = |i: usize| format!("http://{}", bound[i].1);
        let urls = LiveUrls {
            client: url(0),
            auth_server: url(1),
            resource_server: url(2),
            attacker: options.attack.map(|_| url(3)),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(LiveError::Runtime)?;
        let site = options
            .attack
            .zip(urls.attacker.as_deref())
            .map(|(attack, site)| attack.parties(&urls, site));
        let changes = site.as_ref().map(|s| &s.changes);
        let mut actors = parties::changed_actors(
            &urls,
            options.with_browser,
            changes.unwrap_or(&Default::default()),
        )?;
        let mut party_ids = parties::server_ids().to_vec();
        let mut opening = Vec::new();
        let mut stop = None;
        let mut attacker_parties = Vec::new();
        if let Some(site) = site {
            attacker_parties = site.actors.iter().map(|a| a.id().clone()).collect();
            actors.extend(site.actors);
            party_ids.push(AttackSite::actor_id());
            opening = site.opening;
            stop = site.stop;
        }
        let (hub, mut departing) = Hub::new(options.seed, options.defenses, actors, options.sink);
        if let Some(stop) = stop {
            hub.stop_requests(stop);
        }
        for party in &attacker_parties {
            hub.controlled_by_attacker(party);
        }
        if let Some(inputs) = options.inputs {
            hub.on_input(inputs);
        }
        // Every request a party sends leaves over TCP on a task of its own.
        let carrier = Arc::clone(&hub);
        runtime.spawn(async move {
            while let Some(departure) = departing.recv().await {
                let hub = Arc::clone(&carrier);
                tokio::spawn(async move {
                    transport::send(
                        &hub,
                        &departure.from,
                        departure.id,
                        departure.request.clone(),
                    )
                    .await;
                    drop(departure);
                });
            }
        });
        let (stop, stopped) = watch::channel(false);
        let mut listeners = Vec::new();
        let _inside = runtime.enter();
        for ((listener, local), party) in bound.into_iter().zip(party_ids) {
            hub.listen(local, &party);
            let listener = tokio::net::TcpListener::from_std(listener)
                .map_err(|e| LiveError::Bind(local, e))?;
            let table = Arc::new(conn_table::ConnTable::default());
            listeners.push(runtime.spawn(server::run(
                Arc::clone(&hub),
                listener,
                party,
                table,
                stopped.clone(),
            )));
        }
        drop(_inside);
        hub.start();
        let server = LiveServer {
            runtime: Some(runtime),
            hub,
            urls,
            attack: options.attack,
            stop,
            listeners,
        };
        server.wait_idle(STARTUP);
        // The attacker's own moves start once the honest parties are ready.
        if !opening.is_empty() {
            for (to, action) in opening {
                server.hub.input(&to, action);
            }
            server.wait_idle(STARTUP);
        }
        Ok(server)
    }

    pub fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }

    pub fn urls(&self) -> &LiveUrls {
        &self.urls
    }

    /// The attack's goal, evaluated now on what its attacker's site holds: `None` when
    /// the attacker has not reached it (or there is no attack).
    pub fn attack_goal(&self) -> Option<String> {
        self.attack.and_then(|a| a.goal(&self.hub, &self.urls))
    }

    /// Waits until no message is in flight, at most `limit`; whether it got there.
    pub fn wait_idle(&self, limit: Duration) -> bool {
        let until = Instant::now() + limit;
        // Idle must hold twice in a row: an answer being handed over counts once.
        let mut quiet = 0;
        while Instant::now() < until {
            if self.hub.is_idle() {
                quiet += 1;
                if quiet == 2 {
                    return true;
                }
            } else {
                quiet = 0;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        false
    }

    /// Runs a future on the live runtime (the command line waits for a signal there).
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        match &self.runtime {
            Some(rt) => rt.block_on(f),
            None => unreachable!("the runtime lives until shutdown consumes the server"),
        }
    }

    /// Stops accepting, lets requests in flight finish (within the shutdown deadline)
    /// and closes every connection.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        let _ = self.stop.send(true);
        if let Some(rt) = self.runtime.take() {
            let listeners = std::mem::take(&mut self.listeners);
            rt.block_on(async {
                let _ = tokio::time::timeout(limits::SHUTDOWN_DEADLINE * 2, async {
                    for l in listeners {
                        let _ = l.await;
                    }
                })
                .await;
            });
            rt.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

impl Drop for LiveServer {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// How long start-up (discovery, key fetch) may take before the server is handed out.
const STARTUP: Duration = Duration::from_secs(10);
