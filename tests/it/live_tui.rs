//! Live mode's UI over a live world on ephemeral ports, driven key by key on an
//! in-memory terminal: the header, the lanes of outside parties, defenses that apply
//! to the next request, intercept with its countdown, and the keys that have no
//! meaning live saying why.

use http::StatusCode;
use oauth_lab::actors::defenses::{DEFENSES, DefenseId};
use oauth_lab::actors::{Defenses, Profile};
use oauth_lab::sim::MsgId;
use oauth_lab::testing::*;
use oauth_lab::tui::Action;
use oauth_lab::tui::action::map_key;
use oauth_lab::tui::app::Overlay;
use oauth_lab::tui::app::Tab;
use oauth_lab::tui::editor::Editor;
use oauth_lab::tui::help::{LIVE_KEYS, LiveWindow, live_handles};
use oauth_lab::tui::live::handlers::apply;
use oauth_lab::tui::live::handlers::{
    NO_ATTACKS, NO_CONSOLE, NO_LESSONS, NO_REPLAY, NO_SAVE, NOT_A_LIVE_KEY, NOT_RERUN, NOT_STEPPED,
    REAL_CLOCK, refusal,
};
use ratatui::crossterm::event::KeyCode;

fn metadata_url(server: &oauth_lab::live::LiveServer) -> String {
    format!(
        "{}/.well-known/oauth-authorization-server",
        server.urls().auth_server
    )
}

/// The live status line (above the held-request pane, when there is one).
fn status_line(screen: &str) -> &str {
    screen
        .lines()
        .find(|l| l.starts_with(" step ") && l.contains(" │ "))
        .unwrap_or_else(|| panic!("a status line:\n{screen}"))
}

/// The first few words of a notice: the narration pane wraps the rest.
fn opening(text: &str) -> String {
    text.split(' ').take(5).collect::<Vec<_>>().join(" ")
}

#[test]
fn the_live_ui_shows_its_urls_and_an_outside_party_in_its_own_lane() {
    let server = live_world(Profile::Bcp);
    let mut live = live_ui_at(&server, Profile::Bcp, 120, 40);
    let screen = live_screen(&live);
    let first = screen.lines().next().unwrap_or("");
    assert!(first.contains("LIVE"), "{screen}");
    assert!(first.contains(&server.urls().client), "{first}");
    assert!(first.contains("q / Ctrl-C quit"), "{first}");
    // The parties' start-up traffic is there already: the client's discovery.
    assert!(screen.contains("/.well-known/openid-config"), "{screen}");
    // The lane of a learner's own client is labelled as room allows.
    let lane = |s: &str| s.contains("Your client") || s.contains("learner-c");
    assert!(!lane(&screen), "{screen}");

    let resp = live_call(&get(&metadata_url(&server)));
    assert_eq!(resp.status(), StatusCode::OK);
    let screen = live_screen_until(&mut live, lane);
    // The newest step is selected: the inspector shows the request the client sent.
    assert!(
        screen.contains("200 OK") || screen.contains("oauth-authorization-server"),
        "{screen}"
    );
    let last = live.app.timeline.len() - 1;
    assert_eq!(live.app.cursor, last, "the selection follows the traffic");
    // Stepping back stops following; End goes back to the newest.
    live_keys(&mut live, &[key(KeyCode::Left)]);
    assert_eq!(live.app.cursor, last - 1);
    live_keys(&mut live, &[key(KeyCode::End)]);
    assert_eq!(live.app.cursor, last);
    live_keys(&mut live, &[key(KeyCode::Right)]);
    assert!(live_screen(&live).contains("This is the newest message"));
}

#[test]
fn keys_without_a_meaning_live_say_why() {
    let server = live_world(Profile::Bcp);
    let mut live = live_ui_at(&server, Profile::Bcp, 120, 40);
    for (k, why) in [
        (ch(' '), NOT_STEPPED),
        (ch('u'), NOT_STEPPED),
        (ch('t'), REAL_CLOCK),
        (ch('a'), NO_ATTACKS),
        (ch('m'), NO_ATTACKS),
        (ch('L'), NO_LESSONS),
    ] {
        let len = live.app.timeline.len();
        live_keys(&mut live, &[k]);
        let screen = live_screen(&live);
        assert!(screen.contains(&opening(why)), "{k:?}:\n{screen}");
        assert!(live.app.overlay.is_none(), "{k:?} opens nothing");
        assert_eq!(live.app.timeline.len(), len, "{k:?} adds no step");
    }
    live_keys(&mut live, &[ch('4')]);
    assert_eq!(live.app.tab, Tab::Pkce);
    live_keys(&mut live, &[ch('q')]);
    assert!(live.app.should_quit);
    let mut again = live_ui_at(&server, Profile::Bcp, 120, 40);
    live_keys(&mut again, &[ctrl('c')]);
    assert!(again.app.should_quit);
}

