#!/usr/bin/env python3
"""make compare: the same system in its two placements, measured with
/bin/cmpbench as pid 1. Boots each kernel once under -icount
shift=0,sleep=off (exact, deterministic instruction counts and kernel
counters), then RUNS times each without icount for wall time, the two
placements' boots interleaved, and takes medians. Writes
BUILD/compare/report.md and BUILD/compare/compare.svg (and .png: the
micro/mono ratio per operation, log scale) and prints the table.

usage: tools/compare.py [--build build] [--runs 5]
"""

import argparse
import datetime
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "test", "system"))
from qemu import Qemu  # noqa: E402

# Figures of a CMP line after its name, in order (see user/cmpbench.c).
FIELDS = ["iters", "insns", "ns", "syscalls", "ipc_msgs", "ctxsw", "satp", "copied",
          "served", "traps", "interrupts", "tlb_flush", "ipc_bytes"]
# The counters that explain a ratio, as the report shows them.
CHUNK = 4096  # bytes per write in pipe_bw
COUNTERS = ["syscalls", "ipc_msgs", "ctxsw", "satp", "copied", "served"]

# op: (label, what one op is)
OPS = {
    "null": ("null system call", "call"),
    "getpid": ("getpid", "call"),
    "fork_exit": ("fork+exit+wait", "fork"),
    "fork_exec": ("fork+exec+wait (/bin/true)", "fork"),
    "pipe_lat": ("pipe latency (1 byte, round trip)", "round trip"),
    "pipe_bw": ("pipe bandwidth (1 MiB, 4 KiB writes)", "byte"),
    "ctxsw_yield": ("context switch (mica_yield, 2 processes)", "switch"),
    "open_close": ("open+close", "pair"),
    "stat": ("stat", "call"),
    "create_unlink": ("create+unlink (/tmp)", "file"),
    "file_rw_1m": ("write+read back 1 MiB file (/tmp)", "MiB"),
    "workload": ("application workload: sh script", "script"),
    "workload_pipeline": ("  the same, per pipeline", "pipeline"),
    "boot": ("boot: reset to pid 1", "boot"),
}

# Measured elsewhere, same emulator (QEMU 7.2, -smp 1, 128 MiB): the issue's
# reference figures in instructions, per op as cmpbench counts them.
REFERENCE = {
    "getpid": (171, 1130, 527),
    "fork_exit": (111846, 564440, 219332),
    "fork_exec": (364639, 1617729, 3970518),
    "pipe_bw": (1.8, 649, 29.7),
    "open_close": (3071, 551404, 36403),
    "file_rw_1m": (1.83e6, 1189e6, 61.8e6),
}


def boot(kernel, initrd, icount):
    """One boot with cmpbench as pid 1: {op: {field: value}}, info."""
    with Qemu(kernel, initrd=initrd, icount=icount, append="init=/bin/cmpbench") as q:
        try:
            q.expect(r"^CMP_DONE", timeout=240)
            q.expect(r"poweroff: requested", timeout=20)
            code = q.wait_exit(20)
        except AssertionError as e:
            sys.exit(f"compare: {kernel}: {e}\n{q.output[-3000:]}")
        out = q.output
    if code != 0:
        sys.exit(f"compare: {kernel}: QEMU status {code}\n{out[-3000:]}")
    ops = {}
    for line in re.findall(r"^CMP (\S+) (.*?)\r?$", out, re.MULTILINE):
        ops[line[0]] = dict(zip(FIELDS, map(float, line[1].split())))
    info = dict(re.findall(r"^CMP_INFO (\S+) (\S+)", out, re.MULTILINE))
    missing = [op for op in OPS if op not in ops]
    if missing:
        sys.exit(f"compare: {kernel}: no figure for {missing}\n{out[-3000:]}")
    return ops, info


def prompt_time(kernel, initrd):
    """Seconds from QEMU's launch to the shell's first prompt."""
    t0 = time.monotonic()
    with Qemu(kernel, initrd=initrd) as q:
        q.expect(r"(?:^|\n)# $", timeout=60)
        return time.monotonic() - t0


def measure(build, runs):
    """{placement: {op: {field: value}}}: instructions and counters from
    the icount boot, ns the median over the wall-time boots."""
    kern = {"micro": (f"{build}/kernel.bin", f"{build}/initrd.cpio"),
            "mono": (f"{build}/mono/kernel.bin", f"{build}/mono/initrd.cpio")}
    result, infos = {}, {}
    for p, (k, i) in kern.items():
        print(f"compare: {p}, -icount", flush=True)
        result[p], infos[p] = boot(k, i, True)
    wall = {p: [] for p in kern}
    for n in range(runs):
        for p, (k, i) in kern.items():
            print(f"compare: {p}, wall time {n + 1}/{runs}", flush=True)
            wall[p].append(boot(k, i, False)[0])
            PROMPT.setdefault(p, []).append(prompt_time(k, i))
    for p in kern:
        for op, fig in result[p].items():
            fig["icount_ns"] = fig["ns"]
            fig["ns"] = statistics.median(run[op]["ns"] for run in wall[p])
    if infos["micro"] != infos["mono"]:
        sys.exit(f"compare: the placements' outputs differ: {infos}")
    return result


def fmt_insns(v):
    if v >= 1e6:
        return f"{v / 1e6:,.2f} M"
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}"


