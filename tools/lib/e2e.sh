# Shared by the end-to-end scripts: starts `flotilla serve` on a free port with a fresh journal, writes a
# kubeconfig with the three seed members, and provides the checks. Source it from the repository root; set
# `serve_flags` and `kubeconfig_flags` first to serve and connect otherwise.
# With E2E_MEMBERS=agents the hub serves `--members agents`, and `after_members` starts three member API
# servers (`flotilla serve --plain`) and a `flotilla agent` for each.
bin=$PWD/.build/debug/flotilla
[ -x "$bin" ] || swift build --product flotilla >&2
command -v kubectl >/dev/null || { echo "e2e: kubectl is not on PATH" >&2; exit 1; }
work=$(mktemp -d)
export KUBECACHEDIR="$work/cache" KUBECONFIG="$work/kubeconfig"
members_mode=${E2E_MEMBERS:-simulated}
# start_hub PORT: the hub on PORT (0 for a free one), its output appended to serve.log.
start_hub() {
  if [ "$members_mode" = agents ]; then
    "$bin" serve --db "$work/hub.journal" --port "$1" --members agents --member-heartbeat-timeout 30 >>"$work/serve.log" 2>&1 &
  else
    # shellcheck disable=SC2086 # the flags split into words
    "$bin" serve --db "$work/hub.journal" --port "$1" ${serve_flags---member-latency 2} >>"$work/serve.log" 2>&1 &
  fi
  server=$!
}
start_hub 0
# at_exit CMD: run CMD when the script ends, before the hub stops: for what is not a child of this shell and so
# escapes the pkill below, such as a tmux server.
exit_hooks=()
at_exit() { exit_hooks+=("$1"); }
# stop_server: SIGTERM, and the server must be gone within 5 s; anything still running is killed.
stop_server() {
  local status=$? hook
  for hook in "${exit_hooks[@]}"; do eval "$hook" || true; done
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

# serve_plain NAME [ARGS...]: a member cluster's API server on a free port, its kubeconfig as $work/NAME.kubeconfig.
serve_plain() {
  local name=$1; shift
  "$bin" serve --plain --db "$work/$name.journal" --port 0 "$@" >"$work/$name.log" 2>&1 &
  local member_url=""
  for _ in $(seq 100); do member_url=$(grep -o 'https://[0-9.]*:[0-9]*' "$work/$name.log" | head -1 || true); [ -n "$member_url" ] && break; sleep 0.1; done
  [ -n "$member_url" ] || { cat "$work/$name.log" >&2; return 1; }
  "$bin" kubeconfig --db "$work/$name.journal" --server "$member_url" --output "$work/$name.kubeconfig" >/dev/null
}

# agent_kubeconfig NAME: a kubeconfig for NAME's agent on the hub, as its MemberCluster's identity: a client
# certificate minted by `flotilla kubeconfig --agent` for member1, a ServiceAccount token for the others.
agent_kubeconfig() {
  local name=$1 token
  if [ "$name" = member1 ]; then
    "$bin" kubeconfig --db "$work/hub.journal" --server "$url" --agent "$name" --output "$work/agent-$name.kubeconfig"
    return
  fi
  token=$(kubectl create token "fleet-member-agent-$name" -n fleet-system --duration 2h)
  local file="$work/agent-$name.kubeconfig"
  kubectl config --kubeconfig "$file" set-cluster hub --server "$url" --certificate-authority "$work/hub.journal.pki/ca.crt" --embed-certs >/dev/null
  kubectl config --kubeconfig "$file" set-credentials "agent-$name" --token "$token" >/dev/null
  kubectl config --kubeconfig "$file" set-context hub --cluster hub --user "agent-$name" >/dev/null
  kubectl config --kubeconfig "$file" use-context hub >/dev/null
}

# after_members: once the seed's MemberClusters exist; with agents, their clusters and agents start and join.
after_members() {
  [ "$members_mode" = agents ] || return 0
  run kubectl create ns fleet-system
  for m in member1 member2 member3; do
    run kubectl create sa "fleet-member-agent-$m" -n fleet-system
    serve_plain "$m" --simulate-workloads 1
    agent_kubeconfig "$m"
    "$bin" agent --member "$m" --hub-kubeconfig "$work/agent-$m.kubeconfig" --kubeconfig "$work/$m.kubeconfig" \
      --heartbeat-seconds 2 >"$work/agent-$m.log" 2>&1 &
  done
  for m in member1 member2 member3; do
    wait_for "kubectl get mc $m -o jsonpath='{.status.conditions[?(@.type==\"Joined\")].status}' | grep -qx True"
  done
}

# restart_hub: with agents, SIGTERM the hub mid-run and start it again on the same port and journal; the agents
# reconnect and the run carries on where it was.
restart_hub() {
  [ "$members_mode" = agents ] || return 0
  echo "\$ (the hub restarts while its agents run)"
  local lines port
  lines=$(grep -c 'serving https' "$work/serve.log" || true)
  kill -TERM "$server"
  wait "$server" || { fail "flotilla serve exited non-zero on SIGTERM"; return 0; }
  port=${url##*:}
  start_hub "$port"
  for _ in $(seq 100); do [ "$(grep -c 'serving https' "$work/serve.log" || true)" -gt "$lines" ] && break; sleep 0.1; done
  ok
}

# check_members VALUE: with agents, each member's own API server holds test-cm with key VALUE.
check_members() {
  [ "$members_mode" = agents ] || return 0
  for m in member1 member2 member3; do
    run kubectl --kubeconfig "$work/$m.kubeconfig" get cm test-cm -n test-namespace -o jsonpath='{.data.key}'
    expect "^$1\$"
  done
}