#[test]
fn the_state_tab_shows_every_party_now_taken_only_while_it_is_shown() {
    let server = live_world(Profile::Bcp);
    let mut live = live_ui_at(&server, Profile::Bcp, 120, 40);
    live_browse(&server, &format!("{}/login", server.urls().client));
    assert_eq!(live_page(&server).1, "Your photos");
    live_ui_refresh(&mut live);
    // Nobody looks at the State tab: the hub was never asked for a snapshot.
    assert_eq!(live.app.timeline.live_state_after(), None);

    live_keys(&mut live, &[ch('5')]);
    assert_eq!(live.app.tab, Tab::State);
    let last = live.app.timeline.len() - 1;
    assert_eq!(live.app.timeline.live_state_after(), Some(last));
    let text = inspector_text(&live.app, 110);
    assert!(
        text.starts_with(&format!("State now, after step {last} · live clock ")),
        "{text}"
    );
    assert!(!text.contains("You are on step"), "{text}");
    // Every party, as the simulation's State tab shows them: the AS's redeemed code
    // and issued token, the client's session, the browser's cookies.
    let hub = server.hub();
    let ours = hub.state();
    for (_, label, sections) in &ours.parties {
        assert!(text.contains(label.as_str()), "{label}:\n{text}");
        for s in sections {
            assert!(text.contains(&s.title), "{}:\n{text}", s.title);
        }
    }
    let code_row = |title: &str| {
        (ours.parties.iter())
            .flat_map(|(_, _, s)| s)
            .find(|s| s.title == title)
            .and_then(|s| s.rows.first().cloned())
            .unwrap_or_else(|| panic!("a row under {title}"))
    };
    let (code, about) = code_row("Authorization codes");
    assert!(about.contains("used 1×"), "{about}");
    assert!(text.contains(&code), "{text}");
    let (jti, token) = code_row("Access tokens (by jti)");
    assert!(token.starts_with("active"), "{token}");
    assert!(text.contains(&jti), "{text}");
    assert!(
        text.contains("Cookies") && text.contains("Session "),
        "{text}"
    );

    // Looking back, the tab says it shows the state now, not after the selected step.
    live_keys(&mut live, &[key(KeyCode::Left)]);
    let text = inspector_text(&live.app, 110);
    assert!(
        text.contains(&format!(
            "You are on step {}: this is every party's state now",
            last - 1
        )),
        "{text}"
    );
    // New traffic: the next refresh takes the state after it.
    let resp = live_call(&get(&metadata_url(&server)));
    assert_eq!(resp.status(), StatusCode::OK);
    live_screen_until(&mut live, |_| true);
    let newest = live.app.timeline.len() - 1;
    assert!(newest > last);
    assert_eq!(live.app.timeline.live_state_after(), Some(newest));
    assert!(inspector_text(&live.app, 110).starts_with(&format!("State now, after step {newest}")),);
}

/// Whether the notice says the key did nothing live.
fn refused(live: &oauth_lab::tui::live::LiveApp) -> bool {
    let refusals = [
        NOT_STEPPED,
        NOT_RERUN,
        REAL_CLOCK,
        NO_REPLAY,
        NO_ATTACKS,
        NO_LESSONS,
        NO_CONSOLE,
        NO_SAVE,
        NOT_A_LIVE_KEY,
    ];
    (live.app.notice.as_ref()).is_some_and(|n| refusals.contains(&n.text.as_str()))
}

