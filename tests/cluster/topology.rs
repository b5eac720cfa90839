//! The running topology: its addresses (from `cluster.env`), HTTP clients that reach the proxy or
//! one node directly, demo people to sign in as, the primary and standby databases, and
//! `scripts/cluster.sh start|stop|kill` for the fault tests.

use std::collections::HashMap;
use std::net::IpAddr;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub struct Topology {
    env: HashMap<String, String>,
    pub proxy: String,
    pub node_a: String,
    pub node_b: String,
}

impl Topology {
    /// Reads the file `scripts/cluster.sh up` wrote; fails the test when there is none.
    pub fn load() -> Self {
        let path = std::env::var("KSBFOLIO_CLUSTER_ENV").unwrap_or_else(|_| {
            panic!(
                "KSBFOLIO_CLUSTER_ENV is unset: these tests need the running topology; \
                 run `make test-cluster` (scripts/cluster.sh up, test, down)"
            )
        });
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("cannot read {path} ({e}): start the topology with scripts/cluster.sh up")
        });
        let env: HashMap<String, String> = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let get = |k: &str| {
            env.get(k)
                .unwrap_or_else(|| panic!("{k} missing from {path}"))
                .clone()
        };
        Self {
            proxy: get("PROXY_URL"),
            node_a: get("NODE_A_URL"),
            node_b: get("NODE_B_URL"),
            env,
        }
    }

    pub fn get(&self, key: &str) -> &str {
        self.env
            .get(key)
            .unwrap_or_else(|| panic!("{key} missing from cluster.env"))
    }

    pub fn login_failures_per_address(&self) -> usize {
        self.get("LOGIN_FAILURES_PER_ADDRESS")
            .parse()
            .expect("a number")
    }

    /// `scripts/cluster.sh ACTION COMPONENT` (start, stop or kill; primary, standby, node-a …).
    pub fn cluster(&self, action: &str, component: &str) {
        let status = Command::new(self.get("CLUSTER_SCRIPT"))
            .args([action, component])
            .env("CLUSTER_STATE", self.get("CLUSTER_STATE"))
            .status()
            .expect("run scripts/cluster.sh");
        assert!(
            status.success(),
            "scripts/cluster.sh {action} {component} failed"
        );
    }

    /// The pid of a part the script started.
    pub fn pid(&self, component: &str) -> i32 {
        let path = format!("{}/run/{component}.pid", self.get("CLUSTER_STATE"));
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .trim()
            .parse()
            .expect("a pid")
    }

    /// Starts every part that is not running (after a fault test, or a failed one before it).
    pub fn restore(&self) {
        for part in [
            "primary",
            "standby",
            "pgbouncer",
            "s3",
            "node-a",
            "node-b",
            "proxy",
        ] {
            self.cluster("start", part);
        }
    }

    pub async fn primary(&self) -> tokio_postgres::Client {
        connect(self.get("PRIMARY_URL")).await
    }

    pub async fn standby(&self) -> tokio_postgres::Client {
        connect(self.get("STANDBY_URL")).await
    }

    /// `n` demo apprentices with their apprenticeship (e-mail, apprenticeship id), from `offset`.
    pub async fn apprentices(&self, offset: i64, n: i64) -> Vec<(String, String)> {
        let db = self.primary().await;
        db.query(
            "SELECT u.email, ap.id::text FROM apprenticeships ap JOIN users u ON u.id = ap.apprentice_id \
             ORDER BY ap.id OFFSET $1 LIMIT $2",
            &[&offset, &n],
        )
        .await
        .expect("demo apprentices (is the topology seeded?)")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
    }
}

async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"));
    tokio::spawn(connection);
    client
}

/// A client without keep-alive surprises: short timeouts, no proxy from the environment, and
/// optionally its own loopback source address (127.0.0.0/8 is all local on Linux), so that tests
/// can be different clients to the sign-in throttle.
pub fn client_from(source: Option<IpAddr>) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .local_address(source)
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(15))
        .build()
        .expect("client")
}

pub fn client() -> reqwest::Client {
    client_from(None)
}

/// A loopback address no earlier run used (the throttle remembers failures for 15 minutes).
pub fn fresh_loopback() -> IpAddr {
    let [a, b, c]: [u8; 3] = rand::random();
    IpAddr::from([127, 10 + a % 200, b, 1 + c % 250])
}

pub struct Session {
    pub access: String,
    pub refresh: String,
}

/// Signs in at `base` (the proxy or one node) with the demo password.
pub async fn sign_in(topology: &Topology, base: &str, email: &str) -> Session {
    let response = client()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": topology.get("DEMO_PASSWORD") }))
        .send()
        .await
        .expect("sign-in sent");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, 200, "sign-in of {email} at {base}: {body}");
    Session {
        access: body["access_token"].as_str().expect("access token").into(),
        refresh: body["refresh_token"]
            .as_str()
            .expect("refresh token")
            .into(),
    }
}

/// The body of a new piece of evidence titled `title`, done yesterday (within every demo
/// apprenticeship, whose dates are relative to the day of seeding).
pub fn evidence(title: &str) -> Value {
    let yesterday = chrono::Utc::now().date_naive() - chrono::Days::new(1);
    json!({
        "title": title, "description": "What I did and what I learnt.",
        "kind": "observation", "occurred_on": yesterday.to_string(), "ksbs": ["S7"],
    })
}

/// Polls `check` every 100 ms until it holds; how long that took, or a failure after `limit`.
pub async fn within<F, Fut>(limit: Duration, what: &str, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if check().await {
            return start.elapsed();
        }
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Which node answered through the proxy (HAProxy's `X-Ksbfolio-Node`).
pub fn node_of(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("x-ksbfolio-node")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}
