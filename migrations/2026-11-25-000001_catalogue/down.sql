DROP TABLE duty_ksbs;
DROP TABLE ksbs;
DROP TABLE duties;
DROP TABLE standards;
