-- The signed-off share and the two-argument elapsed share were the first "behind plan" rule's;
-- the rule now compares the evidenced share with the time elapsed in London (migration
-- 000870_plan_status), and nothing reads these any more.
ALTER TABLE apprenticeships DROP COLUMN signed_off_share;
DROP FUNCTION elapsed_share(date, date);
