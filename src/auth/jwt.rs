//! Access tokens: short-lived JWTs signed with HS256. Verification pins the algorithm, and checks
//! issuer, audience, expiry and the presence of every claim, so `alg: none`, another algorithm or
//! a tampered claim all fail.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const ISSUER: &str = "ksbfolio";
pub const AUDIENCE: &str = "ksbfolio-api";
/// Access tokens live 15 minutes; the refresh token renews them.
pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: Uuid,
    pub role: String,
    /// The user's organisation (absent for admins).
    pub org: Option<Uuid>,
    /// The sign-in session; revoking it ends this token at once.
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    pub jti: Uuid,
}

/// The signing and verifying keys, and the fixed validation rules.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 0;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    /// A signed access token for this user and session, valid [`ACCESS_TOKEN_SECONDS`].
    pub fn issue(
        &self,
        user_id: Uuid,
        role: &str,
        org: Option<Uuid>,
        session_id: Uuid,
    ) -> anyhow::Result<String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id,
            role: role.to_string(),
            org,
            sid: session_id,
            iat: now,
            exp: now + ACCESS_TOKEN_SECONDS,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            jti: Uuid::new_v4(),
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The claims of a valid token, or `None` for anything else.
    ///
    /// Security: a correctly signed token that claims to live longer than
    /// [`ACCESS_TOKEN_SECONDS`], or that was issued in the future, is refused too: this server
    /// never issues one, so it was minted with a leaked secret or by a misconfigured node.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()?
            .claims;
        let now = chrono::Utc::now().timestamp();
        let lifetime_ok = claims.exp - claims.iat <= ACCESS_TOKEN_SECONDS;
        // A minute of clock difference between nodes is tolerated.
        let issued_ok = claims.iat <= now + 60;
        (lifetime_ok && issued_ok).then_some(claims)
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;

    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn token() -> (JwtKeys, String) {
        let keys = JwtKeys::new(SECRET);
        let token = keys
            .issue(
                Uuid::from_u128(1),
                "apprentice",
                Some(Uuid::from_u128(2)),
                Uuid::from_u128(3),
            )
            .expect("issued");
        (keys, token)
    }

    #[test]
    fn a_fresh_token_verifies_with_its_claims() {
        let (keys, token) = token();
        let claims = keys.verify(&token).expect("valid");
        assert_eq!(claims.sub, Uuid::from_u128(1));
        assert_eq!(claims.exp - claims.iat, ACCESS_TOKEN_SECONDS);
        assert_eq!(claims.iss, ISSUER);
        assert_eq!(claims.aud, AUDIENCE);
    }

    #[test]
    fn another_secret_or_a_tampered_payload_fails() {
        let (_, token) = token();
        assert!(
            JwtKeys::new(b"another-secret-another-secret-xx")
                .verify(&token)
                .is_none()
        );
        let (keys, token) = self::token();
        let parts: Vec<&str> = token.split('.').collect();
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut payload: serde_json::Value =
            serde_json::from_slice(&engine.decode(parts[1]).expect("b64")).expect("json");
        payload["role"] = "admin".into();
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            engine.encode(payload.to_string()),
            parts[2]
        );
        assert!(keys.verify(&forged).is_none());
    }

    #[test]
    fn alg_none_is_refused() {
        let (keys, token) = token();
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let payload = token.split('.').nth(1).expect("payload");
        let header = engine.encode(r#"{"alg":"none","typ":"JWT"}"#);
        assert!(keys.verify(&format!("{header}.{payload}.")).is_none());
    }

    fn signed(keys: &JwtKeys, iat: i64, exp: i64) -> String {
        let claims = Claims {
            sub: Uuid::from_u128(1),
            role: "apprentice".into(),
            org: None,
            sid: Uuid::from_u128(3),
            iat,
            exp,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            jti: Uuid::new_v4(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding)
            .expect("encoded")
    }

    #[test]
    fn a_correctly_signed_token_living_longer_than_fifteen_minutes_is_refused() {
        let keys = JwtKeys::new(SECRET);
        let now = chrono::Utc::now().timestamp();
        assert!(
            keys.verify(&signed(&keys, now, now + ACCESS_TOKEN_SECONDS))
                .is_some()
        );
        assert!(
            keys.verify(&signed(&keys, now, now + ACCESS_TOKEN_SECONDS + 1))
                .is_none()
        );
        assert!(keys.verify(&signed(&keys, now, now + 86_400)).is_none());
    }

    #[test]
    fn a_token_issued_in_the_future_is_refused() {
        let keys = JwtKeys::new(SECRET);
        let later = chrono::Utc::now().timestamp() + 600;
        assert!(keys.verify(&signed(&keys, later, later + 60)).is_none());
    }
}
