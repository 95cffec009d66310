//! The browser actor against small fake sites: redirects (302/303 vs 307), cookies,
//! `Referer` under each policy, form filling, custom-scheme hand-off.

use http::{Method, StatusCode};
use oauth_lab::actors::browser::{Browser, ConsentChoice, Person, ReferrerPolicy};
use oauth_lab::actors::{Actor, ActorId, UserAction};
use oauth_lab::protocol::http_wire::{self, Request, Response};
use oauth_lab::protocol::params::Params;
use oauth_lab::sim::script::ScriptEvent;
use oauth_lab::sim::simulation::Simulation;
use oauth_lab::testing::*;

fn html(body: &str) -> Response {
    html_titled("Page", body)
}

fn hdr<'a>(r: &'a Request, name: &str) -> Option<&'a str> {
    http_wire::header(r, name)
}

fn login_site(after_login: StatusCode, login_target: &'static str) -> Site {
    Site::new("site", "https://site.example")
        .route("GET /start", |_| {
            with_response_header(
                redirect(StatusCode::FOUND, "/login?from=start"),
                "set-cookie",
                "sid=abc123; Path=/; Secure; HttpOnly; SameSite=Lax",
            )
        })
        .route("GET /login", |_| {
            html_titled(
                "Sign in",
                r#"<form id="login" method="post" action="/login">
<input type="hidden" name="txn" value="t-1">
<input name="username"><input type="password" name="password">
<button type="submit" name="go" value="1">Sign in</button></form>
<img src="https://cdn.example/logo.png">"#,
            )
        })
        .route("POST /login", move |_| redirect(after_login, login_target))
        .route("GET /done", |_| html_titled("Welcome", "<p>Signed in.</p>"))
}

/// Alice, whose account (where she types her password) is at site.example.
fn alice_with_account_at_site() -> Person {
    Person::alice().with_account_at("https://site.example")
}

fn cdn() -> Site {
    Site::new("cdn", "https://cdn.example")
        .route("GET /logo.png", |_| {
            let mut r = http_wire::response(StatusCode::OK);
            http_wire::set_header(r.headers_mut(), "content-type", "image/png");
            r
        })
        .route("GET /pixel.gif", |_| http_wire::response(StatusCode::OK))
}

#[test]
fn follows_302_sends_cookies_fills_the_login_form_and_303_becomes_get() {
    let mut sim = browser_among(
        Browser::new("browser", alice_with_account_at_site()),
        vec![login_site(StatusCode::SEE_OTHER, "/done"), cdn()],
    );
    browser_opens(&mut sim, "https://site.example/start");
    let site = site_in(&sim, "site");
    // Typed navigation: no Referer.
    assert_eq!(hdr(site.got("/start")[0], "referer"), None);
    // Relative Location resolved; the cookie set on the 302 is sent back.
    let login_get = site.got("/login")[0];
    assert_eq!(login_get.method(), Method::GET);
    assert_eq!(login_get.uri().query(), Some("from=start"));
    assert_eq!(hdr(login_get, "cookie"), Some("sid=abc123"));
    // The login form: filled credentials, hidden input kept, button included.
    let post = site.got("/login")[1];
    let form = form_post(post);
    let filled = [("txn", "t-1"), ("username", "alice"), ("go", "1")];
    assert_params(&form, &filled);
    assert_eq!(form.first("password"), Some("correct-horse-battery"));
    assert_eq!(
        hdr(post, "referer"),
        Some("https://site.example/login?from=start")
    );
    // 303 after POST ⇒ GET without a body, Referer still the login page.
    let done = site.got("/done")[0];
    assert_eq!(done.method(), Method::GET);
    assert!(done.body().is_empty());
    assert_eq!(hdr(done, "content-type"), None);
    assert_eq!(
        hdr(done, "referer"),
        Some("https://site.example/login?from=start")
    );
    // The image on another site was loaded with the page's origin only (default
    // strict-origin-when-cross-origin).
    let cdn = sim.actor::<Site>("cdn").unwrap();
    assert_eq!(
        hdr(cdn.got("/logo.png")[0], "referer"),
        Some("https://site.example/")
    );
    let b = browser(&sim);
    assert_eq!(b.current_title(), Some("Welcome"));
    assert_eq!(b.current_url(), Some("https://site.example/done"));
    assert_eq!(b.current_text(), Some("Signed in."));
    assert_eq!(b.last_status(), Some(200));
    assert_eq!(b.cookie("site.example", "sid"), Some("abc123"));
    assert_eq!(
        b.history(),
        [
            "https://site.example/start",
            "https://site.example/login?from=start",
            "https://site.example/login",
            "https://site.example/done",
        ]
    );
    let snap = b.snapshot();
    assert_eq!(snap[0].title, "Cookies");
    assert!(
        snap[0].rows[0]
            .1
            .contains("sid=abc123; Path=/; Secure; HttpOnly")
    );
}

