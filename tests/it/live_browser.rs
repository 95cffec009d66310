//! A real browser in live mode: headless Chromium, driven over WebDriver
//! (chromedriver), opens Photo Printer, signs in as Alice at the AS, approves, and
//! lands on "Your photos". The three parties are on 127.0.0.1, .2 and .3: distinct
//! sites, so Chromium applies its real cookie rules (SameSite=Lax on the AS's and the
//! client's session cookies, which only work if the cross-site redirect back to the
//! client still carries the client's cookie as a top-level GET navigation).
//!
//! `Secure` cookies over plain http: Chromium counts http://127.0.0.0/8 as a
//! potentially trustworthy origin (W3C Secure Contexts §3.1), so it keeps the
//! parties' `Secure` cookies there; nothing in the parties is relaxed for the test.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use fantoccini::elements::{Element, Form};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use oauth_lab::actors::well_known as wk;
use oauth_lab::actors::{Defenses, Profile};
use oauth_lab::attacks::find;
use oauth_lab::live::AttackSite;
use oauth_lab::sim::world::DEFAULT_SEED;
use oauth_lab::testing::*;

/// Every WebDriver wait of the test ends by then.
const PAGE_WAIT: Duration = Duration::from_secs(15);

#[test]
fn chromium_signs_in_as_alice_and_the_live_trace_has_the_simulated_flows_steps() {
    let Some(driver) = Chromedriver::start("live sign-in") else {
        return;
    };
    let server = live_world_for_real_browser(Profile::Bcp);
    let urls = server.urls().clone();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for the WebDriver client");
    let landed = runtime.block_on(async {
        let browser = connect(&driver).await;
        let outcome = tokio::time::timeout(
            Duration::from_secs(40),
            sign_in(&browser, &urls.client, &urls.auth_server),
        )
        .await;
        // Ending the session ends Chromium; the driver's drop ends what is left.
        let _ = tokio::time::timeout(PAGE_WAIT, browser.close()).await;
        outcome.unwrap_or_else(|_| panic!("the sign-in finished within 40 s"))
    });
    assert!(
        landed.url.starts_with(&format!("{}/cb?", urls.client)),
        "{landed:?}"
    );
    assert_eq!(landed.title, "Your photos", "{landed:?}");
    assert!(landed.text.contains("Sunset at the harbour"), "{landed:?}");
    assert!(landed.text.contains("Signed in as"), "{landed:?}");
    assert!(server.wait_idle(LIVE_WAIT), "the live world settles");
    let trace = server.hub().trace();
    // Chromium kept both `Secure` session cookies on http loopback, and sent the
    // client's SameSite=Lax one on the cross-site redirect back from the AS.
    for (to, request, cookie) in [
        (wk::AS, "POST /consent", "as_session="),
        (wk::CLIENT, "GET /cb", "client_session="),
    ] {
        let step = trace
            .find(to, request)
            .next()
            .unwrap_or_else(|| panic!("{request} at {to} is in the live trace"));
        let sent = step
            .wire
            .lines()
            .any(|l| l.to_ascii_lowercase().starts_with("cookie:") && l.contains(cookie));
        assert!(
            sent,
            "Chromium sent {cookie} with {request}:\n{}",
            step.wire
        );
    }

    // The live trace holds the kinds of steps of the in-process flow: the same
    // requests from the same parties to the same endpoints, answered with the same
    // statuses; a real browser adds only its opening of the home page and its favicon.
    let live = step_shapes(
        &server.hub().trace(),
        &oauth_lab::live::lanes::Lane::RealBrowser.id(),
    );
    let sim = signed_in_sim(DEFAULT_SEED, Profile::Bcp);
    let simulated = step_shapes(sim.trace(), &oauth_lab::actors::ActorId::new(wk::BROWSER));
    let missing: Vec<String> = simulated.difference(&live).map(|s| s.to_string()).collect();
    assert!(
        missing.is_empty(),
        "missing from the live trace: {missing:#?}\nlive: {:#?}",
        live.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    );
    let extra: Vec<String> = live
        .difference(&simulated)
        .filter(|s| {
            !(s.from == wk::BROWSER || s.to == wk::BROWSER)
                || !["/", "/favicon.ico"].contains(&s.path.as_str())
        })
        .map(|s| s.to_string())
        .collect();
    assert!(extra.is_empty(), "only in the live trace: {extra:#?}");
    server.shutdown();
}

