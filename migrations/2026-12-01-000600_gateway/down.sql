ALTER TABLE apprenticeships DROP COLUMN gateway_declared_at;
DROP TABLE gateway_declarations;
DROP TABLE english_maths;
