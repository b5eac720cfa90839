//! "Behind plan" on the caseload: the share of KSBs evidenced (accepted or signed off) against
//! the share of the planned time passed, amber beyond 10 points and red beyond 20, the same rule
//! in SQL as in `domain::plan`.

use chrono::{Duration, NaiveDate, Utc};
use diesel::sql_types::{Array, Bool, Date, Integer};
use diesel_async::RunQueryDsl;
use ksbfolio::domain::calendar::london_day;
use ksbfolio::domain::plan::{self, PlanFacts};
use serde_json::{Value, json};

use crate::helpers::portfolio::{review, sign_off, submit};
use crate::helpers::spawn_app;
use crate::helpers::world::{World, created, id, user};
use crate::queues::get;

/// Enrols a new apprentice of side A who started `passed` days ago on a plan of `planned` days.
async fn enrol(
    app: &crate::helpers::TestApp,
    w: &World,
    name: &str,
    passed: i64,
    planned: i64,
) -> (String, String) {
    let apprentice = user(app, &w.admin.token, "apprentice", &w.a.employer_org, name).await;
    let start = london_day(Utc::now()) - Duration::days(passed);
    let body = created(
        app.post_as(
            &w.admin.token,
            "/api/v1/apprenticeships",
            &json!({
                "apprentice_id": apprentice.id, "standard": "ST0220",
                "employer_id": w.a.employer_org, "provider_id": w.a.provider_org,
                "mentor_id": w.a.mentor.id, "tutor_id": w.a.tutor.id,
                "start_date": start, "expected_end_date": start + Duration::days(planned),
            }),
        )
        .await,
    )
    .await;
    (apprentice.token, id(&body))
}

/// Evidence of today for `ksbs`, logged, submitted and accepted (dated today, so also within a
/// plan that started recently).
async fn accepted(
    app: &crate::helpers::TestApp,
    apprentice: &str,
    tutor: &str,
    apprenticeship: &str,
    ksbs: &[&str],
) {
    let body = created(
        app.post_as(
            apprentice,
            &format!("/api/v1/apprenticeships/{apprenticeship}/evidence"),
            &json!({
                "title": "Accepted work", "description": "What I did and what I learnt.",
                "kind": "observation", "occurred_on": london_day(Utc::now()), "ksbs": ksbs,
            }),
        )
        .await,
    )
    .await;
    let evidence = id(&body);
    assert_eq!(submit(app, apprentice, &evidence).await.0, 200);
    assert_eq!(review(app, tutor, &evidence, "accepted", "").await.0, 200);
}

fn names(body: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["apprentice"]["name"].as_str().expect("name"))
        .collect();
    names.sort_unstable();
    names
}

#[tokio::test]
async fn behind_plan_counts_accepted_and_signed_off_ksbs_and_ten_points_exactly_is_on_plan() {
    let app = spawn_app().await;
    let w = World::build(&app).await;
    let tutor = &w.a.tutor.token;
    // A plan of 470 days and 94 KSBs: points behind = 100 · (days − 5 · KSBs evidenced) / 470.
    // Two KSBs evidenced, one accepted and one signed off: 57 days in is exactly 10 points
    // behind (green), 58 days in is 10.2 (amber); 104 days in is exactly 20 (amber), 105 is
    // 20.2 (red). Counting only the signed-off KSB, the first would be 11.1 behind.
    let mut enrolled = Vec::new();
    for (name, passed) in [
        ("Exactly ten", 57),
        ("Just over ten", 58),
        ("Exactly twenty", 104),
        ("Just over twenty", 105),
    ] {
        let (token, apprenticeship) = enrol(&app, &w, name, passed, 470).await;
        accepted(&app, &token, tutor, &apprenticeship, &["K1", "S7"]).await;
        let (status, body) = sign_off(&app, &w.a.mentor.token, &apprenticeship, "K1").await;
        assert_eq!(status, 201, "{body}");
        enrolled.push(apprenticeship);
    }
    // Ahead of plan: 30 days in (6.4 %) with 7 of 94 (7.4 %) accepted.
    let (token, ahead) = enrol(&app, &w, "Ahead", 30, 470).await;
    accepted(
        &app,
        &token,
        tutor,
        &ahead,
        &["K1", "K2", "K3", "S1", "S2", "S3", "B1"],
    )
    .await;
    // Not started yet: nothing is expected.
    enrol(&app, &w, "Not started", -10, 470).await;

    let (all, _) = get(&app, tutor, "/api/v1/caseload?limit=100").await;
    assert_eq!(
        all["total"], 7,
        "side A's world apprenticeship and six more"
    );
    let (behind, _) = get(&app, tutor, "/api/v1/caseload?behind_plan=true&limit=100").await;
    assert_eq!(
        names(&behind),
        vec![
            "Apprentice A",
            "Exactly twenty",
            "Just over ten",
            "Just over twenty"
        ],
        "amber or red; the world's apprenticeship started 2025-09-01 with nothing evidenced"
    );
    assert_eq!(behind["total"], 4);
    let (on_plan, _) = get(&app, tutor, "/api/v1/caseload?behind_plan=false&limit=100").await;
    assert_eq!(on_plan["total"], 7, "false is no filter");
    // The kept counts the filter reads are what the rows show.
    let exactly_ten = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["apprenticeship_id"] == enrolled[0].as_str())
        .expect("row");
    assert_eq!(exactly_ten["totals"]["evidenced"], 1);
    assert_eq!(exactly_ten["totals"]["signed_off"], 1);
    // Each row carries the status the filter decides by, and the points it shows.
    let row = |name: &str| {
        all["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["apprentice"]["name"] == name)
            .cloned()
            .expect("row")
    };
    for (name, status, points) in [
        ("Exactly ten", "green", 10.0),
        ("Just over ten", "amber", 100.0 * (58.0 - 10.0) / 470.0),
        ("Exactly twenty", "amber", 20.0),
        ("Just over twenty", "red", 100.0 * (105.0 - 10.0) / 470.0),
        ("Not started", "green", 0.0),
    ] {
        let row = row(name);
        assert_eq!(row["plan_status"], status, "{name}");
        let shown = row["points_behind"].as_f64().expect("points");
        assert!(
            (shown - points).abs() < 1e-9,
            "{name}: {shown} against {points}"
        );
    }
    assert_eq!(row("Ahead")["plan_status"], "green");
    assert!(row("Ahead")["points_behind"].as_f64().expect("points") < 0.0);
    // Tutor B sees none of side A's, behind or not.
    let (theirs, _) = get(&app, &w.b.tutor.token, "/api/v1/caseload?behind_plan=true").await;
    assert_eq!(names(&theirs), vec!["Apprentice B"]);
}

