// @generated automatically by Diesel CLI.

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

diesel::joinable!(duties -> standards (standard_id));
diesel::joinable!(duty_ksbs -> duties (duty_id));
diesel::joinable!(duty_ksbs -> ksbs (ksb_id));
diesel::joinable!(ksbs -> standards (standard_id));

diesel::allow_tables_to_appear_in_same_query!(duties, duty_ksbs, ksbs, standards,);
