//! Every enum stored in the database has one text mapping: each variant goes through PostgreSQL
//! and back unchanged, its column's CHECK constraint allows exactly the enum's labels, and a
//! label no variant carries fails the read instead of becoming a default.

use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use ksbfolio::db::idempotency::DeletableKind;
use ksbfolio::db::sign_in_links::Purpose;
use ksbfolio::domain::coverage::KsbStatus;
use ksbfolio::domain::enrolment::ApprenticeshipStatus;
use ksbfolio::domain::evidence::{Decision, EvidenceKind, EvidenceStatus};
use ksbfolio::domain::gateway::FunctionalSkillStatus;
use ksbfolio::domain::identity::{OrganisationKind, Role, SignInMethod};
use ksbfolio::domain::notifications::{Delivery, OutboxStatus, ReminderThreshold};
use ksbfolio::domain::otj::{OtjActivity, OtjStatus};
use ksbfolio::domain::review::{ReviewParty, ReviewStatus};
use ksbfolio::domain::standard::{KsbKind, MappingStatus};

use crate::helpers::database::TestDatabase;

#[derive(diesel::QueryableByName)]
struct Label {
    #[diesel(sql_type = Text)]
    label: String,
}

/// Sends every variant through the server as a bound text parameter and reads it back as the
/// enum, and as plain text, which must be the variant's label; then reads a label no variant
/// carries, which must fail.
macro_rules! round_trip {
    ($conn:expr, $enum:ty) => {
        for &value in <$enum>::ALL {
            let back: $enum = diesel::select(diesel::dsl::sql::<Text>("").bind::<Text, _>(value))
                .get_result($conn)
                .await
                .expect("round trip");
            assert_eq!(back, value);
            let stored: Vec<Label> = diesel::sql_query("SELECT $1 AS label")
                .bind::<Text, _>(value)
                .load($conn)
                .await
                .expect("as text");
            assert_eq!(stored[0].label, value.as_str());
        }
        let unknown = diesel::select(diesel::dsl::sql::<Text>("'no such label'"))
            .get_result::<$enum>($conn)
            .await;
        match unknown {
            Err(diesel::result::Error::DeserializationError(error)) => {
                assert!(format!("{error:?}").contains("no such label"), "{error:?}");
            }
            other => panic!("an unknown label must fail the read, got {other:?}"),
        }
    };
}

/// The labels a column's CHECK constraint allows (`column IN ('a', 'b')`, as PostgreSQL prints it).
async fn allowed_labels(conn: &mut AsyncPgConnection, table: &str, column: &str) -> Vec<String> {
    let rows: Vec<Label> = diesel::sql_query(
        "SELECT pg_get_constraintdef(c.oid) AS label FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (c.conkey) \
         WHERE c.contype = 'c' AND t.relname = $1 AND a.attname = $2",
    )
    .bind::<Text, _>(table)
    .bind::<Text, _>(column)
    .load(conn)
    .await
    .expect("constraints");
    let definitions: Vec<&String> = rows
        .iter()
        .map(|r| &r.label)
        .filter(|d| d.contains("ANY"))
        .collect();
    assert_eq!(definitions.len(), 1, "{table}.{column}: {definitions:?}");
    let mut labels: Vec<String> = definitions[0]
        .split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    labels.sort();
    labels
}

async fn column_allows_exactly<T>(
    conn: &mut AsyncPgConnection,
    table: &str,
    column: &str,
    all: &[T],
    as_str: fn(&T) -> &'static str,
) {
    let mut expected: Vec<String> = all.iter().map(|v| as_str(v).to_string()).collect();
    expected.sort();
    assert_eq!(
        allowed_labels(conn, table, column).await,
        expected,
        "{table}.{column}"
    );
}

#[tokio::test]
async fn every_variant_of_every_stored_enum_goes_through_the_database_and_back() {
    let db = TestDatabase::new().await;
    let mut conn = db.connect().await;
    let c = &mut conn;
    round_trip!(c, Role);
    round_trip!(c, OrganisationKind);
    round_trip!(c, EvidenceKind);
    round_trip!(c, EvidenceStatus);
    round_trip!(c, Decision);
    round_trip!(c, KsbStatus);
    round_trip!(c, KsbKind);
    round_trip!(c, MappingStatus);
    round_trip!(c, OtjActivity);
    round_trip!(c, OtjStatus);
    round_trip!(c, ReviewStatus);
    round_trip!(c, ReviewParty);
    round_trip!(c, FunctionalSkillStatus);
    round_trip!(c, DeletableKind);
    round_trip!(c, Delivery);
    round_trip!(c, OutboxStatus);
    round_trip!(c, ReminderThreshold);
    round_trip!(c, SignInMethod);
    round_trip!(c, Purpose);
    round_trip!(c, ApprenticeshipStatus);
}

