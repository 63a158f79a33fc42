#!/bin/bash
# Interleaved A/B: runs command A, then B, N times, and prints the median wall time and the
# median user+sys CPU of each. On a shared 2-core machine whose speed drifts by 30% over
# minutes, interleaving is what makes two binaries comparable.
#   benches/ab.sh 10 "cd /tmp/old-kb && old/kb ls --format json" "cd /tmp/kb && kb ls --format json"
set -euo pipefail
n=$1 a=$2 b=$3
times=$(mktemp)
trap 'rm -f "$times"' EXIT
for _ in $(seq "$n"); do
  for which in A B; do
    cmd=$a
    [ "$which" = B ] && cmd=$b
    /usr/bin/time -f "$which %e %U %S" -a -o "$times" bash -c "$cmd >/dev/null 2>&1" || true
  done
done
python3 - "$times" <<'PY'
import statistics as st, sys
rows = [l.split() for l in open(sys.argv[1]) if l[:1] in "AB"]
for w in "AB":
    r = [(float(e), float(u) + float(s)) for x, e, u, s in rows if x == w]
    print("%s median wall %.0f ms, cpu %.0f ms (n=%d)" % (
        w, st.median(x[0] for x in r) * 1000, st.median(x[1] for x in r) * 1000, len(r)))
PY