#[test]
fn live_help_lists_exactly_the_keys_the_live_ui_handles() {
    let server = live_world(Profile::Bcp);
    let (mut live, screen) = live_help_at(&server, 120, 60);
    for (heading, rows) in LIVE_KEYS {
        assert!(screen.contains(heading), "{heading}:\n{screen}");
        for r in *rows {
            assert!(screen.contains(&opening(r.what)), "{}:\n{screen}", r.what);
        }
    }
    // None of the simulation's keys that mean nothing live.
    for sim_only in [
        "play / pause",
        "attack picker",
        "lesson list",
        "advance the simulated clock",
        "replay the selected",
        "run to step N",
        "save this world",
        "Attacker console",
    ] {
        assert!(!screen.contains(sim_only), "{sim_only}:\n{screen}");
    }
    live_keys(&mut live, &[key(KeyCode::Esc)]);
    assert!(live.app.overlay.is_none());

    // Every key of the main screen the help lists acts; none says it does nothing.
    let fresh = |live: &mut oauth_lab::tui::live::LiveApp| {
        live.app.overlay = None;
        live.app.notice = None;
        live.app.should_quit = false;
    };
    for (_, rows) in LIVE_KEYS {
        for r in rows.iter().filter(|r| r.window == LiveWindow::Screen) {
            for &p in r.presses {
                fresh(&mut live);
                live_keys(&mut live, &[p]);
                assert!(!refused(&live), "{} ({p:?}) is listed but refused", r.keys);
            }
        }
    }
    fresh(&mut live);
    live_keys(&mut live, &[ch('i')]);
    assert!(!server.hub().holds().is_on(), "i again turns intercept off");
    // In its window, each window key means something live.
    for (_, rows) in LIVE_KEYS {
        for r in rows.iter().filter(|r| r.window != LiveWindow::Screen) {
            live.app.overlay = Some(match r.window {
                LiveWindow::Defenses => Overlay::Defenses { selected: 0 },
                LiveWindow::Editor => Overlay::Editor(Editor::new(
                    MsgId(1),
                    "GET /jwks HTTP/1.1\r\nHost: as\r\n\r\n",
                )),
                _ => Overlay::Help { scroll: 0 },
            });
            for &p in r.presses {
                let action = map_key(&live.app, p);
                assert!(
                    action.as_ref().is_some_and(|a| refusal(a).is_none()),
                    "{} ({p:?}) in {:?}: {action:?}",
                    r.keys,
                    r.window
                );
            }
        }
    }

    // Every other key of the main screen says in one line why it does nothing, and
    // does nothing: no window, no step, no quitting.
    let others = (' '..='~')
        .map(ch)
        .chain([KeyCode::Enter, KeyCode::Backspace, KeyCode::Delete].map(key))
        .filter(|k| !live_handles(LiveWindow::Screen, k));
    let mut said = 0;
    for k in others {
        fresh(&mut live);
        let len = live.app.timeline.len();
        let defenses = server.hub().defenses();
        live_keys(&mut live, &[k]);
        assert!(refused(&live), "{k:?}: {:?}", live.app.notice);
        assert!(live.app.overlay.is_none(), "{k:?} opens nothing");
        assert!(!live.app.should_quit, "{k:?}");
        assert_eq!(live.app.timeline.len(), len, "{k:?}");
        assert_eq!(server.hub().defenses(), defenses, "{k:?}");
        said += 1;
    }
    assert!(said > 40, "{said} keys checked");
    fresh(&mut live);
    live_keys(&mut live, &[ch('a')]);
    assert!(live_screen(&live).contains(&opening(NO_ATTACKS)));
}

#[test]
fn a_defense_toggled_in_the_live_ui_applies_to_the_next_request() {
    let server = live_world(Profile::Bcp);
    let mut live = live_ui_at(&server, Profile::Bcp, 120, 40);
    // An authorization request without PKCE, from a learner's own client.
    let authorize = format!(
        "{}/authorize?response_type=code&client_id=learner-app&redirect_uri=http://127.0.0.1:8080/callback&scope=photos.read&state=s",
        server.urls().auth_server
    );
    let before = live_call(&get(&authorize));
    let at = DEFENSES
        .iter()
        .position(|d| d.id == DefenseId::PkceRequired)
        .expect("PKCE required is a defense");
    live_keys(&mut live, &[ch('d')]);
    for _ in 0..at {
        live_keys(&mut live, &[ch('j')]);
    }
    live_keys(&mut live, &[key(KeyCode::Enter), key(KeyCode::Esc)]);
    let mut expected: Defenses = Profile::Bcp.defenses();
    expected.toggle(DefenseId::PkceRequired);
    assert_eq!(server.hub().defenses(), expected);
    let screen = live_screen(&live);
    assert!(
        screen.contains("in force from the next request"),
        "{screen}"
    );
    assert!(status_line(&screen).contains("defenses bcp, "), "{screen}");

    let after = live_call(&get(&authorize));
    assert_ne!(
        (before.status(), location_of(&before)),
        (after.status(), location_of(&after)),
        "the AS answers the same request differently once PKCE is no longer required"
    );
    let refused = location_of(&before).unwrap_or_default();
    assert!(refused.contains("error=invalid_request"), "{refused}");
}

