"""Real processes for the concurrency tests: `shopkeep` commands, a process shaped like the open app, a
process holding the write lock as a long import does. Every wait is on a condition, with a deadline."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-23"
HEADER = "Order ID,Order Date,Customer ID,Email,Phone,Name,Total,Currency,Status\n"


def write_export(path: Path, rows: int, prefix: str, customers: int = 50) -> Path:
    """A generic order export (the header shopkeep's generic preset reads) of invented people."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for n in range(rows):
            c = n % customers
            fh.write(
                f"{prefix}{n},2026-{1 + n % 10:02d}-{1 + n % 28:02d},C{c},c{c}@example.org,"
                f"+4860{c:07d},Customer {c},{5 + n % 200}.{n % 100:02d},PLN,paid\n"
            )
    return path


# `python -m shopkeep` with Ctrl+C delivered as at a terminal. A process started in the background by a shell
# without job control (`make test &`, nohup, some CI runners) inherits SIGINT *ignored*, and Python then
# installs no handler: without this, a Ctrl+C test would hang there instead of testing shopkeep.
_WITH_CTRL_C = (
    "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "runpy.run_module('shopkeep', run_name='__main__', alter_sys=True)"
)


def command(db: Path, *args: str, ctrl_c: bool = False) -> list[str]:
    launcher = ["-c", _WITH_CTRL_C] if ctrl_c else ["-m", "shopkeep"]
    return [sys.executable, *launcher, *args, "--db", str(db)]


def run(db: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(command(db, *args), capture_output=True, text=True, timeout=timeout)


def start(db: Path, *args: str, ctrl_c: bool = False) -> subprocess.Popen:
    """`shopkeep ARGS --db DB` running; `ctrl_c`: it hears SIGINT as it would at a terminal."""
    return subprocess.Popen(
        command(db, *args, ctrl_c=ctrl_c), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


class Lines:
    """The lines a stream yields, read by a thread, so that a test can wait for one with a deadline."""

    def __init__(self, stream):
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream) -> None:
        for line in stream:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def next(self, timeout: float = 60) -> str:
        line = self._queue.get(timeout=timeout)
        if line is None:
            raise EOFError("the process closed its output: " + " | ".join(self.seen[-5:]))
        self.seen.append(line)
        return line

    def wait_for(self, fragment: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while True:
            line = self.next(timeout=max(0.01, deadline - time.monotonic()))
            if fragment in line:
                return line


class AppLike:
    """tests/store/app_like.py: a long-lived connection plus a new Store for each call it logs."""

    def __init__(self, db: Path):
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "app_like.py"), str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.out = Lines(self.proc.stdout)
        assert self.out.next() == "ready"
        self.logged: list[int] = []  # call ids whose commit returned
        self.failed: list[str] = []

    def log(self, customer_id: int) -> None:
        self._send(f"log {customer_id}")
        answer = self.out.next()
        if answer.startswith("ok "):
            self.logged.append(int(answer[3:]))
        else:
            self.failed.append(answer)

    def poll(self) -> None:
        self._send("poll")
        self.out.next()

    def quit(self) -> None:
        self._send("quit")
        assert self.out.next() == "bye"
        self.proc.wait(timeout=30)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)

    def _send(self, line: str) -> None:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()


class LockHolder:
    """A process holding the write lock, as a long import does for its whole file, until released."""

    SCRIPT = (
        "import sys\n"
        "from shopkeep.store import Store\n"
        "store = Store.open(sys.argv[1], create=False)\n"
        "with store.write() as conn:\n"
        "    conn.execute(\"INSERT INTO settings VALUES ('held', '1') ON CONFLICT(key) DO NOTHING\")\n"
        "    print('holding', flush=True)\n"
        "    sys.stdin.readline()\n"
        "store.close()\n"
        "print('released', flush=True)\n"
    )

    def __init__(self, db: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", self.SCRIPT, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.out = Lines(self.proc.stdout)
        assert self.out.next() == "holding"

    def release(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            assert self.out.next() == "released"
            self.proc.wait(timeout=30)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
