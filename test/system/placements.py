#!/usr/bin/env python3
"""Checks that hold across the two placements (issue 8): the programs in
/bin are the same bytes in the micro and the mono boot archive, and only
micro's carries the servers as programs (sbin/). Usage:
placements.py MICRO_INITRD MONO_INITRD. Ends "system: N passed, N failed"."""

import sys


def entries(path):
    """{name: bytes} of a cpio newc archive."""
    data, out, off = open(path, "rb").read(), {}, 0
    while off + 110 <= len(data):
        hdr = data[off:off + 110]
        if hdr[:6] != b"070701":
            raise ValueError(f"{path}: not cpio newc at {off}")
        size, namesize = int(hdr[54:62], 16), int(hdr[94:102], 16)
        name = data[off + 110:off + 110 + namesize - 1].decode()
        start = (off + 110 + namesize + 3) & ~3
        if name == "TRAILER!!!":
            break
        out[name] = data[start:start + size]
        off = (start + size + 3) & ~3
    return out


def main():
    micro, mono = entries(sys.argv[1]), entries(sys.argv[2])
    checks = []
    bins = lambda a: {n: b for n, b in a.items() if n.startswith("bin/")}
    same = bins(micro) == bins(mono) and len(bins(micro)) > 10
    checks.append(("bin_is_byte_identical_in_both_archives", same,
                   f"{len(bins(micro))} programs in micro, {len(bins(mono))} in mono"))
    diff = sorted(n for n in bins(micro) if bins(mono).get(n) != bins(micro)[n])
    if diff:
        checks[-1] = (checks[-1][0], False, f"differ: {diff[:5]}")
    servers = [n for n in micro if n.startswith("sbin/")]
    checks.append(("servers_are_programs_only_in_micro",
                   len(servers) >= 3 and not any(n.startswith("sbin/") for n in mono),
                   f"micro sbin: {servers}"))
    failed = 0
    for name, ok, why in checks:
        print(f"{'PASS' if ok else 'FAIL'} {name}" + ("" if ok else f": {why}"))
        failed += not ok
    print(f"system: {len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
