#!/usr/bin/env python3
"""Known-item search quality of `kb search` on real knowledge bases.

Usage:
    python3 benches/known_item.py [--kb-bin PATH] [--seed 1] [--n 100] [--failures 4] [--dump FILE]
                                  DIR [DIR...]

For each DIR (a KB; the index is built in DIR/.kb/cache, so use a copy of read-only data):

* `kb index`, then `kb ls --format json` for the docs and their titles;
* title test: N docs drawn at random (seeded) among those with a usable title (>= 3 words once
  punctuation is removed, and not kb's file-name fallback: a title equal to the file name counts
  when the doc has a front-matter title or a `# heading` saying so); the query is the title if
  it has 3-6 words, else a seeded window of 3-6 consecutive words of it;
* short-title test (diagnostic, beyond the brief): the whole title of N docs whose title has 1-2
  words (a cmdlet name such as Get-AzVM, a Japanese title written without spaces);
* body test: N docs drawn at random among those whose body has >= 50 words and a prose line to
  quote; the query is a quoted phrase of 3-6 consecutive words of one sentence of a prose line
  (front-matter, code, headings, tables, HTML, comments and Hugo/Liquid shortcodes skipped;
  every word of the window a plain word: letters, inner `-` or `'`, no markup), preferring
  windows with a word of >= 6 characters, then ones that neither start nor end with a stop word;
* cjk-substring test (diagnostic, only for a DIR where >= 30% of the body-test docs are CJK): a
  4-8 character stretch of a run of CJK characters from a prose line, quoted, i.e. the way a
  reader of Japanese/Chinese copies a phrase, not aligned to kb's tokens;
* every query runs as `kb --kb DIR search --format json --limit 10 --no-refresh -- QUERY`, one
  process at a time; the rank of the target doc gives recall@1, recall@5 and MRR (over the top
  10). "strict" counts only the target path; "dup-tolerant" also accepts a doc with the same
  title (title test) or containing the same phrase (body tests): versioned trees and copies make
  some known items ambiguous.

Queries are lowercased (so a title word like AND/OR/NOT is not read as an operator) and
punctuation is replaced by spaces, so they carry no query syntax except the phrase quotes.

Output: a Markdown table (stdout), then example failures (query, expected, top 3 returned).
Progress goes to stderr. Standard library only (uses the `regex` module, if installed, to copy
Rust's `char::is_alphanumeric` exactly; the fallback differs only on rare characters).
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
import unicodedata

try:  # exact Unicode Alphabetic property, as Rust's char::is_alphanumeric uses
    import regex as _regex

    _WORD_CHAR = _regex.compile(r"[\p{Alphabetic}\p{N}]")

    def is_word_char(c):
        return _WORD_CHAR.match(c) is not None

except ImportError:  # close: letters, digits and combining marks (Indic vowel signs, ...)

    def is_word_char(c):
        return c.isalnum() or unicodedata.category(c) in ("Mn", "Mc", "Me", "Nl", "No")


# ---------------------------------------------------------------------------------------------
# Text helpers


def strip_punct(text):
    """Every character that is not a letter, digit or mark becomes a space; spaces collapsed."""
    return " ".join("".join(c if is_word_char(c) else " " for c in text).split())


def norm_tokens(text):
    """Lowercased words split like tantivy's SimpleTokenizer (on non-alphanumerics)."""
    return strip_punct(text).lower().split()


def is_cjk(c):
    o = ord(c)
    return (
        0x3040 <= o <= 0x30FF  # hiragana, katakana
        or 0x31F0 <= o <= 0x31FF
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xAC00 <= o <= 0xD7AF  # hangul
        or 0xFF66 <= o <= 0xFF9F
    )


