# A throwaway PostgreSQL cluster for tests: source this file, then
#   pg_init            a cluster in a new temporary folder ($pg_dir), trust auth on loopback only, a free port
#   pg_createdb NAME   create database NAME; prints its URL (postgres://USER@127.0.0.1:PORT/NAME). Before pg_start
#                      it needs only the server binary (single-user mode); once started, PostgreSQL's createdb.
#   pg_start [OPT...]  start it, with fsync off (a throwaway cluster) unless OPT says `-c fsync=on`; more server
#                      options as `-c NAME=VALUE`; $pg_port is its port, $pg_user the superuser
#   pg_restart         restart it with the same options (fast shutdown), as a database failover looks to clients
#   pg_stop            stop it (fast shutdown) and remove the folder
# The caller stops it on exit: `trap pg_stop EXIT`. PostgreSQL's programs are found on PATH, else in Debian's
# /usr/lib/postgresql/VERSION/bin (tools/setup installs them when missing). PostgreSQL refuses to run as root, so
# as root they run as the user `postgres` (or `nobody`), which then owns the folder.
pg_bin=""
pg_dir=""
pg_port=""
pg_user=flotilla
pg_as=()

# pg_run PROGRAM ARGS...: runs one of PostgreSQL's programs, as an unprivileged user when this shell is root.
pg_run() {
  "${pg_as[@]}" "$pg_bin/$1" "${@:2}"
}

pg_find_bin() {
  if command -v initdb >/dev/null; then
    pg_bin=$(dirname "$(command -v initdb)")
    return
  fi
  local candidate
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && pg_bin=$candidate
  done
  [ -n "$pg_bin" ] || { echo "postgres.sh: initdb not found (run tools/setup to install postgresql)" >&2; return 1; }
}

# pg_free_port: a TCP port nothing listens on now, from the kernel.
pg_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pg_init() {
  pg_find_bin || return 1
  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/flotilla-pg.XXXXXX")
  pg_port=$(pg_free_port)
  if [ "$(id -u)" -eq 0 ]; then
    local owner=postgres
    id -u postgres >/dev/null 2>&1 || owner=nobody
    pg_as=(runuser -u "$owner" --)
    chown "$owner" "$pg_dir"
  fi
  pg_run initdb -D "$pg_dir/data" -U "$pg_user" --auth=trust --no-sync -E UTF8 >"$pg_dir/initdb.log" 2>&1 || {
    echo "postgres.sh: initdb failed:" >&2
    cat "$pg_dir/initdb.log" >&2
    return 1
  }
  printf '%s\n' "host all all 127.0.0.1/32 trust" "host all all ::1/128 trust" "local all all trust" |
    "${pg_as[@]}" tee "$pg_dir/data/pg_hba.conf" >/dev/null
}

pg_start() {
  # The socket goes in the cluster's folder, not /var/run/postgresql, which may not exist or be writable. Tests
  # run in parallel, each journal with a writer and readers: more sessions than the default 100. A throwaway
  # cluster needs no fsync; the last -c of a setting wins, so the caller's options override these.
  pg_run pg_ctl -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 30 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $pg_dir -c fsync=off -c max_connections=300 $*" start >/dev/null || {
    echo "postgres.sh: the server did not start:" >&2
    cat "$pg_dir/server.log" >&2
    return 1
  }
}

pg_createdb() {
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    pg_run createdb -h 127.0.0.1 -p "$pg_port" -U "$pg_user" "$1" || return 1
  else
    echo "CREATE DATABASE \"$1\"" | pg_run postgres --single -D "$pg_dir/data" postgres >"$pg_dir/createdb.log" 2>&1 || {
      echo "postgres.sh: cannot create database $1:" >&2
      cat "$pg_dir/createdb.log" >&2
      return 1
    }
  fi
  echo "postgres://$pg_user@127.0.0.1:$pg_port/$1"
}

pg_restart() {
  pg_run pg_ctl -D "$pg_dir/data" -l "$pg_dir/server.log" -m fast -w -t 30 restart >/dev/null
}

pg_stop() {
  [ -n "$pg_dir" ] || return 0
  [ -f "$pg_dir/data/postmaster.pid" ] && pg_run pg_ctl -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1
  rm -rf "$pg_dir"
  pg_dir=""
}
