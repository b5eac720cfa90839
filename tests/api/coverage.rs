//! Coverage per KSB and per duty, on a scripted portfolio with hand-computed figures, and the
//! kept status table against a recomputation from the raw rows.

use serde_json::{Value, json};

use crate::helpers::portfolio::{
    accepted, act, coverage, id, log, review, sign_off, submit, withdraw,
};
use crate::helpers::spawn_app;
use crate::helpers::world::World;

fn duty<'a>(body: &'a Value, code: &str) -> &'a Value {
    body["duties"]
        .as_array()
        .expect("duties")
        .iter()
        .find(|d| d["code"] == code)
        .expect("duty")
}

fn ksb<'a>(body: &'a Value, code: &str) -> &'a Value {
    body["ksbs"]
        .as_array()
        .expect("ksbs")
        .iter()
        .find(|k| k["code"] == code)
        .expect("ksb")
}

/// The script: S7+K5 accepted and S7 signed off; B6 accepted; B4 accepted, signed off, revoked;
/// K1 submitted; K2 sent back; S1 a draft; K3 withdrawn.
async fn scripted(app: &crate::helpers::TestApp, w: &World) {
    let (me, tutor, mentor, a) = (
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.mentor.token,
        &w.a.apprenticeship,
    );
    accepted(app, me, tutor, a, &["S7", "K5"]).await;
    assert_eq!(sign_off(app, mentor, a, "S7").await.0, 201);
    accepted(app, me, tutor, a, &["B6"]).await;
    accepted(app, me, tutor, a, &["B4"]).await;
    let (status, b4) = sign_off(app, mentor, a, "B4").await;
    assert_eq!(status, 201);
    let path = format!("/api/v1/apprenticeships/{a}/signoffs/{}/revoke", id(&b4));
    assert_eq!(
        act(
            app,
            mentor,
            &path,
            Some(json!({ "reason": "Signed the wrong KSB" }))
        )
        .await
        .0,
        200
    );
    let k1 = id(&log(app, me, a, "K1", &["K1"]).await);
    submit(app, me, &k1).await;
    let k2 = id(&log(app, me, a, "K2", &["K2"]).await);
    submit(app, me, &k2).await;
    review(app, tutor, &k2, "changes_requested", "More please").await;
    log(app, me, a, "S1", &["S1"]).await;
    let k3 = id(&log(app, me, a, "K3", &["K3"]).await);
    submit(app, me, &k3).await;
    withdraw(app, me, &k3, "Wrong apprenticeship").await;
}

