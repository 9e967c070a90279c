"""Page workers die with their parent: a run killed with SIGKILL mid-parse leaves no worker alive
and does not hold its caller's stdout open (issue 16, item 2)."""
from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pipelines.report import pages_workers
from tests.pdfgen import Style, make_report

REPO = Path(__file__).resolve().parent.parent
PARAGRAPH = "1、101 年共推動 13 家廠商執行研究開發計畫，促成藥品開發投資近 3.8 億元，預計未來衍生產值達 120 億元以上。"

# The parent: print its workers' pids once they run, then keep parsing (slowed down, so that it
# is still parsing when killed).
PARENT = textwrap.dedent("""
    import os, sys, time
    from pipelines.report import pages

    real = pages.parse_page

    def slow(reader, index):
        print("worker", os.getpid(), flush=True)
        time.sleep(0.5)
        return real(reader, index)

    pages.parse_page = slow
    pages.parse_pages(sys.argv[1], workers=2)
    print("finished", flush=True)
""")


@pytest.fixture(scope="module")
def many_pages(tmp_path_factory):
    path = tmp_path_factory.mktemp("orphans") / "long.pdf"
    chapters = [(f"{n}、產業", [PARAGRAPH] * 6) for n in "壹貳參肆伍陸柒捌玖拾"]
    make_report(path, chapters, Style(chars_per_line=24, lines_per_page=16))
    return path


def _alive(pid: int) -> bool:
    """Running (a zombie is dead: it only waits for its parent, PID 1, to reap it)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the workers")
def test_sigkill_mid_parse_leaves_no_worker_and_frees_stdout(many_pages):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(many_pages)], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline:
        line = parent.stdout.readline().decode()
        assert line and "finished" not in line, "the parse ended before it was killed"
        workers.update(int(pid) for pid in re.findall(r"worker (\d+)", line))
    assert len(workers) == 2 and parent.pid not in workers

    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    time.sleep(1.0)
    survivors = [pid for pid in workers if _alive(pid)]
    for pid in survivors:  # clean up before failing
        os.kill(pid, signal.SIGKILL)
    assert not survivors, f"workers {survivors} outlived their parent"

    # nobody holds the pipe's write end any more: reading it ends (EOF) instead of hanging
    fd = parent.stdout.fileno()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready and not os.read(fd, 65536):
            break
    else:
        pytest.fail("the caller's stdout is still held open")
    parent.stdout.close()


def test_without_prctl_a_watcher_thread_ends_the_worker(monkeypatch):
    """Where prctl is unavailable the fallback watches the parent: a child whose parent dies exits."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: forks the worker, reports its pid, dies
        os.close(read)
        me = os.getpid()
        worker = os.fork()
        if worker == 0:
            monkeypatch.setattr(pages_workers, "_prctl_death_signal", lambda: False)
            pages_workers.die_with_parent(me)
            time.sleep(30)
            os._exit(0)
        os.write(write, f"{worker}\n".encode())
        os._exit(0)
    os.close(write)
    worker = int(os.read(read, 64).decode())
    os.close(read)
    os.waitpid(pid, 0)
    time.sleep(1.0)
    alive = _alive(worker)
    if alive:
        os.kill(worker, signal.SIGKILL)
    assert not alive
