#!/usr/bin/env python3
"""A synthetic KB with a long git history, for `kb` history benchmarks (issue 15).

Writes a git fast-import stream: one commit adding DOCS docs, then COMMITS commits, each
editing a few docs (and every 50th renaming one), one day apart, by a handful of authors.

    python3 benches/gen_history.py --docs 20000 --commits 5000 /tmp/kb-hist
"""
import argparse
import os
import random
import subprocess
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--docs", type=int, default=20000)
    p.add_argument("--commits", type=int, default=5000)
    p.add_argument("--per-commit", type=int, default=4, help="docs edited per commit")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("out")
    a = p.parse_args()
    rnd = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", a.out], check=True)
    authors = [("Dana Reyes", "dana@acme.example"), ("Sam Stone", "sam@acme.example"),
               ("Priya Nair", "priya@acme.example"), ("Kenji Ito", "kenji@acme.example")]
    folders = ["handbook", "playbooks", "specs", "rca", "decisions", "deep-dives"]
    paths = [f"{folders[i % len(folders)]}/{i // 1000:02d}/doc-{i:06d}.md" for i in range(a.docs)]
    start = 1640995200  # 2022-01-01
    out = []

    def blob(text):
        data = text.encode()
        return b"data %d\n" % len(data) + data + b"\n"

    def commit(n, message, changes):
        name, email = authors[n % len(authors)]
        when = start + n * 86400 // 4
        head = (f"commit refs/heads/main\ncommitter {name} <{email}> {when} +0000\n").encode()
        msg = message.encode()
        parts = [head, b"data %d\n" % len(msg), msg, b"\n"]
        parts.extend(changes)
        parts.append(b"\n")
        out.append(b"".join(parts))

    adds = []
    for i, path in enumerate(paths):
        text = f"---\ntitle: Doc {i}\nowner: dana\n---\n# Doc {i}\n\nVersion 0.\n"
        adds.append(b"M 100644 inline " + path.encode() + b"\n" + blob(text))
    commit(0, "Import the handbook", adds)
    for n in range(1, a.commits + 1):
        changes = []
        for _ in range(a.per_commit):
            i = rnd.randrange(len(paths))
            text = f"---\ntitle: Doc {i}\nowner: dana\n---\n# Doc {i}\n\nVersion {n}.\n"
            changes.append(b"M 100644 inline " + paths[i].encode() + b"\n" + blob(text))
        if n % 50 == 0:
            i = rnd.randrange(len(paths))
            new = paths[i].replace("/doc-", "/moved-", 1)
            if new != paths[i]:
                changes.append(f"R {paths[i]} {new}\n".encode())
                paths[i] = new
        commit(n, f"Edit {n}", changes)
    subprocess.run(["git", "fast-import", "--quiet"], input=b"".join(out), cwd=a.out, check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=a.out, check=True)
    with open(os.path.join(a.out, "kb.yaml"), "w") as f:
        f.write("name: History bench\n")
    print(f"{a.out}: {len(paths)} docs, {a.commits + 1} commits", file=sys.stderr)


if __name__ == "__main__":
    main()