def file_stem(path):
    """kb's title fallback (src/doc/mod.rs): the file name, or the folder of an index file."""
    parts = path.split("/")
    name = parts[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if stem in ("index", "_index", "README", "readme") and len(parts) > 1:
        return parts[-2]
    return stem


def split_front_matter(text):
    """The body of a doc: kb's rule, `---`/`+++` on line 1 up to the closing fence."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    first = lines[0].rstrip()
    if first not in ("---", "+++"):
        return text
    closers = ("---", "...") if first == "---" else ("+++",)
    for i in range(1, len(lines)):
        if lines[i].rstrip() in closers:
            return "\n".join(lines[i + 1 :])
    return ""  # unclosed: kb reports the doc as an error


FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
LIST_MARKER = re.compile(r"^(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?")
REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:")
SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
ATX_H1 = re.compile(r"^ {0,3}#[ \t]+(.*?)[ \t#]*$")
SETEXT_H1 = re.compile(r"^ {0,3}=+\s*$")
# what a reader does not see of a link: its destination, or the label of a reference link
LINK_TARGET = re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]")
OPENERS = "(\"'“‘«（「『【"
CLOSERS = ".,;:!?)\"'”’»…、。，．：；！？）」』】"


def prose_lines(body):
    """Lines of running text: no code, headings, tables, HTML, comments or shortcodes."""
    lines = body.split("\n")
    out = []
    fence = None
    in_comment = False
    for i, line in enumerate(lines):
        if fence:
            m = FENCE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                if not line.strip()[len(m.group(1)) :].strip():
                    fence = None
            continue
        if in_comment:
            if "-->" in line:
                in_comment = False
            continue
        m = FENCE.match(line)
        if m:
            fence = m.group(1)
            continue
        s = line.strip()
        if s.startswith("<!--"):
            if "-->" not in s:
                in_comment = True
            continue
        if not s or line.startswith("\t") or line.startswith("    ") and not LIST_MARKER.match(s):
            continue
        while s.startswith(">"):  # block quotes hold prose too
            s = s[1:].lstrip()
        if not s or s[0] in "#<|" or s.count("|") >= 2:  # headings, HTML, tables
            continue
        if "{{" in s or "{%" in s or "%}" in s or "}}" in s or REF_DEF.match(s):
            continue
        if SETEXT.match(s):
            continue
        if i + 1 < len(lines) and SETEXT.match(lines[i + 1]) and lines[i + 1].strip():
            continue  # the text of a setext heading
        s = LIST_MARKER.sub("", s)
        out.append(LINK_TARGET.sub("] ", s))
    return out


def plain_core(word):
    """The word without its surrounding punctuation, if it is a plain word (letters and marks,
    inner - ' ’ only, no markup), else None."""
    w = word.lstrip(OPENERS).rstrip(CLOSERS)
    if not w or not is_word_char(w[0]) or not is_word_char(w[-1]):
        return None
    for c in w:
        if c in "-'’":
            continue
        if not is_word_char(c) or c.isdigit() or unicodedata.category(c).startswith("N"):
            return None
    return w


def plain_spans(line):
    """Maximal runs of consecutive plain words of a line, within a sentence or clause (markup,
    numbers and code break runs, as do . ! ? : ; after a word)."""
    spans, cur = [], []
    for word in line.split():
        core = plain_core(word)
        if core is None:
            if cur:
                spans.append(cur)
            cur = []
            continue
        cur.append(core)
        tail = word[len(word.rstrip(CLOSERS)):]
        if any(c in ".!?:;。．！？：；" for c in tail):
            spans.append(cur)
            cur = []
    if cur:
        spans.append(cur)
    return spans


STOPWORDS = set("""a an and are as at be by can for from has have how if in into is it its of on
or our so that the their then there these this to was we were what when where which who will
with you your not but all any do does may must should would also more than such""".split())


def body_word_count(lines):
    words = 0
    for line in lines:
        words += len(line.split())
        words += sum(1 for c in line if is_cjk(c)) // 2  # CJK has no spaces: ~2 chars a word
    return words


def pick_body_phrase(body, rng):
    """A 3-6 word window of plain words from a prose line, or None."""
    lines = prose_lines(body)
    if body_word_count(lines) < 50:
        return None, "short"
    spans = [sp for line in lines for sp in plain_spans(line) if len(sp) >= 3]
    if not spans:
        return None, "no-prose"
    width = rng.randint(3, 6)
    windows = []
    for w in [width] + [x for x in (6, 5, 4, 3) if x != width]:
        windows = [sp[i : i + w] for sp in spans for i in range(len(sp) - w + 1)]
        if windows:
            break
    # rarer words first: a word of >= 6 characters; then, if possible, no stop word at either end
    # and two words of >= 4 characters (for English; other languages just skip that tier)
    rare = [win for win in windows if max(len(x) for x in win) >= 6]
    good = [
        win for win in rare
        if win[0].lower() not in STOPWORDS and win[-1].lower() not in STOPWORDS
        and sum(len(x) >= 4 for x in win) >= 2
    ]
    window = rng.choice(good or rare or windows)
    return " ".join(window), None


CJK_RUN = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uac00-\ud7af\uff66-\uff9f]{6,}"
)


