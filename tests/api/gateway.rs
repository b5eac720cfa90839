//! The gateway: readiness computed from scripted portfolios (each check met and unmet), the
//! declarations in order, the freeze and its withdrawal, stale declarations, and who may act.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::portfolio::{accepted, act, log, sign_off};
use crate::helpers::reviews::{create_review, log_otj, review_otj, set_plan, sign};
use crate::helpers::world::{Side, World, id};
use crate::helpers::{TestApp, spawn_app};

/// Every KSB code of ST0220.
fn all_codes() -> Vec<String> {
    let mut codes: Vec<String> = (1..=44).map(|n| format!("K{n}")).collect();
    codes.extend((1..=44).map(|n| format!("S{n}")));
    codes.extend((1..=6).map(|n| format!("B{n}")));
    codes
}

async fn gateway(app: &TestApp, token: &str, apprenticeship: &str) -> (u16, Value, usize) {
    let response = app
        .get_as(
            token,
            &format!("/api/v1/apprenticeships/{apprenticeship}/gateway"),
        )
        .await;
    let status = response.status().as_u16();
    let queries = response
        .headers()
        .get("x-db-queries")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("X-Db-Queries header");
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body, queries)
}

fn check<'a>(body: &'a Value, code: &str) -> &'a Value {
    body["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no check {code} in {body}"))
}

async fn declare(app: &TestApp, token: &str, apprenticeship: &str) -> (u16, Value) {
    act(
        app,
        token,
        &format!("/api/v1/apprenticeships/{apprenticeship}/gateway/declarations"),
        None,
    )
    .await
}

