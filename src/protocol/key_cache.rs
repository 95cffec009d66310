//! Keys derived or parsed once per process. Each cached value is a pure function of its
//! input — the key pair a seed gives (RFC 8032 §5.1.5), the verification key and RFC 7638
//! thumbprint a proof's `jwk` header gives — so a cached value is byte for byte the one
//! that would be computed again, and no trace changes. Nothing signed is cached: every
//! signature is made and every signature is verified, each time.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// A map of at most `CAPACITY` values; a full map starts over (a simulation uses a
/// handful of keys, the attack matrix a few dozen).
pub(crate) struct KeyCache<K, V> {
    entries: Mutex<BTreeMap<K, V>>,
}

impl<K: Ord, V: Clone> KeyCache<K, V> {
    const CAPACITY: usize = 256;

    pub(crate) const fn new() -> Self {
        KeyCache {
            entries: Mutex::new(BTreeMap::new()),
        }
    }

    /// The value for `key`, made by `make` the first time (and whenever `make` fails).
    pub(crate) fn get_or_try<E>(
        &self,
        key: K,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        if let Some(v) = self.entries.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(v);
        }
        let v = make()?;
        if let Ok(mut m) = self.entries.lock() {
            if m.len() >= Self::CAPACITY {
                m.clear();
            }
            m.insert(key, v.clone());
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_made_once_and_a_failure_is_not_kept() {
        let cache: KeyCache<u32, String> = KeyCache::new();
        let mut made = 0;
        for _ in 0..3 {
            let v = cache.get_or_try(1, || {
                made += 1;
                Ok::<_, ()>("one".to_string())
            });
            assert_eq!(v, Ok("one".to_string()));
        }
        assert_eq!(made, 1);
        assert_eq!(cache.get_or_try(2, || Err::<String, _>("no")), Err("no"));
        assert_eq!(
            cache.get_or_try(2, || Ok::<_, ()>("two".into())),
            Ok("two".into())
        );
        for i in 0..KeyCache::<u32, String>::CAPACITY as u32 + 1 {
            let _ = cache.get_or_try(i + 10, || Ok::<_, ()>(String::new()));
        }
        assert!(cache.entries.lock().unwrap().len() <= KeyCache::<u32, String>::CAPACITY);
    }
}