def cjk_share(lines):
    letters = [c for line in lines for c in line if c.isalpha()]
    return sum(1 for c in letters if is_cjk(c)) / len(letters) if letters else 0.0


def pick_cjk_substring(body, rng):
    """A 4-8 character stretch of a CJK run of a prose line, at a seeded offset, or None."""
    lines = prose_lines(body)
    if body_word_count(lines) < 50 or cjk_share(lines) < 0.3:
        return None
    runs = [m.group(0) for line in lines for m in CJK_RUN.finditer(line)]
    if not runs:
        return None
    run = rng.choice(runs)
    width = rng.randint(4, min(8, len(run)))
    start = rng.randint(0, len(run) - width)
    return run[start : start + width]


# ---------------------------------------------------------------------------------------------
# Running kb


class Kb:
    def __init__(self, binary, root):
        self.binary = binary
        self.root = root

    def run(self, args, timeout=600):
        for attempt in range(60):  # the binary may be replaced by a rebuild: wait and retry
            if not os.path.exists(self.binary):
                print(f"  {self.binary} is missing, waiting...", file=sys.stderr)
                time.sleep(10)
                continue
            try:
                return subprocess.run(
                    [self.binary, "--kb", self.root] + args,
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                )
            except (FileNotFoundError, PermissionError, OSError) as e:
                print(f"  cannot run {self.binary} ({e}), retrying...", file=sys.stderr)
                time.sleep(10)
        sys.exit(f"{self.binary} never became runnable")

    def search(self, query):
        """(paths best first, error message or None, wall ms, kb's took_ms or None)."""
        args = ["search", "--format", "json", "--limit", "10", "--no-refresh", "--", query]
        started = time.perf_counter()
        p = self.run(args)
        wall = (time.perf_counter() - started) * 1000
        if p.returncode not in (0, 1):
            return [], f"exit {p.returncode}: {p.stderr.strip()[:200]}", wall, None
        try:
            out = json.loads(p.stdout)
        except ValueError:
            msg = (p.stderr.strip() or p.stdout.strip())[:200]
            return [], (f"exit {p.returncode}: {msg}" if p.returncode else "bad JSON"), wall, None
        paths = [r["path"] for r in out.get("results", [])]
        return paths, None, wall, out.get("took_ms")


# ---------------------------------------------------------------------------------------------
# The benchmark


def percentile(values, q):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


class Corpus:
    def __init__(self, kb, root):
        self.kb = kb
        self.root = root
        self.texts = {}
        self.norm = {}

    def text(self, path):
        if path not in self.texts:
            try:
                with open(os.path.join(self.root, path), encoding="utf-8", errors="replace") as f:
                    self.texts[path] = f.read()
            except OSError:
                self.texts[path] = ""
        return self.texts[path]

    def normalized(self, path):
        """The doc's words as kb's tokenizer splits them, for 'contains the same phrase'."""
        if path not in self.norm:
            self.norm[path] = " " + " ".join(norm_tokens(self.text(path))) + " "
        return self.norm[path]


