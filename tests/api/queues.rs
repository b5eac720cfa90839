//! The review queue, the off-the-job queue, the sign-off queue and the caseload: contents, order, scope, and a fixed
//! number of SQL statements whatever the page size.

use serde_json::Value;

use crate::helpers::TestApp;
use crate::helpers::portfolio::{accepted, id, log, sign_off, submit};
use crate::helpers::reviews::{log_otj, review_otj};
use crate::helpers::spawn_app;
use crate::helpers::world::{Person, World, created, user};

pub(crate) async fn get(app: &TestApp, token: &str, path: &str) -> (Value, usize) {
    let response = app.get_as(token, path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let queries: usize = response.headers()["x-db-queries"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("n");
    (response.json().await.expect("json"), queries)
}

#[tokio::test]
async fn the_review_queue_lists_submitted_evidence_in_scope_oldest_first() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let me = &w.a.apprentice.token;
    let first = id(&log(&app, me, &w.a.apprenticeship, "First", &["S7"]).await);
    let second = id(&log(&app, me, &w.a.apprenticeship, "Second", &["K1", "K2"]).await);
    log(&app, me, &w.a.apprenticeship, "Draft only", &["K3"]).await;
    submit(&app, me, &second).await;
    submit(&app, me, &first).await;
    let b = id(&log(
        &app,
        &w.b.apprentice.token,
        &w.b.apprenticeship,
        "Other provider",
        &["S1"],
    )
    .await);
    submit(&app, &w.b.apprentice.token, &b).await;

    let (body, _) = get(&app, &w.a.tutor.token, "/api/v1/review-queue").await;
    let titles: Vec<&str> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["title"].as_str().expect("t"))
        .collect();
    assert_eq!(
        titles,
        vec!["Second", "First"],
        "oldest submission first, A's provider only"
    );
    assert_eq!(body["total"], 2);
    assert_eq!(body["items"][0]["ksbs"], serde_json::json!(["K1", "K2"]));
    assert_eq!(body["items"][0]["apprentice"]["name"], "Apprentice A");
    assert_eq!(
        app.get_as(&w.a.mentor.token, "/api/v1/review-queue")
            .await
            .status()
            .as_u16(),
        403
    );
    assert_eq!(
        app.get_as(&w.a.apprentice.token, "/api/v1/review-queue")
            .await
            .status()
            .as_u16(),
        403
    );
}

#[tokio::test]
async fn the_signoff_queue_lists_evidenced_ksbs_not_yet_signed_off_per_apprentice() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    accepted(
        &app,
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.apprenticeship,
        &["S8", "S7", "K5"],
    )
    .await;
    crate::helpers::portfolio::sign_off(&app, &w.a.mentor.token, &w.a.apprenticeship, "S8").await;
    accepted(
        &app,
        &w.b.apprentice.token,
        &w.b.tutor.token,
        &w.b.apprenticeship,
        &["S1"],
    )
    .await;
    let (body, _) = get(&app, &w.a.mentor.token, "/api/v1/signoff-queue").await;
    assert_eq!(body["total"], 1);
    assert_eq!(
        body["items"][0]["apprenticeship_id"],
        w.a.apprenticeship.as_str()
    );
    assert_eq!(body["items"][0]["ksbs"], serde_json::json!(["K5", "S7"]));
    assert_eq!(
        app.get_as(&w.a.tutor.token, "/api/v1/signoff-queue")
            .await
            .status()
            .as_u16(),
        403
    );
}

