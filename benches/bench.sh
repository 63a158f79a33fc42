#!/usr/bin/env bash
# kb's benchmarks, side by side with a reference in the same run (hyperfine), on synthetic KBs
# of 10k, 30k and 100k docs and on the real corpora in ../shared/corpora, unpacked to /tmp.
#
#   benches/bench.sh [ls|new|search|goals|check|cache|interleaved|all]
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

bench_search() {
  echo "## kb index (build) and kb search vs rg -i -l"
  local sizes=${KB_BENCH_SEARCH_SIZES:-"10000 30000 50000 100000"}
  for dir in $(for n in $sizes; do synthetic "$n"; done) $(corpora); do
    local mb word
    mb=$(du -sm --apparent-size --exclude=.kb "$dir" | cut -f1)
    # A word that occurs in some docs, not everywhere: a longer word of a title.
    word=${KB_BENCH_WORD:-$(grep -rh -m1 '^title:' "$dir" --include='*.md' 2>/dev/null | sed -n '7,40p' | tr -cs '[:alpha:]' '\n' | awk 'length($0) >= 6' | head -1)}
    word=${word:-policy}
    echo "### $(basename "$dir"): $mb MB of Markdown, query: $word"
    rm -rf "$dir/.kb/cache"
    local t0 t1 rss
    t0=$(date +%s.%N)
    rss=$(peak_rss_mb "$KB" --kb "$dir" index --rebuild)
    t1=$(date +%s.%N)
    echo "index --rebuild: $(awk -v a="$t0" -v b="$t1" -v mb="$mb" 'BEGIN{printf "%.2f s, %.0f MB/s", b-a, mb/(b-a)}'), peak RSS $rss MB"
    compare "$KB --kb $dir search $word --format json" \
      "$KB --kb $dir search $word --format json --no-refresh" \
      "rg -i -l $word $dir" \
      "find $dir -name *.md -printf %s%T@\\n"
    echo "peak RSS of kb search: $(peak_rss_mb "$KB" --kb "$dir" search "$word" --format json) MB, --no-refresh: $(peak_rss_mb "$KB" --kb "$dir" search "$word" --format json --no-refresh) MB"
    # Refresh after editing one file: touch it, then time the search that reindexes it.
    local victim; victim=$(find "$dir" -name '*.md' | sed -n '100p')
    local total=0
    for i in 1 2 3 4 5; do
      echo "edited $i" >> "$victim"
      t0=$(date +%s%N); "$KB" --kb "$dir" index --format json >/dev/null; t1=$(date +%s%N)
      total=$((total + (t1 - t0) / 1000))
    done
    echo "kb index after editing one file (mean of 5): $((total / 5000)) ms"
  done
}

bench_goals() {
  echo "## kb goals report --format json vs rg -c '' over the goal and check-in files"
  local dir="$WORK/goals-10k-100k"
  [ -f "$dir/kb.yaml" ] || python3 benches/gen_kb.py --docs 110500 --goals 10000 --checkins 100000 --out "$dir" >&2
  local goals checkins
  goals=$(find "$dir/goals" -name '*.md' -not -path '*/checkins/*' | wc -l)
  checkins=$(find "$dir/goals/checkins" -name '*.md' | wc -l)
  echo "### $goals goals, $checkins check-ins ($(du -sm --apparent-size "$dir/goals" | cut -f1) MB)"
  KB_NOW=2026-11-25 compare "$KB --kb $dir goals report --format json" "rg -c '' $dir/goals"
  echo "peak RSS of kb goals report: $(KB_NOW=2026-11-25 peak_rss_mb "$KB" --kb "$dir" goals report --format json) MB"
}

bench_check() {
  echo "## kb check --format json vs rg -c '' (whole process)"
  for dir in $(synthetic 100000) "$WORK/corpora/docs-azure-powershell"; do
    echo "### $(basename "$dir")"
    compare "$KB --kb $dir check --format json" "rg -c '' $dir"
    echo "peak RSS of kb check: $(peak_rss_mb "$KB" --kb "$dir" check --format json) MB"
  done
}

cache_kbs() { # the KBs the doc cache's benchmarks run on
  local sizes=${KB_BENCH_CACHE_SIZES:-"10000 30000 100000"}
  for n in $sizes; do synthetic "$n"; done
  if [ -d "$WORK/corpora/docs-azure-powershell" ]; then echo "$WORK/corpora/docs-azure-powershell"; fi
}