#[tokio::test]
async fn each_enum_column_allows_exactly_the_labels_of_its_enum() {
    let db = TestDatabase::new().await;
    let mut conn = db.connect().await;
    let c = &mut conn;
    column_allows_exactly(c, "users", "role", Role::ALL, |v| v.as_str()).await;
    column_allows_exactly(
        c,
        "apprenticeships",
        "status",
        ApprenticeshipStatus::ALL,
        |v| v.as_str(),
    )
    .await;
    column_allows_exactly(c, "organisations", "kind", OrganisationKind::ALL, |v| {
        v.as_str()
    })
    .await;
    column_allows_exactly(c, "evidence", "kind", EvidenceKind::ALL, |v| v.as_str()).await;
    column_allows_exactly(c, "evidence", "status", EvidenceStatus::ALL, |v| v.as_str()).await;
    column_allows_exactly(c, "evidence_reviews", "decision", Decision::ALL, |v| {
        v.as_str()
    })
    .await;
    column_allows_exactly(c, "ksb_statuses", "status", KsbStatus::ALL, |v| v.as_str()).await;
    column_allows_exactly(c, "ksbs", "kind", KsbKind::ALL, |v| v.as_str()).await;
    column_allows_exactly(c, "standards", "mapping_status", MappingStatus::ALL, |v| {
        v.as_str()
    })
    .await;
    column_allows_exactly(
        c,
        "english_maths",
        "english",
        FunctionalSkillStatus::ALL,
        |v| v.as_str(),
    )
    .await;
    column_allows_exactly(
        c,
        "english_maths",
        "maths",
        FunctionalSkillStatus::ALL,
        |v| v.as_str(),
    )
    .await;
    column_allows_exactly(c, "gateway_declarations", "role", ReviewParty::ALL, |v| {
        v.as_str()
    })
    .await;
    column_allows_exactly(c, "otj_entries", "activity", OtjActivity::ALL, |v| {
        v.as_str()
    })
    .await;
    column_allows_exactly(c, "otj_entries", "status", OtjStatus::ALL, |v| v.as_str()).await;
    column_allows_exactly(c, "progress_reviews", "status", ReviewStatus::ALL, |v| {
        v.as_str()
    })
    .await;
    column_allows_exactly(c, "review_signatures", "role", ReviewParty::ALL, |v| {
        v.as_str()
    })
    .await;
    column_allows_exactly(
        c,
        "idempotency_keys",
        "created_kind",
        DeletableKind::ALL,
        |v| v.as_str(),
    )
    .await;
    let delivery = |v: &Delivery| v.as_str();
    column_allows_exactly(
        c,
        "notification_preferences",
        "delivery",
        Delivery::ALL,
        delivery,
    )
    .await;
    // An outbox row is sent at once or gathered into a digest; "off" writes no row at all.
    let sent: Vec<Delivery> = Delivery::ALL
        .iter()
        .copied()
        .filter(|d| *d != Delivery::Off)
        .collect();
    column_allows_exactly(c, "outbox", "delivery", &sent, delivery).await;
    column_allows_exactly(c, "outbox", "status", OutboxStatus::ALL, |v| v.as_str()).await;
    column_allows_exactly(
        c,
        "review_reminders",
        "threshold",
        ReminderThreshold::ALL,
        |v| v.as_str(),
    )
    .await;
    column_allows_exactly(c, "sessions", "method", SignInMethod::ALL, |v| v.as_str()).await;
    column_allows_exactly(c, "sign_in_links", "purpose", Purpose::ALL, |v| v.as_str()).await;
}

#[tokio::test]
async fn a_stored_value_no_enum_variant_carries_is_answered_500_not_a_default() {
    let app = crate::helpers::spawn_app().await;
    let w = crate::helpers::world::World::build(&app).await;
    let created = crate::helpers::portfolio::log(
        &app,
        &w.a.apprentice.token,
        &w.a.apprenticeship,
        "Odd",
        &["S7"],
    )
    .await;
    let id = created["id"].as_str().expect("id").to_string();
    let mut conn = app.db.connect().await;
    // Only by going around the CHECK constraint can the column hold such a value.
    diesel::sql_query("ALTER TABLE evidence DROP CONSTRAINT evidence_kind_check")
        .execute(&mut conn)
        .await
        .expect("constraint dropped");
    diesel::sql_query("UPDATE evidence SET kind = 'telepathy'")
        .execute(&mut conn)
        .await
        .expect("updated");
    let response = app
        .get_as(&w.a.apprentice.token, &format!("/api/v1/evidence/{id}"))
        .await;
    let problem = crate::helpers::app::assert_problem(response, 500).await;
    assert_eq!(problem["code"], "internal_error");
    assert!(!problem.to_string().contains("telepathy"), "{problem}");
}
