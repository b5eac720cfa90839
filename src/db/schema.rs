// @generated automatically by Diesel CLI.

diesel::table! {
    apprenticeships (id) {
        id -> Uuid,
        apprentice_id -> Uuid,
        standard_id -> Uuid,
        employer_id -> Uuid,
        provider_id -> Uuid,
        mentor_id -> Uuid,
        tutor_id -> Uuid,
        start_date -> Date,
        expected_end_date -> Date,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        last_activity_at -> Timestamptz,
        ksbs_total -> Int4,
        ksbs_in_progress -> Int4,
        ksbs_evidenced -> Int4,
        ksbs_signed_off -> Int4,
        progress -> Float8,
        version -> Int4,
        planned_otj_hours -> Nullable<Int4>,
        rpl_reduction_hours -> Int4,
        otj_approved_minutes -> Int8,
        otj_pending_minutes -> Int8,
        last_review_on -> Nullable<Date>,
        next_review_due_by -> Nullable<Date>,
        unsigned_reviews -> Int4,
        oldest_unsigned_review_on -> Nullable<Date>,
        on_break -> Bool,
        gateway_declared_at -> Nullable<Timestamptz>,
        status -> Text,
        ended_at -> Nullable<Timestamptz>,
        transferred_to -> Nullable<Uuid>,
        origin -> Nullable<Jsonb>,
    }
}

