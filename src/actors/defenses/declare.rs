//! The macro that turns the defense table into code: the [`Defenses`] struct, the
//! [`DefenseId`] enum, the [`DEFENSES`] listing, the profiles, and one `match`
//! per operation that needs a defense's field.
//!
//! [`Defenses`]: super::Defenses
//! [`DefenseId`]: super::DefenseId
//! [`DEFENSES`]: super::DEFENSES

/// Declares every defense from one row each:
///
/// ```text
/// /// Field doc, with the RFC section.
/// Variant => field: Type {
///     name: "cli-name", owner: "AS", explanation: "...", rfc: "RFC ...",
///     on_value: "on", off_value: "off",
///     naive: value, rfc6749: value, bcp: value,
///     on: value,     // optional: the "on" setting when `bcp` leaves the defense off
///     fapi2: value,  // optional: the `fapi2` value when it is not the "on" one
/// }
/// ```
///
/// `Type` implements [`DefenseValue`](super::DefenseValue). The "on" setting is `on`
/// when given, else the `bcp` value; the `naive` value is the "off" setting. `fapi2`
/// defaults to the "on" setting.
macro_rules! defense_table {
    ($(
        $(#[$doc:meta])*
        $id:ident => $field:ident: $ty:ty {
            name: $name:literal,
            owner: $owner:literal,
            explanation: $explanation:literal,
            rfc: $rfc:literal,
            on_value: $on_value:literal,
            off_value: $off_value:literal,
            naive: $naive:expr,
            rfc6749: $rfc6749:expr,
            bcp: $bcp:expr
            $(, on: $on:expr)?
            $(, fapi2: $fapi2:expr)? $(,)?
        }
    )*) => {
        /// One defense, by name; `oauth-lab defenses` lists them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum DefenseId {
            $($(#[$doc])* $id,)*
        }

        impl DefenseId {
            /// Every defense, in the order the UI lists them.
            pub const ALL: &'static [DefenseId] = &[$(DefenseId::$id,)*];

            /// What `--set` accepts for this defense besides `on`/`off`.
            pub(super) fn valid_values(self) -> &'static str {
                match self {
                    $(DefenseId::$id => <$ty as $crate::actors::defenses::DefenseValue>::VALID,)*
                }
            }
        }

        /// Every toggle, in the order the UI lists them.
        pub const DEFENSES: &[$crate::actors::defenses::DefenseInfo] = &[$(
            $crate::actors::defenses::DefenseInfo {
                id: DefenseId::$id,
                name: $name,
                owner: $owner,
                explanation: $explanation,
                rfc: $rfc,
                on_value: $on_value,
                off_value: $off_value,
            },
        )*];

        /// The defenses in force. Field docs name the RFC section each one comes from.
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub struct Defenses {
            $($(#[$doc])* pub $field: $ty,)*
        }

        impl Defenses {
            /// RFC 9700: every defense on.
            pub fn bcp() -> Self {
                Defenses { $($field: $bcp,)* }
            }

            /// A typical RFC 6749 (2012) deployment: what RFC 6749 itself requires
            /// (`state` recommended, one-time codes, client binding, redirect_uri at the
            /// token endpoint, a 10-minute code lifetime), prefix redirect matching,
            /// nothing RFC 9700 added.
            pub fn rfc6749() -> Self {
                Defenses { $($field: $rfc6749,)* }
            }

            /// Every defense off.
            pub fn naive() -> Self {
                Defenses { $($field: $naive,)* }
            }

            /// The FAPI 2.0 Security Profile, as far as this world models it: every
            /// defense at its "on" setting unless its row says otherwise.
            pub fn fapi2() -> Self {
                Defenses { $($field: $crate::actors::defenses::declare::first!($($fapi2)?, $($on)?, $bcp),)* }
            }

            /// Whether the defense is at an "on" (safe) value.
            pub fn is_on(&self, id: DefenseId) -> bool {
                match id {
                    $(DefenseId::$id => $crate::actors::defenses::DefenseValue::is_on(&self.$field),)*
                }
            }

            /// Turns the defense on (its `bcp` value) or off (its `naive` value).
            pub fn set_on(&mut self, id: DefenseId, on: bool) {
                match id {
                    $(DefenseId::$id => self.$field = if on { $crate::actors::defenses::declare::first!($($on)?, $bcp) } else { $naive },)*
                }
            }

            /// Sets the defense to a value of its own type other than on/off; `false`
            /// if `text` names none.
            pub(super) fn set_parsed(&mut self, id: DefenseId, text: &str) -> bool {
                match id {
                    $(DefenseId::$id => $crate::actors::defenses::parse_into(&mut self.$field, text),)*
                }
            }

            /// The current value of the defense as text (`on`, `off`, `S256`, `prefix`, `60 s`).
            pub fn value_label(&self, id: DefenseId) -> String {
                match id {
                    $(DefenseId::$id => $crate::actors::defenses::DefenseValue::label(&self.$field),)*
                }
            }
        }
    };
}

/// The first of the expressions given (an optional row value, then its default).
macro_rules! first {
    (, $($rest:tt)*) => { $crate::actors::defenses::declare::first!($($rest)*) };
    ($e:expr $(, $($rest:tt)*)?) => { $e };
}

pub(super) use defense_table;
pub(super) use first;
