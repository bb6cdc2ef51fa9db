"""`shopkeep demo` removes its temporary copy when it is hung up on (the terminal closed) or terminated
(issue 15 point 6). A real process on a real pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX terminals only")


class Demo:
    """`python -m shopkeep demo` on its own pseudo-terminal (it is the session leader, as under a shell)."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        env = {**os.environ, "TMPDIR": str(tmp), "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: nothing but exec
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-m", "shopkeep", "demo"], env)
        self.output = b""
        self.status: int | None = None
        self.waiter = threading.Thread(target=self._wait, daemon=True)
        self.waiter.start()

    def _wait(self) -> None:
        _, self.status = os.waitpid(self.pid, 0)

    def copies(self) -> list[Path]:
        return sorted(self.tmp.glob("shopkeep-demo-*"))

    def read_until(self, condition, timeout: float = 60) -> None:
        """Drain the terminal (so the app never blocks writing) until `condition()` holds."""
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, f"the demo never got there: {self.output[-400:]!r}"
            assert self.status is None, f"the demo ended early ({self.status}): {self.output[-400:]!r}"
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    return

    def started(self) -> bool:
        return b"Today" in self.output and any((c / "demo.db").exists() for c in self.copies())

    def ended(self, timeout: float = 30) -> int:
        """Wait for the process to end, still draining its terminal while there is one."""
        deadline = time.monotonic() + timeout
        while self.waiter.is_alive() and time.monotonic() < deadline:
            if self.fd < 0:
                self.waiter.join(0.1)
                continue
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:  # the other end is gone
                    self.close()
        if self.waiter.is_alive():
            os.kill(self.pid, signal.SIGKILL)
            self.waiter.join(5)
            pytest.fail("the demo did not end after the signal")
        return self.status

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


@pytest.fixture
def demo(tmp_path):
    started = Demo(tmp_path)
    yield started
    if started.waiter.is_alive():
        os.kill(started.pid, signal.SIGKILL)
        started.waiter.join(5)
    started.close()


def test_a_hang_up_removes_the_demo_copy(demo):
    demo.read_until(demo.started)
    demo.close()  # the terminal goes away: the kernel sends SIGHUP to the session leader
    status = demo.ended()
    assert os.WIFEXITED(status) or os.WIFSIGNALED(status)
    assert demo.copies() == []


def test_sighup_and_sigterm_remove_the_demo_copy(tmp_path):
    for signum in (signal.SIGHUP, signal.SIGTERM):
        run = Demo(tmp_path)
        try:
            run.read_until(run.started)
            os.kill(run.pid, signum)
            status = run.ended()
        finally:
            if run.waiter.is_alive():
                os.kill(run.pid, signal.SIGKILL)
            run.close()
        name = signal.Signals(signum).name
        assert run.copies() == [], name
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 128 + signum, name
        assert b"\x1b[?1049l" in run.output, f"{name}: the terminal was left in the app's screen"
        assert b"Traceback" not in run.output, name