async fn english_maths(
    app: &TestApp,
    token: &str,
    apprenticeship: &str,
    body: Value,
) -> (u16, Value) {
    let response = app
        .as_user(
            token,
            Method::PUT,
            &format!("/api/v1/apprenticeships/{apprenticeship}/english-maths"),
        )
        .json(&body)
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Accepted evidence for every KSB, in batches of ten.
async fn evidence_everything(app: &TestApp, side: &Side) {
    let codes = all_codes();
    for batch in codes.chunks(10) {
        let refs: Vec<&str> = batch.iter().map(String::as_str).collect();
        accepted(
            app,
            &side.apprentice.token,
            &side.tutor.token,
            &side.apprenticeship,
            &refs,
        )
        .await;
    }
}

/// The employer signs off every skill and behaviour.
async fn sign_off_skills_and_behaviours(app: &TestApp, side: &Side) {
    for code in all_codes().iter().filter(|c| !c.starts_with('K')) {
        let (status, body) = sign_off(app, &side.mentor.token, &side.apprenticeship, code).await;
        assert_eq!(status, 201, "{code}: {body}");
    }
}

/// 187 hours planned and 192 approved (16 days of 12 hours).
async fn deliver_the_otj_plan(app: &TestApp, side: &Side) {
    let (status, body) = set_plan(
        app,
        &side.tutor.token,
        &side.apprenticeship,
        json!({ "planned_otj_hours": 187 }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for day in 5..=20 {
        let (status, entry) = log_otj(
            app,
            &side.apprentice.token,
            &side.apprenticeship,
            &format!("2026-01-{day:02}"),
            720,
        )
        .await;
        assert_eq!(status, 201, "{entry}");
        review_otj(app, &side.tutor.token, &id(&entry), "approved", None).await;
    }
}

/// A review held a fortnight ago, signed by all three.
async fn hold_a_signed_review(app: &TestApp, side: &Side) {
    let held_on = (chrono::Utc::now().date_naive() - chrono::Duration::days(14)).to_string();
    let review = id(&create_review(app, &side.tutor.token, &side.apprenticeship, &held_on).await);
    for token in [
        &side.apprentice.token,
        &side.mentor.token,
        &side.tutor.token,
    ] {
        assert_eq!(sign(app, token, &review).await.0, 201);
    }
}

async fn record_english_and_maths(app: &TestApp, side: &Side) {
    let (status, body) = english_maths(
        app,
        &side.tutor.token,
        &side.apprenticeship,
        json!({ "english": "achieved", "maths": "exempt", "note": "GCSE grade 6; maths exempt (A level)." }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

async fn ready_portfolio(app: &TestApp, side: &Side) {
    evidence_everything(app, side).await;
    sign_off_skills_and_behaviours(app, side).await;
    deliver_the_otj_plan(app, side).await;
    hold_a_signed_review(app, side).await;
    record_english_and_maths(app, side).await;
}

#[tokio::test]
async fn each_check_says_what_is_missing_until_the_portfolio_meets_it() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a;
    // The first read fills the in-process catalogue cache; count from the second.
    gateway(&app, &a.tutor.token, &a.apprenticeship).await;
    let (status, body, empty_queries) = gateway(&app, &a.tutor.token, &a.apprenticeship).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["ready"].clone(), body["state"].clone()),
        (json!(false), json!("on_programme"))
    );
    let evidenced = check(&body, "all_ksbs_evidenced");
    assert_eq!(evidenced["met"], false);
    assert_eq!(evidenced["missing"].as_array().map(Vec::len), Some(94));
    assert!(
        evidenced["detail"]
            .as_str()
            .expect("detail")
            .starts_with("94 of the 94 KSBs have no accepted evidence yet: K1, K2"),
        "{evidenced}"
    );
    assert_eq!(
        check(&body, "skills_behaviours_signed_off")["missing"]
            .as_array()
            .map(Vec::len),
        Some(50)
    );
    assert!(
        check(&body, "otj_plan_met")["detail"]
            .as_str()
            .expect("d")
            .starts_with("No off-the-job training plan")
    );
    // Started 1 September 2025 with no review since: the first was due by 31 December 2025.
    assert_eq!(
        check(&body, "reviews_current")["detail"],
        "The progress review due by 31 December 2025 is overdue."
    );
    assert_eq!(
        check(&body, "english_maths")["missing"],
        json!(["english", "maths"])
    );

    evidence_everything(&app, a).await;
    let (_, body, _) = gateway(&app, &a.tutor.token, &a.apprenticeship).await;
    assert_eq!(check(&body, "all_ksbs_evidenced")["met"], true);
    assert_eq!(check(&body, "skills_behaviours_signed_off")["met"], false);

    sign_off_skills_and_behaviours(&app, a).await;
    let (_, body, _) = gateway(&app, &a.tutor.token, &a.apprenticeship).await;
    assert_eq!(check(&body, "skills_behaviours_signed_off")["met"], true);
    assert_eq!(
        check(&body, "skills_behaviours_signed_off")["detail"],
        "The employer has signed off all 50 skills and behaviours."
    );

    set_plan(
        &app,
        &a.tutor.token,
        &a.apprenticeship,
        json!({ "planned_otj_hours": 187 }),
    )
    .await;
    let (_, entry) = log_otj(
        &app,
        &a.apprentice.token,
        &a.apprenticeship,
        "2026-02-02",
        90,
    )
    .await;
    review_otj(&app, &a.tutor.token, &id(&entry), "approved", None).await;
    let (_, body, _) = gateway(&app, &a.tutor.token, &a.apprenticeship).await;
    assert_eq!(
        check(&body, "otj_plan_met")["detail"],
        "1 hour 30 minutes of off-the-job training approved against the 187 hours planned; \
         185 hours 30 minutes more to be logged and approved."
    );

    // A review held but not yet signed by all three keeps the check unmet.
    let held_on = (chrono::Utc::now().date_naive() - chrono::Duration::days(3)).to_string();
    let review = id(&create_review(&app, &a.tutor.token, &a.apprenticeship, &held_on).await);
    sign(&app, &a.apprentice.token, &review).await;
    let (_, body, _) = gateway(&app, &a.tutor.token, &a.apprenticeship).await;
    assert_eq!(
        check(&body, "reviews_current")["detail"],
        "1 progress review is not yet signed by all three parties."
    );
    sign(&app, &a.mentor.token, &review).await;
    sign(&app, &a.tutor.token, &review).await;

    let (status, body) = english_maths(
        &app,
        &a.tutor.token,
        &a.apprenticeship,
        json!({ "english": "achieved", "maths": "pending" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(check(&body, "english_maths")["missing"], json!(["maths"]));
    assert_eq!(check(&body, "reviews_current")["met"], true);
    assert_eq!(body["english_maths"]["recorded_by"]["name"], "Tutor A");

    deliver_the_otj_plan(&app, a).await;
    record_english_and_maths(&app, a).await;
    let (_, body, full_queries) = gateway(&app, &a.mentor.token, &a.apprenticeship).await;
    assert_eq!(
        (body["ready"].clone(), body["state"].clone()),
        (json!(true), json!("ready")),
        "{body}"
    );
    assert_eq!(body["next_to_declare"], "provider");
    assert!(
        body["checks"]
            .as_array()
            .expect("c")
            .iter()
            .all(|c| c["missing"] == json!([]))
    );
    assert_eq!(
        empty_queries, full_queries,
        "a fixed number of statements, whatever the portfolio holds"
    );
}

#[tokio::test]
async fn declarations_go_provider_apprentice_employer_and_freeze_the_portfolio_until_withdrawn() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a;
    ready_portfolio(&app, a).await;
    let (status, body) = declare(&app, &a.mentor.token, &a.apprenticeship).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        body["detail"],
        "The training provider declares first; then the employer can declare."
    );
    assert_eq!(
        declare(&app, &w.admin.token, &a.apprenticeship).await.0,
        403
    );
    assert_eq!(
        declare(&app, &w.b.tutor.token, &a.apprenticeship).await.0,
        404
    );
    let (status, body) = declare(&app, &a.tutor.token, &a.apprenticeship).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["next_to_declare"], "apprentice");
    let (status, body) = declare(&app, &a.tutor.token, &a.apprenticeship).await;
    assert_eq!(status, 409);
    assert_eq!(
        body["detail"],
        "Tutor A has already declared for the training provider; each party declares once."
    );
    assert_eq!(
        declare(&app, &a.mentor.token, &a.apprenticeship).await.0,
        409
    );
    assert_eq!(
        declare(&app, &a.apprentice.token, &a.apprenticeship)
            .await
            .0,
        201
    );
    let (status, body) = declare(&app, &a.mentor.token, &a.apprenticeship).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["state"], "declared");
    assert!(body["declared_at"].is_string());
    assert_eq!(body["next_to_declare"], Value::Null);
    let declarations = body["declarations"].as_array().expect("declarations");
    assert_eq!(
        declarations
            .iter()
            .map(|d| d["role"].as_str().expect("role"))
            .collect::<Vec<_>>(),
        ["provider", "apprentice", "employer"]
    );
    assert!(
        declarations
            .iter()
            .all(|d| d["current"] == true && d["content_sha256"] == body["content_sha256"])
    );

    // Frozen: evidence, OTJ time, sign-offs and English and maths all answer 409.
    let path = format!("/api/v1/apprenticeships/{}/evidence", a.apprenticeship);
    let response = app
        .post_as(
            &a.apprentice.token,
            &path,
            &json!({ "title": "Late", "description": "More.", "kind": "observation", "occurred_on": "2026-01-15", "ksbs": ["K1"] }),
        )
        .await;
    assert_eq!(response.status().as_u16(), 409);
    let problem: Value = response.json().await.expect("json");
    assert_eq!(problem["code"], "at_gateway");
    assert!(
        problem["detail"]
            .as_str()
            .expect("d")
            .contains("the portfolio is frozen")
    );
    let (status, body) = log_otj(
        &app,
        &a.apprentice.token,
        &a.apprenticeship,
        "2026-02-02",
        60,
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (409, Some("at_gateway")));
    let signoffs = format!("/api/v1/apprenticeships/{}/signoffs", a.apprenticeship);
    let listed: Value = app
        .get_as(&a.mentor.token, &signoffs)
        .await
        .json()
        .await
        .expect("json");
    let first = id(&listed["items"][0]);
    let (status, body) = act(
        &app,
        &a.mentor.token,
        &format!("{signoffs}/{first}/revoke"),
        Some(json!({ "reason": "Wrong KSB." })),
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (409, Some("at_gateway")));
    let (status, _) = english_maths(
        &app,
        &a.tutor.token,
        &a.apprenticeship,
        json!({ "english": "pending", "maths": "pending" }),
    )
    .await;
    assert_eq!(status, 409);

    // Withdrawal: provider staff, with a reason; the declarations are kept, void.
    let withdraw = format!(
        "/api/v1/apprenticeships/{}/gateway/withdraw",
        a.apprenticeship
    );
    assert_eq!(
        act(
            &app,
            &a.apprentice.token,
            &withdraw,
            Some(json!({ "reason": "x" }))
        )
        .await
        .0,
        403
    );
    let (status, body) = act(
        &app,
        &a.tutor.token,
        &withdraw,
        Some(json!({ "reason": "" })),
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["field"].as_str()),
        (422, Some("reason"))
    );
    let (status, body) = act(
        &app,
        &a.tutor.token,
        &withdraw,
        Some(json!({ "reason": "The assessment organisation asked for a further observation." })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["state"].clone(), body["declared_at"].clone()),
        (json!("ready"), Value::Null)
    );
    assert!(
        body["declarations"]
            .as_array()
            .expect("d")
            .iter()
            .all(|d| d["current"] == false && d["voided_at"].is_string())
    );
    assert_eq!(
        act(
            &app,
            &a.tutor.token,
            &withdraw,
            Some(json!({ "reason": "again" }))
        )
        .await
        .0,
        409
    );
    log(
        &app,
        &a.apprentice.token,
        &a.apprenticeship,
        "A further observation",
        &["S1"],
    )
    .await;

    let audit: Value = app
        .get_as(
            &w.admin.token,
            &format!(
                "/api/v1/audit?entity_type=apprenticeship&entity_id={}",
                a.apprenticeship
            ),
        )
        .await
        .json()
        .await
        .expect("json");
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|r| r["action"].as_str())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "gateway.declared").count(),
        3,
        "{actions:?}"
    );
    assert!(actions.contains(&"gateway.withdrawn"));
}

