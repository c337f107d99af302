#!/usr/bin/env python3
"""Wall-clock file I/O in a booted guest (no icount): `time cat` of an
8 MiB ramfs file (after one warm-up pass), and of a 32 MiB file on an
ext2 disk made on the host, read cold (the first read after mount).
Prints one line per figure: "IOTIME <name> <seconds> s <MB/s> MB/s",
each the median of RUNS boots' or passes' figures.

usage: tools/iotime.py [--kernel K] [--initrd I] [--runs N] [--no-disk]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "test", "system"))
from qemu import Shell  # noqa: E402

RAM_MB, DISK_MB = 8, 32


def real_seconds(out):
    m = re.search(r"real\s+(\d+)m([\d.]+)s", out)
    if not m:
        raise RuntimeError(f"no time in {out!r}")
    return int(m[1]) * 60 + float(m[2])


def ramfs_passes(kernel, initrd, runs):
    times = []
    with Shell(kernel, initrd) as sh:
        sh.run(f"head -c {RAM_MB << 20} /dev/zero > /tmp/big", timeout=120)
        sh.run("cat /tmp/big > /dev/null", timeout=120)
        for _ in range(runs):
            times.append(real_seconds(sh.run("time cat /tmp/big > /dev/null", timeout=120)))
    return times


def disk_boots(kernel, initrd, runs):
    times = []
    with tempfile.TemporaryDirectory() as d:
        tree, img = os.path.join(d, "tree"), os.path.join(d, "disk.img")
        os.makedirs(tree)
        with open(os.path.join(tree, "big"), "wb") as f:
            f.write(os.urandom(DISK_MB << 20))
        subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", "-d", tree, img,
                        f"{DISK_MB + 16}M"], check=True)
        extra = ("-drive", f"file={img},format=raw,if=none,id=d0",
                 "-device", "virtio-blk-device,drive=d0")
        for _ in range(runs):
            with Shell(kernel, initrd, extra=extra) as sh:
                sh.run("mkdir -p /mnt; mount -t ext2 /dev/vda /mnt")
                times.append(real_seconds(sh.run("time cat /mnt/big > /dev/null",
                                                 timeout=300)))
    return times


def show(name, times, mb):
    t = statistics.median(times)
    print(f"IOTIME {name} {t:.3f} s {mb / t:.1f} MB/s  (runs: "
          + " ".join(f"{x:.3f}" for x in times) + ")")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="build/kernel.bin")
    ap.add_argument("--initrd", default="build/initrd.cpio")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-disk", action="store_true")
    args = ap.parse_args()
    show("ramfs_cat_8MiB", ramfs_passes(args.kernel, args.initrd, args.runs), RAM_MB * 1.048576)
    if not args.no_disk:
        show("ext2_cold_cat_32MiB", disk_boots(args.kernel, args.initrd, args.runs),
             DISK_MB * 1.048576)
    return 0


if __name__ == "__main__":
    sys.exit(main())
