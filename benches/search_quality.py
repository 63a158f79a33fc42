#!/usr/bin/env python3
"""Search quality of `kb search` on natural questions with graded judgments, next to a BM25 baseline.

Usage:
    python3 benches/search_quality.py --kb-bin target/release/kb --corpus /tmp/sq/handbook-18f \
        --questions benches/questions/handbook-18f.jsonl [--json out.json] [--k 10]

Questions file: JSON Lines, one object a line:
    {"q": "how many vacation days do I get?", "kind": "keywords|question|paraphrase",
     "judgments": {"path/relative/to/corpus.md": 2, "other.md": 1}}
Grade 2 = the page a person wants, 1 = a useful related page; unlisted pages count 0.

For each question:
* kb: `kb --kb CORPUS search --format json --limit 10 -- Q` (cwd = the corpus folder too,
  KB_NOW=2026-11-25, NO_COLOR=1; --kb because a handbook folder has no kb.yaml and is no git
  repository, which kb needs to find a root from the cwd; the first search builds kb's index in
  CORPUS/.kb/cache, so use an unpacked copy of read-only data). Exit 1 = no results
  (empty list); exit 2 (or any other failure) = an error: counted as a failed question (empty
  list) and printed. Result paths are taken in order, deduplicated by path (first kept).
* baseline: a plain whole-document BM25 computed here (k1=1.2, b=0.75; idf = ln(1 + (N - df +
  0.5) / (df + 0.5))) over every .md file of the corpus (hidden folders such as .kb/ skipped).
  Document text = front-matter `title:` (if any) + the body with the front matter (--- YAML or
  +++ TOML) stripped; no other markup removal. Tokens: lowercase [a-z0-9]+ runs, minus a
  standard English stop-word list (the NLTK list, typed in below), stemmed with the original
  Porter (1980) algorithm (implemented below, compact). Queries go through the same pipeline.
  Ties are broken by path.

Metrics (top k=10): success@3 (a grade-2 page in the top 3), MRR (1/rank of the first grade-2
page, 0 if none in the top k), nDCG@k (gain = the grade, 2 or 1; DCG = sum gain/log2(rank+1);
ideal DCG from the judgments sorted by grade). Printed per kind and overall for both systems,
then per question the rank of the first grade-2 page for kb and baseline ("-" = not in top k).

Standard library only.
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict

# ---------------------------------------------------------------------------------------------
# Stop words (NLTK English list; the pieces of contractions such as "s", "t", "don" included,
# since the tokenizer splits "what's" into "what" + "s").
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now d ll m o re
    ve y ain aren couldn didn doesn hadn hasn haven isn ma mightn mustn needn shan shouldn wasn
    weren won wouldn
    """.split()
)


# ---------------------------------------------------------------------------------------------
# Porter stemmer (M.F. Porter, "An algorithm for suffix stripping", 1980), compact version.
def _is_cons(w, i):
    c = w[i]
    if c in "aeiou":
        return False
    if c == "y":
        return i == 0 or not _is_cons(w, i - 1)
    return True


def _measure(stem):
    """m in [C](VC)^m[V]."""
    m, prev_v = 0, False
    for i in range(len(stem)):
        v = not _is_cons(stem, i)
        if prev_v and not v:
            m += 1
        prev_v = v
    return m


def _has_vowel(stem):
    return any(not _is_cons(stem, i) for i in range(len(stem)))


def _ends_double_cons(w):
    return len(w) >= 2 and w[-1] == w[-2] and _is_cons(w, len(w) - 1)


def _cvc(w):
    if len(w) < 3:
        return False
    return (
        _is_cons(w, len(w) - 3)
        and not _is_cons(w, len(w) - 2)
        and _is_cons(w, len(w) - 1)
        and w[-1] not in "wxy"
    )