#[test]
fn a_307_re_posts_the_body_with_the_password_and_a_302_does_not() {
    for (status, expect_post) in [
        (StatusCode::TEMPORARY_REDIRECT, true),
        (StatusCode::PERMANENT_REDIRECT, true),
        (StatusCode::FOUND, false),
        (StatusCode::MOVED_PERMANENTLY, false),
        (StatusCode::SEE_OTHER, false),
    ] {
        let other = Site::new("other", "https://other.example")
            .route("POST /collect", |_| html("<p>thanks</p>"))
            .route("GET /collect", |_| html("<p>thanks</p>"));
        let mut sim = browser_among(
            Browser::new("browser", alice_with_account_at_site()),
            vec![
                login_site(status, "https://other.example/collect"),
                cdn(),
                other,
            ],
        );
        browser_opens(&mut sim, "https://site.example/login");
        let original = site_in(&sim, "site").got("/login")[1].body().clone();
        let other = sim.actor::<Site>("other").unwrap();
        let got = other.got("/collect")[0];
        if expect_post {
            assert_eq!(got.method(), Method::POST, "{status}");
            assert_eq!(got.body(), &original, "{status}");
            assert!(String::from_utf8_lossy(got.body()).contains("password=correct-horse-battery"));
            assert_eq!(
                hdr(got, "content-type"),
                Some("application/x-www-form-urlencoded")
            );
        } else {
            assert_eq!(got.method(), Method::GET, "{status}");
            assert!(got.body().is_empty(), "{status}");
        }
        // Cookies are per host: site.example's cookie does not go to other.example.
        assert_eq!(hdr(got, "cookie"), None);
        let trace = sim.trace();
        if expect_post {
            assert!(
                trace
                    .steps
                    .iter()
                    .any(|s| s.annotation.contains("RFC 9700 §4.12"))
            );
        }
    }
}