#[tokio::test]
async fn coverage_of_a_scripted_portfolio_matches_hand_computed_figures() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    scripted(&app, &w).await;
    let body = coverage(&app, &w.a.apprentice.token, &w.a.apprenticeship).await;

    assert_eq!(body["standard"], "ST0220");
    assert_eq!(body["mapping"]["status"], "provisional");
    assert_eq!(
        body["totals"],
        json!({ "ksbs": 94, "not_started": 87, "in_progress": 3, "evidenced": 3, "signed_off": 1 })
    );
    let codes: Vec<&str> = body["duties"]
        .as_array()
        .expect("d")
        .iter()
        .map(|d| d["code"].as_str().expect("c"))
        .collect();
    assert_eq!(
        codes,
        vec!["D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10"]
    );
    // D1 = K1 K2 K3 K4 S1 S2 S3 S4 B4 B6: K1, K2, S1 in progress; B4, B6 evidenced.
    assert_eq!(
        duty(&body, "D1"),
        &json!({ "code": "D1", "text": duty(&body, "D1")["text"], "ksbs": 10, "not_started": 5, "in_progress": 3,
                 "evidenced": 2, "signed_off": 0, "percent_evidenced": 20.0, "percent_signed_off": 0.0 })
    );
    // D2 = K5–K10 S5–S10 B6: S7 signed off; K5 and B6 evidenced.
    let d2 = duty(&body, "D2");
    assert_eq!(
        (
            d2["ksbs"].as_i64(),
            d2["signed_off"].as_i64(),
            d2["evidenced"].as_i64(),
            d2["not_started"].as_i64()
        ),
        (Some(13), Some(1), Some(2), Some(10))
    );
    assert_eq!(
        (
            d2["percent_evidenced"].as_f64(),
            d2["percent_signed_off"].as_f64()
        ),
        (Some(23.1), Some(7.7))
    );
    // B4 (revoked, still accepted) counts as evidenced in D5 (12 KSBs) and D6 (15 KSBs).
    assert_eq!(duty(&body, "D5")["percent_evidenced"].as_f64(), Some(8.3));
    assert_eq!(duty(&body, "D6")["percent_evidenced"].as_f64(), Some(6.7));
    assert_eq!(duty(&body, "D3")["not_started"].as_i64(), Some(13));

    assert_eq!(ksb(&body, "S7")["status"], "signed_off");
    assert_eq!(
        ksb(&body, "S7")["signed_off_by"]["id"],
        w.a.mentor.id.as_str()
    );
    assert_eq!(ksb(&body, "B4")["status"], "evidenced");
    assert!(ksb(&body, "B4")["signed_off_at"].is_null());
    assert_eq!(
        ksb(&body, "K2")["evidence"],
        json!({ "draft": 0, "submitted": 0, "accepted": 0, "changes_requested": 1 })
    );
    assert_eq!(
        ksb(&body, "K3")["status"],
        "not_started",
        "withdrawn evidence counts nowhere"
    );
    assert_eq!(
        ksb(&body, "K3")["evidence"],
        json!({ "draft": 0, "submitted": 0, "accepted": 0, "changes_requested": 0 })
    );
    assert_eq!(ksb(&body, "K5")["kind"], "knowledge");
}

