-- "Behind plan" (`domain::plan`): the share of KSBs evidenced (accepted or signed off) is more
-- than `points` percentage points below the share of the planned time passed on `on_day`. The
-- same whole-number arithmetic as `domain::plan::behind_by_more_than` (days and KSB counts
-- cross-multiplied, no floating point), so the caseload's filter and the status the rule gives
-- agree on every apprenticeship, also exactly on a threshold. `on_day` is bound by the caller
-- (today in London), not `current_date`, whose day follows the session's time zone. SQL and
-- IMMUTABLE, so the planner inlines it into the caseload's statement.
CREATE FUNCTION plan_behind_by_more_than(
    start_date date, expected_end_date date, on_day date, ksbs integer, evidenced integer,
    points integer
) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT 100 * (
               least(greatest(on_day - start_date, 0), greatest(expected_end_date - start_date, 1))::bigint
                   * greatest(ksbs, 1)
               - least(greatest(evidenced, 0), greatest(ksbs, 0))::bigint
                   * greatest(expected_end_date - start_date, 1)
           )
           > points::bigint * greatest(expected_end_date - start_date, 1) * greatest(ksbs, 1)
$$;
