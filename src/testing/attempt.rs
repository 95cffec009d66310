//! An attack attempt: one attack of the catalog run to its end under some defenses,
//! with finders of its steps and assertions on its verdict (succeeded, or blocked at a
//! refused request to a named actor).

use crate::actors::Origin;
use crate::actors::auth_server::{AuthServer, IssuedCode};
use crate::actors::well_known as wk;
use crate::attacks::attacker::Attacker;
use crate::attacks::{AttackRun, Verdict, find, run_attack};
use crate::sim::world::DEFAULT_SEED;
use crate::sim::{Step, StepKind, Trace};

use super::oauth::bcp_without;
use super::step::{self, location_param, status, url};
use crate::actors::{DefenseId, Defenses};

/// A finished attack run and the label of the defenses it ran under.
pub struct Attempt {
    pub label: String,
    pub inner: AttackRun,
}

impl Attempt {
    /// Runs attack `id` under `defenses` (named `label` in failure messages) and checks
    /// that the attacker's messages are marked as such.
    pub fn run(id: &str, label: String, defenses: Defenses) -> Attempt {
        let attack = find(id).unwrap_or_else(|| panic!("no attack `{id}` in the catalog"));
        let r = Attempt {
            label: format!("{id} under {label}"),
            inner: run_attack(attack, DEFAULT_SEED, defenses),
        };
        r.check_attacker_marking();
        r
    }

    pub fn naive(id: &str) -> Attempt {
        Self::run(id, "naive".into(), Defenses::naive())
    }

    pub fn bcp(id: &str) -> Attempt {
        Self::run(id, "bcp".into(), Defenses::bcp())
    }

    /// `bcp` with these defenses off.
    pub fn bcp_without(id: &str, off: &[DefenseId]) -> Attempt {
        let names: Vec<&str> = off.iter().map(|d| d.name()).collect();
        Self::run(
            id,
            format!("bcp without {}", names.join(", ")),
            bcp_without(off),
        )
    }

    pub fn trace(&self) -> &Trace {
        self.inner.sim.trace()
    }

    pub fn steps(&self) -> &[Step] {
        &self.trace().steps
    }

    /// One line per step, for failure messages.
    pub fn outline(&self) -> String {
        let mut out = format!("{} — {}\n", self.label, self.inner.verdict.banner());
        for s in self.steps() {
            out.push_str(&format!(
                "  {:>3} {:?} {:?} {} -> {}: {}\n",
                s.index, s.kind, s.origin, s.from, s.to, s.summary
            ));
        }
        out
    }

    /// Requests from `from` to `to` with `method` whose URL starts with `url_prefix`.
    pub fn requests(&self, from: &str, to: &str, method: &str, url_prefix: &str) -> Vec<&Step> {
        self.steps_of(StepKind::Request, (from, to), url_prefix, |s| {
            s.decoded.method.as_deref() == Some(method)
        })
    }

    /// Copies or captures of `from`'s requests, handed to `reader`, whose URL starts
    /// with `url_prefix`.
    pub fn observed(&self, from: &str, reader: &str, url_prefix: &str) -> Vec<&Step> {
        self.steps_of(StepKind::Observed, (from, reader), url_prefix, |_| true)
    }

    /// Steps of `kind` from `from` to `to` whose URL starts with `url_prefix` and that
    /// pass `also`.
    fn steps_of(
        &self,
        kind: StepKind,
        (from, to): (&str, &str),
        url_prefix: &str,
        also: impl Fn(&Step) -> bool,
    ) -> Vec<&Step> {
        let wanted = |s: &&Step| {
            s.kind == kind
                && s.from.as_str() == from
                && s.to.as_str() == to
                && url(s).starts_with(url_prefix)
                && also(s)
        };
        self.steps().iter().filter(wanted).collect()
    }

    /// Requests from `from` to `to` with any method whose URL starts with `url_prefix`.
    pub fn requests_any(&self, from: &str, to: &str, url_prefix: &str) -> Vec<&Step> {
        ["GET", "POST", "DELETE", "PUT"]
            .iter()
            .flat_map(|m| self.requests(from, to, m, url_prefix))
            .collect()
    }

    /// The first such request; fails with the outline if there is none.
    pub fn request(&self, from: &str, to: &str, method: &str, url_prefix: &str) -> &Step {
        self.nth_request(0, from, to, method, url_prefix)
    }

    /// The `n`-th (0-based) such request.
    pub fn nth_request(
        &self,
        n: usize,
        from: &str,
        to: &str,
        method: &str,
        url_prefix: &str,
    ) -> &Step {
        self.requests(from, to, method, url_prefix)
            .into_iter()
            .nth(n)
            .unwrap_or_else(|| {
                panic!(
                    "no request #{n} {method} {url_prefix}… from {from} to {to} in\n{}",
                    self.outline()
                )
            })
    }

    /// The first step of any kind from `from` to `to`; fails with the outline if there
    /// is none.
    pub fn first_between(&self, from: &str, to: &str) -> &Step {
        self.steps()
            .iter()
            .find(|s| s.from.as_str() == from && s.to.as_str() == to)
            .unwrap_or_else(|| panic!("no step from {from} to {to} in\n{}", self.outline()))
    }

    /// The response to a request step.
    pub fn response(&self, req: &Step) -> &Step {
        let id = req
            .msg_id
            .unwrap_or_else(|| panic!("step {} has no message id", req.index));
        self.trace().response_to(id).unwrap_or_else(|| {
            panic!(
                "step {} ({}) got no response in\n{}",
                req.index,
                req.summary,
                self.outline()
            )
        })
    }

