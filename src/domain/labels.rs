//! Enums whose names are stored as text in the database and sent as snake_case JSON. Stored names
//! are parsed strictly: an unknown one is an error for the caller to report as internal, never
//! a silent default.

/// A name read from the database that no variant carries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{value}` stored in the database")]
pub struct UnknownLabel {
    pub kind: &'static str,
    pub value: String,
}

/// Declares a snake_case enum with `ALL`, `as_str`, `parse` and `from_stored` (strict). The
/// labels must be the serde names; each enum's tests check they are.
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident => $label:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $label),+
                }
            }

            pub fn parse(value: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == value)
            }

            /// A name read from the database; an unknown one is an error, not a default.
            pub fn from_stored(value: &str) -> Result<Self, $crate::domain::labels::UnknownLabel> {
                Self::parse(value).ok_or_else(|| $crate::domain::labels::UnknownLabel {
                    kind: stringify!($name),
                    value: value.to_string(),
                })
            }
        }
    };
}

pub(crate) use labelled_enum;

#[cfg(test)]
pub(crate) fn assert_labels_are_serde_names<T>(all: &[T], as_str: fn(&T) -> &'static str)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    for value in all {
        let json = serde_json::to_value(value).expect("serialises");
        assert_eq!(json, serde_json::Value::from(as_str(value)), "{value:?}");
        let back: T = serde_json::from_value(json).expect("deserialises");
        assert_eq!(&back, value);
    }
}
