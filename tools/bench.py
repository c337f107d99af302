#!/usr/bin/env python3
"""Boots Mica under -icount shift=0,sleep=off twice and prints the BENCH
lines: the kernel benchmarks (bin/bench as the root task) and the
operating-system ones (the full system with /bin/osbench as pid 1).
Fails if a run does not finish or a figure is missing.

usage: tools/bench.py [--kernel K] [--initrd I]
"""

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "test", "system"))
from qemu import Qemu  # noqa: E402

RUNS = [
    ("mica.init=bin/bench", ["null_syscall", "ipc_call_reply", "ipc_call_reply_4k",
                             "yield_switch", "thread_spawn_exit"]),
    ("init=/bin/osbench", ["getpid", "pipe_throughput", "pipe_cost", "file_write_cost",
                           "file_read_cost", "malloc", "free",
                           "fork_exit_wait", "fork_exec_wait"]),
]


def run(kernel, initrd, append, expected):
    with Qemu(kernel, initrd=initrd, icount=True, append=append) as q:
        q.expect(r"poweroff: requested", timeout=300)
        code = q.wait_exit(20)
        out = q.output
    lines = re.findall(r"^BENCH (\S+) (\d+) (\S+)", out, re.MULTILINE)
    for name, value, unit in lines:
        print(f"BENCH {name} {value} {unit}")
    missing = [n for n in expected if n not in {l[0] for l in lines}]
    if code != 0 or missing:
        print(out)
        print(f"bench: QEMU status {code}, missing {missing}")
        return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="build/kernel.bin")
    ap.add_argument("--initrd", default="build/initrd.cpio")
    args = ap.parse_args()
    ok = all([run(args.kernel, args.initrd, append, expected) for append, expected in RUNS])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