/// A callback page at `https://site.example/cb?code=SECRET&state=s1` with an image on
/// another site, an image on the same site, and a script over plain http.
fn callback_site(header: Option<&'static str>, meta: Option<&'static str>) -> Site {
    Site::new("site", "https://site.example")
        .route("GET /cb", move |_| {
            let meta_tag = meta
                .map(|m| format!(r#"<meta name="referrer" content="{m}">"#))
                .unwrap_or_default();
            let resp = html(&format!(
                r#"{meta_tag}<p>Done</p><img src="https://cdn.example/pixel.gif"><img src="/local.png"><script src="http://plain.example/t.js"></script>"#
            ));
            match header {
                Some(h) => with_response_header(resp, "referrer-policy", h),
                None => resp,
            }
        })
        .route("GET /local.png", |_| http_wire::response(StatusCode::OK))
}

fn plain() -> Site {
    Site::new("plain", "http://plain.example")
        .route("GET /t.js", |_| http_wire::response(StatusCode::OK))
}

/// (cross-origin https, same origin, downgrade to http) Referers seen.
fn referers(
    browser: Browser,
    header: Option<&'static str>,
    meta: Option<&'static str>,
) -> [Option<String>; 3] {
    let mut sim = browser_among(browser, vec![callback_site(header, meta), cdn(), plain()]);
    browser_opens(&mut sim, "https://site.example/cb?code=SECRET&state=s1");
    let get = |actor: &str, path: &str| {
        let s = sim.actor::<Site>(actor).unwrap();
        hdr(s.got(path)[0], "referer").map(str::to_string)
    };
    [
        get("cdn", "/pixel.gif"),
        get("site", "/local.png"),
        get("plain", "/t.js"),
    ]
}

#[test]
fn referer_follows_each_policy() {
    const FULL: &str = "https://site.example/cb?code=SECRET&state=s1";
    const ORIGIN: &str = "https://site.example/";
    let full = || Some(FULL.to_string());
    let origin = || Some(ORIGIN.to_string());
    let cases: Vec<(&'static str, [Option<String>; 3])> = vec![
        ("no-referrer", [None, None, None]),
        ("no-referrer-when-downgrade", [full(), full(), None]),
        ("same-origin", [None, full(), None]),
        ("origin", [origin(), origin(), origin()]),
        ("strict-origin", [origin(), origin(), None]),
        ("origin-when-cross-origin", [origin(), full(), origin()]),
        ("strict-origin-when-cross-origin", [origin(), full(), None]),
        ("unsafe-url", [full(), full(), full()]),
    ];
    for (policy, expected) in cases {
        let b = || Browser::new("browser", Person::alice());
        assert_eq!(
            referers(b(), Some(policy), None),
            expected,
            "header {policy}"
        );
        assert_eq!(referers(b(), None, Some(policy)), expected, "meta {policy}");
        let p = ReferrerPolicy::parse_token(policy).unwrap();
        assert_eq!(
            referers(b().with_default_referrer_policy(p), None, None),
            expected,
            "default {policy}"
        );
    }
    // The header wins over the meta tag.
    assert_eq!(
        referers(
            Browser::new("browser", Person::alice()),
            Some("no-referrer"),
            Some("unsafe-url")
        ),
        [None, None, None]
    );
    // The default is today's browsers' (strict-origin-when-cross-origin): the third
    // party gets only the origin, never the code (RFC 9700 §4.2.4).
    assert_eq!(
        Browser::new("browser", Person::alice()).default_referrer_policy(),
        ReferrerPolicy::StrictOriginWhenCrossOrigin
    );
    assert_eq!(
        referers(Browser::new("browser", Person::alice()), None, None),
        referers(
            Browser::new("browser", Person::alice()),
            Some("strict-origin-when-cross-origin"),
            None
        )
    );
    // A legacy browser leaks the code to the third party (RFC 9700 §4.2).
    let legacy = Browser::new("browser", Person::alice())
        .with_default_referrer_policy(ReferrerPolicy::NoReferrerWhenDowngrade);
    assert_eq!(referers(legacy, None, None)[0].as_deref(), Some(FULL));
}

#[test]
fn a_custom_scheme_location_is_handed_to_the_app() {
    let site = Site::new("site", "https://site.example")
        .route("GET /page", |_| html_titled("Before", "<p>hi</p>"))
        .route("GET /go", |_| {
            redirect(StatusCode::FOUND, "com.example.photos:/cb?code=C1&state=S1")
        });
    let mut sim = browser_among(Browser::new("browser", Person::alice()), vec![site]);
    sim.add_actor(Box::new(photos_app()));
    script_navigation(&mut sim, "https://site.example/page");
    browser_opens(&mut sim, "https://site.example/go");
    let app = sim.actor::<Site>("app").unwrap();
    assert_eq!(app.urls(), ["com.example.photos:/cb?code=C1&state=S1"]);
    let b = browser(&sim);
    assert_eq!(
        b.handed_to_apps(),
        ["com.example.photos:/cb?code=C1&state=S1"]
    );
    assert_eq!(b.current_title(), Some("Before"));
    assert!(sim.trace().steps.iter().any(|s| {
        s.annotation
            .contains("hands the custom-scheme URL to the OS, which opens it with an app that claims com.example.photos:")
    }));
}

fn consent_site() -> Site {
    Site::new("site", "https://site.example")
        .route("GET /consent", |_| {
            html_titled(
                "Allow access?",
                r#"<form id="consent" method="post" action="/decide"><input type="hidden" name="txn" value="t9">
<button name="decision" value="approve">Allow</button><button name="decision" value="deny">Deny</button></form>"#,
            )
        })
        .route("POST /decide", |_| html_titled("Decided", "<p>ok</p>"))
}

#[test]
fn consent_presses_the_button_of_the_persons_choice() {
    for (choice, value) in [
        (ConsentChoice::Approve, "approve"),
        (ConsentChoice::Deny, "deny"),
    ] {
        let person = Person::alice().with_consent(choice);
        let mut sim = browser_among(Browser::new("browser", person), vec![consent_site()]);
        browser_opens(&mut sim, "https://site.example/consent");
        let site = site_in(&sim, "site");
        let post = site.got("/decide")[0];
        let form = Params::parse(&String::from_utf8_lossy(post.body()));
        assert_eq!(form.first("txn"), Some("t9"));
        assert_eq!(form.first("decision"), Some(value));
        assert_eq!(form.0.len(), 2);
    }
    // The learner can change Alice's mind mid-run.
    let mut sim = browser_among(
        Browser::new("browser", Person::alice()),
        vec![consent_site()],
    );
    sim.push_script(ScriptEvent::Input {
        to: ActorId::new("browser"),
        action: UserAction::Custom {
            name: "consent".into(),
            value: "deny".into(),
        },
        narration: String::new(),
    });
    browser_opens(&mut sim, "https://site.example/consent");
    let site = site_in(&sim, "site");
    assert!(String::from_utf8_lossy(site.got("/decide")[0].body()).contains("decision=deny"));
}

#[test]
fn an_attacker_page_auto_submits_its_form() {
    let evil = Site::new("evil", "https://evil.example").route("GET /", |_| {
        html(
            r#"<form id="autosubmit" method="get" action="https://site.example/cb"><input type="hidden" name="code" value="ATTACKER-CODE"><input type="hidden" name="state" value="x"></form>"#,
        )
    });
    let site = Site::new("site", "https://site.example")
        .route("GET /cb", |_| html_titled("Linked", "<p>linked</p>"));
    let mut sim = browser_among(Browser::new("browser", Person::alice()), vec![evil, site]);
    browser_opens(&mut sim, "https://evil.example/");
    let site = site_in(&sim, "site");
    let cb = site.got("/cb")[0];
    assert_eq!(cb.uri().query(), Some("code=ATTACKER-CODE&state=x"));
    assert_eq!(hdr(cb, "referer"), Some("https://evil.example/"));
}

#[test]
fn redirect_loops_and_repeated_login_forms_end() {
    let site = Site::new("site", "https://site.example")
        .route("GET /loop", |_| redirect(StatusCode::FOUND, "/loop"))
        .route("GET /login", |_| {
            html(r#"<form id="login" method="post" action="/login"><input name="username"><input name="password"></form>"#)
        })
        .route("POST /login", |_| {
            html(r#"<p>Wrong password</p><form id="login" method="post" action="/login"><input name="username"><input name="password"></form>"#)
        });
    let mut sim = browser_among(
        Browser::new("browser", alice_with_account_at_site()),
        vec![site],
    );
    browser_opens(&mut sim, "https://site.example/loop");
    let b = browser(&sim);
    assert_eq!(b.history().len(), 21);
    assert_eq!(b.current_title(), Some("Too many redirects"));
    browser_opens(&mut sim, "https://site.example/login");
    let site = site_in(&sim, "site");
    assert_eq!(
        site.got("/login").len(),
        2,
        "one GET, one POST, then gives up"
    );
}

#[test]
fn error_pages_and_other_documents_become_the_current_page() {
    let site = Site::new("site", "https://site.example")
        .route("GET /json", |_| {
            let mut r = http_wire::response(StatusCode::OK);
            http_wire::set_header(r.headers_mut(), "content-type", "application/json");
            *r.body_mut() = br#"{"ok":true}"#.to_vec();
            r
        })
        .route("GET /bad", |_| {
            let mut r = html_titled(
                "Invalid redirect_uri",
                "<p>The client is not registered.</p>",
            );
            *r.status_mut() = StatusCode::BAD_REQUEST;
            r
        });
    let mut sim = browser_among(Browser::new("browser", Person::alice()), vec![site]);
    browser_opens(&mut sim, "https://site.example/json");
    let b = browser(&sim);
    assert_eq!(b.current_text(), Some(r#"{"ok":true}"#));
    script_navigation(&mut sim, "https://site.example/bad");
    script_navigation(&mut sim, "https://site.example/missing");
    browser_opens(&mut sim, "not a url");
    let b = browser(&sim);
    assert_eq!(b.last_status(), Some(404));
    assert_eq!(b.current_page().unwrap().status, 404);
    assert!(
        sim.trace()
            .steps
            .iter()
            .any(|s| s.annotation.contains("Alice sees an error page: 400"))
    );
}

/// Every request's wire text the browser sent.
fn browser_wire(sim: &Simulation) -> Vec<String> {
    sim.trace()
        .steps
        .iter()
        .filter(|s| s.from.as_str() == "browser" && !s.wire.is_empty())
        .map(|s| s.wire.clone())
        .collect()
}

#[test]
fn a_fragment_is_never_sent_but_stays_in_the_url_and_history() {
    let site = Site::new("site", "https://site.example")
        .route("GET /page", |_| html_titled("Page", "<p>hello</p>"));
    let mut sim = browser_among(Browser::new("browser", Person::alice()), vec![site]);
    browser_opens(
        &mut sim,
        "https://site.example/page?x=1#access_token=SECRET&state=s1",
    );
    let site = site_in(&sim, "site");
    let got = site.got_one("/page");
    assert_eq!(got.uri().to_string(), "https://site.example/page?x=1");
    for wire in browser_wire(&sim) {
        assert!(!wire.contains('#'), "{wire}");
        assert!(!wire.contains("SECRET"), "{wire}");
    }
    let b = browser(&sim);
    assert_eq!(
        b.current_url(),
        Some("https://site.example/page?x=1#access_token=SECRET&state=s1")
    );
    assert_eq!(b.current_fragment(), Some("access_token=SECRET&state=s1"));
    assert_eq!(
        b.history(),
        ["https://site.example/page?x=1#access_token=SECRET&state=s1"]
    );
    assert_eq!(b.requests_sent()[0].0, "https://site.example/page?x=1");
    assert!(notes_of(&sim).contains("stays in the browser"));
}

#[test]
fn a_redirect_inherits_the_fragment_unless_its_location_has_one() {
    let site = Site::new("site", "https://site.example")
        .route("GET /start", |_| redirect(StatusCode::FOUND, "/middle"))
        .route("GET /middle", |_| {
            redirect(StatusCode::MOVED_PERMANENTLY, "https://other.example/land")
        })
        .route("GET /replace", |_| {
            redirect(StatusCode::FOUND, "/middle2#new")
        })
        .route("GET /middle2", |_| redirect(StatusCode::SEE_OTHER, "/end"))
        .route("GET /end", |_| html_titled("End", "<p>end</p>"));
    let other = Site::new("other", "https://other.example")
        .route("GET /land", |_| html_titled("Landed", "<p>landed</p>"));
    let mut sim = browser_among(Browser::new("browser", Person::alice()), vec![site, other]);
    browser_opens(&mut sim, "https://site.example/start#access_token=T1");
    let b = browser(&sim);
    assert_eq!(
        b.current_url(),
        Some("https://other.example/land#access_token=T1"),
        "carried over two redirects, across origins"
    );
    assert_eq!(
        b.history(),
        [
            "https://site.example/start#access_token=T1",
            "https://site.example/middle#access_token=T1",
            "https://other.example/land#access_token=T1",
        ]
    );
    let land = sim.actor::<Site>("other").unwrap().got("/land");
    assert_eq!(land[0].uri().to_string(), "https://other.example/land");
    assert!(notes_of(&sim).contains("RFC 9110 §10.2.2"));

    browser_opens(&mut sim, "https://site.example/replace#old");
    assert_eq!(
        browser(&sim).current_url(),
        Some("https://site.example/end#new"),
        "the Location's fragment replaces the old one, then is inherited"
    );
    for wire in browser_wire(&sim) {
        assert!(!wire.contains('#'), "{wire}");
    }
}

fn implicit_client() -> Site {
    Site::new("client", "https://client.example")
        .route("GET /implicit-cb", |_| {
            html_titled(
                "Signing you in",
                r#"<p>One moment…</p><form id="fragment-handler" method="post" action="/implicit-cb/token"><input type="hidden" name="via" value="fragment"></form>"#,
            )
        })
        .route("POST /implicit-cb/token", |_| {
            html_titled("Signed in", "<p>Welcome</p>")
        })
}

#[test]
fn the_fragment_handler_posts_the_fragment_parameters() {
    let mut sim = browser_among(
        Browser::new("browser", Person::alice()),
        vec![implicit_client()],
    );
    // The attacker's way: navigate straight to a callback URL with a stolen token.
    browser_opens(
        &mut sim,
        "https://client.example/implicit-cb#access_token=tok%2Bx%3D&token_type=Bearer&state=st+1",
    );
    let site = site_in(&sim, "client");
    let get = site.got("/implicit-cb")[0];
    assert_eq!(get.uri().query(), None);
    let post = site.got_one("/implicit-cb/token");
    let form = form_post(post);
    let posted = [("via", "fragment"), ("access_token", "tok+x=")];
    assert_params(&form, &posted);
    assert_params(&form, &[("token_type", "Bearer"), ("state", "st 1")]);
    // The Referer of the post never carries the fragment.
    assert_eq!(
        hdr(post, "referer"),
        Some("https://client.example/implicit-cb")
    );
    let b = browser(&sim);
    assert_eq!(b.current_title(), Some("Signed in"));
    assert_eq!(b.current_fragment(), None);
    assert!(notes_of(&sim).contains(
        "Browser: the page's script reads the URL fragment and posts access_token, token_type, state to https://client.example/implicit-cb/token"
    ));
}

#[test]
fn the_fragment_handler_does_nothing_without_a_fragment_and_follows_a_redirect() {
    let client = implicit_client().route("GET /login-done", |_| {
        redirect(StatusCode::FOUND, "/implicit-cb")
    });
    let mut sim = browser_among(Browser::new("browser", Person::alice()), vec![client]);
    browser_opens(&mut sim, "https://client.example/implicit-cb");
    assert!(
        sim.actor::<Site>("client")
            .unwrap()
            .got("/implicit-cb/token")
            .is_empty()
    );
    assert!(notes_of(&sim).contains("finds none, and posts nothing"));
    // A fragment inherited over a 302 reaches the handler too.
    browser_opens(
        &mut sim,
        "https://client.example/login-done#access_token=A&state=S",
    );
    let site = site_in(&sim, "client");
    assert_eq!(
        String::from_utf8_lossy(site.got_one("/implicit-cb/token").body()),
        "via=fragment&access_token=A&state=S"
    );
}

/// A look-alike of an AS's sign-in page at evil.example, and Alice's AS at site.example
/// with an open redirect to it.
fn phishing_sites() -> Vec<Site> {
    let evil = Site::new("evil", "https://evil.example")
        .route("GET /signin", |_| {
            html_titled(
                "Sign in",
                r#"<form id="login" method="post" action="/steal"><input name="username"><input type="password" name="password"></form>"#,
            )
        })
        .route("POST /steal", |_| html("<p>Thanks</p>"));
    let own_as = Site::new("site", "https://site.example").route("GET /go", |_| {
        redirect(StatusCode::FOUND, "https://evil.example/signin")
    });
    vec![evil, own_as]
}

fn link(sim: &mut Simulation, url: &str) {
    sim.push_script(ScriptEvent::Input {
        to: ActorId::new("browser"),
        action: UserAction::LinkReceived {
            url: url.to_string(),
            via: "an e-mail".to_string(),
        },
        narration: String::new(),
    });
}

#[test]
fn alice_opens_links_only_to_sites_she_trusts_and_types_her_password_only_where_her_as_sent_her() {
    let mut sim = browser_among(
        Browser::new("browser", alice_with_account_at_site()),
        phishing_sites(),
    );
    // A link straight to the look-alike page is not opened.
    link(&mut sim, "https://evil.example/signin");
    sim.run_until_idle();
    assert!(sim.actor::<Site>("evil").unwrap().requests.is_empty());
    assert!(notes_of(&sim).contains(
        "Alice gets a link in an e-mail; it points at https://evil.example, not a site Alice trusts, so Alice does not open it."
    ));
    // Opened by Alice herself, the page gets no password.
    browser_opens(&mut sim, "https://evil.example/signin");
    assert!(sim.actor::<Site>("evil").unwrap().got("/steal").is_empty());
    assert!(notes_of(&sim).contains(
        "the page asks for Alice's password, but it is on https://evil.example, not https://site.example, and https://site.example did not send Alice here; Alice types nothing."
    ));
    // A link to her own AS, which redirects her there: she opens it and types.
    link(&mut sim, "https://site.example/go");
    sim.run_until_idle();
    let evil = sim.actor::<Site>("evil").unwrap();
    let steal = evil.got("/steal");
    assert_eq!(steal.len(), 1);
    let form = Params::parse(&String::from_utf8_lossy(steal[0].body()));
    assert_eq!(form.first("password"), Some("correct-horse-battery"));
    assert!(notes_of(&sim).contains(
        "https://site.example redirected Alice to this page, so Alice takes it for a page of https://site.example, though it is on https://evil.example."
    ));
}
