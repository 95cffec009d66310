//! The names, hosts and demo credentials of the standard world, shared by the actors,
//! the world builder, tests and lessons. All of them are fictional (`.example`, RFC 2606).

/// The browser's actor id.
pub const BROWSER: &str = "browser";
/// The confidential web client's actor id.
pub const CLIENT: &str = "client";
/// The authorization server's actor id.
pub const AS: &str = "as";
/// The resource server's actor id.
pub const RS: &str = "rs";
/// The public native app's actor id.
pub const NATIVE_APP: &str = "photos-app";

/// The AS's issuer identifier (RFC 8414 §2) and origin.
pub const AS_ISSUER: &str = "https://as.example";
/// The RS's origin, which is also its audience identifier (RFC 9068 §3).
pub const RS_ORIGIN: &str = "https://rs.example";
/// The web client's origin.
pub const CLIENT_ORIGIN: &str = "https://client.example";

/// The web client's registration.
pub const CLIENT_ID: &str = "photo-printer";
pub const CLIENT_SECRET: &str = "printer-secret-7c1e";
pub const CLIENT_REDIRECT_URI: &str = "https://client.example/cb";

/// The native app's registration (a public client, RFC 8252).
pub const NATIVE_CLIENT_ID: &str = "photos-app";
pub const NATIVE_REDIRECT_URI: &str = "com.example.photos:/cb";
pub const NATIVE_LOOPBACK_REDIRECT_URI: &str = "http://127.0.0.1/cb";

/// The RS's credentials for the introspection endpoint (RFC 7662 §2.1).
pub const RS_CLIENT_ID: &str = "rs.example";
pub const RS_CLIENT_SECRET: &str = "rs-introspect-91b2";

/// The person at the browser.
pub const ALICE: &str = "alice";
pub const ALICE_PASSWORD: &str = "correct-horse-battery";
/// The attacker's own account at the AS (RFC 9700 §3: the attacker may be a user).
pub const MALLORY: &str = "mallory";
pub const MALLORY_PASSWORD: &str = "mallory-password";

/// Scopes.
pub const SCOPE_PHOTOS_READ: &str = "photos.read";
pub const SCOPE_PHOTOS_WRITE: &str = "photos.write";
/// What the web client asks for.
pub const CLIENT_SCOPE: &str = "openid profile photos.read";

/// Lifetimes, in seconds of simulated time.
pub const ACCESS_TOKEN_LIFETIME_SECS: u64 = 600;
pub const ID_TOKEN_LIFETIME_SECS: u64 = 600;
pub const REFRESH_TOKEN_LIFETIME_SECS: u64 = 30 * 24 * 3600;
