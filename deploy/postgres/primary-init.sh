#!/bin/bash
# docker-compose.yml, service `db` (first start only, from docker-entrypoint-initdb.d): the role
# the `cluster` profile's streaming replica connects as, allowed to replicate over the network;
# and statement_timeout on the database, since behind PgBouncer it cannot arrive as a start-up
# option (docs/SCALING.md).
set -euo pipefail
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
  -v password="$KSBFOLIO_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
ALTER DATABASE ksbfolio SET statement_timeout = '10s';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
