//! Nothing a request needs lives in one node: a token issued by node A works on node B (one
//! shared KSBFOLIO_JWT_SECRET), a sign-out on A ends the session on B (sessions are database rows),
//! and an attachment uploaded through A comes back byte for byte through B (S3 storage).

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::topology::{Topology, client, evidence, node_of, sign_in};

/// A valid 1×1 PNG followed by `extra` random bytes (the type check reads the first bytes).
fn png_with(extra: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xff\xff?\0\x05\xfe\x02\xfe\xa7\x35\x81\x84\0\0\0\0IEND\xaeB`\x82".to_vec();
    bytes.extend((0..extra).map(|_| rand::random::<u8>()));
    bytes
}

async fn me(base: &str, token: &str) -> (u16, String) {
    let response = client()
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent");
    let node = node_of(&response);
    (response.status().as_u16(), node)
}

#[tokio::test]
async fn a_token_issued_by_node_a_works_on_node_b_and_through_the_proxy_on_both_nodes() {
    let t = Topology::load();
    let (email, _) = t.apprentices(0, 1).await.remove(0);
    let session = sign_in(&t, &t.node_a, &email).await;
    assert_eq!(me(&t.node_b, &session.access).await.0, 200);
    let mut served_by = std::collections::BTreeSet::new();
    for _ in 0..6 {
        let (status, node) = me(&t.proxy, &session.access).await;
        assert_eq!(status, 200);
        served_by.insert(node);
    }
    assert_eq!(
        served_by.into_iter().collect::<Vec<_>>(),
        ["a", "b"],
        "the proxy balances over both nodes"
    );
}

#[tokio::test]
async fn signing_out_on_node_a_ends_the_session_on_node_b() {
    let t = Topology::load();
    let (email, _) = t.apprentices(1, 1).await.remove(0);
    let session = sign_in(&t, &t.node_b, &email).await;
    assert_eq!(me(&t.node_a, &session.access).await.0, 200);
    assert_eq!(me(&t.node_b, &session.access).await.0, 200);
    let out = client()
        .post(format!("{}/api/v1/auth/logout", t.node_a))
        .json(&serde_json::json!({ "refresh_token": session.refresh }))
        .send()
        .await
        .expect("sent");
    assert_eq!(out.status().as_u16(), 204);
    assert_eq!(me(&t.node_b, &session.access).await.0, 401);
    assert_eq!(me(&t.node_a, &session.access).await.0, 401);
    // Nor can the refresh token buy new tokens on the other node.
    let refreshed = client()
        .post(format!("{}/api/v1/auth/refresh", t.node_b))
        .json(&serde_json::json!({ "refresh_token": session.refresh }))
        .send()
        .await
        .expect("sent");
    assert_eq!(refreshed.status().as_u16(), 401);
}

#[tokio::test]
async fn an_attachment_uploaded_through_node_a_downloads_through_node_b_byte_for_byte() {
    let t = Topology::load();
    let (email, apprenticeship) = t.apprentices(2, 1).await.remove(0);
    let session = sign_in(&t, &t.proxy, &email).await;
    let created = client()
        .post(format!(
            "{}/api/v1/apprenticeships/{apprenticeship}/evidence",
            t.node_a
        ))
        .bearer_auth(&session.access)
        .json(&evidence("Scans of the calibration log"))
        .send()
        .await
        .expect("sent");
    assert_eq!(created.status().as_u16(), 201);
    let evidence_id = created.json::<Value>().await.expect("json")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let bytes = png_with(3 * 1024 * 1024);
    let part = reqwest::multipart::Part::bytes(bytes.clone())
        .file_name("calibration.png")
        .mime_str("image/png")
        .expect("mime");
    let uploaded = client()
        .post(format!(
            "{}/api/v1/evidence/{evidence_id}/attachments",
            t.node_a
        ))
        .bearer_auth(&session.access)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("sent");
    let status = uploaded.status().as_u16();
    let uploaded: Value = uploaded.json().await.expect("json");
    assert_eq!(status, 201, "{uploaded}");
    let expected = hex::encode(Sha256::digest(&bytes));
    assert_eq!(uploaded["sha256"], expected.as_str(), "{uploaded}");
    let attachment = uploaded["id"].as_str().expect("id");

    for base in [&t.node_b, &t.proxy, &t.proxy] {
        let back = client()
            .get(format!(
                "{base}/api/v1/evidence/{evidence_id}/attachments/{attachment}"
            ))
            .bearer_auth(&session.access)
            .send()
            .await
            .expect("sent");
        assert_eq!(back.status().as_u16(), 200, "download through {base}");
        let body = back.bytes().await.expect("body");
        assert_eq!(body.len(), bytes.len());
        assert_eq!(
            hex::encode(Sha256::digest(&body)),
            expected,
            "through {base}"
        );
    }
    // The file is in the shared bucket, not on node A's disk.
    let key = format!("evidence/{evidence_id}/{attachment}");
    let object = client()
        .get(format!("{}/{key}", t.get("S3_URL")))
        .send()
        .await
        .expect("sent");
    assert_eq!(object.status().as_u16(), 200, "{key} in the bucket");
    assert_eq!(object.bytes().await.expect("body").len(), bytes.len());
}