#[tokio::test]
async fn the_signoff_queue_gives_each_ksb_its_statement_and_accepted_evidence_in_a_fixed_number_of_statements()
 {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (me, tutor, apprenticeship) =
        (&w.a.apprentice.token, &w.a.tutor.token, &w.a.apprenticeship);
    let first = accepted(&app, me, tutor, apprenticeship, &["S7"]).await;
    // Submitted but not accepted: counts for nothing a mentor signs.
    let pending = id(&log(&app, me, apprenticeship, "Not reviewed yet", &["S7"]).await);
    submit(&app, me, &pending).await;
    let (body, one) = get(&app, &w.a.mentor.token, "/api/v1/signoff-queue").await;
    let waiting = &body["items"][0]["waiting"];
    assert_eq!(waiting.as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(waiting[0]["code"], "S7");
    assert!(
        waiting[0]["text"].as_str().is_some_and(|t| t.len() > 20),
        "the full statement: {waiting}"
    );
    assert_eq!(
        waiting[0]["evidence"],
        serde_json::json!([{
            "id": first, "title": "Accepted work", "kind": "observation", "occurred_on": "2026-01-15",
        }])
    );

    // More KSBs, more evidence per KSB and more apprentices: the same number of statements.
    let second = accepted(&app, me, tutor, apprenticeship, &["S7", "K5"]).await;
    for (token, other) in enrol_many(&app, &w, 3).await {
        accepted(&app, &token, tutor, &other, &["K4", "B2"]).await;
        accepted(&app, &token, tutor, &other, &["K4"]).await;
    }
    let (body, many) = get(&app, &w.a.mentor.token, "/api/v1/signoff-queue?limit=100").await;
    assert_eq!(many, one, "{one} statements for one KSB, {many} for many");
    let items = body["items"].as_array().expect("items");
    assert_eq!(items.len(), 4);
    let mine = items
        .iter()
        .find(|i| i["apprenticeship_id"] == apprenticeship.as_str())
        .expect("A");
    let codes: Vec<&str> = mine["waiting"]
        .as_array()
        .expect("waiting")
        .iter()
        .map(|k| k["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, vec!["K5", "S7"], "standard order, like `ksbs`");
    assert_eq!(mine["ksbs"], serde_json::json!(["K5", "S7"]));
    let s7: Vec<&str> = mine["waiting"][1]["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect();
    assert_eq!(s7.len(), 2, "both accepted items back S7");
    assert!(s7.contains(&first.as_str()) && s7.contains(&second.as_str()));
    let other = items
        .iter()
        .find(|i| i["apprenticeship_id"] != apprenticeship.as_str())
        .expect("another");
    assert_eq!(other["waiting"][0]["code"], "K4");
    assert_eq!(
        other["waiting"][0]["evidence"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(other["waiting"][1]["code"], "B2");
}

/// Enrols `n` more apprentices on side A's provider and employer; returns (token, apprenticeship).
async fn enrol_many(app: &TestApp, w: &World, n: usize) -> Vec<(String, String)> {
    let mut enrolled = Vec::new();
    for i in 0..n {
        let apprentice = crate::helpers::world::user(
            app,
            &w.admin.token,
            "apprentice",
            &w.a.employer_org,
            &format!("Extra {i}"),
        )
        .await;
        let response = app
            .post_as(
                &w.admin.token,
                "/api/v1/apprenticeships",
                &serde_json::json!({
                    "apprentice_id": apprentice.id, "standard": "ST0220",
                    "employer_id": w.a.employer_org, "provider_id": w.a.provider_org,
                    "mentor_id": w.a.mentor.id, "tutor_id": w.a.tutor.id,
                    "start_date": "2025-09-01", "expected_end_date": "2027-08-31",
                }),
            )
            .await;
        assert_eq!(response.status().as_u16(), 201);
        let body: Value = response.json().await.expect("json");
        enrolled.push((apprentice.token, id(&body)));
    }
    enrolled
}

#[tokio::test]
async fn the_caseload_shows_progress_per_duty_sorted_by_progress() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    enrol_many(&app, &w, 1).await;
    accepted(
        &app,
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.apprenticeship,
        &["S7", "K5"],
    )
    .await;
    let (body, _) = get(&app, &w.a.tutor.token, "/api/v1/caseload?sort=-progress").await;
    let items = body["items"].as_array().expect("items");
    assert_eq!(body["total"], 2, "A's provider only");
    assert_eq!(items[0]["apprenticeship_id"], w.a.apprenticeship.as_str());
    assert_eq!(items[0]["totals"]["evidenced"], 2);
    let d2 = items[0]["duties"]
        .as_array()
        .expect("duties")
        .iter()
        .find(|d| d["code"] == "D2")
        .expect("d2");
    assert_eq!(d2["percent_evidenced"].as_f64(), Some(15.4), "2 of D2's 13");
    assert_eq!(items[0]["percent_evidenced"].as_f64(), Some(2.1), "2 of 94");
    assert_eq!(items[1]["totals"]["evidenced"], 0);
    let (ascending, _) = get(&app, &w.a.tutor.token, "/api/v1/caseload?sort=progress").await;
    assert_eq!(
        ascending["items"][1]["apprenticeship_id"],
        w.a.apprenticeship.as_str()
    );
    let (inactive, _) = get(&app, &w.a.tutor.token, "/api/v1/caseload?inactive_days=30").await;
    assert_eq!(inactive["total"], 0, "everyone was active today");
    let (behind, _) = get(&app, &w.a.tutor.token, "/api/v1/caseload?behind_plan=true").await;
    assert_eq!(
        behind["total"], 2,
        "started 2025-09-01 with at most 2 of 94 evidenced: red"
    );
    let (mine, _) = get(&app, &w.a.apprentice.token, "/api/v1/caseload").await;
    assert_eq!(mine["total"], 1);
}

#[tokio::test]
async fn list_endpoints_run_a_fixed_number_of_queries_whatever_the_page_size() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let me = &w.a.apprentice.token;
    // One row in every list: count the statements.
    accepted(&app, me, &w.a.tutor.token, &w.a.apprenticeship, &["S9"]).await;
    let e = id(&log(&app, me, &w.a.apprenticeship, "One", &["S7"]).await);
    submit(&app, me, &e).await;
    let evidence_path = format!("/api/v1/apprenticeships/{}/evidence", w.a.apprenticeship);
    let paths = [
        ("/api/v1/caseload?limit=100", w.a.tutor.token.clone()),
        ("/api/v1/review-queue?limit=100", w.a.tutor.token.clone()),
        ("/api/v1/signoff-queue?limit=100", w.a.mentor.token.clone()),
        ("/api/v1/apprenticeships?limit=100", w.a.tutor.token.clone()),
        ("/api/v1/users?limit=100", w.a.tutor.token.clone()),
        (evidence_path.as_str(), me.clone()),
    ];
    let mut before = Vec::new();
    for (path, token) in &paths {
        before.push(get(&app, token, path).await.1);
    }
    // Many more rows of every kind.
    for (token, apprenticeship) in enrol_many(&app, &w, 4).await {
        accepted(
            &app,
            &token,
            &w.a.tutor.token,
            &apprenticeship,
            &["K4", "B2"],
        )
        .await;
        let e = id(&log(&app, &token, &apprenticeship, "Waiting", &["S7", "K1"]).await);
        submit(&app, &token, &e).await;
    }
    for i in 0..4 {
        let e = id(&log(
            &app,
            me,
            &w.a.apprenticeship,
            &format!("More {i}"),
            &["S7", "K1"],
        )
        .await);
        submit(&app, me, &e).await;
    }
    for ((path, token), queries) in paths.iter().zip(before) {
        let (body, after) = get(&app, token, path).await;
        assert!(
            body["items"].as_array().expect("items").len() > 1,
            "{path} has many rows now"
        );
        assert_eq!(
            after, queries,
            "{path}: {queries} statements with one row, {after} with many"
        );
    }
}

/// A second tutor, mentor and apprentice at side A's provider and employer, enrolled by the
/// admin: side A's organisations now hold two apprenticeships with different people responsible.
pub(crate) async fn colleagues(app: &TestApp, w: &World) -> (Person, Person, Person, String) {
    let admin = &w.admin.token;
    let tutor = user(app, admin, "provider", &w.a.provider_org, "Tutor A2").await;
    let mentor = user(app, admin, "employer", &w.a.employer_org, "Mentor A2").await;
    let apprentice = user(app, admin, "apprentice", &w.a.employer_org, "Apprentice A2").await;
    let apprenticeship = id(&created(
        app.post_as(
            admin,
            "/api/v1/apprenticeships",
            &serde_json::json!({
                "apprentice_id": apprentice.id, "standard": "ST0220",
                "employer_id": w.a.employer_org, "provider_id": w.a.provider_org,
                "mentor_id": mentor.id, "tutor_id": tutor.id,
                "start_date": "2025-09-01", "expected_end_date": "2027-08-31",
            }),
        )
        .await,
    )
    .await);
    (tutor, mentor, apprentice, apprenticeship)
}

fn apprentices_of(body: &Value) -> Vec<String> {
    let mut names: Vec<String> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["apprentice"]["name"].as_str().expect("name").to_string())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn queues_and_caseload_show_your_own_apprentices_unless_you_ask_for_the_organisation() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (tutor2, mentor2, apprentice2, apprenticeship2) = colleagues(&app, &w).await;
    for (token, apprenticeship) in [
        (&w.a.apprentice.token, &w.a.apprenticeship),
        (&apprentice2.token, &apprenticeship2),
    ] {
        let evidence = id(&log(&app, token, apprenticeship, "Submitted", &["K1"]).await);
        submit(&app, token, &evidence).await;
    }
    accepted(
        &app,
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.apprenticeship,
        &["S1"],
    )
    .await;
    accepted(
        &app,
        &apprentice2.token,
        &tutor2.token,
        &apprenticeship2,
        &["S1"],
    )
    .await;

    let both = vec!["Apprentice A".to_string(), "Apprentice A2".to_string()];
    for (who, token, path, mine) in [
        (
            "tutor A",
            &w.a.tutor.token,
            "/api/v1/review-queue",
            "Apprentice A",
        ),
        (
            "tutor A2",
            &tutor2.token,
            "/api/v1/review-queue",
            "Apprentice A2",
        ),
        (
            "tutor A",
            &w.a.tutor.token,
            "/api/v1/caseload",
            "Apprentice A",
        ),
        (
            "mentor A",
            &w.a.mentor.token,
            "/api/v1/signoff-queue",
            "Apprentice A",
        ),
        (
            "mentor A2",
            &mentor2.token,
            "/api/v1/signoff-queue",
            "Apprentice A2",
        ),
        (
            "mentor A2",
            &mentor2.token,
            "/api/v1/caseload",
            "Apprentice A2",
        ),
    ] {
        let (default, default_queries) = get(&app, token, path).await;
        let (explicit, _) = get(&app, token, &format!("{path}?scope=mine")).await;
        let (organisation, organisation_queries) =
            get(&app, token, &format!("{path}?scope=organisation")).await;
        assert_eq!(
            apprentices_of(&default),
            vec![mine.to_string()],
            "{who} {path}"
        );
        assert_eq!(default["total"], 1, "{who} {path}");
        assert_eq!(
            apprentices_of(&explicit),
            vec![mine.to_string()],
            "{who} {path}"
        );
        assert_eq!(apprentices_of(&organisation), both, "{who} {path}");
        assert_eq!(default_queries, organisation_queries, "{who} {path}");
    }
    // An unknown scope names the parameter.
    let response = app
        .get_as(&w.a.tutor.token, "/api/v1/caseload?scope=everyone")
        .await;
    let body = crate::helpers::app::assert_problem(response, 422).await;
    assert_eq!(body["errors"][0]["field"], "scope");
}

#[tokio::test]
async fn only_the_apprenticeships_own_mentor_signs_off_and_the_refusal_names_them() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (_, mentor2, _, _) = colleagues(&app, &w).await;
    accepted(
        &app,
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.apprenticeship,
        &["S1"],
    )
    .await;
    let (status, body) = sign_off(&app, &mentor2.token, &w.a.apprenticeship, "S1").await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("Mentor A")),
        "{body}"
    );
    let (status, body) = sign_off(&app, &w.a.mentor.token, &w.a.apprenticeship, "S1").await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn an_admin_reassigns_the_mentor_and_the_sign_off_moves_with_them() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let (_, mentor2, _, _) = colleagues(&app, &w).await;
    accepted(
        &app,
        &w.a.apprentice.token,
        &w.a.tutor.token,
        &w.a.apprenticeship,
        &["S1", "S2"],
    )
    .await;
    let path = format!("/api/v1/apprenticeships/{}", w.a.apprenticeship);
    let etag = app.get_as(&w.admin.token, &path).await.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_string();
    let response = app
        .as_user(&w.admin.token, reqwest::Method::PATCH, &path)
        .header("If-Match", etag)
        .json(&serde_json::json!({ "mentor_id": mentor2.id }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let (status, _) = sign_off(&app, &w.a.mentor.token, &w.a.apprenticeship, "S1").await;
    assert_eq!(status, 403, "the former mentor no longer signs off");
    let (status, body) = sign_off(&app, &mentor2.token, &w.a.apprenticeship, "S1").await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn the_otj_queue_lists_pending_entries_in_scope_longest_waiting_first() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let me = &w.a.apprentice.token;
    let first = id(&log_otj(&app, me, &w.a.apprenticeship, "2026-01-05", 30)
        .await
        .1);
    let second = id(&log_otj(&app, me, &w.a.apprenticeship, "2026-01-06", 45)
        .await
        .1);
    let decided = id(&log_otj(&app, me, &w.a.apprenticeship, "2026-01-07", 60)
        .await
        .1);
    assert_eq!(
        review_otj(&app, &w.a.tutor.token, &decided, "approved", None)
            .await
            .0,
        200
    );
    let (status, _) = log_otj(
        &app,
        &w.b.apprentice.token,
        &w.b.apprenticeship,
        "2026-01-05",
        30,
    )
    .await;
    assert_eq!(status, 201);

    let (body, _) = get(&app, &w.a.tutor.token, "/api/v1/otj-queue").await;
    let entries: Vec<&str> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["entry_id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        entries,
        vec![first.as_str(), second.as_str()],
        "pending only, oldest first, A's provider only"
    );
    assert_eq!(body["total"], 2);
    assert_eq!(body["items"][1]["minutes"], 45);
    assert_eq!(body["items"][1]["activity"], "taught_session");
    assert_eq!(body["items"][1]["apprentice"]["name"], "Apprentice A");
    assert_eq!(body["items"][1]["apprenticeship_id"], w.a.apprenticeship);
    for token in [&w.a.mentor.token, me] {
        assert_eq!(
            app.get_as(token, "/api/v1/otj-queue")
                .await
                .status()
                .as_u16(),
            403
        );
    }
}

#[tokio::test]
async fn the_otj_queue_runs_a_fixed_number_of_statements_whatever_the_page_size() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let path = "/api/v1/otj-queue?limit=100";
    let me = &w.a.apprentice.token;
    log_otj(&app, me, &w.a.apprenticeship, "2026-01-05", 30).await;
    let (one, before) = get(&app, &w.a.tutor.token, path).await;
    assert_eq!(one["total"], 1);
    for (token, apprenticeship) in enrol_many(&app, &w, 4).await {
        for day in ["2026-01-05", "2026-01-06"] {
            assert_eq!(log_otj(&app, &token, &apprenticeship, day, 30).await.0, 201);
        }
    }
    let (many, after) = get(&app, &w.a.tutor.token, path).await;
    assert_eq!(many["total"], 9);
    assert_eq!(
        after, before,
        "{before} statements with one entry, {after} with nine"
    );
}