def fmt_time(ns, op):
    if op == "pipe_bw":
        return f"{1000 / ns:.1f} MB/s"
    if ns >= 1e6:
        return f"{ns / 1e6:,.1f} ms"
    return f"{ns / 1e3:,.1f} µs" if ns >= 1e3 else f"{ns:.0f} ns"


def fmt_count(v):
    return f"{v:,.0f}" if v >= 100 or v == int(v) else f"{v:.2f}"


PROMPT = {}  # placement: [seconds from launch to the shell prompt, per boot]


def prompt_table():
    m, o = statistics.median(PROMPT["micro"]), statistics.median(PROMPT["mono"])
    return ["| boot to the shell prompt | micro | mono | micro/mono |", "|---|--:|--:|--:|",
            f"| wall time from QEMU's launch (median of {len(PROMPT['micro'])}) | "
            f"{m * 1000:.0f} ms | {o * 1000:.0f} ms | {m / o:.2f} |"]


def ratio(micro, mono):
    return micro / mono if mono else float("nan")


def main_table(r):
    rows = ["| operation | per | insns micro | insns mono | micro/mono | wall micro | wall mono"
            " | micro/mono |", "|---|---|--:|--:|--:|--:|--:|--:|"]
    for op, (label, per) in OPS.items():
        a, b = r["micro"][op], r["mono"][op]
        rows.append(f"| {label} | {per} | {fmt_insns(a['insns'])} | {fmt_insns(b['insns'])} | "
                    f"{ratio(a['insns'], b['insns']):.2f} | {fmt_time(a['ns'], op)} | "
                    f"{fmt_time(b['ns'], op)} | {ratio(a['ns'], b['ns']):.2f} |")
    return rows


def counter_table(r):
    head = " | ".join(f"{c} micro / mono" for c in COUNTERS)
    rows = [f"| operation | {head} |", "|---|" + "--:|" * len(COUNTERS)]
    for op, (label, _) in OPS.items():
        if op == "boot":
            continue
        k = CHUNK if op == "pipe_bw" else 1  # per byte is too small to read
        cells = " | ".join(f"{fmt_count(k * r['micro'][op][c])} / {fmt_count(k * r['mono'][op][c])}"
                           for c in COUNTERS)
        rows.append(f"| {label}{' (per 4 KiB write)' if k > 1 else ''} | {cells} |")
    return rows


def reference_table(r):
    rows = ["| operation | Linux 6.1 | xv6-riscv | Mica micro before | Mica micro now"
            " | Mica mono now |", "|---|--:|--:|--:|--:|--:|"]
    for op, refs in REFERENCE.items():
        now = [fmt_insns(r[p][op]["insns"]) for p in ("micro", "mono")]
        rows.append(f"| {OPS[op][0]} | " + " | ".join(fmt_insns(v) for v in refs) +
                    f" | {now[0]} | {now[1]} |")
    return rows


def commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def qemu_version():
    out = subprocess.run([os.environ.get("QEMU", "qemu-system-riscv64"), "--version"],
                         capture_output=True, text=True).stdout
    m = re.search(r"version (\S+)", out)
    return m[1] if m else "unknown"


def report(r, runs):
    when = datetime.date.today().isoformat()
    text = [f"# make compare — {when}, commit {commit()}", "",
            f"QEMU {qemu_version()}, virt, -smp 1, 128 MiB; /bin/cmpbench as pid 1. "
            "Instructions and counters: one boot under -icount shift=0,sleep=off (exact). "
            f"Wall time: median of {runs} boots per placement without icount, interleaved. "
            "Counters are kstat deltas per operation.", "",
            "## Instructions and wall time", ""]
    text += main_table(r)
    text += [""] + prompt_table()
    text += ["", "## Kernel counters per operation (micro / mono)", ""]
    text += counter_table(r)
    text += ["", "## Instructions beside the reference figures", "",
             "Linux, xv6 and \"micro before\": measured elsewhere, same emulator "
             "(QEMU 7.2, -smp 1, 128 MiB).", ""]
    text += reference_table(r)
    text += ["", "![micro/mono ratio per operation](compare.svg)", ""]
    return "\n".join(text)


def chart(r, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    ops = [op for op in OPS if op != "workload_pipeline"]
    ins = [ratio(r["micro"][op]["insns"], r["mono"][op]["insns"]) for op in ops]
    wall = [ratio(r["micro"][op]["ns"], r["mono"][op]["ns"]) for op in ops]
    x = range(len(ops))
    fig, ax = plt.subplots(figsize=(11, 5))
    ax.bar([i - 0.2 for i in x], ins, 0.4, label="instructions (-icount)")
    ax.bar([i + 0.2 for i in x], wall, 0.4, label="wall time (median)")
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_yscale("log")
    ax.set_ylabel("micro / mono (log scale)")
    ax.set_xticks(list(x))
    ax.set_xticklabels([OPS[op][0].split(" (")[0] for op in ops], rotation=35, ha="right")
    ax.set_title("Mica: cost of the user-mode servers (micro) over the same servers "
                 "in the kernel (mono)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    fig.savefig(path.replace(".svg", ".png"), dpi=80)  # for viewers without SVG


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--runs", type=int, default=5, help="wall-time boots per placement")
    args = ap.parse_args()
    r = measure(args.build, args.runs)
    out = os.path.join(args.build, "compare")
    os.makedirs(out, exist_ok=True)
    text = report(r, args.runs)
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write(text)
    chart(r, os.path.join(out, "compare.svg"))
    print(text)
    print(f"compare: wrote {out}/report.md and {out}/compare.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