_STEP2 = [
    ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"),
    ("abli", "able"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"),
    ("ization", "ize"), ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("iveness", "ive"),
    ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"),
]
_STEP3 = [
    ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"),
    ("ful", ""), ("ness", ""),
]
_STEP4 = [
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou",
    "ism", "ate", "iti", "ous", "ive", "ize",
]


def porter_stem(w):
    if len(w) <= 2:
        return w
    # Step 1a
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies"):
        w = w[:-2]
    elif w.endswith("ss"):
        pass
    elif w.endswith("s"):
        w = w[:-1]
    # Step 1b
    step1b_extra = False
    if w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    elif w.endswith("ed") and _has_vowel(w[:-2]):
        w, step1b_extra = w[:-2], True
    elif w.endswith("ing") and _has_vowel(w[:-3]):
        w, step1b_extra = w[:-3], True
    if step1b_extra:
        if w.endswith(("at", "bl", "iz")):
            w += "e"
        elif _ends_double_cons(w) and w[-1] not in "lsz":
            w = w[:-1]
        elif _measure(w) == 1 and _cvc(w):
            w += "e"
    # Step 1c
    if w.endswith("y") and _has_vowel(w[:-1]):
        w = w[:-1] + "i"
    # Step 2
    for suf, rep in _STEP2:
        if w.endswith(suf):
            if _measure(w[: -len(suf)]) > 0:
                w = w[: -len(suf)] + rep
            break
    # Step 3
    for suf, rep in _STEP3:
        if w.endswith(suf):
            if _measure(w[: -len(suf)]) > 0:
                w = w[: -len(suf)] + rep
            break
    # Step 4
    for suf in _STEP4:
        if w.endswith(suf):
            stem = w[: -len(suf)]
            if _measure(stem) > 1 and (suf != "ion" or stem.endswith(("s", "t"))):
                w = stem
            break
    # Step 5a
    if w.endswith("e"):
        stem = w[:-1]
        m = _measure(stem)
        if m > 1 or (m == 1 and not _cvc(stem)):
            w = stem
    # Step 5b
    if _measure(w) > 1 and _ends_double_cons(w) and w.endswith("l"):
        w = w[:-1]
    return w


_TOKEN = re.compile(r"[a-z0-9]+")
_stem_cache = {}


def analyze(text):
    out = []
    for tok in _TOKEN.findall(text.lower()):
        if tok in STOP_WORDS:
            continue
        s = _stem_cache.get(tok)
        if s is None:
            s = _stem_cache[tok] = porter_stem(tok)
        out.append(s)
    return out


# ---------------------------------------------------------------------------------------------
# BM25 baseline
_FM = re.compile(r"\A(?:---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)|\+\+\+[ \t]*\r?\n(.*?)\r?\n\+\+\+[ \t]*(?:\r?\n|\Z))", re.S)
_FM_TITLE = re.compile(r"^title\s*[:=]\s*(.*)$", re.M)


def doc_text(raw):
    raw = raw.lstrip("\ufeff")
    m = _FM.match(raw)
    title = ""
    if m:
        fm = m.group(1) if m.group(1) is not None else m.group(2)
        t = _FM_TITLE.search(fm)
        if t:
            title = t.group(1).strip().strip("\"'")
        raw = raw[m.end():]
    return title + "\n" + raw


class BM25:
    def __init__(self, root, k1=1.2, b=0.75):
        self.k1, self.b = k1, b
        self.paths, self.tfs, self.lens = [], [], []
        df = Counter()
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for fn in sorted(filenames):
                if not fn.lower().endswith(".md"):
                    continue
                full = os.path.join(dirpath, fn)
                with open(full, encoding="utf-8", errors="replace") as f:
                    toks = analyze(doc_text(f.read()))
                tf = Counter(toks)
                self.paths.append(os.path.relpath(full, root).replace(os.sep, "/"))
                self.tfs.append(tf)
                self.lens.append(len(toks))
                df.update(tf.keys())
        self.n = len(self.paths)
        self.avgdl = (sum(self.lens) / self.n) if self.n else 0.0
        self.idf = {t: math.log(1 + (self.n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.postings = defaultdict(list)
        for i, tf in enumerate(self.tfs):
            for t in tf:
                self.postings[t].append(i)

    def search(self, query, k=10):
        qtf = Counter(analyze(query))
        scores = defaultdict(float)
        for t, qn in qtf.items():
            idf = self.idf.get(t)
            if idf is None:
                continue
            for i in self.postings[t]:
                f = self.tfs[i][t]
                norm = self.k1 * (1 - self.b + self.b * self.lens[i] / self.avgdl)
                scores[i] += qn * idf * f * (self.k1 + 1) / (f + norm)
        ranked = sorted(scores.items(), key=lambda x: (-x[1], self.paths[x[0]]))
        return [self.paths[i] for i, _ in ranked[:k]]


# ---------------------------------------------------------------------------------------------
# kb
def run_kb(kb_bin, corpus, query, k):
    env = dict(os.environ, KB_NOW="2026-11-25", NO_COLOR="1")
    cmd = [kb_bin, "--kb", corpus, "search", "--format", "json", "--limit", str(k), "--", query]
    try:
        p = subprocess.run(cmd, cwd=corpus, env=env, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return [], "could not run: %s" % e
    if p.returncode == 1:
        return [], None
    if p.returncode != 0:
        return [], "exit %d: %s" % (p.returncode, (p.stderr or p.stdout).strip()[:500])
    try:
        data = json.loads(p.stdout)
    except ValueError as e:
        return [], "bad JSON (%s): %s" % (e, p.stdout[:200])
    seen, out = set(), []
    for r in data.get("results", []):
        path = r.get("path")
        if path and path not in seen:
            seen.add(path)
            out.append(path.replace(os.sep, "/"))
    return out[:k], None


# ---------------------------------------------------------------------------------------------
# metrics
def first_rank(ranked, judg):
    for i, p in enumerate(ranked, 1):
        if judg.get(p, 0) >= 2:
            return i
    return None


def ndcg(ranked, judg, k):
    dcg = sum(judg.get(p, 0) / math.log2(i + 1) for i, p in enumerate(ranked[:k], 1))
    ideal = sorted(judg.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 1) for i, g in enumerate(ideal, 1))
    return dcg / idcg if idcg else 0.0


def metrics(ranked, judg, k):
    r = first_rank(ranked[:k], judg)
    return {
        "first2": r,
        "s3": 1.0 if r is not None and r <= 3 else 0.0,
        "rr": 1.0 / r if r else 0.0,
        "ndcg": ndcg(ranked, judg, k),
    }


def summarize(rows, system):
    groups = defaultdict(list)
    for row in rows:
        groups[row["kind"]].append(row[system])
        groups["overall"].append(row[system])
    out = {}
    for g, ms in groups.items():
        n = len(ms)
        out[g] = {
            "n": n,
            "success@3": sum(m["s3"] for m in ms) / n,
            "mrr": sum(m["rr"] for m in ms) / n,
            "ndcg@10": sum(m["ndcg"] for m in ms) / n,
        }
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kb-bin", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--questions", required=True)
    ap.add_argument("--json", help="write per-question results and summaries here")
    ap.add_argument("--k", type=int, default=10)
    a = ap.parse_args()

    kb_bin = os.path.abspath(a.kb_bin)
    corpus = os.path.abspath(a.corpus)
    questions = []
    with open(a.questions, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            if line.strip():
                q = json.loads(line)
                missing = [p for p in q["judgments"] if not os.path.isfile(os.path.join(corpus, p))]
                if missing:
                    print("warning: line %d: judged paths not in corpus: %s" % (ln, missing), file=sys.stderr)
                questions.append(q)

    print("building BM25 baseline ...", file=sys.stderr)
    bm25 = BM25(corpus)
    rows, failures = [], []
    for n, q in enumerate(questions, 1):
        print("[%d/%d] %s" % (n, len(questions), q["q"]), file=sys.stderr)
        kb_ranked, err = run_kb(kb_bin, corpus, q["q"], a.k)
        if err:
            failures.append((q["q"], err))
            print("kb error for %r: %s" % (q["q"], err), file=sys.stderr)
        base_ranked = bm25.search(q["q"], a.k)
        rows.append({
            "q": q["q"],
            "kind": q["kind"],
            "kb_error": err,
            "kb_results": kb_ranked,
            "baseline_results": base_ranked,
            "kb": metrics(kb_ranked, q["judgments"], a.k),
            "baseline": metrics(base_ranked, q["judgments"], a.k),
        })

    summ = {"kb": summarize(rows, "kb"), "baseline": summarize(rows, "baseline")}
    kinds = [g for g in ("keywords", "question", "paraphrase") if g in summ["kb"]]
    kinds += sorted(g for g in summ["kb"] if g not in kinds and g != "overall") + ["overall"]

    print("## %s (%d questions, %d docs in baseline)\n" % (os.path.basename(corpus), len(rows), bm25.n))
    print("| kind | n | kb success@3 | base success@3 | kb MRR | base MRR | kb nDCG@10 | base nDCG@10 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for g in kinds:
        k_, b_ = summ["kb"][g], summ["baseline"][g]
        print("| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |" % (
            g, k_["n"], k_["success@3"], b_["success@3"], k_["mrr"], b_["mrr"], k_["ndcg@10"], b_["ndcg@10"]))
    print("\nkb errors (exit 2 or other failure): %d" % len(failures))
    for q, err in failures:
        print("  - %r: %s" % (q, err))

    print("\n### Per question: rank of the first grade-2 page (- = not in top %d)\n" % a.k)
    print("| kind | kb | base | | question | kb top 1 |")
    print("|---|---:|---:|---|---|---|")
    for row in rows:
        kr, br = row["kb"]["first2"], row["baseline"]["first2"]
        kv = kr if kr else 99
        bv = br if br else 99
        mark = "kb better" if kv < bv else ("base better" if bv < kv else "")
        if row["kb_error"]:
            mark = "KB ERROR"
        top = row["kb_results"][0] if row["kb_results"] else "(none)"
        print("| %s | %s | %s | %s | %s | %s |" % (
            row["kind"], kr or "-", br or "-", mark, row["q"].replace("|", "\\|"), top))

    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"corpus": corpus, "kb_bin": kb_bin, "k": a.k, "summary": summ,
                       "questions": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
