#!/usr/bin/env python3
"""Boots Mica under -icount shift=0,sleep=off twice and prints the BENCH
lines: the kernel benchmarks (bin/bench as the root task) and the
operating-system ones (the full system with /bin/osbench as pid 1). Then,
in wall-clock time (no icount: a disk's speed is real time), the disk
benchmarks (/bin/diskbench as pid 1 on a fresh 64 MiB ext2 image with
4 KiB blocks) and the boot to the shell prompt with the root on a disk
and in RAM (host time from QEMU's start, median of 5).
Fails if a run does not finish or a figure is missing.

usage: tools/bench.py [--kernel K] [--initrd I]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

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


def run(kernel, initrd, append, expected, icount=True, extra=()):
    """One boot that powers off by itself; prints its BENCH lines."""
    with Qemu(kernel, initrd=initrd, icount=icount, append=append, extra=extra) as q:
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


DISK_EXPECTED = ["disk_write_8m_fsync", "disk_read_8m_cold", "disk_read_8m_warm",
                 "disk_create_1000", "disk_delete_1000"]


def disk_args(path, n):
    return ("-drive", f"file={path},format=raw,if=none,id=d{n}",
            "-device", f"virtio-blk-device,drive=d{n}")


def run_disk(kernel, initrd):
    with tempfile.TemporaryDirectory() as d:
        img = os.path.join(d, "bench.img")
        subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", img, "64M"],
                       check=True, capture_output=True)
        return run(kernel, initrd, "init=/bin/diskbench", DISK_EXPECTED, icount=False,
                   extra=disk_args(img, 0))


def boot_to_prompt(kernel, initrd, extra=(), append=""):
    t0 = time.monotonic()
    with Qemu(kernel, initrd=initrd, append=append, extra=extra) as q:
        q.expect(r"(?:^|\n)# $", timeout=60)
        return time.monotonic() - t0


def run_boot(kernel, initrd):
    boot = os.path.join(os.path.dirname(initrd), "boot.cpio")
    if not os.path.exists(boot) or not os.path.exists(os.path.join("build", "root.img")):
        print("bench: no boot.cpio or build/root.img")
        return False
    with tempfile.TemporaryDirectory() as d:
        root, home = os.path.join(d, "root.img"), os.path.join(d, "home.img")
        subprocess.run(["cp", os.path.join("build", "root.img"), root], check=True)
        subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", home, "32M"],
                       check=True, capture_output=True)
        disks = disk_args(root, 0) + disk_args(home, 1)
        on_disk = sorted(boot_to_prompt(kernel, boot, disks, "root=/dev/vda") for _ in range(5))
        in_ram = sorted(boot_to_prompt(kernel, initrd) for _ in range(5))
    print(f"BENCH boot_prompt_root_disk {on_disk[2] * 1000:.0f} ms")
    print(f"BENCH boot_prompt_root_ram {in_ram[2] * 1000:.0f} ms")
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="build/kernel.bin")
    ap.add_argument("--initrd", default="build/initrd.cpio")
    args = ap.parse_args()
    ok = all([run(args.kernel, args.initrd, append, expected) for append, expected in RUNS])
    ok = run_disk(args.kernel, args.initrd) and ok
    ok = run_boot(args.kernel, args.initrd) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
