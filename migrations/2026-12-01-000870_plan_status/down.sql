DROP FUNCTION plan_behind_by_more_than(date, date, date, integer, integer, integer);
