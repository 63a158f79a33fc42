#!/usr/bin/env bash
# kb's benchmarks, side by side with a reference in the same run (hyperfine), on synthetic KBs
# of 10k, 30k and 100k docs and on the real corpora in ../shared/corpora, unpacked to /tmp.
#
#   benches/bench.sh [ls|new|all]
#
# Needs: a release build (cargo build --release), hyperfine, rg, python3, GNU time (optional).
set -euo pipefail
cd "$(dirname "$0")/.."
KB="$PWD/target/release/kb"
WORK=${KB_BENCH_DIR:-/tmp/kb-bench}
SIZES=${KB_BENCH_SIZES:-"10000 30000 100000"}
what=${1:-all}
mkdir -p "$WORK"

synthetic() { # N -> path of a synthetic KB of N docs, generated once
  local dir="$WORK/synthetic-$1"
  [ -f "$dir/kb.yaml" ] || python3 benches/gen_kb.py --docs "$1" --out "$dir" >&2
  echo "$dir"
}

corpora() { # unpack each archive once, print the folders
  local src=../shared/corpora
  for archive in "$src"/*.tar.xz; do
    local name; name=$(basename "$archive" .tar.xz)
    [ -d "$WORK/corpora/$name" ] || { mkdir -p "$WORK/corpora"; tar -xJf "$archive" -C "$WORK/corpora"; }
    echo "$WORK/corpora/$name"
  done
}

compare() { # commands... -> a Markdown table of their times, side by side
  local table; table=$(mktemp)
  hyperfine -N -w 2 -r 10 --export-markdown "$table" "$@" >/dev/null 2>&1
  sed 's|/[^ `]*/target/release/kb|kb|g' "$table"
  rm -f "$table"
}

peak_rss_mb() { # command... -> peak RSS in MB
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'
  else
    echo "?"
  fi
}

bench_ls() {
  echo "## kb ls --format json vs rg -c '' (whole process, warm cache)"
  for dir in $(for n in $SIZES; do synthetic "$n"; done) $(corpora); do
    local files mb
    files=$(find "$dir" -name '*.md' -o -name '*.markdown' | wc -l)
    mb=$(du -sm "$dir" | cut -f1)
    echo "### $(basename "$dir"): $files files, $mb MB"
    compare "$KB --kb $dir ls --format json" "rg -c '' $dir"
    echo "peak RSS of kb ls: $(peak_rss_mb "$KB" --kb "$dir" ls --format json) MB"
  done
}

bench_new() {
  echo "## kb new (the id scan) vs kb ls, whole process"
  for n in $SIZES; do
    local dir; dir=$(synthetic "$n")
    echo "### synthetic-$n"
    KB_USER=bench compare "$KB --kb $dir new rca 'Benchmark outage' --dry-run" \
      "$KB --kb $dir new rca 'Benchmark outage' --dry-run --format json" \
      "$KB --kb $dir ls --format json"
  done
}

case "$what" in
  ls) bench_ls ;;
  new) bench_new ;;
  all) bench_ls; bench_new ;;
  *) echo "usage: benches/bench.sh [ls|new|all]" >&2; exit 2 ;;
esac