#[tokio::test]
async fn the_kept_statuses_always_equal_a_recomputation_from_the_raw_rows() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    scripted(&app, &w).await;
    // Edits that move evidence between KSBs, and a deleted draft, must leave nothing stale.
    let (me, a) = (&w.a.apprentice.token, &w.a.apprenticeship);
    let moved = id(&log(&app, me, a, "Moved", &["K40", "K41"]).await);
    let response = app
        .as_user(
            me,
            reqwest::Method::PATCH,
            &format!("/api/v1/evidence/{moved}"),
        )
        .header("if-match", "\"1\"")
        .json(&json!({ "ksbs": ["K42"] }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let gone = id(&log(&app, me, a, "Gone", &["K43"]).await);
    let response = app
        .as_user(
            me,
            reqwest::Method::DELETE,
            &format!("/api/v1/evidence/{gone}"),
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 204);
    let body = coverage(&app, me, a).await;
    assert_eq!(ksb(&body, "K40")["status"], "not_started");
    assert_eq!(ksb(&body, "K42")["status"], "in_progress");
    assert_eq!(ksb(&body, "K43")["status"], "not_started");
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use ksbfolio::db::schema::{apprenticeships, ksb_statuses};
    let mut conn = app.db.connect().await;
    let ids: Vec<(uuid::Uuid, uuid::Uuid)> = apprenticeships::table
        .select((apprenticeships::id, apprenticeships::standard_id))
        .load(&mut conn)
        .await
        .expect("apprenticeships");
    assert_eq!(ids.len(), 2);
    for (apprenticeship, standard) in ids {
        // With since when each evidenced KSB has been so (B4: since its sign-off's revocation).
        type Row = (uuid::Uuid, String, Option<chrono::DateTime<chrono::Utc>>);
        let mut recomputed: Vec<Row> = ksbfolio::db::ksb_statuses::compute(
            &conn,
            apprenticeship,
            standard,
            ksbfolio::db::ksb_statuses::KsbSelection::All,
        )
        .await
        .expect("compute")
        .into_iter()
        .map(|r| (r.ksb_id, r.status.as_str().to_string(), r.evidenced_at))
        .collect();
        let mut kept: Vec<Row> = ksb_statuses::table
            .filter(ksb_statuses::apprenticeship_id.eq(apprenticeship))
            .select((
                ksb_statuses::ksb_id,
                ksb_statuses::status,
                ksb_statuses::evidenced_at,
            ))
            .load(&mut conn)
            .await
            .expect("kept");
        recomputed.sort();
        kept.sort();
        assert_eq!(kept.len(), 94);
        assert_eq!(kept, recomputed);
        let statuses: Vec<(uuid::Uuid, String)> = recomputed
            .into_iter()
            .map(|(ksb, status, _)| (ksb, status))
            .collect();
        assert_progress_is_recomputed(&mut conn, apprenticeship, standard, &statuses).await;
    }
}

#[tokio::test]
async fn concurrent_changes_to_one_ksb_are_all_counted() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor, a) = (&w.a.apprentice.token, &w.a.tutor.token, &w.a.apprenticeship);
    // Two pieces of evidence already submitted on K1, then, all at once: six new drafts on K1
    // and both submitted pieces accepted.
    let first = id(&log(&app, me, a, "First", &["K1", "K2"]).await);
    let second = id(&log(&app, me, a, "Second", &["K1"]).await);
    assert_eq!(submit(&app, me, &first).await.0, 200);
    assert_eq!(submit(&app, me, &second).await.0, 200);
    let titles: Vec<String> = (0..6).map(|i| format!("Draft {i}")).collect();
    let drafts = titles.iter().map(|t| log(&app, me, a, t, &["K1"]));
    let reviews = [&first, &second].map(|e| review(&app, tutor, e, "accepted", "Good."));
    let (_, statuses) = tokio::join!(
        futures_util::future::join_all(drafts),
        futures_util::future::join_all(reviews)
    );
    assert!(statuses.iter().all(|(s, _)| *s == 200), "{statuses:?}");
    let body = coverage(&app, me, a).await;
    assert_eq!(
        ksb(&body, "K1")["evidence"],
        json!({ "draft": 6, "submitted": 0, "accepted": 2, "changes_requested": 0 })
    );
    assert_eq!(ksb(&body, "K1")["status"], "evidenced");
    assert_eq!(ksb(&body, "K2")["status"], "evidenced");
    assert_eq!(body["totals"]["evidenced"].as_i64(), Some(2));
}