owner_in() { # DIR -> a handle that owns a doc there, for `kb inbox`
  local who
  who=$(grep -rh -m1 '^owner:' "$1" --include='*.md' 2>/dev/null | awk 'NR == 1 {print $2}' || true)
  echo "${who:-nobody}"
}

read_runs() { # DIR -> every read command on DIR, one per line, each run once to warm its caches
  local dir=$1 who c
  who=$(owner_in "$dir")
  for c in "ls --format json" "check --format json" "stale --format json" "goals report --format json" \
           "review status --format json" "inbox $who --format json"; do
    "$KB" --kb "$dir" $c >/dev/null 2>&1 || true
    echo "$KB --kb $dir $c"
  done
}

bench_cache() {
  echo "## The doc cache (issue 17): every read command vs rg -c '', warm, one file touched, first run"
  for dir in $(cache_kbs); do
    local files mb victim who runs
    files=$(find "$dir" -name '*.md' | wc -l)
    mb=$(du -sm --apparent-size --exclude=.kb "$dir" | cut -f1)
    victim=$(find "$dir" -name '*.md' | sed -n '100p')
    who=$(owner_in "$dir")
    echo "### $(basename "$dir"): $files files, $mb MB of Markdown"
    mapfile -t runs < <(read_runs "$dir")
    echo "warm:"
    KB_NOW=2026-11-25 compare "${runs[@]}" "rg -c '' $dir"
    echo "one file touched before each run:"
    local table; table=$(mktemp)
    KB_NOW=2026-11-25 hyperfine -N -i -w 1 -r 5 --prepare "touch $victim" --export-markdown "$table" \
      "${runs[@]}" "rg -c '' $dir" >/dev/null 2>&1
    sed 's|/[^ `]*/target/release/kb|kb|g' "$table"
    echo "first run (no cache: --no-cache, and the caches removed before each run):"
    KB_NOW=2026-11-25 hyperfine -N -i -w 1 -r 3 --prepare "rm -rf $dir/.kb/cache/docs.json $dir/.kb/cache/docs.bin $dir/.kb/cache/check.json $dir/.kb/cache/check.bin" \
      --export-markdown "$table" "$KB --kb $dir ls --format json" "$KB --kb $dir check --format json" \
      "$KB --kb $dir --no-cache ls --format json" "$KB --kb $dir --no-cache check --format json" \
      "rg -c '' $dir" >/dev/null 2>&1
    sed 's|/[^ `]*/target/release/kb|kb|g' "$table"
    rm -f "$table"
    read_runs "$dir" >/dev/null
    echo "cache on disk: $(du -cb "$dir"/.kb/cache/*.bin 2>/dev/null | tail -1 | cut -f1) bytes for $(du -sb --exclude=.kb "$dir" | cut -f1) bytes of KB"
    echo "peak RSS, warm: ls $(peak_rss_mb "$KB" --kb "$dir" ls --format json) MB, check $(peak_rss_mb "$KB" --kb "$dir" check --format json) MB, inbox $(peak_rss_mb "$KB" --kb "$dir" inbox "$who" --format json) MB"
    rm -f "$dir/.kb/cache/check.bin" "$dir/.kb/cache/links.bin"
    echo "peak RSS, first run: check $(peak_rss_mb "$KB" --kb "$dir" check --format json) MB"
  done
}

bench_interleaved() {
  echo "## The doc cache's read commands vs rg -c '', warm, interleaved rounds (benches/interleave.py)"
  local rounds=${KB_BENCH_ROUNDS:-15}
  for dir in $(cache_kbs); do
    local runs
    mapfile -t runs < <(read_runs "$dir")
    echo "### $(basename "$dir"), $rounds rounds"
    echo "| Command | median wall [ms] | least wall | median CPU [ms] | least CPU | median wall / rg |"
    echo "|:---|---:|---:|---:|---:|---:|"
    KB_NOW=2026-11-25 python3 benches/interleave.py "$rounds" "${runs[@]}" "rg -c '' $dir" |
      sed 's|/[^ `]*/target/release/kb|kb|g'
  done
}

case "$what" in
  ls) bench_ls ;;
  new) bench_new ;;
  search) bench_search ;;
  goals) bench_goals ;;
  check) bench_check ;;
  cache) bench_cache ;;
  interleaved) bench_interleaved ;;
  all) bench_ls; bench_new; bench_search; bench_goals; bench_check; bench_cache; bench_interleaved ;;
  *) echo "usage: benches/bench.sh [ls|new|search|goals|check|cache|interleaved|all]" >&2; exit 2 ;;
esac
