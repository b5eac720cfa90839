CREATE FUNCTION elapsed_share(start_date date, expected_end_date date) RETURNS float8
LANGUAGE sql STABLE AS $$
    SELECT least(1.0, greatest(0.0,
        (current_date - start_date)::float8 / greatest(expected_end_date - start_date, 1)))
$$;
ALTER TABLE apprenticeships
    ADD COLUMN signed_off_share float8 NOT NULL
        GENERATED ALWAYS AS (ksbs_signed_off::float8 / greatest(ksbs_total, 1)) STORED;