def evaluate(corpus, cases):
    """cases: (query, target path, label, is_dup: path -> bool). Returns one record a query."""
    records = []
    for i, (query, target, label, is_dup) in enumerate(cases):
        paths, error, wall, took = corpus.kb.search(query)
        strict = next((r for r, p in enumerate(paths, 1) if p == target), None)
        tolerant = next((r for r, p in enumerate(paths, 1) if p == target or is_dup(p)), None)
        records.append(
            dict(query=query, target=target, label=label, paths=paths, error=error,
                 strict=strict, tolerant=tolerant, wall=wall, took=took)
        )
        if (i + 1) % 100 == 0:
            print(f"    {i + 1}/{len(cases)}", file=sys.stderr)
    return records


def metrics(records, key):
    n = len(records)
    if not n:
        return dict(n=0, r1=float("nan"), r5=float("nan"), mrr=float("nan"))
    ranks = [r[key] for r in records]
    return dict(
        n=n,
        r1=sum(1 for x in ranks if x == 1) / n,
        r5=sum(1 for x in ranks if x is not None and x <= 5) / n,
        mrr=sum(1 / x for x in ranks if x is not None and x <= 10) / n,
    )


def run_corpus(args, root):
    name = os.path.basename(os.path.normpath(root))
    kb = Kb(args.kb_bin, root)
    corpus = Corpus(kb, root)
    print(f"== {name}", file=sys.stderr)

    fresh = not os.path.isdir(os.path.join(root, ".kb", "cache", "index"))
    started = time.perf_counter()
    p = kb.run(["index"], timeout=3600)
    index_s = time.perf_counter() - started
    if p.returncode not in (0, 1):
        sys.exit(f"kb index failed on {root}: {p.stderr}")
    p = kb.run(["ls", "--format", "json"])
    if p.returncode not in (0, 1):
        sys.exit(f"kb ls failed on {root}: {p.stderr}")
    docs = json.loads(p.stdout)["docs"]
    titles = {d["path"]: d["title"] for d in docs}
    paths = sorted(titles)
    fm_title = {d["path"]: (d.get("fields") or {}).get("title") for d in docs}

    def fallback_title(path):
        """Whether kb titled the doc after its file: no front-matter title, no `# heading`
        (a `# Get-AzVM` heading in Get-AzVM.md is a real title)."""
        if titles[path] != file_stem(path) or isinstance(fm_title[path], str):
            return False
        want = strip_punct(titles[path])
        body = split_front_matter(corpus.text(path)).split("\n")
        for i, line in enumerate(body):
            m = ATX_H1.match(line)
            if m and strip_punct(m.group(1)) == want:
                return False
            if i + 1 < len(body) and SETEXT_H1.match(body[i + 1]) and strip_punct(line) == want:
                return False
        return True

    norm_title = {path: " ".join(norm_tokens(t)) for path, t in titles.items()}

    def same_title(target):
        want = norm_title[target]
        return lambda p: norm_title.get(p) == want

    kinds = []

    # Title test.
    rng = random.Random(f"{args.seed}/{name}/title")
    usable = [
        path for path in paths
        if len(strip_punct(titles[path]).split()) >= 3 and not fallback_title(path)
    ]
    cases = []
    for path in rng.sample(usable, min(args.n, len(usable))):
        words = strip_punct(titles[path]).lower().split()
        if len(words) > 6:
            w = rng.randint(3, 6)
            start = rng.randint(0, len(words) - w)
            words = words[start : start + w]
        cases.append((" ".join(words), path, titles[path], same_title(path)))
    print(f"  title: {len(cases)} queries ({len(usable)} of {len(docs)} docs eligible)",
          file=sys.stderr)
    kinds.append(("title", evaluate(corpus, cases), f"{len(usable)}/{len(docs)} eligible"))

    # Short-title test (diagnostic): the whole title of docs whose title has 1-2 words, e.g. a
    # cmdlet name (Get-AzVM) or a Japanese title without spaces.
    rng = random.Random(f"{args.seed}/{name}/short-title")
    short = [
        path for path in paths
        if 1 <= len(strip_punct(titles[path]).split()) <= 2 and not fallback_title(path)
    ]
    cases = [(strip_punct(titles[p]).lower(), p, titles[p], same_title(p))
             for p in rng.sample(short, min(args.n, len(short)))]
    print(f"  short-title: {len(cases)} queries ({len(short)} eligible)", file=sys.stderr)
    if cases:
        kinds.append(("short-title", evaluate(corpus, cases), f"{len(short)}/{len(docs)} eligible"))

    # Body phrase test: walk the docs in a seeded order, keep the first N that qualify.
    rng = random.Random(f"{args.seed}/{name}/body")
    order = paths[:]
    rng.shuffle(order)
    cases, tried, skipped = [], 0, {"short": 0, "no-prose": 0}
    cjk_docs = 0
    for path in order:
        if len(cases) >= args.n:
            break
        tried += 1
        body = split_front_matter(corpus.text(path))
        phrase, why = pick_body_phrase(body, rng)
        if phrase is None:
            skipped[why] += 1
            continue
        if cjk_share(prose_lines(body)) >= 0.3:
            cjk_docs += 1
        want = " " + " ".join(norm_tokens(phrase)) + " "
        cases.append(('"' + strip_punct(phrase).lower() + '"', path, phrase,
                      lambda p, want=want: want in corpus.normalized(p)))
    print(f"  body: {len(cases)} queries ({tried} docs drawn, {skipped['short']} under 50 words, "
          f"{skipped['no-prose']} without a plain 3-word line)", file=sys.stderr)
    note = f"{tried} drawn, {skipped['short']} short, {skipped['no-prose']} no prose"
    kinds.append(("body", evaluate(corpus, cases), note))

    # CJK substring test, for corpora that are largely CJK.
    if cases and cjk_docs >= 0.3 * len(cases):
        rng = random.Random(f"{args.seed}/{name}/cjk")
        order = paths[:]
        rng.shuffle(order)
        cases = []
        for path in order:
            if len(cases) >= args.n:
                break
            sub = pick_cjk_substring(split_front_matter(corpus.text(path)), rng)
            if sub:
                cases.append(('"' + sub + '"', path, sub, lambda p, sub=sub: sub in corpus.text(p)))
        print(f"  cjk-substring: {len(cases)} queries", file=sys.stderr)
        kinds.append(("cjk-substring", evaluate(corpus, cases), "diagnostic"))

    return dict(name=name, docs=len(docs), index_s=index_s, fresh=fresh, kinds=kinds,
                titles=titles)