diesel::table! {
    apprenticeship_waiting (apprenticeship_id) {
        apprenticeship_id -> Uuid,
        apprentice_since -> Nullable<Timestamptz>,
        employer_since -> Nullable<Timestamptz>,
        provider_since -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    attachments (id) {
        id -> Uuid,
        evidence_id -> Uuid,
        filename -> Text,
        content_type -> Text,
        size_bytes -> Int8,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_by -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        at -> Timestamptz,
        actor_id -> Nullable<Uuid>,
        action -> Text,
        entity_type -> Text,
        entity_id -> Text,
        request_id -> Nullable<Text>,
        organisation_ids -> Array<Nullable<Uuid>>,
        summary -> Jsonb,
    }
}

diesel::table! {
    duties (id) {
        id -> Uuid,
        standard_id -> Uuid,
        code -> Text,
        text -> Text,
        position -> Int4,
    }
}

diesel::table! {
    duty_ksbs (duty_id, ksb_id) {
        duty_id -> Uuid,
        ksb_id -> Uuid,
    }
}

diesel::table! {
    duty_progress (apprenticeship_id, duty_id) {
        apprenticeship_id -> Uuid,
        duty_id -> Uuid,
        ksbs -> Int4,
        evidenced -> Int4,
        signed_off -> Int4,
    }
}

diesel::table! {
    english_maths (apprenticeship_id) {
        apprenticeship_id -> Uuid,
        english -> Text,
        maths -> Text,
        note -> Text,
        recorded_by -> Uuid,
        recorded_at -> Timestamptz,
    }
}

diesel::table! {
    evidence (id) {
        id -> Uuid,
        apprenticeship_id -> Uuid,
        title -> Text,
        description -> Text,
        kind -> Text,
        occurred_on -> Date,
        status -> Text,
        version -> Int4,
        submitted_at -> Nullable<Timestamptz>,
        withdrawn_at -> Nullable<Timestamptz>,
        withdrawn_reason -> Nullable<Text>,
        created_by -> Uuid,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        origin -> Nullable<Jsonb>,
    }
}

diesel::table! {
    evidence_comments (id) {
        id -> Uuid,
        evidence_id -> Uuid,
        author_id -> Uuid,
        body -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    evidence_ksbs (evidence_id, ksb_id) {
        evidence_id -> Uuid,
        ksb_id -> Uuid,
    }
}

diesel::table! {
    evidence_reviews (id) {
        id -> Uuid,
        evidence_id -> Uuid,
        reviewer_id -> Uuid,
        decision -> Text,
        feedback -> Text,
        created_at -> Timestamptz,
        origin -> Nullable<Jsonb>,
    }
}

diesel::table! {
    evidence_revisions (id) {
        id -> Int8,
        evidence_id -> Uuid,
        version -> Int4,
        title -> Text,
        description -> Text,
        kind -> Text,
        occurred_on -> Date,
        ksbs -> Array<Nullable<Text>>,
        status -> Text,
        edited_by -> Uuid,
        created_at -> Timestamptz,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    gateway_declarations (id) {
        id -> Uuid,
        apprenticeship_id -> Uuid,
        role -> Text,
        signer_id -> Uuid,
        signed_at -> Timestamptz,
        content_sha256 -> Text,
        voided_at -> Nullable<Timestamptz>,
        voided_by -> Nullable<Uuid>,
        void_reason -> Nullable<Text>,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> Uuid,
        key -> Text,
        request_hash -> Text,
        status -> Nullable<Int4>,
        response_body -> Nullable<Jsonb>,
        created_at -> Timestamptz,
        created_kind -> Nullable<Text>,
        created_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    ksb_statuses (apprenticeship_id, ksb_id) {
        apprenticeship_id -> Uuid,
        ksb_id -> Uuid,
        status -> Text,
        draft -> Int4,
        submitted -> Int4,
        accepted -> Int4,
        changes_requested -> Int4,
        signed_off_at -> Nullable<Timestamptz>,
        signed_off_by -> Nullable<Uuid>,
        evidenced_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    ksbs (id) {
        id -> Uuid,
        standard_id -> Uuid,
        code -> Text,
        kind -> Text,
        text -> Text,
        position -> Int4,
    }
}

diesel::table! {
    learning_breaks (id) {
        id -> Uuid,
        apprenticeship_id -> Uuid,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        reason -> Text,
        started_by -> Uuid,
        ended_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        ended_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Int8,
        email -> Text,
        client_addr -> Text,
        failed_at -> Timestamptz,
    }
}

diesel::table! {
    notification_preferences (user_id) {
        user_id -> Uuid,
        delivery -> Text,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    organisations (id) {
        id -> Uuid,
        name -> Text,
        kind -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    otj_entries (id) {
        id -> Uuid,
        apprenticeship_id -> Uuid,
        occurred_on -> Date,
        minutes -> Int4,
        activity -> Text,
        description -> Text,
        status -> Text,
        version -> Int4,
        reviewed_by -> Nullable<Uuid>,
        reviewed_at -> Nullable<Timestamptz>,
        rejection_reason -> Nullable<Text>,
        created_by -> Uuid,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        origin -> Nullable<Jsonb>,
    }
}

diesel::table! {
    otj_entry_ksbs (entry_id, ksb_id) {
        entry_id -> Uuid,
        ksb_id -> Uuid,
    }
}

diesel::table! {
    outbox (id) {
        id -> Int8,
        recipient_id -> Uuid,
        kind -> Text,
        payload -> Jsonb,
        delivery -> Text,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        digest_day -> Nullable<Date>,
        digest_id -> Nullable<Int8>,
    }
}

diesel::table! {
    password_links (id) {
        id -> Uuid,
        user_id -> Uuid,
        token_hash -> Text,
        created_by -> Uuid,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    progress_reviews (id) {
        id -> Uuid,
        apprenticeship_id -> Uuid,
        held_on -> Date,
        previous_actions -> Text,
        progress_notes -> Text,
        concerns -> Text,
        next_actions -> Jsonb,
        snapshot -> Jsonb,
        status -> Text,
        version -> Int4,
        created_by -> Uuid,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        origin -> Nullable<Jsonb>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        session_id -> Uuid,
        token_hash -> Text,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    review_reminders (apprenticeship_id, due_by, threshold) {
        apprenticeship_id -> Uuid,
        due_by -> Date,
        threshold -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    review_signatures (id) {
        id -> Uuid,
        review_id -> Uuid,
        role -> Text,
        signer_id -> Uuid,
        content_sha256 -> Text,
        signed_at -> Timestamptz,
        voided_at -> Nullable<Timestamptz>,
        voided_by -> Nullable<Uuid>,
        void_reason -> Nullable<Text>,
        origin -> Nullable<Jsonb>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        revoked_reason -> Nullable<Text>,
        expires_at -> Timestamptz,
        method -> Text,
        last_write_lsn -> Nullable<PgLsn>,
    }
}

diesel::table! {
    sign_in_links (id) {
        id -> Uuid,
        user_id -> Uuid,
        token_hash -> Text,
        purpose -> Text,
        target -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    sign_in_throttle (email) {
        email -> Text,
        attempts -> Int4,
        lockouts -> Int4,
        locked_until -> Nullable<Timestamptz>,
        last_attempt_at -> Timestamptz,
    }
}

diesel::table! {
    signoffs (id) {
        id -> Uuid,
        apprenticeship_id -> Uuid,
        ksb_id -> Uuid,
        signed_off_by -> Uuid,
        comment -> Text,
        created_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        revoked_by -> Nullable<Uuid>,
        revoked_reason -> Nullable<Text>,
        content_sha256 -> Nullable<Text>,
        origin -> Nullable<Jsonb>,
    }
}

diesel::table! {
    standards (id) {
        id -> Uuid,
        reference -> Text,
        version -> Text,
        title -> Text,
        level -> Int4,
        source -> Nullable<Text>,
        mapping_status -> Text,
        mapping_note -> Text,
        mapping_source -> Text,
        mapping_updated_at -> Timestamptz,
        created_at -> Timestamptz,
        minimum_otj_hours -> Nullable<Int4>,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Text,
        name -> Text,
        role -> Text,
        organisation_id -> Nullable<Uuid>,
        created_by_organisation_id -> Nullable<Uuid>,
        password_hash -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        deactivated_at -> Nullable<Timestamptz>,
        deactivated_by -> Nullable<Uuid>,
    }
}

diesel::joinable!(apprenticeship_waiting -> apprenticeships (apprenticeship_id));
diesel::joinable!(apprenticeships -> standards (standard_id));
diesel::joinable!(attachments -> evidence (evidence_id));
diesel::joinable!(attachments -> users (uploaded_by));
diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(duties -> standards (standard_id));
diesel::joinable!(duty_ksbs -> duties (duty_id));
diesel::joinable!(duty_ksbs -> ksbs (ksb_id));
diesel::joinable!(duty_progress -> apprenticeships (apprenticeship_id));
diesel::joinable!(duty_progress -> duties (duty_id));
diesel::joinable!(english_maths -> apprenticeships (apprenticeship_id));
diesel::joinable!(english_maths -> users (recorded_by));
diesel::joinable!(evidence -> apprenticeships (apprenticeship_id));
diesel::joinable!(evidence -> users (created_by));
diesel::joinable!(evidence_comments -> evidence (evidence_id));
diesel::joinable!(evidence_comments -> users (author_id));
diesel::joinable!(evidence_ksbs -> evidence (evidence_id));
diesel::joinable!(evidence_ksbs -> ksbs (ksb_id));
diesel::joinable!(evidence_reviews -> evidence (evidence_id));
diesel::joinable!(evidence_reviews -> users (reviewer_id));
diesel::joinable!(evidence_revisions -> evidence (evidence_id));
diesel::joinable!(evidence_revisions -> users (edited_by));
diesel::joinable!(gateway_declarations -> apprenticeships (apprenticeship_id));
diesel::joinable!(idempotency_keys -> users (user_id));
diesel::joinable!(ksb_statuses -> apprenticeships (apprenticeship_id));
diesel::joinable!(ksb_statuses -> ksbs (ksb_id));
diesel::joinable!(ksb_statuses -> users (signed_off_by));
diesel::joinable!(ksbs -> standards (standard_id));
diesel::joinable!(learning_breaks -> apprenticeships (apprenticeship_id));
diesel::joinable!(notification_preferences -> users (user_id));
diesel::joinable!(otj_entries -> apprenticeships (apprenticeship_id));
diesel::joinable!(otj_entry_ksbs -> ksbs (ksb_id));
diesel::joinable!(otj_entry_ksbs -> otj_entries (entry_id));
diesel::joinable!(outbox -> users (recipient_id));
diesel::joinable!(progress_reviews -> apprenticeships (apprenticeship_id));
diesel::joinable!(progress_reviews -> users (created_by));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(review_reminders -> apprenticeships (apprenticeship_id));
diesel::joinable!(review_signatures -> progress_reviews (review_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(sign_in_links -> users (user_id));
diesel::joinable!(signoffs -> apprenticeships (apprenticeship_id));
diesel::joinable!(signoffs -> ksbs (ksb_id));

diesel::allow_tables_to_appear_in_same_query!(
    apprenticeship_waiting,
    apprenticeships,
    attachments,
    audit_log,
    duties,
    duty_ksbs,
    duty_progress,
    english_maths,
    evidence,
    evidence_comments,
    evidence_ksbs,
    evidence_reviews,
    evidence_revisions,
    gateway_declarations,
    idempotency_keys,
    ksb_statuses,
    ksbs,
    learning_breaks,
    login_failures,
    notification_preferences,
    organisations,
    otj_entries,
    otj_entry_ksbs,
    outbox,
    password_links,
    progress_reviews,
    refresh_tokens,
    review_reminders,
    review_signatures,
    sessions,
    sign_in_links,
    sign_in_throttle,
    signoffs,
    standards,
    users,
);
