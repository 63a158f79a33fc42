"""Adds review threads to a (synthetic) knowledge base, for benchmarking `kb review`.

    python3 benches/gen_reviews.py --kb DIR --events 50000 [--seed 1]

Picks docs with YAML front-matter, asks for review on a fifth of them (adds `review:
{reviewers, due}` to their front-matter), and writes threads under .kb/reviews/ in kb's event
format: a first comment anchored to a quote of the doc, replies, resolutions, approvals and
requests for changes, each a file named by its ULID. Deterministic for a seed.
"""

import argparse
import os
import random
import sys
import time

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(ms: int, rng: random.Random) -> str:
    value = (ms << 80) | rng.getrandbits(80)
    return "".join(CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def event(eid, thread, author, created, action, body, doc=None, anchor=None, after=None, blob=None):
    lines = ["---", f"id: {eid}", f"thread: {thread}"]
    if after:
        lines.append(f"after: {after}")
    lines += [f"author: {author}", f"created: {created}", f"action: {action}"]
    if doc:
        lines.append(f"doc: {doc}")
    if blob:
        lines.append(f"blob: {blob}")
    if anchor:
        lines.append("anchor:")
        for k, v in anchor.items():
            lines.append(f"  {k}: {v!r}" if isinstance(v, int) else f"  {k}: \"{v}\"")
    lines += ["---", body, ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", required=True)
    ap.add_argument("--events", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    docs = []
    for root, dirs, files in os.walk(args.kb):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for f in files:
            if f.endswith(".md"):
                docs.append(os.path.relpath(os.path.join(root, f), args.kb))
    docs.sort()
    people = sorted(f[:-3] for f in os.listdir(os.path.join(args.kb, "people")) if f.endswith(".md")) if os.path.isdir(os.path.join(args.kb, "people")) else ["sam", "dana", "lee"]
    made, threads, reviewed = 0, 0, 0
    base_ms = 1_764_000_000_000
    while made < args.events:
        doc = rng.choice(docs)
        path = os.path.join(args.kb, doc)
        text = open(path, encoding="utf-8").read()
        if not text.startswith("---\n"):
            continue
        body = text.split("\n---\n", 1)[-1]
        lines = [l for l in body.splitlines() if len(l) > 40 and not l.startswith(("#", "|", "```", "-", "*"))]
        if not lines:
            continue
        if "\nreview:" not in text and rng.random() < 0.2:
            who = rng.sample(people, min(3, len(people)))
            text = text.replace("---\n", f"---\nreview: {{reviewers: [{', '.join(who)}], due: 2026-12-0{rng.randint(1, 9)}}}\n", 1)
            open(path, "w", encoding="utf-8").write(text)
            reviewed += 1
        line = rng.choice(lines)
        quote = line[:30].replace('"', "'").replace("\\", "")
        ms = base_ms + made * 1000
        tid = ulid(ms, rng)
        folder = os.path.join(args.kb, ".kb", "reviews", doc[:-3], tid)
        os.makedirs(folder, exist_ok=True)
        author = rng.choice(people)
        anchor = {"exact": quote, "prefix": "", "suffix": "", "start": 0, "end": len(quote), "section": "", "line": 1, "blob": ""}
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms / 1000))
        open(os.path.join(folder, f"{tid}.md"), "w").write(event(tid, tid, author, created, "comment", "Is this still true?", doc=doc, anchor=anchor))
        made += 1
        last = tid
        for i in range(rng.choice([0, 1, 2, 3, 4])):
            action = "resolve" if i == 3 else "comment"
            eid = ulid(ms + i + 1, rng)
            open(os.path.join(folder, f"{eid}.md"), "w").write(event(eid, tid, rng.choice(people), created, action, "Good point." if action == "comment" else "", after=last))
            last = eid
            made += 1
        if rng.random() < 0.15:
            vid = ulid(ms + 10, rng)
            vfolder = os.path.join(args.kb, ".kb", "reviews", doc[:-3], vid)
            os.makedirs(vfolder, exist_ok=True)
            verdict = rng.choice(["approve", "approve", "request-changes"])
            open(os.path.join(vfolder, f"{vid}.md"), "w").write(event(vid, vid, rng.choice(people), created, verdict, "", doc=doc, blob="0" * 40))
            made += 1
        threads += 1
    print(f"events written: {made}  threads: {threads}  docs asking for review: {reviewed}  seconds: {time.perf_counter() - t0:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
