#!/usr/bin/env bash
# Runs every fuzz target for a while (default 30s each) and reports what
# each found. New failing inputs land in the package's testdata/fuzz/ and
# become regression tests for `go test`.
#
#   e2e/fuzz.sh [DURATION]      e.g. e2e/fuzz.sh 2m
set -uo pipefail
cd "$(dirname "$0")/.."
duration="${1:-30s}"
status=0
targets=$(grep -rl --include='*_test.go' '^func Fuzz' server | sort | while read -r f; do
	pkg="./$(dirname "$f")"
	grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //' | sed "s|^|$pkg |"
done)
echo "fuzzing each target for $duration"
while read -r pkg name; do
	[ -n "$name" ] || continue
	start=$(date +%s)
	out=$(go test -run '^$' -fuzz "^${name}\$" -fuzztime "$duration" "$pkg" 2>&1)
	rc=$?
	secs=$(( $(date +%s) - start ))
	execs=$(printf '%s\n' "$out" | grep -o 'execs: [0-9]*' | tail -1)
	if [ $rc -eq 0 ]; then
		printf '%-45s %-28s ok    %4ss  %s\n' "$pkg" "$name" "$secs" "$execs"
	else
		status=1
		printf '%-45s %-28s FAIL  %4ss\n' "$pkg" "$name" "$secs"
		printf '%s\n' "$out" | tail -20
	fi
done <<< "$targets"
exit $status
