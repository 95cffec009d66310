//! The AS's own users, their login sessions (cookie `as_session`) and the consents they
//! gave. How the AS authenticates the resource owner is outside OAuth (RFC 6749 §3.1);
//! here it is a password form, with the password compared in constant time.

use std::collections::{BTreeMap, BTreeSet};

use crate::actors::SimTime;
use crate::protocol::http_wire::Request;
use crate::protocol::secret::{Password, Secret, SessionId};

/// The name of the AS's session cookie.
pub const SESSION_COOKIE: &str = "as_session";

/// A resource owner's account at the AS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAccount {
    pub username: String,
    pub password: Password,
    /// The `name` claim of ID tokens (OpenID Connect Core §5.1), sent with scope `profile`.
    pub display_name: String,
}

impl UserAccount {
    pub fn new(username: &str, password: &str, display_name: &str) -> Self {
        UserAccount {
            username: username.to_string(),
            password: Password::new(password),
            display_name: display_name.to_string(),
        }
    }
}

/// A login session at the AS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: SessionId,
    pub user: String,
    /// When the user authenticated, in Unix seconds (OIDC Core §2 `auth_time`).
    pub auth_time: u64,
    pub created: SimTime,
}

/// Users, sessions and remembered consents.
#[derive(Debug, Clone, Default)]
pub struct Sessions {
    users: Vec<UserAccount>,
    sessions: BTreeMap<String, Session>,
    /// (user, client_id) ⇒ the scopes the user approved for that client.
    consents: BTreeMap<(String, String), BTreeSet<String>>,
}

impl Sessions {
    pub fn new(users: Vec<UserAccount>) -> Self {
        Sessions {
            users,
            ..Default::default()
        }
    }

    pub fn users(&self) -> &[UserAccount] {
        &self.users
    }

    pub fn has_user(&self, username: &str) -> bool {
        self.users.iter().any(|u| u.username == username)
    }

    pub fn add_user(&mut self, user: UserAccount) {
        self.users.push(user);
    }

    pub fn user(&self, username: &str) -> Option<&UserAccount> {
        self.users.iter().find(|u| u.username == username)
    }

    /// Checks a username and password. The password is compared in constant time; an
    /// unknown user still costs one comparison, so timing does not reveal which part
    /// was wrong.
    pub fn check_password(&self, username: &str, password: &str) -> Option<&UserAccount> {
        match self.user(username) {
            Some(u) if u.password.ct_eq(password) => Some(u),
            Some(_) => None,
            None => {
                let _ = Password::new("not-a-user-password").ct_eq(password);
                None
            }
        }
    }

    /// Starts a session for `user`; returns the cookie value.
    pub fn create(&mut self, id: String, user: &str, now: SimTime) -> &Session {
        let session = Session {
            id: SessionId::new(id.clone()),
            user: user.to_string(),
            auth_time: now.unix_secs(),
            created: now,
        };
        self.sessions.entry(id).or_insert(session)
    }

    /// The session named by the request's `as_session` cookie, if it is one of ours.
    pub fn from_request(&self, req: &Request) -> Option<&Session> {
        let value = session_cookie(req)?;
        self.sessions.values().find(|s| s.id.ct_eq(&value))
    }

    pub fn sessions(&self) -> impl Iterator<Item = &Session> {
        self.sessions.values()
    }

    /// Remembers that `user` approved `scope` (space-separated) for `client_id`.
    pub fn remember_consent(&mut self, user: &str, client_id: &str, scope: &str) {
        self.consents
            .entry((user.to_string(), client_id.to_string()))
            .or_default()
            .extend(scope.split_whitespace().map(str::to_string));
    }

    /// Whether `user` already approved every scope in `scopes` for `client_id`.
    pub fn consent_covers(&self, user: &str, client_id: &str, scopes: &[String]) -> bool {
        self.consents
            .get(&(user.to_string(), client_id.to_string()))
            .is_some_and(|given| scopes.iter().all(|s| given.contains(s)))
    }

    /// Every remembered consent: ((user, client_id), scopes).
    pub fn consents(&self) -> impl Iterator<Item = (&(String, String), &BTreeSet<String>)> {
        self.consents.iter()
    }
}

/// The value of the `as_session` cookie in the request's `Cookie` header(s)
/// (RFC 6265 §5.4).
pub fn session_cookie(req: &Request) -> Option<String> {
    req.headers()
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The `Set-Cookie` value for a new session: host-only, `Secure`, `HttpOnly`,
/// `SameSite=Lax` (RFC 6265bis §4.1.2.7).
pub fn set_cookie_value(id: &str) -> String {
    format!("{SESSION_COOKIE}={id}; Path=/; Secure; HttpOnly; SameSite=Lax")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::http_wire::{request, set_header};

    #[test]
    fn passwords_and_cookies() {
        let mut s = Sessions::new(vec![UserAccount::new("alice", "pw", "Alice")]);
        assert!(s.check_password("alice", "pw").is_some());
        assert!(s.check_password("alice", "pW").is_none());
        assert!(s.check_password("bob", "pw").is_none());
        s.create("sid1".into(), "alice", SimTime(5000));
        let mut req = request(http::Method::GET, "https://as.example/authorize");
        set_header(req.headers_mut(), "cookie", "x=1; as_session=sid1");
        assert_eq!(s.from_request(&req).map(|x| x.user.as_str()), Some("alice"));
        let mut other = request(http::Method::GET, "https://as.example/authorize");
        set_header(other.headers_mut(), "cookie", "as_session=sid2");
        assert!(s.from_request(&other).is_none());
    }

    #[test]
    fn consent_covers_subsets() {
        let mut s = Sessions::default();
        s.remember_consent("alice", "c", "openid photos.read");
        let scopes = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(s.consent_covers("alice", "c", &scopes(&["photos.read"])));
        assert!(!s.consent_covers("alice", "c", &scopes(&["photos.write"])));
        assert!(!s.consent_covers("mallory", "c", &scopes(&["photos.read"])));
    }
}
