//! RS256 signatures promised now and made later, off live mode's world lock.
//!
//! Live mode calls every actor under one lock, so that the AS's single-use codes and
//! refresh rotation hold under parallel requests (RFC 6749 §4.1.2, RFC 9700 §4.14.2).
//! The one costly thing the AS does there, the RS256 signature, decides nothing: it is
//! a pure function of the key and the signing input (RSASSA-PKCS1-v1_5, RFC 8017 §8.2,
//! is deterministic). So while an actor runs inside [`deferring`], each RS256 JWT it
//! signs gets a placeholder in place of its signature; once the lock is released the
//! [`Promises`] are kept ([`Promises::keep`]) and every placeholder in the answer, and
//! in the actor's own records, is replaced by the real signature. The bytes that leave
//! the process are exactly those an eager signature gives.
//!
//! A placeholder is made of `~`, which base64url never uses (RFC 4648 §5), around a
//! number no other placeholder of the process has; it is as long as the signature it
//! stands for, so lengths computed before the swap stay right.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

/// Numbers placeholders: unique in the process, so a record left from another call
/// can never take this call's signature.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// Where a placeholder begins; nothing base64url or JSON escaping makes contains it.
const MARK: &str = "~promised-rs256-";

thread_local! {
    /// The promises made on this thread inside [`deferring`], if it is active.
    static PROMISES: RefCell<Option<Vec<Promise>>> = const { RefCell::new(None) };
}

/// Makes one signature: base64url of the key's RS256 signature over the JWS signing
/// input `BASE64URL(header).BASE64URL(claims)` (RFC 7515 §5.1).
pub(crate) type Signer = Box<dyn FnOnce() -> String + Send>;

/// One signature still to make.
struct Promise {
    placeholder: String,
    sign: Signer,
}

/// The signatures promised during one [`deferring`] call.
#[derive(Default)]
pub struct Promises(Vec<Promise>);

impl std::fmt::Debug for Promises {
    /// The signing inputs are token contents: only their number is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Promises({})", self.0.len())
    }
}

/// Kept promises: each placeholder with its signature.
#[derive(Default)]
pub struct Signatures(Vec<(String, String)>);

impl std::fmt::Debug for Signatures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signatures({})", self.0.len())
    }
}

/// Runs `f`; every RS256 signature asked for on this thread meanwhile is promised
/// instead of made. Returns what `f` returned and the promises.
pub fn deferring<R>(f: impl FnOnce() -> R) -> (R, Promises) {
    let before = PROMISES.with(|p| p.replace(Some(Vec::new())));
    let r = f();
    let made = PROMISES.with(|p| p.replace(before)).unwrap_or_default();
    (r, Promises(made))
}

/// Whether a [`deferring`] call is active on this thread.
pub(crate) fn is_deferring() -> bool {
    PROMISES.with(|p| p.borrow().is_some())
}

/// If a [`deferring`] call is active on this thread: promises the signature `sign`
/// makes, `signature_len` characters long, and returns the placeholder that stands
/// for it.
pub(crate) fn promise(sign: Signer, signature_len: usize) -> Option<String> {
    PROMISES.with(|p| {
        let mut p = p.borrow_mut();
        let promises = p.as_mut()?;
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let mut placeholder = format!("{MARK}{n}~");
        let width = signature_len.max(placeholder.len());
        placeholder.extend(std::iter::repeat_n('~', width - placeholder.len()));
        promises.push(Promise {
            placeholder: placeholder.clone(),
            sign,
        });
        Some(placeholder)
    })
}

/// Whether `text` holds a placeholder (a `~` first: one byte, found fast, and rare).
pub fn holds_placeholder(text: &str) -> bool {
    text.contains('~') && text.contains(MARK)
}

impl Promises {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Makes every promised signature.
    pub fn keep(self) -> Signatures {
        Signatures(
            self.0
                .into_iter()
                .map(|p| {
                    let signature = (p.sign)();
                    (p.placeholder, signature)
                })
                .collect(),
        )
    }
}

impl Signatures {
    /// `text` with every placeholder replaced by its signature.
    pub fn apply(&self, text: &str) -> String {
        if !holds_placeholder(text) {
            return text.to_string();
        }
        let mut out = text.to_string();
        for (placeholder, signature) in &self.0 {
            if out.contains(placeholder.as_str()) {
                out = out.replace(placeholder.as_str(), signature);
            }
        }
        out
    }

    /// Replaces every placeholder in `bytes` (a body) by its signature.
    pub fn apply_bytes(&self, bytes: &mut Vec<u8>) {
        if !bytes.contains(&b'~') {
            return;
        }
        for (placeholder, signature) in &self.0 {
            // Same length: replaced in place (see the module docs).
            let (p, s) = (placeholder.as_bytes(), signature.as_bytes());
            let mut at = 0;
            while let Some(i) = find(&bytes[at..], p) {
                let start = at + i;
                if p.len() == s.len() {
                    bytes[start..start + p.len()].copy_from_slice(s);
                } else {
                    bytes.splice(start..start + p.len(), s.iter().copied());
                }
                at = start + s.len();
            }
        }
    }

    /// Replaces every placeholder in a message's header values (a `Location` carrying
    /// a token, say); the body goes through [`Signatures::apply_bytes`].
    pub fn apply_headers(&self, headers: &mut http::HeaderMap) {
        for value in headers.values_mut() {
            if let Ok(text) = value.to_str()
                && holds_placeholder(text)
                && let Ok(signed) = http::HeaderValue::from_str(&self.apply(text))
            {
                *value = signed;
            }
        }
    }

    /// Replaces every placeholder in a response.
    pub fn apply_response(&self, response: &mut http::Response<Vec<u8>>) {
        self.apply_headers(response.headers_mut());
        self.apply_bytes(response.body_mut());
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}