#[derive(diesel::QueryableByName)]
struct Answer {
    #[diesel(sql_type = Bool)]
    behind: bool,
}

#[tokio::test]
async fn the_sql_rule_and_the_domain_rule_agree_on_every_case_and_threshold() {
    let app = spawn_app().await;
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    let mut cases = Vec::new();
    for planned in [1i64, 7, 13, 20, 94, 470, 729] {
        for passed in [-5i64, 0, 1, 3, 6, 7, 10, 57, 58, 104, 105, 400, 800] {
            for ksbs in [0i32, 1, 5, 7, 94] {
                for evidenced in [0i32, 1, 2, 3, 5, 7, 94] {
                    for points in [plan::AMBER_POINTS, plan::RED_POINTS, 0] {
                        cases.push((planned, passed, ksbs, evidenced, points));
                    }
                }
            }
        }
    }
    let starts = vec![start; cases.len()];
    let ends = cases
        .iter()
        .map(|c| start + Duration::days(c.0))
        .collect::<Vec<_>>();
    let days = cases
        .iter()
        .map(|c| start + Duration::days(c.1))
        .collect::<Vec<_>>();
    let ksbs: Vec<i32> = cases.iter().map(|c| c.2).collect();
    let evidenced: Vec<i32> = cases.iter().map(|c| c.3).collect();
    let points: Vec<i32> = cases.iter().map(|c| c.4).collect();
    let mut conn = app.db.connect().await;
    let answers: Vec<Answer> = diesel::sql_query(
        "SELECT plan_behind_by_more_than(s, e, d, k, n, p) AS behind \
         FROM unnest($1::date[], $2::date[], $3::date[], $4::int[], $5::int[], $6::int[]) \
              WITH ORDINALITY AS c(s, e, d, k, n, p, i) ORDER BY i",
    )
    .bind::<Array<Date>, _>(&starts)
    .bind::<Array<Date>, _>(&ends)
    .bind::<Array<Date>, _>(&days)
    .bind::<Array<Integer>, _>(&ksbs)
    .bind::<Array<Integer>, _>(&evidenced)
    .bind::<Array<Integer>, _>(&points)
    .load(&mut conn)
    .await
    .expect("answers");
    assert_eq!(answers.len(), cases.len());
    let mut behind = 0;
    for (case, answer) in cases.iter().zip(&answers) {
        let facts = PlanFacts {
            start_date: start,
            expected_end_date: start + Duration::days(case.0),
            ksbs: case.2,
            evidenced: case.3,
        };
        let today = start + Duration::days(case.1);
        assert_eq!(
            answer.behind,
            plan::behind_by_more_than(&facts, today, case.4),
            "{case:?}"
        );
        behind += usize::from(answer.behind);
    }
    assert!(
        behind > 0 && behind < cases.len(),
        "the grid has both answers"
    );
}
