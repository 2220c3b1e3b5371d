#!/usr/bin/env bash
# Runs once, when compose's PostgreSQL starts on an empty volume (/docker-entrypoint-initdb.d): one database
# per service, owned by a login role of the same name, whose password comes from RESOLUTE_<SERVICE>_DB_PASSWORD.
# Nobody else may connect to a service's database; each service's migration step creates its tables.
set -euo pipefail
for service in ingest tracker notifier gateway; do
  variable="RESOLUTE_${service^^}_DB_PASSWORD"
  password="${!variable:?$variable must be set}"
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
       -v role="$service" -v password="$password" -v database="resolute_$service" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL
done
