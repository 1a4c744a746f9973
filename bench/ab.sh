#!/usr/bin/env bash
# Same-run A/B of the console tools: two built checkouts, alternately, on the same input.
#   bench/ab.sh OLD_ROOT NEW_ROOT [rounds]
# e.g. git worktree add /tmp/old <commit> && (cd /tmp/old && ln -s "$PWD/node_modules" . && npm run build)
# Each round: `cat lines | kafka-console-producer` (1M lines of 100 B, a fresh data dir), then
# `kafka-console-consumer --from-beginning --max-messages 1000000 > /dev/null`; wall times in ms.
set -euo pipefail
old=$1 new=$2 rounds=${3:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seq 1 1000000 | awk '{printf "%-99s\n", $0}' > "$work/lines.txt"
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
for round in $(seq 1 "$rounds"); do
  for side in old new; do
    root=$old; [ "$side" = new ] && root=$new
    export KAFKIT_DATA_DIR="$work/data-$side-$round"
    t=$(date +%s%N); cat "$work/lines.txt" | "$root/bin/kafka-console-producer" --topic bench; p=$(ms "$t")
    t=$(date +%s%N); "$root/bin/kafka-console-consumer" --topic bench --from-beginning --max-messages 1000000 > /dev/null 2>&1; c=$(ms "$t")
    echo "round $round $side: producer $p ms, consumer $c ms"
    rm -rf "$KAFKIT_DATA_DIR"
  done
done