    /// Steps after `index` matching `pred`.
    pub fn after(&self, index: usize, pred: impl Fn(&Step) -> bool) -> Vec<&Step> {
        self.steps()
            .iter()
            .skip(index + 1)
            .filter(|s| pred(s))
            .collect()
    }

    pub fn auth_server(&self) -> &AuthServer {
        self.inner
            .sim
            .actor::<AuthServer>(wk::AS)
            .expect("the honest AS is in every attack world")
    }

    pub fn attacker(&self, id: &str) -> &Attacker {
        self.inner
            .sim
            .actor::<Attacker>(id)
            .unwrap_or_else(|| panic!("no attacker actor {id}"))
    }

    /// The code the honest AS issued with this value.
    pub fn issued(&self, code: &str) -> &IssuedCode {
        self.auth_server()
            .code(code)
            .unwrap_or_else(|| panic!("the AS never issued code {code}\n{}", self.outline()))
    }

    fn unexpected(&self, expected: &str) -> ! {
        panic!(
            "{}: expected {expected}, got {}\n{}",
            self.label,
            self.inner.verdict.banner(),
            self.outline()
        )
    }

    /// Asserts the attack succeeded; returns the goal in words.
    pub fn succeeded(&self) -> &str {
        match &self.inner.verdict {
            Verdict::Succeeded { goal } => goal,
            _ => self.unexpected("success"),
        }
    }

    /// Asserts the attack was blocked with a step: that step is a request to `refuser`,
    /// and `refuser`'s answer to it is a refusal (an error status or an error redirect).
    pub fn blocked_at(&self, refuser: &str) -> &Step {
        let (n, by) = match &self.inner.verdict {
            Verdict::Blocked { step: Some(n), by } => (*n, by),
            _ => self.unexpected("blocked at a step"),
        };
        self.refused(n, by, refuser)
    }

    /// Asserts the attack was blocked at `req` itself: `refuser` answered it with
    /// `status` and the OAuth `error` code (RFC 6749 §5.2). Returns the answer.
    pub fn blocked_by_error(&self, req: &Step, refuser: &str, status: u16, error: &str) -> &Step {
        let answer = self.response(req);
        assert_eq!(
            (step::status(answer), step::error(answer).as_deref()),
            (status, Some(error)),
            "the answer to step {}",
            req.index
        );
        assert_eq!(self.blocked_at(refuser).index, req.index);
        answer
    }

    /// Asserts the honest flow failed before the attack began: that step is an honest
    /// request to `refuser`, and `refuser`'s answer to it is a refusal.
    pub fn flow_failed_at(&self, refuser: &str) -> &Step {
        let (n, by) = match &self.inner.verdict {
            Verdict::FlowFailed { step, by } => (*step, by),
            _ => self.unexpected("the honest flow failing before the attack"),
        };
        self.refused(n, by, refuser)
    }

    /// The refused request `n`: to `refuser`, named by `by`, answered with a refusal.
    fn refused(&self, n: usize, by: &str, refuser: &str) -> &Step {
        let step = &self.steps()[n];
        assert_eq!(
            step.kind,
            StepKind::Request,
            "{}: verdict step {n} is not a request\n{}",
            self.label,
            self.outline()
        );
        assert_eq!(
            step.to.as_str(),
            refuser,
            "{}: verdict step {n} is not a request to {refuser}\n{}",
            self.label,
            self.outline()
        );
        assert!(
            by.starts_with(&format!("{refuser} answered")),
            "{}: verdict names another refuser: {by}",
            self.label
        );
        let answer = self.response(step);
        assert!(
            status(answer) >= 400 || location_param(answer, "error").is_some(),
            "{}: {refuser}'s answer to step {n} is not a refusal: {}",
            self.label,
            answer.summary
        );
        step
    }

    /// Asserts the attack was blocked without any refused request (nothing reached the
    /// attacker that it could use).
    pub fn blocked_without_step(&self) {
        if !matches!(&self.inner.verdict, Verdict::Blocked { step: None, .. }) {
            self.unexpected("blocked without a refusal");
        }
    }

    /// Every message an attacker actor sent, and every copy an interceptor handed to
    /// one, is marked `Origin::Attacker`; the trace header marks exactly those actors.
    pub fn check_attacker_marking(&self) {
        let sim = &self.inner.sim;
        for a in &self.trace().actors {
            assert_eq!(
                a.attacker,
                sim.is_attacker(&a.id),
                "{}: actor {} is mislabelled in the trace header",
                self.label,
                a.id
            );
        }
        for s in self.steps() {
            match s.kind {
                StepKind::Request | StepKind::Response if sim.is_attacker(&s.from) => {
                    assert_eq!(
                        s.origin,
                        Origin::Attacker,
                        "{}: step {} from {} is not marked as the attacker's",
                        self.label,
                        s.index,
                        s.from
                    );
                }
                StepKind::Observed => {
                    assert_eq!(
                        s.origin,
                        Origin::Attacker,
                        "{}: copy at step {} is not marked as the attacker's",
                        self.label,
                        s.index
                    );
                    assert!(
                        sim.is_attacker(&s.to),
                        "{}: step {} hands a copy to {}, who is not an attacker",
                        self.label,
                        s.index,
                        s.to
                    );
                }
                _ => {}
            }
        }
        // Sent, read, or diverted (a rerouted message counts as the attacker's).
        let marked = self
            .steps()
            .iter()
            .filter(|s| s.origin == Origin::Attacker)
            .count();
        assert!(
            marked > 0,
            "{}: no step is marked as the attacker's\n{}",
            self.label,
            self.outline()
        );
    }
}