#[test]
fn intercept_in_the_live_ui_holds_forwards_and_drops_real_requests() {
    let server = live_world(Profile::Bcp);
    let mut live = live_ui_at(&server, Profile::Bcp, 120, 40);
    live_keys(&mut live, &[ch('i')]);
    assert!(server.hub().holds().is_on());
    let screen = live_screen(&live);
    assert!(
        screen.contains("Intercept ON: holding every request"),
        "{screen}"
    );
    assert!(screen.contains("Nothing held yet"), "{screen}");

    // Forward.
    let call = live_call_in_background(get(&metadata_url(&server)));
    let screen = live_screen_until(&mut live, |s| s.contains("504 in"));
    assert!(
        screen.contains("learner-client → as  GET /.well-known/oauth-authorization-server"),
        "{screen}"
    );
    assert!(
        status_line(&screen).contains("held 1 · next 504 in"),
        "{screen}"
    );
    // On the smallest screen the pane gives way; the status line still counts down,
    // and the chosen request is drawn over the narration with its countdown and keys.
    apply(&mut live, Action::Resize(80, 24));
    let small = live_screen(&live);
    assert!(
        status_line(&small).contains("held 1 · next 504 in"),
        "{small}"
    );
    let shown =
        |s: &str| s.contains("learner-client → as  GET /.well-known") && s.contains("504 in");
    assert!(small.lines().any(shown), "{small}");
    assert!(small.contains("f forward · e edit · x drop"), "{small}");
    apply(&mut live, Action::Resize(120, 40));
    live_keys(&mut live, &[ch('f')]);
    assert_eq!(call.join().expect("caller").status(), StatusCode::OK);

    // Edit (submitted as it stands), then drop.
    let call = live_call_in_background(get(&metadata_url(&server)));
    live_screen_until(&mut live, |s| s.contains("504 in"));
    live_keys(&mut live, &[ch('e')]);
    assert!(matches!(
        live.app.overlay,
        Some(oauth_lab::tui::app::Overlay::Editor(_))
    ));
    live_keys(&mut live, &[ctrl('s')]);
    assert_eq!(call.join().expect("caller").status(), StatusCode::OK);
    assert!(live_screen(&live).contains("Your edited request went to as"));

    let call = live_call_in_background(get(&metadata_url(&server)));
    live_screen_until(&mut live, |s| s.contains("504 in"));
    live_keys(&mut live, &[ch('x')]);
    assert_eq!(
        call.join().expect("caller").status(),
        StatusCode::BAD_GATEWAY
    );
    let screen = live_screen_until(&mut live, |s| s.contains("answered 502"));
    assert!(screen.contains("Dropped GET"), "{screen}");

    // Left alone, a held request gets its 504; the diagram records it.
    server
        .hub()
        .holds()
        .set_timeout(std::time::Duration::from_millis(300));
    let resp = live_call(&get(&metadata_url(&server)));
    assert_eq!(resp.status(), StatusCode::GATEWAY_TIMEOUT);
    live_screen_until(&mut live, |s| s.contains("answered 504"));

    // Intercept off: requests go straight through again.
    live_keys(&mut live, &[ch('i')]);
    assert!(!server.hub().holds().is_on());
    assert_eq!(
        live_call(&get(&metadata_url(&server))).status(),
        StatusCode::OK
    );
}

