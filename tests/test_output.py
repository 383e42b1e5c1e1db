"""Writing -o FILE: atomic for regular files, through links, directly to devices."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from timeline.io.output import open_output

ROOT = Path(__file__).resolve().parent.parent


def _leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_new_file_gets_the_mode_the_umask_gives(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    old = os.umask(0o027)
    try:
        with open_output(str(target)) as out:
            assert out.replaces
            out.write("héllo\r\n")
    finally:
        os.umask(old)
    assert target.read_bytes() == "héllo\r\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _leftovers(tmp_path, {"out.txt"}) == []


@pytest.mark.parametrize("mode", [0o600, 0o644, 0o664])
def test_existing_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(mode)
    before = target.stat().st_ino
    with open_output(str(target)) as out:
        out.write("new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.stat().st_ino != before  # replaced by a rename, not rewritten in place
    assert _leftovers(tmp_path, {"out.txt"}) == []


def test_a_failed_run_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), open_output(str(target)) as out:
        out.write("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert _leftovers(tmp_path, {"out.txt"}) == []


def test_an_interrupted_new_file_is_not_created(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(KeyboardInterrupt), open_output(str(target)) as out:
        out.write("half")
        raise KeyboardInterrupt
    assert _leftovers(tmp_path, set()) == []


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to("real.txt")
    with open_output(str(link)) as out:
        out.write("new")
    assert link.is_symlink() and os.readlink(link) == "real.txt"
    assert real.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert _leftovers(tmp_path, {"real.txt", "link.txt"}) == []


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.txt"
    link.symlink_to("sub/made.txt")
    with open_output(str(link)) as out:
        out.write("new")
    assert link.is_symlink()
    assert (tmp_path / "sub" / "made.txt").read_text() == "new"


def test_a_chain_of_links_is_followed(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("old")
    (tmp_path / "b").symlink_to("real.txt")
    (tmp_path / "a").symlink_to("b")
    with open_output(str(tmp_path / "a")) as out:
        out.write("new")
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()
    assert (tmp_path / "real.txt").read_text() == "new"


def test_a_link_loop_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OSError, match="symbolic links"):
        open_output(str(tmp_path / "a"))


def test_a_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        open_output(str(tmp_path))


def _null_device(tmp_path: Path) -> Path:
    """A character device node like /dev/null, made in ``tmp_path``."""
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    node = tmp_path / "null-copy"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.stat("/dev/null").st_rdev)
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return node


def test_a_device_node_is_never_replaced(tmp_path: Path) -> None:
    """Opened directly, never renamed over.  (A container's device policy may
    refuse to open a node made outside /dev: that is an error, and the node
    still stays.)"""
    node = _null_device(tmp_path)
    try:
        with open_output(str(node)) as out:
            assert not out.replaces
            out.write("into the void")
    except OSError as exc:
        assert exc.filename == str(node) or str(node) in str(exc)
    assert stat.S_ISCHR(node.stat().st_mode)
    assert _leftovers(tmp_path, {"null-copy"}) == []


def test_cli_onto_a_device_node_keeps_it(tmp_path: Path) -> None:
    node = _null_device(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "timeline", "dump", "--example", "-o", str(node)],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    if proc.returncode == 1:  # refused by the device policy: one line naming it
        assert proc.stderr.decode().startswith(f"timeline: {node}: cannot write")
    assert stat.S_ISCHR(node.stat().st_mode)
    assert _leftovers(tmp_path, {"null-copy"}) == []


def test_dev_null_is_written_directly() -> None:
    before = os.stat("/dev/null")
    with open_output("/dev/null") as out:
        assert not out.replaces
        out.write("into the void")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_link_to_a_device_is_written_through(tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to("/dev/null")
    with open_output(str(link)) as out:
        assert not out.replaces
        out.write("x")
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert _leftovers(tmp_path, {"link"}) == []


def test_a_fifo_is_written_directly(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    with open_output(str(fifo)) as out:
        assert not out.replaces
        out.write("through the pipe\n")
    reader.join(timeout=30)
    assert got == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_dev_stdout_is_written_directly(tmp_path: Path) -> None:
    """-o /dev/stdout writes to the standard output, whatever it is, and
    replaces nothing (here it is a regular file the shell would have opened)."""
    captured = tmp_path / "captured.txt"
    with captured.open("wb") as fh:
        proc = subprocess.run(
            [sys.executable, "-m", "timeline", "dump", "--example", "-o", "/dev/stdout"],
            cwd=ROOT,
            stdout=fh,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    assert proc.returncode == 0, proc.stderr
    assert captured.read_text("utf-8").startswith("<example>  (published 2025-01-22")
    assert _leftovers(tmp_path, {"captured.txt"}) == []


@pytest.mark.parametrize(
    ("signum", "code", "word"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_a_signal_removes_the_temporary_file(
    tmp_path: Path, signum: int, code: int, word: str
) -> None:
    """The run blocks reading a FIFO after it opened its temporary output; the
    signal then ends it with one line, no traceback, and the target untouched."""
    fifo = tmp_path / "input.fifo"
    os.mkfifo(fifo)
    target = tmp_path / "out.jsonl"
    target.write_text("previous run\n")
    # A shell's background job inherits SIGINT ignored, and Python keeps it so;
    # the child puts Python's own handler back first.  (Not preexec_fn: a fork
    # of a threaded pytest can deadlock before the exec.)
    restore = (
        "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "sys.argv[0] = 'timeline'; runpy.run_module('timeline', run_name='__main__')"
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            restore,
            "dump",
            str(fifo),
            "--published",
            "2025-01-22",
            "--format",
            "jsonl",
            "-o",
            str(target),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not [p for p in tmp_path.iterdir() if p.name.startswith(".out.jsonl.")]:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no temporary file appeared"
            time.sleep(0.05)
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == code
    assert err.decode().strip() == f"timeline: {word}"
    assert out == b""
    assert target.read_text() == "previous run\n"
    assert _leftovers(tmp_path, {"input.fifo", "out.jsonl"}) == []