#[test]
fn chromium_visiting_the_attackers_site_is_phished_only_while_the_as_redirects_errors() {
    let Some(driver) = Chromedriver::start("live attacker's site") else {
        return;
    };
    let site = live_site("open-redirect-on-error");
    let runtime = webdriver_runtime();
    for (defenses, phished) in [(Defenses::naive(), true), (Profile::Bcp.defenses(), false)] {
        let server = live_attack_world(site, defenses);
        let entry = site.entry(server.urls().attacker.as_deref().expect("the site listens"));
        let auth_server = server.urls().auth_server.clone();
        let landed = in_session(&runtime, &driver, "the visit", async |browser| {
            visit_attackers_site(browser, &entry).await
        });
        assert!(server.wait_idle(LIVE_WAIT), "the live world settles");
        // Where the AS's answer took her: the look-alike page on the attacker's site,
        // or the AS's own error page.
        let on_attackers_page = landed.url.starts_with(&entry);
        assert_eq!(on_attackers_page, phished, "{landed:?}");
        assert_eq!(!landed.url.starts_with(&auth_server), phished, "{landed:?}");
        assert_eq!(server.attack_goal().is_some(), phished, "{landed:?}");
        server.shutdown();
    }
}

#[test]
fn chromium_leaves_the_clickjackers_frame_empty_only_while_the_as_forbids_framing() {
    let Some(driver) = Chromedriver::start("live clickjacking") else {
        return;
    };
    let site = live_site("consent-clickjacking");
    let runtime = webdriver_runtime();
    let stopper = site.attack().info().stoppers[0];
    for (defenses, rendered) in [(Defenses::naive(), true), (stopper.from_naive(), false)] {
        let server = live_attack_world(site, defenses);
        let prize = site.entry(server.urls().attacker.as_deref().expect("the site listens"));
        let frame = in_session(&runtime, &driver, "the prize page", async |browser| {
            framed_page(browser, &prize).await
        });
        assert!(server.wait_idle(LIVE_WAIT), "the live world settles");
        // The AS answered the framed request either way; only its headers differ, and
        // Chromium itself decides whether to show the answer in the attacker's frame.
        let answer = server
            .hub()
            .trace()
            .steps
            .iter()
            .filter(|s| s.from.as_str() == wk::AS && s.to.as_str() != wk::CLIENT)
            .map(|s| s.wire.to_ascii_lowercase())
            .find(|w| w.starts_with("http/1.1 200") && w.contains("<form"))
            .unwrap_or_else(|| panic!("the AS answered the framed /authorize: {frame:?}"));
        assert_eq!(
            answer.contains("x-frame-options: deny") && answer.contains("frame-ancestors 'none'"),
            !rendered,
            "{}: {answer}",
            stopper.claim()
        );
        let on_the_as = frame.url.starts_with(&server.urls().auth_server);
        assert_eq!(on_the_as && frame.forms > 0, rendered, "{frame:?}");
        server.shutdown();
    }
}

/// What the frame of the attacker's page holds, as Chromium shows it.
#[derive(Debug)]
struct Framed {
    /// The frame document's URL (Chromium's own error page when it refused).
    url: String,
    /// How many forms the frame's document has (the AS's sign-in or consent form).
    forms: u64,
}

