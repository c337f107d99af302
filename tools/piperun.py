#!/usr/bin/env python3
"""make run with stdin not a terminal: start QEMU, show its console, and
pass our standard input on only once the console server is up. QEMU's
UART takes bytes from a pipe at reset, before the firmware and the
console driver are ready, and those would be lost. Exits with QEMU's
status. usage: tools/piperun.py QEMU ARGS..."""

import os
import subprocess
import sys
import threading

READY = b"console: 16550 UART driven"


def pump_input(proc, ready):
    ready.wait()
    try:
        for chunk in iter(lambda: os.read(0, 4096), b""):
            proc.stdin.write(chunk)
            proc.stdin.flush()
    except (BrokenPipeError, OSError):
        pass


def main():
    proc = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    ready = threading.Event()
    threading.Thread(target=pump_input, args=(proc, ready), daemon=True).start()
    seen = b""
    for chunk in iter(lambda: proc.stdout.read1(4096), b""):
        sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        if not ready.is_set():
            seen = (seen + chunk)[-4096:]
            if READY in seen:
                ready.set()
    return proc.wait()


if __name__ == "__main__":
    sys.exit(main())
