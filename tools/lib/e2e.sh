# Shared by the end-to-end scripts: starts `flotilla serve` on a free port with a fresh journal, writes a
# kubeconfig with the three seed members, and provides the checks. Source it from the repository root; set
# `serve_flags` and `kubeconfig_flags` first to serve and connect otherwise.
bin=$PWD/.build/debug/flotilla
[ -x "$bin" ] || swift build --product flotilla >&2
command -v kubectl >/dev/null || { echo "e2e: kubectl is not on PATH" >&2; exit 1; }
work=$(mktemp -d)
export KUBECACHEDIR="$work/cache" KUBECONFIG="$work/kubeconfig"
# shellcheck disable=SC2086 # the flags split into words
"$bin" serve --db "$work/hub.journal" --port 0 ${serve_flags---member-latency 2} >"$work/serve.log" 2>&1 &
server=$!
# stop_server: SIGTERM, and the server must be gone within 5 s; anything still running is killed.
stop_server() {
  local status=$?
  kill -TERM "$server" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$server" 2>/dev/null; then
    echo "FAILED: flotilla serve ignored SIGTERM for 5 s" >&2
    kill -KILL "$server" 2>/dev/null || true
    status=1
  fi
  pkill -KILL -P $$ 2>/dev/null || true
  # A debug server checks its dirty set against a scan of everything after each write.
  if grep -q "dirty set missed" "$work/serve.log"; then
    echo "FAILED: the hub's dirty set missed work (see its log):" >&2
    grep "dirty set missed" "$work/serve.log" | head -3 >&2
    status=1
  fi
  rm -rf "$work"
  exit "$status"
}
trap stop_server EXIT
for _ in $(seq 100); do grep -q 'serving https' "$work/serve.log" && break; sleep 0.1; done
url=$(grep -o 'https://[0-9.]*:[0-9]*' "$work/serve.log" | head -1)
[ -n "$url" ] || { cat "$work/serve.log" >&2; exit 1; }
# The admin's kubeconfig, over TLS with the CA and the admin's client certificate embedded.
# shellcheck disable=SC2086
"$bin" kubeconfig --db "$work/hub.journal" --server "$url" ${kubeconfig_flags---member member1 --member member2 --member member3} --output "$KUBECONFIG"

passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }
# run CMD...: runs a tutorial command, keeps its output in $out and shows it.
run() { echo "\$ $*"; out=$("$@" 2>&1) || { fail "$* exited $?: $out"; return 0; }; echo "$out"; }
# refused CMD...: runs a command that must fail, keeps its output in $out and shows it.
refused() { echo "\$ $*"; if out=$("$@" 2>&1); then fail "$* succeeded: $out"; else ok; fi; echo "$out"; }
expect() { if grep -qE -- "$1" <<<"$out"; then ok; else fail "expected /$1/ in: $out"; fi; }
wait_for() { for _ in $(seq 150); do if eval "$1" >/dev/null 2>&1; then ok; return 0; fi; sleep 1; done; fail "timed out waiting for: $1"; }
# member_manifests: the seed's three MemberCluster manifests, as member1.yaml ... member3.yaml.
member_manifests() {
  for m in "member1 canary 2" "member2 staging" "member3 canary 1"; do
    set -- $m
    { echo "apiVersion: cluster.kubernetes-fleet.io/v1beta1"; echo "kind: MemberCluster"; echo "metadata:"; echo "  name: $1"
      echo "  labels:"; echo "    environment: $2"; [ -n "${3:-}" ] && echo "    order: \"$3\""
      echo "spec:"; echo "  identity:"; echo "    kind: ServiceAccount"; echo "    name: fleet-member-agent-$1"; echo "    namespace: fleet-system"; } >"$1.yaml"
  done
}
summary() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; }
