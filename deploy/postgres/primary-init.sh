#!/usr/bin/env bash
# The primary's first start (docker-entrypoint-initdb.d; see docker-compose.yml, service `db`):
# a role that may only stream WAL, a pg_hba line letting it in over the network, and a physical
# replication slot so the primary keeps the WAL the replica has not received yet (bounded by
# max_slot_wal_keep_size on the command line, so a replica gone for good cannot fill the disk).
set -euo pipefail

: "${REPLICATION_USER:?}" "${REPLICATION_PASSWORD:?}" "${REPLICATION_SLOT:?}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v user="$REPLICATION_USER" -v password="$REPLICATION_PASSWORD" -v slot="$REPLICATION_SLOT" <<'SQL'
CREATE ROLE :"user" WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot(:'slot');
SQL

# Read when the entrypoint restarts the server after these scripts.
echo "host replication ${REPLICATION_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
