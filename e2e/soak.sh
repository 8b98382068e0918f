#!/usr/bin/env bash
# Soak: runs the bench workload against one node for DURATION (default 10m)
# and samples the server's RSS and goroutines every 10 s. Fails if either
# keeps growing: the mean of the last third of the samples must stay within
# 25% (plus a small allowance) of the mean of the second third, the first
# third being warm-up. Not part of `make test`.
#
#   e2e/soak.sh [DURATION] [bench flags…]     e.g. e2e/soak.sh 10m -n 200 -k 20
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10m}"
shift || true
work=$(mktemp -d /tmp/drsoak.XXXXXX)
chmod 755 "$work"
bin="$work/draftroom"
go build -o "$bin" ./server/cmd/draftroom
export DRAFTROOM_DATA="$work/data" DATABASE_URL=
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --demo --addr "127.0.0.1:$port" --metrics-addr "127.0.0.1:$mport" >"$work/demo.txt" 2>"$work/server.log" &
server=$!
cleanup() {
	kill "$server" 2>/dev/null || true
	wait "$server" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
	grep -q '"msg":"serving"' "$work/server.log" 2>/dev/null && break
	sleep 0.5
done
doc=$(awk '/^Demo document/{print $3}' "$work/demo.txt")
token=$(awk '$1=="chair"{print $NF}' "$work/demo.txt")
[ -n "$doc" ] && [ -n "$token" ] || { echo "soak: server did not start"; cat "$work/server.log"; exit 1; }

"$bin" bench --url "http://127.0.0.1:$port" --token "$token" --document "$doc" -duration "$duration" "$@" >"$work/bench.txt" 2>"$work/bench.log" &
bench=$!

sample() {
	rss=$(awk '/^VmRSS/{print $2}' "/proc/$server/status")
	gor=$(curl -s "http://127.0.0.1:$mport/metrics" | awk '$1=="go_goroutines"{print $2}')
	echo "$(date +%s) $rss $gor"
}
printf '%-8s %-10s %s\n' "elapsed" "rss_kb" "goroutines"
start=$(date +%s)
: >"$work/samples"
while kill -0 "$bench" 2>/dev/null; do
	s=$(sample)
	echo "$s" >>"$work/samples"
	set -- $s
	printf '%-8s %-10s %s\n' "$(( $1 - start ))s" "$2" "$3"
	sleep 10
done
wait "$bench" || { echo "soak: bench failed"; cat "$work/bench.log" | tail -20; exit 1; }
cat "$work/bench.txt"
python3 - "$work/samples" <<'PY'
import sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 3]
if len(rows) < 6:
    print(f"soak: only {len(rows)} samples; run longer"); sys.exit(1)
third = len(rows) // 3
mid, last = rows[third:2*third], rows[2*third:]
ok = True
for col, name, slack in ((1, "rss_kb", 20_000), (2, "goroutines", 50)):
    a = sum(r[col] for r in mid) / len(mid)
    b = sum(r[col] for r in last) / len(last)
    grew = b > a * 1.25 + slack
    print(f"soak: {name}: middle third mean {a:.0f}, last third mean {b:.0f}: {'GROWING' if grew else 'steady'}")
    ok &= not grew
sys.exit(0 if ok else 1)
PY