#[tokio::test]
async fn a_declaration_made_before_the_portfolio_changed_no_longer_counts() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a;
    ready_portfolio(&app, a).await;
    assert_eq!(
        declare(&app, &a.tutor.token, &a.apprenticeship).await.0,
        201
    );
    // A new draft changes the portfolio index the declaration attested.
    log(
        &app,
        &a.apprentice.token,
        &a.apprenticeship,
        "Another piece",
        &["K2"],
    )
    .await;
    let (_, body, _) = gateway(&app, &a.apprentice.token, &a.apprenticeship).await;
    assert_eq!(body["declarations"][0]["current"], false);
    assert_eq!(body["next_to_declare"], "provider");
    let (status, body) = declare(&app, &a.apprentice.token, &a.apprenticeship).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        body["detail"],
        "The training provider declares first; then the apprentice can declare."
    );
    let (status, body) = declare(&app, &a.tutor.token, &a.apprenticeship).await;
    assert_eq!(status, 201, "{body}");
    let declarations = body["declarations"].as_array().expect("d");
    assert_eq!(declarations.len(), 2);
    assert!(
        declarations[0]["void_reason"]
            .as_str()
            .expect("reason")
            .contains("portfolio changed")
    );
    assert_eq!(declarations[1]["current"], true);
}

