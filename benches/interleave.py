#!/usr/bin/env python3
"""Interleaved timing of several commands, the last one the reference.

    benches/interleave.py N "kb --kb DIR ls --format json" "kb --kb DIR inbox lena" "rg -c '' DIR"

Runs the commands one after the other, N rounds (plus two warm-up rounds), and prints for each
the median and the least wall time and CPU time (user + system, from wait4) in ms, and its
median wall time as a ratio of the reference's. On a shared machine whose speed drifts by a
third over minutes, hyperfine's runs of one command then the next compare moments, not
commands; rounds compare commands. Timing resolution is the clock's, not /usr/bin/time's 10 ms
(benches/ab.sh). Output goes to /dev/null; a command is split as a shell would, but not run in
one. With PREPARE set, that shell command runs (untimed) before each timed run: PREPARE="touch
FILE" times every command with one file edited.
"""
import os
import shlex
import statistics
import subprocess
import sys
import time


def run(args, devnull):
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            os.execvp(args[0], args)
        finally:
            os._exit(127)
    _, _, usage = os.wait4(pid, 0)
    wall = (time.perf_counter() - start) * 1000
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rounds, commands = int(sys.argv[1]), sys.argv[2:]
    devnull = os.open(os.devnull, os.O_WRONLY)
    prepare = os.environ.get("PREPARE")
    times = {c: [] for c in commands}
    for r in range(rounds + 2):
        for c in commands:
            if prepare:
                subprocess.run(prepare, shell=True, check=True)
            measured = run(shlex.split(c), devnull)
            if r >= 2:
                times[c].append(measured)
    reference = statistics.median(w for w, _ in times[commands[-1]])
    for c in commands:
        walls = [w for w, _ in times[c]]
        cpus = [u for _, u in times[c]]
        print(
            f"| `{c}` | {statistics.median(walls):.1f} | {min(walls):.1f} | "
            f"{statistics.median(cpus):.1f} | {min(cpus):.1f} | "
            f"{statistics.median(walls) / reference:.2f}x |"
        )


if __name__ == "__main__":
    main()
