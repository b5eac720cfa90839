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
    login_failures (id) {
        id -> Int8,
        email -> Text,
        client_addr -> Text,
        failed_at -> Timestamptz,
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
    sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        revoked_reason -> Nullable<Text>,
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
    }
}

diesel::joinable!(apprenticeships -> standards (standard_id));
diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(duties -> standards (standard_id));
diesel::joinable!(duty_ksbs -> duties (duty_id));
diesel::joinable!(duty_ksbs -> ksbs (ksb_id));
diesel::joinable!(ksbs -> standards (standard_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(sessions -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    apprenticeships,
    audit_log,
    duties,
    duty_ksbs,
    ksbs,
    login_failures,
    organisations,
    refresh_tokens,
    sessions,
    standards,
    users,
);