#[tokio::test]
async fn nobody_declares_while_a_check_is_unmet_and_the_refusal_lists_each_one() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a;
    let (status, body) = declare(&app, &a.tutor.token, &a.apprenticeship).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("gateway_declaration_refused"))
    );
    let detail = body["detail"].as_str().expect("detail");
    for code in [
        "all_ksbs_evidenced",
        "skills_behaviours_signed_off",
        "otj_plan_met",
        "reviews_current",
        "english_maths",
    ] {
        assert!(detail.contains(code), "{code} in {detail}");
    }
    assert!(
        detail.contains("English and maths are still pending"),
        "{detail}"
    );
}

#[tokio::test]
async fn english_and_maths_are_recorded_by_the_providers_staff_only() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let a = &w.a;
    let body = json!({ "english": "achieved", "maths": "achieved" });
    assert_eq!(
        english_maths(&app, &a.mentor.token, &a.apprenticeship, body.clone())
            .await
            .0,
        403
    );
    assert_eq!(
        english_maths(&app, &a.apprentice.token, &a.apprenticeship, body.clone())
            .await
            .0,
        403
    );
    assert_eq!(
        english_maths(&app, &w.b.tutor.token, &a.apprenticeship, body.clone())
            .await
            .0,
        404
    );
    let (status, problem) = english_maths(
        &app,
        &a.tutor.token,
        &a.apprenticeship,
        json!({ "english": "passed", "maths": "achieved" }),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "english");
    let (status, problem) = english_maths(&app, &a.tutor.token, &a.apprenticeship, json!({ "english": "achieved", "maths": "achieved", "note": "Certificate for 943 476 5919." })).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("note"))
    );
    assert_eq!(
        english_maths(&app, &a.tutor.token, &a.apprenticeship, body)
            .await
            .0,
        200
    );
    assert_eq!(
        gateway(&app, &w.b.apprentice.token, &a.apprenticeship)
            .await
            .0,
        404
    );
}