/// The kept progress (per apprenticeship and per duty) equals what the domain rules give for
/// the recomputed statuses.
async fn assert_progress_is_recomputed(
    conn: &mut diesel_async::AsyncPgConnection,
    apprenticeship: uuid::Uuid,
    standard: uuid::Uuid,
    statuses: &[(uuid::Uuid, String)],
) {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use ksbfolio::db::schema::{apprenticeships, duties, duty_progress, ksbs};
    use ksbfolio::domain::coverage::{KsbStatus, Totals};
    let codes: std::collections::HashMap<uuid::Uuid, String> = ksbs::table
        .filter(ksbs::standard_id.eq(standard))
        .select((ksbs::id, ksbs::code))
        .load(conn)
        .await
        .expect("ksbs")
        .into_iter()
        .collect();
    let by_code: std::collections::HashMap<String, KsbStatus> = statuses
        .iter()
        .map(|(id, s)| (codes[id].clone(), KsbStatus::parse(s).expect("status")))
        .collect();
    let totals = Totals::count(by_code.values());
    let kept: (i32, i32, i32, i32) = apprenticeships::table
        .find(apprenticeship)
        .select((
            apprenticeships::ksbs_total,
            apprenticeships::ksbs_in_progress,
            apprenticeships::ksbs_evidenced,
            apprenticeships::ksbs_signed_off,
        ))
        .first(conn)
        .await
        .expect("kept totals");
    assert_eq!(
        kept,
        (
            totals.ksbs,
            totals.in_progress,
            totals.evidenced,
            totals.signed_off
        )
    );
    let content = ksbfolio::db::catalogue::find_by_id(conn, standard)
        .await
        .expect("standard")
        .expect("exists");
    let content = ksbfolio::db::catalogue::load_content(conn, content)
        .await
        .expect("content");
    let defs: Vec<ksbfolio::domain::coverage::DutyDef> = content
        .duties
        .iter()
        .map(|d| ksbfolio::domain::coverage::DutyDef {
            code: d.code.clone(),
            text: d.text.clone(),
            ksbs: content
                .links
                .iter()
                .filter(|(duty, _)| *duty == d.code)
                .map(|(_, k)| k.clone())
                .collect(),
        })
        .collect();
    let mut expected: Vec<(String, i32, i32, i32)> =
        ksbfolio::domain::coverage::duty_coverage(&defs, &by_code)
            .into_iter()
            .map(|d| (d.code, d.ksbs, d.evidenced, d.signed_off))
            .collect();
    let mut kept: Vec<(String, i32, i32, i32)> = duty_progress::table
        .inner_join(duties::table)
        .filter(duty_progress::apprenticeship_id.eq(apprenticeship))
        .select((
            duties::code,
            duty_progress::ksbs,
            duty_progress::evidenced,
            duty_progress::signed_off,
        ))
        .load(conn)
        .await
        .expect("kept duties");
    expected.sort();
    kept.sort();
    assert_eq!(kept.len(), 10);
    assert_eq!(kept, expected);
}

#[tokio::test]
async fn new_official_links_move_duty_coverage_without_losing_evidence() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    accepted(
        &app,
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.apprenticeship,
        &["S7"],
    )
    .await;
    let before = coverage(&app, &w.a.apprentice.token, &w.a.apprenticeship).await;
    assert_eq!(duty(&before, "D2")["evidenced"].as_i64(), Some(1));
    // Move S7 from D2 to D3 in a re-import of the same version.
    let mut file: Value =
        serde_json::from_str(include_str!("../../data/standards/ST0220.json")).expect("json");
    file["duties"][1]["ksbs"]
        .as_array_mut()
        .expect("d2")
        .retain(|k| k != "S7");
    file["duties"][2]["ksbs"]
        .as_array_mut()
        .expect("d3")
        .push("S7".into());
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("official.json"), file.to_string()).expect("write");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ksbfolio"))
        .args(["standards", "import"])
        .arg(dir.path().join("official.json"))
        .env("DATABASE_URL", &app.db.url)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let after = coverage(&app, &w.a.apprentice.token, &w.a.apprenticeship).await;
    assert_eq!(duty(&after, "D2")["evidenced"].as_i64(), Some(0));
    assert_eq!(duty(&after, "D3")["evidenced"].as_i64(), Some(1));
    assert_eq!(ksb(&after, "S7")["status"], "evidenced");
    assert_eq!(after["totals"], before["totals"]);
    // The caseload's kept duty progress follows the new links too.
    let caseload: Value = app
        .as_user(&w.a.tutor.token, reqwest::Method::GET, "/api/v1/caseload")
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let row = caseload["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["apprenticeship_id"] == w.a.apprenticeship.as_str())
        .expect("in the caseload");
    let percent = |code: &str| {
        row["duties"]
            .as_array()
            .expect("duties")
            .iter()
            .find(|d| d["code"] == code)
            .expect("duty")["percent_evidenced"]
            .as_f64()
    };
    assert_eq!(
        percent("D2"),
        duty(&after, "D2")["percent_evidenced"].as_f64()
    );
    assert_eq!(
        percent("D3"),
        duty(&after, "D3")["percent_evidenced"].as_f64()
    );
    assert!(percent("D3") > Some(0.0));
}
