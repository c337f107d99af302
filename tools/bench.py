#!/usr/bin/env python3
"""Boots Mica under -icount shift=0,sleep=off with a benchmark as the root
task and prints its BENCH lines. Fails if the run does not finish or a
figure is missing.

usage: tools/bench.py [--kernel K] [--initrd I] [--init bin/bench]
"""

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "test", "system"))
from qemu import Qemu  # noqa: E402

EXPECTED = ["null_syscall", "ipc_call_reply", "ipc_call_reply_4k", "yield_switch",
            "thread_spawn_exit"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="build/kernel.bin")
    ap.add_argument("--initrd", default="build/initrd.cpio")
    ap.add_argument("--init", default="bin/bench")
    args = ap.parse_args()
    with Qemu(args.kernel, initrd=args.initrd, icount=True,
              append=f"mica.init={args.init}") as q:
        q.expect(r"poweroff: requested", timeout=120)
        code = q.wait_exit(20)
        out = q.output
    lines = re.findall(r"^BENCH (\S+) (\d+) (\S+)", out, re.MULTILINE)
    for name, value, unit in lines:
        print(f"BENCH {name} {value} {unit}")
    missing = [n for n in EXPECTED if n not in {l[0] for l in lines}]
    if code != 0 or missing:
        print(out)
        print(f"bench: QEMU status {code}, missing {missing}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
