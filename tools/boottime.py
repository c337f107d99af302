#!/usr/bin/env python3
"""Median wall-clock time from QEMU launch to a line of the boot log.

usage: tools/boottime.py [--runs 5] [--until REGEX] [--kernel build/kernel.bin]
                         [--initrd build/initrd.cpio] [--append ARGS]
Prints one line per run and then: BOOT <regex> median <seconds> s
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "test", "system"))
from qemu import Qemu  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--until", default=r"mica: ready")
    ap.add_argument("--kernel", default="build/kernel.bin")
    ap.add_argument("--initrd", default=None)
    ap.add_argument("--append", default="")
    args = ap.parse_args()
    times = []
    for i in range(args.runs):
        t0 = time.monotonic()
        with Qemu(args.kernel, initrd=args.initrd, append=args.append) as q:
            q.expect(args.until, timeout=30)
            times.append(time.monotonic() - t0)
        print(f"run {i + 1}: {times[-1]:.3f} s")
    print(f"BOOT '{args.until}' median {statistics.median(times):.3f} s "
          f"over {args.runs} runs")


if __name__ == "__main__":
    main()