/// Opens the prize page and reads its frame once the frame has left `about:blank`.
async fn framed_page(browser: &Client, prize: &str) -> Framed {
    browser.goto(prize).await.expect("the prize page");
    wait_for(browser, Locator::Css("iframe"), "the frame").await;
    let until = std::time::Instant::now() + PAGE_WAIT;
    loop {
        browser.enter_frame(0).await.expect("enter the frame");
        let read = browser
            .execute(
                "return [document.location.href, document.forms.length, document.readyState];",
                Vec::new(),
            )
            .await;
        browser.enter_parent_frame().await.expect("leave the frame");
        if let Ok(serde_json::Value::Array(v)) = &read {
            let url = v[0].as_str().unwrap_or("").to_string();
            if url != "about:blank" && v[2].as_str() == Some("complete") {
                // OAUTH_LAB_SCREENSHOTS=DIR: the frame made opaque, to look at.
                if std::env::var("OAUTH_LAB_SCREENSHOTS").is_ok() {
                    let _ = browser
                        .execute(
                            "document.querySelector('iframe').style.opacity = 1;",
                            Vec::new(),
                        )
                        .await;
                    landed(browser).await;
                }
                return Framed {
                    url,
                    forms: v[1].as_u64().unwrap_or(0),
                };
            }
        }
        assert!(
            std::time::Instant::now() < until,
            "the frame loaded within {PAGE_WAIT:?}: {read:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Opens the attacker's site and follows where it and the AS send her; on a sign-in
/// form there (not the AS's own page: she trusts the AS's redirect), Alice types her
/// password.
async fn visit_attackers_site(browser: &Client, entry: &str) -> Landed {
    browser.goto(entry).await.expect("the attacker's site");
    let landed = landed(browser).await;
    if landed.url.starts_with(entry) {
        let login = wait_for_form(browser, "login").await;
        type_alices_password(&login).await;
        let action = url::Url::parse(&format!("{entry}steal")).expect("a URL");
        browser
            .wait()
            .at_most(PAGE_WAIT)
            .for_url(&action)
            .await
            .unwrap_or_else(|e| panic!("the form posts to {action} within {PAGE_WAIT:?}: {e}"));
    }
    landed
}

/// Where the browser ended up.
#[derive(Debug)]
struct Landed {
    url: String,
    title: String,
    text: String,
}

/// The live attacker's site of the attack `id`.
fn live_site(id: &str) -> AttackSite {
    AttackSite::of(find(id).expect("in the catalog")).unwrap_or_else(|why| panic!("{why}"))
}

/// A runtime for the WebDriver client.
fn webdriver_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for the WebDriver client")
}

/// Runs `visit` in a new Chromium session, within 40 s, then ends the session.
fn in_session<T>(
    runtime: &tokio::runtime::Runtime,
    driver: &Chromedriver,
    what: &str,
    visit: impl AsyncFnOnce(&Client) -> T,
) -> T {
    runtime.block_on(async {
        let browser = connect(driver).await;
        let outcome = tokio::time::timeout(Duration::from_secs(40), visit(&browser)).await;
        // Ending the session ends Chromium; the driver's drop ends what is left.
        let _ = tokio::time::timeout(PAGE_WAIT, browser.close()).await;
        outcome.unwrap_or_else(|_| panic!("{what} finished within 40 s"))
    })
}

/// A new Chromium session, within [`PAGE_WAIT`].
async fn connect(driver: &Chromedriver) -> Client {
    let mut builder = ClientBuilder::new(HttpConnector::new());
    builder.capabilities(driver.capabilities());
    match tokio::time::timeout(PAGE_WAIT, builder.connect(&driver.url())).await {
        Ok(Ok(session)) => session,
        Ok(Err(e)) => panic!("a Chromium session from {}: {e}", driver.url()),
        Err(_) => panic!("a Chromium session within {PAGE_WAIT:?}"),
    }
}

/// Opens Photo Printer, follows its sign-in link, signs in as Alice and approves.
async fn sign_in(browser: &Client, client: &str, auth_server: &str) -> Landed {
    browser
        .goto(&format!("{client}/"))
        .await
        .expect("the client's home page");
    wait_for(browser, Locator::Css("a[href^='/login']"), "a sign-in link")
        .await
        .click()
        .await
        .expect("click the sign-in link");
    let login = wait_for_form(browser, "login").await;
    let here = browser.current_url().await.expect("a URL");
    assert!(
        here.as_str().starts_with(auth_server),
        "the login form is the AS's: {here}"
    );
    type_alices_password(&login).await;
    let consent = wait_for_form(browser, "consent").await;
    consent
        .submit_with(Locator::Css("button[value='approve']"))
        .await
        .expect("approve");
    wait_for(
        browser,
        Locator::XPath("//title[text()='Your photos']"),
        "the photos page",
    )
    .await;
    landed(browser).await
}

/// The page the browser shows.
async fn landed(browser: &Client) -> Landed {
    // OAUTH_LAB_SCREENSHOTS=DIR keeps a picture of every page read, to look at.
    if let Ok(dir) = std::env::var("OAUTH_LAB_SCREENSHOTS") {
        static SHOT: AtomicUsize = AtomicUsize::new(0);
        let png = browser.screenshot().await.expect("a screenshot");
        let n = SHOT.fetch_add(1, Ordering::SeqCst);
        std::fs::write(format!("{dir}/page-{n}.png"), png).expect("write the screenshot");
    }
    Landed {
        url: browser.current_url().await.expect("a URL").to_string(),
        title: browser.title().await.expect("a title"),
        text: browser
            .find(Locator::Css("body"))
            .await
            .expect("a body")
            .text()
            .await
            .expect("its text"),
    }
}

/// Alice types her username and password into a sign-in form and submits it.
async fn type_alices_password(form: &Form) {
    form.set_by_name("username", wk::ALICE)
        .await
        .expect("username");
    form.set_by_name("password", wk::ALICE_PASSWORD)
        .await
        .expect("password");
    form.submit().await.expect("submit the sign-in form");
}

async fn wait_for_form(browser: &Client, id: &str) -> Form {
    wait_for(browser, Locator::Id(id), id).await;
    browser
        .form(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("the {id} form: {e}"))
}

/// The element `locator` finds, waiting for it at most [`PAGE_WAIT`].
async fn wait_for(browser: &Client, locator: Locator<'_>, what: &str) -> Element {
    browser
        .wait()
        .at_most(PAGE_WAIT)
        .for_element(locator)
        .await
        .unwrap_or_else(|e| panic!("{what} within {PAGE_WAIT:?}: {e}"))
}
