//! Password hashing with Argon2id. Hashing is slow on purpose, so it runs on the blocking pool,
//! never on the async threads.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// Argon2id cost parameters. The default is OWASP's recommendation (19 MiB, 2 passes, 1 lane);
/// tests set cheaper ones through configuration, never production.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashingParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for HashingParams {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

impl HashingParams {
    fn argon2(&self) -> Result<Argon2<'static>, argon2::Error> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    No,
    Yes,
    /// Correct, but hashed with other parameters: store this new hash.
    YesRehashed(String),
}

/// Hashes with a fresh random salt into a PHC string.
pub fn hash(password: &str, params: HashingParams) -> anyhow::Result<String> {
    let argon2 = params
        .argon2()
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    argon2
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
}

/// Verifies `password` against a PHC string and rehashes when the parameters have changed.
pub fn verify(password: &str, phc: &str, params: HashingParams) -> anyhow::Result<Verified> {
    let parsed = PasswordHash::new(phc).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
    let argon2 = params
        .argon2()
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    if argon2
        .verify_password(password.as_bytes(), &parsed)
        .is_err()
    {
        return Ok(Verified::No);
    }
    let current = Params::try_from(&parsed).ok();
    let wanted = (params.memory_kib, params.iterations, params.parallelism);
    let stale = parsed.algorithm.as_str() != "argon2id"
        || current.is_none_or(|p| (p.m_cost(), p.t_cost(), p.p_cost()) != wanted);
    if stale {
        Ok(Verified::YesRehashed(hash(password, params)?))
    } else {
        Ok(Verified::Yes)
    }
}

/// At most one Argon2 computation per core at a time. Each takes `memory_kib` of RAM (19 MiB by
/// default), so without a bound a burst of sign-ins would take gigabytes; with it, extra
/// sign-ins wait their turn instead.
static HASHING_SLOTS: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        tokio::sync::Semaphore::new(cores)
    });

/// [`hash`] on the blocking pool.
pub async fn hash_blocking(password: String, params: HashingParams) -> anyhow::Result<String> {
    let _slot = HASHING_SLOTS.acquire().await?;
    tokio::task::spawn_blocking(move || hash(&password, params)).await?
}

/// [`verify`] on the blocking pool.
pub async fn verify_blocking(
    password: String,
    phc: String,
    params: HashingParams,
) -> anyhow::Result<Verified> {
    let _slot = HASHING_SLOTS.acquire().await?;
    tokio::task::spawn_blocking(move || verify(&password, &phc, params)).await?
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: HashingParams = HashingParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    #[test]
    fn a_hash_is_argon2id_salted_and_verifiable() {
        let a = hash("correct horse battery", CHEAP).expect("hash");
        let b = hash("correct horse battery", CHEAP).expect("hash");
        assert!(a.starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
        assert_ne!(a, b, "each hash has its own salt");
        assert_eq!(
            verify("correct horse battery", &a, CHEAP).expect("verify"),
            Verified::Yes
        );
        assert_eq!(
            verify("wrong horse battery", &a, CHEAP).expect("verify"),
            Verified::No
        );
    }

    #[test]
    fn changed_parameters_cause_a_rehash_on_success_only() {
        let old = hash("correct horse battery", CHEAP).expect("hash");
        let newer = HashingParams {
            memory_kib: 128,
            ..CHEAP
        };
        match verify("correct horse battery", &old, newer).expect("verify") {
            Verified::YesRehashed(new) => assert!(new.starts_with("$argon2id$v=19$m=128,t=1,p=1$")),
            other => panic!("expected a rehash, got {other:?}"),
        }
        assert_eq!(verify("wrong", &old, newer).expect("verify"), Verified::No);
    }

    #[test]
    fn the_default_meets_owasp_minimums() {
        let p = HashingParams::default();
        assert!(p.memory_kib >= 19 * 1024 && p.iterations >= 2 && p.parallelism >= 1);
    }
}
