#!/usr/bin/env bash
# Provisions what RuVector Streams' tests and demo need on a Debian/Ubuntu machine:
# PostgreSQL, pgvector (built from Debian's own source package when no binary exists),
# wal_level=logical with a bounded slot WAL retention, the cluster running, and a test role.
# Idempotent: every step is skipped when its result is already there.
set -euo pipefail

PG_VERSION="${RUVECTOR_PG_VERSION:-15}"
PG_ROLE="${RUVECTOR_PG_ROLE:-ruvector}"
PG_PASSWORD="${RUVECTOR_PG_PASSWORD:-ruvector}"
PG_DB="${RUVECTOR_PG_DB:-ruvector}"
CONF_DIR="/etc/postgresql/${PG_VERSION}/main/conf.d"
PG_CONFIG="/usr/lib/postgresql/${PG_VERSION}/bin/pg_config"

say() { echo "[provision] $*"; }
die() { echo "[provision] ERROR: $*" >&2; exit 1; }

if [ "$(id -u)" != "0" ]; then
  missing=()
  command -v pg_lsclusters >/dev/null || missing+=("PostgreSQL ${PG_VERSION} (apt-get install postgresql-${PG_VERSION})")
  [ -f "/usr/share/postgresql/${PG_VERSION}/extension/vector.control" ] || missing+=("pgvector for PostgreSQL ${PG_VERSION}")
  if [ ${#missing[@]} -gt 0 ]; then
    die "not root, so cannot install: ${missing[*]}. Re-run as root, or install them and start a cluster with wal_level=logical."
  fi
fi
command -v apt-get >/dev/null || die "apt-get not found: this provisioning step supports Debian/Ubuntu only. Install PostgreSQL ${PG_VERSION} + pgvector and set wal_level=logical yourself."

apt_updated=0
apt_update() {
  [ $apt_updated = 0 ] || return 0
  say "apt-get update"
  for i in 1 2 3; do apt-get update -qq && { apt_updated=1; return 0; }; sleep $((i * 5)); done
  die "apt-get update failed three times"
}

# 1. PostgreSQL server and server headers.
need=()
[ -x "/usr/lib/postgresql/${PG_VERSION}/bin/postgres" ] || need+=("postgresql-${PG_VERSION}")
[ -f "/usr/include/postgresql/${PG_VERSION}/server/postgres.h" ] || need+=("postgresql-server-dev-${PG_VERSION}")
if [ ${#need[@]} -gt 0 ]; then
  apt_update
  say "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t "$(. /etc/os-release; echo "${VERSION_CODENAME:-stable}")" "${need[@]}" build-essential >/dev/null
fi

# 2. pgvector: a binary package when the distribution has one, else Debian's source package.
if [ ! -f "/usr/share/postgresql/${PG_VERSION}/extension/vector.control" ]; then
  apt_update
  if apt-cache show "postgresql-${PG_VERSION}-pgvector" >/dev/null 2>&1; then
    say "installing postgresql-${PG_VERSION}-pgvector"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-${PG_VERSION}-pgvector" >/dev/null
  else
    if ! apt-cache showsrc pgvector 2>/dev/null | grep -q '^Package: pgvector'; then
      # Source-only entry for Debian's next release: no binary from it can ever be installed.
      mirror=$( { grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}';
                  grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}'; } | grep -v security | head -n1 || true)
      [ -n "$mirror" ] || mirror="http://deb.debian.org/debian"
      say "adding a deb-src entry (trixie, source only) from $mirror"
      cat > /etc/apt/sources.list.d/ruvector-pgvector-src.sources <<SRC
Types: deb-src
URIs: ${mirror}
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
      apt_updated=0; apt_update
    fi
    command -v make >/dev/null && command -v gcc >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential >/dev/null
    work=$(mktemp -d)
    say "building pgvector from Debian's source package in $work"
    (cd "$work" && apt-get source --download-only pgvector >/dev/null 2>&1 \
      && tar xf pgvector_*.orig.tar.* && cd pgvector-*/ \
      && make -s PG_CONFIG="$PG_CONFIG" >/dev/null 2>&1 && make -s install PG_CONFIG="$PG_CONFIG" >/dev/null) \
      || die "pgvector build failed (see $work; make PG_CONFIG=$PG_CONFIG)"
    rm -rf "$work"
  fi
fi

# 3. Logical decoding and a bound on the WAL a forgotten slot can keep.
mkdir -p "$CONF_DIR"
conf="$CONF_DIR/ruvector.conf"
want=$'wal_level = logical\nmax_slot_wal_keep_size = 4GB\nmax_replication_slots = 20\nmax_wal_senders = 20'
restart=0
if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$want" ]; then
  printf '%s\n' "$want" > "$conf"; restart=1
fi

# 4. Cluster running.
status=$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $4}')
[ -n "$status" ] || die "no PostgreSQL ${PG_VERSION}/main cluster (pg_createcluster ${PG_VERSION} main)"
if [ "$status" != "online" ]; then
  say "starting PostgreSQL ${PG_VERSION}/main"
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start
elif [ $restart = 1 ] || [ "$(su postgres -c "psql -tAc 'show wal_level'")" != "logical" ]; then
  say "restarting PostgreSQL ${PG_VERSION}/main for wal_level=logical"
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main restart
fi
for _ in $(seq 1 30); do su postgres -c "psql -tAc 'select 1'" >/dev/null 2>&1 && break; sleep 1; done

# 5. A role and database for tests and the demo (password auth over TCP on 127.0.0.1).
psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -tAq $*"; }
if [ "$(psql_admin "-c \"select 1 from pg_roles where rolname='${PG_ROLE}'\"")" != "1" ]; then
  psql_admin "-c \"create role ${PG_ROLE} login replication createdb password '${PG_PASSWORD}'\""
fi
if [ "$(psql_admin "-c \"select 1 from pg_database where datname='${PG_DB}'\"")" != "1" ]; then
  psql_admin "-c \"create database ${PG_DB} owner ${PG_ROLE}\""
fi
psql_admin "-d ${PG_DB} -c \"create extension if not exists vector\""
say "ready: postgresql://${PG_ROLE}:${PG_PASSWORD}@127.0.0.1:5432/${PG_DB} (pgvector $(psql_admin "-d ${PG_DB} -c \"select extversion from pg_extension where extname='vector'\""))"
