"""Drive one headless QEMU guest through its serial console.

Standard library only. A Qemu object starts qemu-system-riscv64 with the
console on pipes, collects everything it prints on a reader thread, and
lets a test wait for a regular expression with a timeout, send input, and
wait for the exit status. It kills only the process it started.
"""

import os
import re
import subprocess
import threading
import time

QEMU = os.environ.get("QEMU", "qemu-system-riscv64")


class Timeout(AssertionError):
    """Expected output did not appear in time."""


class Qemu:
    def __init__(self, kernel, append="", smp=1, mem="128M", initrd=None,
                 icount=False, extra=(), reboot=False):
        cmd = [QEMU, "-machine", "virt", "-m", mem, "-smp", str(smp),
               "-bios", "default", "-nographic"] + ([] if reboot else ["-no-reboot"]) + [
               "-kernel", kernel, "-append", append]
        if initrd:
            cmd += ["-initrd", initrd]
        if icount:
            cmd += ["-icount", "shift=0,sleep=off"]
        cmd += list(extra)
        self.cmd = cmd
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self._buf = bytearray()
        self._pos = 0  # where the next expect() starts looking
        self._cond = threading.Condition()
        self._eof = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        out = self.proc.stdout
        while True:
            try:
                chunk = os.read(out.fileno(), 4096)
            except (OSError, ValueError):  # the pipe was closed by kill()
                chunk = b""
            with self._cond:
                if not chunk:
                    self._eof = True
                    self._cond.notify_all()
                    return
                self._buf += chunk
                self._cond.notify_all()

    @property
    def output(self):
        """Everything the guest printed so far, as text."""
        with self._cond:
            return self._buf.decode("utf-8", "replace")

    def expect(self, pattern, timeout=10.0, flags=0):
        """Wait until pattern (a regex) matches output printed after the
        previous match; return the match. Raises Timeout otherwise."""
        rx = re.compile(pattern.encode() if isinstance(pattern, str) else pattern,
                        re.MULTILINE | flags)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                m = rx.search(self._buf, self._pos)
                if m:
                    self._pos = m.end()
                    return _TextMatch(m)
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    why = "guest exited" if self._eof else f"{timeout:.0f}s timeout"
                    raise Timeout(f"did not see /{rx.pattern.decode()}/ ({why})")
                self._cond.wait(left)

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def wait_exit(self, timeout=10.0):
        """The guest's QEMU exit status; raises Timeout if still running."""
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise Timeout(f"QEMU still running after {timeout:.0f}s")
        self._reader.join(2)
        return code

    def seconds(self):
        return time.monotonic() - self.started

    def kill(self):
        """SIGKILL to this QEMU (its pid) only: for the guest, a power cut
        in the middle of whatever it was doing."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()


PROMPT = r"(?:^|\n)[#$] $"
MARK = "<mica-ready> "  # a prompt no command prints, set through PS1


class Shell(Qemu):
    """A guest booted to the shell prompt, driven one command at a time."""

    def __init__(self, kernel, initrd, **kw):
        super().__init__(kernel, initrd=initrd, **kw)
        self.expect(PROMPT, timeout=20)
        self.set_prompt()

    def set_prompt(self):
        """Switches the shell to the unique prompt (waiting past the echo
        of the command itself, which contains it)."""
        cmd = f"PS1='{MARK}'"
        self.send(cmd + "\n")
        self.expect(re.escape(cmd) + r"\r?\n" + re.escape(MARK) + "$")

    def prompt(self, timeout=10.0):
        """Waits for the next prompt."""
        return self.expect(re.escape(MARK) + "$", timeout=timeout)

    def run(self, cmd, timeout=10.0):
        """Types cmd, waits for the next prompt, returns what it printed
        (without the echoed command line), lines joined by \\n."""
        self.send(cmd + "\n")
        m = self.expect(re.escape(cmd) + r"\r?\n(.*?)" + re.escape(MARK) + "$",
                        timeout=timeout, flags=re.DOTALL)
        return m[1].replace("\r\n", "\n").rstrip("\n")


class _TextMatch:
    """A bytes regex match with text groups."""

    def __init__(self, m):
        self._m = m

    def group(self, *idx):
        g = self._m.group(*idx)
        if isinstance(g, tuple):
            return tuple(x.decode("utf-8", "replace") if x is not None else None for x in g)
        return g.decode("utf-8", "replace") if g is not None else None

    def __getitem__(self, i):
        return self.group(i)
