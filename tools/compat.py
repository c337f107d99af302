#!/usr/bin/env python3
"""The compatibility corpus (test/compat/*.c, "third-party-style" programs):
builds each with EXACTLY the README's compiler line (tools/readme_line.py
reads it out of README.md) into build/compat/bin/, and with the host's gcc
into build/compat/host/; runs the cases on the host for the expected
output. test/system/run.py runs the same cases in the guest.
Usage: tools/compat.py [--host-only-check]  (builds; prints the cases)"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from readme_line import ROOT, compile_argv  # noqa: E402

SRC = os.path.join(ROOT, "test/compat")
OUT = os.path.join(ROOT, "build/compat")
PROGRAMS = ["gen", "cwc", "lsort", "lisp", "cls", "cktool", "posixy"]
# Data files the guest finds under /etc/compat/ ({data} in a case).
DATA = ["prog.lisp"]

# Shell lines, run in an empty directory of their own, in order; each
# one's output (stdout, and stderr where the line says 2>&1) is compared.
# {data} is where DATA lives. Only what Mica's sh knows: no globbing.
CASES = [
    "posixy -v --name=mica x y",
    "cktool -m fx; echo $?",
    "cls -lR fx/sub",
    "cls -a fx",
    "cls -S fx/sub",
    "cls fx/nope 2>&1; echo $?",
    "cktool 'fx/*.dat' 'fx/sub/*' 'fx/l*' nomatch 2>&1; echo $?",
    "gen 20000 > big.txt; cwc big.txt fx/1.txt",
    "lsort -s < big.txt",
    "lsort -r -s < big.txt",
    "lsort -n -u < big.txt | cwc",
    "gen -w 1 300 | lsort | cwc -u",
    "gen -s 7 40 | cwc -t a-z A-Z | cwc -d AEIOU",
    "cwc -l big.txt /nope 2>&1; echo $?",
    "lisp < {data}/prog.lisp",
]


def build():
    """Cross and host binaries of every program; raises on a failure."""
    os.makedirs(os.path.join(OUT, "bin"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "host"), exist_ok=True)
    for p in PROGRAMS:
        src = os.path.join(SRC, p + ".c")
        for argv in (compile_argv(os.path.join(OUT, "bin", p), [src]),
                     ["gcc", "-O1", "-o", os.path.join(OUT, "host", p), src]):
            r = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
            if r.returncode:
                raise RuntimeError("compat: %s failed:\n%s" % (" ".join(argv), r.stderr))
    return [os.path.join(OUT, "bin", p) for p in PROGRAMS]


def expected():
    """Each case's output on the host (with the host binaries)."""
    env = dict(os.environ, PATH=os.path.join(OUT, "host") + ":/usr/bin:/bin", LC_ALL="C", TZ="UTC")
    outs = []
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "cw")
        os.mkdir(work)
        os.umask(0o022)
        for case in CASES:
            cmd = case.replace("{data}", SRC)
            r = subprocess.run(["/bin/sh", "-c", cmd], cwd=work, env=env, capture_output=True,
                               text=True, timeout=60)
            outs.append(r.stdout.rstrip("\n"))
    return outs


def main():
    build()
    for case, out in zip(CASES, expected()):
        print("$ " + case)
        print(out)


if __name__ == "__main__":
    main()
