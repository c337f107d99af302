#!/usr/bin/env python3
"""Runs one /bin/fuzz campaign in a headless QEMU guest and judges it.

Boots to the shell (test/system/qemu.py), types `fuzz -s SEED -n CALLS`,
and watches the console: a kernel panic (or QEMU exiting), a hang (no
output for --quiet seconds, or the shell not coming back), a server
death, and fuzz's own final lines. On a panic it boots again and replays
the campaign verbosely from the last child reported, to show the last
system calls before the panic. Exits non-zero on any failure.
"""

import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test",
                                "system"))
from qemu import Shell, Timeout  # noqa: E402

FINAL = re.compile(r"fuzz: seed (\d+) calls (\d+) children (\d+) faulted (\d+) stuck (\d+) "
                   r"server_deaths (\d+) hangs (\d+) leaks (\d+)")
VERDICT = re.compile(r"fuzz: (PASS|FAIL \(.*\))")
PROGRESS = re.compile(r"fuzz: (\d+) calls, (\d+) children")
PANIC = re.compile(r"KERNEL PANIC: .*")


def watch(sh, quiet, limit):
    """Waits until the campaign ends; returns (how, output since start)."""
    start, seen, last = time.monotonic(), 0, time.monotonic()
    while True:
        out = sh.output
        if len(out) != seen:
            seen, last = len(out), time.monotonic()
        if PANIC.search(out) or sh.proc.poll() is not None:
            time.sleep(1)  # let the report finish
            return "panic", sh.output
        if VERDICT.search(out):
            return "done", out
        now = time.monotonic()
        if now - last > quiet:
            return f"hang (no output for {quiet:.0f} s)", out
        if now - start > limit:
            return f"hang (no verdict after {limit:.0f} s)", out
        time.sleep(0.2)


def shell_alive(sh):
    """True if the shell prompt comes back and it still runs commands."""
    try:
        sh.prompt(timeout=30)
        return sh.run("echo alive", timeout=15) == "alive"
    except (Timeout, OSError):
        return False


def replay(args, first):
    """Boots again and runs the campaign with every op of child >= first
    printed before it runs; returns the last op lines before the panic."""
    cmd = f"fuzz -s {args.seed} -n {args.calls} -c {args.per_child} -V {first}"
    print(f"fuzz.py: replaying from child {first}: {cmd}")
    with Shell(args.kernel, args.initrd, mem=args.mem) as sh:
        sh.send(cmd + "\n")
        how, out = watch(sh, args.quiet, args.limit)
    ops = [l for l in out.splitlines() if re.match(r"fuzz: c\d+ #\d+ ", l)]
    if how != "panic":
        print(f"fuzz.py: the replay did not panic ({how}): timing-dependent")
    return ops[-16:]


def campaign(args):
    cmd = f"fuzz -s {args.seed} -n {args.calls} -c {args.per_child}"
    print(f"fuzz.py: seed {args.seed}: {cmd}")
    t0 = time.monotonic()
    with Shell(args.kernel, args.initrd, mem=args.mem) as sh:
        sh.send(cmd + "\n")
        how, out = watch(sh, args.quiet, args.limit)
        alive = how == "done" and shell_alive(sh)
        code = sh.proc.poll()
    return how, out, alive, code, time.monotonic() - t0


def report(args, how, out, alive, code, secs):
    final, verdict = FINAL.search(out), VERDICT.search(out)
    progress = PROGRESS.findall(out)
    calls = final[2] if final else (progress[-1][0] if progress else "0")
    print(f"fuzz.py: seed {args.seed}, {calls} calls in {secs:.0f} s")
    for m in re.finditer(r"fuzz: (?:kernel:|\d+ calls in|.*stopped answering|.*ORACLE).*", out):
        print("  " + m[0].strip())
    problems = []
    if how == "panic":
        m = PANIC.search(out)
        problems.append(f"kernel panic: {m[0].strip() if m else f'QEMU exited with {code}'}")
        bt = re.findall(r"#\d+ 0x[0-9a-f]+ \S+", out)
        if bt:
            print("  backtrace: " + " <- ".join(b.split()[-1] for b in bt))
    elif how != "done":
        problems.append(how)
        print("  last output:")
        for l in out.splitlines()[-12:]:
            print("  | " + l.rstrip())
    elif not alive:
        problems.append("hang: the shell did not come back after fuzz")
    if final and int(final[6]):
        problems.append(f"server deaths: {final[6]}")
    if final:
        print("  " + final[0])
    if verdict:
        print("  " + verdict[0])
        if verdict[1] != "PASS":
            problems.append(verdict[1])
    return problems, progress


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kernel", default="build/kernel.bin")
    ap.add_argument("--initrd", default="build/initrd.cpio")
    ap.add_argument("--mem", default="128M")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--calls", type=int, default=1000000)
    ap.add_argument("--per-child", type=int, default=500)
    ap.add_argument("--quiet", type=float, default=120, help="seconds without output = hang")
    ap.add_argument("--limit", type=float, default=0, help="seconds in all (0: from --calls)")
    ap.add_argument("--no-replay", action="store_true", help="no verbose replay on a panic")
    args = ap.parse_args()
    args.limit = args.limit or 600 + args.calls / 500
    how, out, alive, code, secs = campaign(args)
    problems, progress = report(args, how, out, alive, code, secs)
    if how == "panic" and not args.no_replay:
        first = int(progress[-1][1]) if progress else 0
        for l in replay(args, first):
            print("  " + l)
    for p in problems:
        print(f"fuzz.py: FAIL: {p}")
    print(f"fuzz.py: seed {args.seed}: " + ("FAIL" if problems else "PASS"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