#[test]
fn an_edit_sent_after_its_request_timed_out_says_so_and_closes_the_editor() {
    let server = live_world(Profile::Bcp);
    let mut live = live_ui_at(&server, Profile::Bcp, 120, 40);
    live_keys(&mut live, &[ch('i')]);
    server
        .hub()
        .holds()
        .set_timeout(std::time::Duration::from_secs(2));
    let call = live_call_in_background(get(&metadata_url(&server)));
    live_screen_until(&mut live, |s| s.contains("504 in"));
    live_keys(&mut live, &[ch('e')]);
    assert!(matches!(live.app.overlay, Some(Overlay::Editor(_))));
    assert_eq!(
        call.join().expect("caller").status(),
        StatusCode::GATEWAY_TIMEOUT
    );
    live_keys(&mut live, &[ctrl('s')]);
    assert!(live.app.overlay.is_none(), "the editor closed");
    let screen = live_screen(&live);
    assert!(
        screen.contains("That request is no longer held"),
        "{screen}"
    );
    assert!(!screen.contains("still held"), "{screen}");
}

/// `line` with every run of digits as one `9`: ports, times and countdowns differ
/// from run to run, the words and the layout do not.
fn shape(line: &str) -> String {
    let mut out = String::new();
    for c in line.chars() {
        if !c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('9') {
            out.push('9');
        }
    }
    out
}

#[test]
fn the_readme_excerpt_of_the_live_ui_is_what_it_draws() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .expect("the README");
    let start = readme.find("```\n ● LIVE").expect("the README's excerpt") + 4;
    let excerpt = &readme[start..start + readme[start..].find("```").expect("its end")];

    let server = live_world(Profile::Bcp);
    server
        .hub()
        .holds()
        .set_timeout(std::time::Duration::from_secs(15));
    let mut live = live_ui_at(&server, Profile::Bcp, 120, 40);
    live_keys(&mut live, &[ch('i')]);
    let request = get(&metadata_url(&server));
    let call = std::thread::spawn(move || live_call_as(&request, "curl/8.5.0"));
    let screen = live_screen_until(&mut live, |s| s.contains("curl → as"));
    live_keys(&mut live, &[ch('w')]);
    assert_eq!(call.join().expect("caller").status(), StatusCode::OK);
    let drawn: Vec<String> = screen.lines().map(shape).collect();
    for line in excerpt.lines().filter(|l| l.trim() != "…") {
        assert!(
            drawn.contains(&shape(line)),
            "the UI draws no line like the README's\n{line}\n{screen}"
        );
    }
}

/// The AS's URL in the live header (`AS http://127.0.0.2:PORT`).
fn as_url_on(screen: &str) -> String {
    let after = screen
        .split(" AS ")
        .nth(1)
        .unwrap_or_else(|| panic!("the header names the AS:\n{screen}"));
    after.split_whitespace().next().unwrap_or("").to_string()
}

#[test]
fn serve_on_a_terminal_opens_the_live_ui_and_q_restores_the_terminal() {
    let Some((tmux, deadline)) = tmux_session(
        crate::BIN,
        "serve-ui",
        "live UI",
        90,
        "",
        "serve --port-base 0 --hold-timeout 60",
    ) else {
        return;
    };
    let s = tmux.wait_for("● LIVE", deadline);
    assert!(s.contains("q / Ctrl-C quit"), "{s}");
    let auth_server = as_url_on(&s);
    // `?` shows live mode's keys, not the simulation's.
    tmux.keys(&["?"]);
    let s = tmux.wait_for("Intercept (hold real requests", deadline);
    assert!(s.contains("Follow the traffic"), "{s}");
    assert!(!s.contains("play / pause"), "{s}");
    tmux.keys(&["Escape"]);
    tmux.wait_gone("Help — every key", deadline);
    // A simulation key the live UI does not handle says why.
    tmux.keys(&["Space"]);
    tmux.wait_for("nothing to play", deadline);
    tmux.keys(&["i"]);
    tmux.wait_for("Intercept ON: holding every request", deadline);
    let call = live_call_in_background(get(&format!("{auth_server}/jwks")));
    let s = tmux.wait_for("504 in ", deadline);
    assert!(s.contains("→ as  GET /jwks"), "{s}");
    tmux.keys(&["f"]);
    assert_eq!(call.join().expect("caller").status(), StatusCode::OK);
    tmux.wait_for("Forwarded GET /jwks to as as it was", deadline);
    tmux.keys(&["q"]);
    let s = tmux.wait_for("EXIT STATUS", deadline);
    assert!(s.contains("quit: stopping"), "{s}");
    assert!(s.contains("EXIT STATUS 0"), "{s}");
    assert!(!s.contains("● LIVE"), "the alternate screen was left:\n{s}");
    assert_cooked(&tmux, deadline, "after q");
}