def too_long(query):
    """Words of the query that kb's tokenizer drops (tantivy's RemoveLongFilter: >= 40 bytes)."""
    return [w for w in norm_tokens(query) if len(w.encode("utf-8")) >= 40]


def failure_tags(kind, r, titles):
    tags = []
    if kind in ("title", "short-title") and r["paths"]:
        # the query cannot single out its doc if the doc returned first has it in its title too
        got = " " + " ".join(norm_tokens(titles.get(r["paths"][0], ""))) + " "
        if " " + " ".join(norm_tokens(r["query"])) + " " in got:
            tags.append("ambiguous")
    if too_long(r["query"]):
        tags.append("word >= 40 bytes")
    if r["error"]:
        tags.append("error")
    elif not r["paths"]:
        tags.append("no results")
    return tags


def fmt(x):
    return "–" if x != x else f"{x:.2f}"


def report(results, args):
    out = []
    out.append(f"## Known-item search: kb search, seed {args.seed}, n {args.n} per test\n")
    out.append("Targets: title queries recall@1 >= 0.90; body phrase queries recall@5 >= 0.90 "
               "(judged on the dup-tolerant figures). strict = the target path only; tol = also a "
               "doc with the same title / the same phrase.\n")
    out.append("| KB | docs | test | n | R@1 strict | R@5 strict | MRR strict | R@1 tol | R@5 tol "
               "| MRR tol | target | no results | ms/query p50 (p95) | kb took_ms p50 |")
    out.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|:---:|---:|---:|---:|")
    for res in results:
        for kind, records, note in res["kinds"]:
            walls = [r["wall"] for r in records]
            tooks = [r["took"] for r in records if r["took"] is not None]
            s, t = metrics(records, "strict"), metrics(records, "tolerant")
            target = ""
            if kind == "title":
                target = "✅" if t["r1"] >= 0.9 else "❌"
            elif kind == "body":
                target = "✅" if t["r5"] >= 0.9 else "❌"
            empty = sum(1 for r in records if not r["paths"])
            out.append(
                f"| {res['name']} | {res['docs']:,} | {kind} | {s['n']} | {fmt(s['r1'])} | "
                f"{fmt(s['r5'])} | {fmt(s['mrr'])} | {fmt(t['r1'])} | {fmt(t['r5'])} | "
                f"{fmt(t['mrr'])} | {target} | {empty} | "
                f"{percentile(walls, 0.5):.0f} ({percentile(walls, 0.95):.0f}) | "
                f"{percentile(tooks, 0.5):.0f} |"
            )
    out.append("")
    out.append("ms/query: whole `kb search` process (start, open index, search, JSON), one at a "
               "time; took_ms: kb's own figure for the search. `kb index` before the queries: "
               + ", ".join(f"{r['name']} {r['index_s']:.2f} s "
                           f"({'build' if r['fresh'] else 'refresh'})" for r in results) + ".\n")
    out.append("Sampling: " + "; ".join(
        f"{r['name']} "
        + ", ".join(f"{k} {note}" for k, _, note in r["kinds"] if k != "cjk-substring")
        for r in results) + ".\n")

    out.append("### Example failures\n")
    out.append("Tags: *ambiguous* = the doc returned first has the query words in its title too "
               "(the query cannot single out its doc); *word >= 40 bytes* = the query holds a word "
               "kb's tokenizer drops (tantivy's RemoveLongFilter, e.g. a run of 14+ CJK "
               "characters), in the query and in the docs alike.\n")
    for res in results:
        titles = res["titles"]
        for kind, records, _ in res["kinds"]:
            cutoff = 1 if kind in ("title", "short-title") else 5
            fails = [r for r in records if r["tolerant"] is None or r["tolerant"] > cutoff]
            if not fails:
                continue
            tagged = [(r, failure_tags(kind, r, titles)) for r in fails]
            counts = {}
            for _, tags in tagged:
                for t in tags:
                    counts[t] = counts.get(t, 0) + 1
            why = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
            out.append(f"**{res['name']} / {kind}**: {len(fails)} of {len(records)} not in the "
                       f"top {cutoff} (dup-tolerant)" + (f"; {why}" if why else "") + "\n")
            # show the failures nobody would call ambiguous first
            tagged.sort(key=lambda rt: "ambiguous" in rt[1])
            for r, tags in tagged[: args.failures]:
                got = ", ".join(f"`{p}` ({titles.get(p, '?')})" for p in r["paths"][:3]) or (
                    r["error"] or "no results")
                rank = r["strict"] or "not in top 10"
                tag = f" [{', '.join(tags)}]" if tags else ""
                out.append(f"- query `{r['query']}` → expected `{r['target']}` "
                           f"({titles.get(r['target'], '?')}), rank {rank}; got {got}{tag}")
            out.append("")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--kb-bin", default=os.path.join(here, "..", "target", "release", "kb"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--n", type=int, default=100, help="queries per test and KB")
    ap.add_argument("--failures", type=int, default=4, help="example failures shown per test")
    ap.add_argument("--dump", metavar="FILE",
                    help="also write every query and its results (JSON lines)")
    ap.add_argument("dirs", nargs="+", metavar="DIR")
    args = ap.parse_args()
    args.kb_bin = os.path.abspath(args.kb_bin)
    results = [run_corpus(args, os.path.abspath(d)) for d in args.dirs]
    print(report(results, args))
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for res in results:
                for kind, records, _ in res["kinds"]:
                    for r in records:
                        line = dict(kb=res["name"], kind=kind, **r)
                        f.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
