//! Enums whose names are stored as text in the database and sent as snake_case JSON, declared
//! once with [`labelled_enum!`]: the list of labels gives `ALL`, `as_str`, `parse`, serde, the
//! OpenAPI schema and the one `ToSql`/`FromSql` mapping, so database structs carry the enum.
//! Stored names are read strictly: an unknown one fails the query with [`UnknownLabel`], which
//! the HTTP edge logs and answers 500, never a silent default.

/// A name read from the database that no variant carries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{value}` stored in the database")]
pub struct UnknownLabel {
    pub kind: &'static str,
    pub value: String,
}

/// Declares a snake_case enum with `ALL`, `as_str`, `parse`, `from_stored` (strict) and its
/// mapping to a `text` column. The labels must be the serde names; each enum's tests check they
/// are, and `db` tests send every variant through the database and back.
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
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
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

        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn from_sql(value: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let stored = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    diesel::pg::Pg,
                >>::from_sql(value)?;
                Ok(Self::from_stored(&stored)?)
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