#[test]
fn sigterm_stops_the_live_ui_and_restores_the_terminal() {
    let Some((tmux, deadline)) = tmux_session(
        crate::BIN,
        "serve-term",
        "live UI",
        90,
        "",
        "serve --port-base 0",
    ) else {
        return;
    };
    tmux.wait_for("● LIVE", deadline);
    let pid = tmux.program_pid(deadline);
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let s = tmux.wait_for("EXIT STATUS", deadline);
    assert!(s.contains("SIGTERM: stopping"), "{s}");
    assert!(!s.contains("● LIVE"), "the alternate screen was left:\n{s}");
    assert_cooked(&tmux, deadline, "after SIGTERM");
}

#[test]
fn the_live_legend_says_the_double_arrow_is_direct_not_only_server_to_server() {
    let server = live_world(Profile::Bcp);
    let mut live = live_ui_at(&server, Profile::Bcp, 120, 60);
    let resp = live_call(&get(&metadata_url(&server)));
    assert_eq!(resp.status(), StatusCode::OK);
    let screen = live_screen_until(&mut live, |s| s.contains("oauth-authorization-server"));
    // curl's request is drawn ══▶ and the header of its narration calls it direct.
    assert!(screen.contains("══▶ direct"), "{screen}");
    assert!(
        screen.contains("direct (not through a browser)"),
        "{screen}"
    );
    assert!(!screen.contains("back-channel"), "{screen}");
    live_keys(&mut live, &[ch('?')]);
    let help = live_screen(&live);
    assert!(help.contains("══▶ direct, not through a browser"), "{help}");
    assert!(!help.contains("(server to server)"), "{help}");
}

#[test]
fn help_descriptions_wrapped_at_80_columns_stay_under_their_column() {
    let server = live_world(Profile::Bcp);
    let (_live, screen) = live_help_at(&server, 80, 24);
    let rows: Vec<&str> = screen.lines().collect();
    let at = (rows.iter())
        .position(|l| l.contains("next / previous message;"))
        .unwrap_or_else(|| panic!("the first key's row:\n{screen}"));
    let (first, next) = (rows[at], rows[at + 1]);
    let column = |l: &str, s: &str| l.find(s).map(|b| l[..b].chars().count());
    let description = column(first, "next / previous message;");
    // The wrapped rest of the description starts under its first word.
    let rest = next.trim_start_matches('║');
    let words = rest.trim_start();
    assert!(!words.is_empty() && !words.starts_with('║'), "{screen}");
    assert_eq!(column(next, words), description, "{screen}");
}

#[test]
fn a_long_live_label_stays_off_the_lane_lines_beyond_its_arrow() {
    let server = live_world(Profile::Bcp);
    let live = live_ui_at(&server, Profile::Bcp, 120, 40);
    let screen = live_screen(&live);
    let rows: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    // The row under the last step shows every lane line and nothing else.
    let hint = (rows.iter())
        .position(|r| r.iter().collect::<String>().contains("⋯ live"))
        .unwrap_or_else(|| panic!("the live hint:\n{screen}"));
    let lanes: Vec<usize> = (rows[hint + 1].iter().enumerate())
        .filter(|(_, c)| **c == '│')
        .map(|(i, _)| i)
        .collect();
    assert!(lanes.len() >= 3, "AS, client, RS:\n{screen}");
    // The client's discovery (AS ↔ client, lanes 0 and 1) leaves the RS lane whole.
    let discovery: Vec<&Vec<char>> = (rows.iter())
        .filter(|r| {
            r.iter()
                .collect::<String>()
                .contains("/.well-known/openid-")
        })
        .collect();
    assert!(!discovery.is_empty(), "{screen}");
    for row in discovery {
        assert_eq!(row.get(lanes[2]), Some(&'│'), "{screen}");
    }
}
