//! A view of a message computed from its wire text the first time someone looks at it.
//!
//! Every step keeps its wire text; the decoded view and the one-line summary are
//! derived from it. Deriving them only when a viewer (the UI, an exporter, a lesson, a
//! test) asks keeps a run as cheap as the messages themselves (docs/ARCHITECTURE.md rule 4: views
//! read the trace). The result is the same whenever it is computed.

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value derived from wire text on first access.
#[derive(Clone)]
pub struct Lazy<T> {
    /// The wire text, shared by the views of one step.
    wire: Arc<str>,
    make: fn(&str) -> T,
    cell: OnceLock<T>,
}

impl<T> Lazy<T> {
    /// A view of `wire`, made by `make` when first read.
    pub fn of(wire: Arc<str>, make: fn(&str) -> T) -> Self {
        Lazy {
            wire,
            make,
            cell: OnceLock::new(),
        }
    }

    /// A view that is already known.
    pub fn ready(value: T) -> Self
    where
        T: Default,
    {
        let cell = OnceLock::new();
        let _ = cell.set(value);
        Lazy {
            wire: Arc::from(""),
            make: |_| T::default(),
            cell,
        }
    }

    /// The value, computed now if it was not yet.
    pub fn get(&self) -> &T {
        self.cell.get_or_init(|| (self.make)(&self.wire))
    }
}

impl<T> std::ops::Deref for Lazy<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.get()
    }
}

impl<T: PartialEq> PartialEq for Lazy<T> {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl PartialEq<str> for Lazy<String> {
    fn eq(&self, other: &str) -> bool {
        self.get() == other
    }
}

impl PartialEq<&str> for Lazy<String> {
    fn eq(&self, other: &&str) -> bool {
        self.get() == *other
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl<T: std::fmt::Display> std::fmt::Display for Lazy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl<T: Serialize> Serialize for Lazy<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for Lazy<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Lazy::ready)
    }
}

impl<T: Default> Default for Lazy<T> {
    fn default() -> Self {
        Lazy::ready(T::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_once_on_first_read_and_compares_by_value() {
        let l = Lazy::of(Arc::from("abc"), |w| w.len());
        assert_eq!(*l, 3);
        assert_eq!(l, Lazy::ready(3));
        let s: Lazy<String> = Lazy::of(Arc::from("x"), |w| w.to_uppercase());
        assert!(s == "X");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"X\"");
    }
}
