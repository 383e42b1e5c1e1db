"""Writing the CLI's output: standard output, or ``-o FILE`` done safely.

:func:`open_output` gives a :class:`Output` to write text to, piece by piece,
as the articles are ready.  Where it goes depends on what ``FILE`` is:

* **a regular file, or a path that does not exist yet**: the text goes to a
  temporary file in the same folder, renamed over ``FILE`` when the run
  completes (:meth:`Output.commit`).  An interrupted or failed run removes
  the temporary file and leaves ``FILE`` as it was.  The new file gets the
  existing file's permission bits, or for a new path those the umask gives
  (``0o666`` less the umask), as a shell redirection would;
* **a symbolic link**: followed, so the link stays and its target is written
  (by the rule above when the target is a regular file or missing);
* **anything else** (a character or block device such as ``/dev/null``, a
  FIFO, a socket, ``/dev/stdout`` or anything under ``/dev`` or ``/proc``): opened
  and written directly, never replaced or renamed over.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from types import TracebackType
from typing import BinaryIO

__all__ = ["Output", "open_output"]

# Paths whose entries are views of open files or devices: never renamed over.
_SPECIAL_ROOTS = ("/dev/", "/proc/")
_MAX_LINKS = 40  # as the kernel's own limit on a chain of symbolic links


class Output:
    """An output being written; text is encoded as UTF-8 and written as given.

    Use it as a context manager: leaving the block normally commits, leaving
    it by an exception (a ``KeyboardInterrupt`` included) aborts.
    """

    def __init__(self, fh: BinaryIO, target: str | None, tmp: str | None, mode: int) -> None:
        self._fh = fh
        self.target = target  #: the file written, or None for standard output
        self._tmp = tmp  # the temporary file renamed over ``target``, if any
        self._mode = mode
        self._done = False

    @property
    def replaces(self) -> bool:
        """True when the output is written to a temporary file and renamed."""
        return self._tmp is not None

    def write(self, text: str) -> None:
        """Write ``text`` (bytes are written, so CRLF line ends pass unchanged)."""
        self._fh.write(text.encode("utf-8"))

    def flush(self) -> None:
        self._fh.flush()

    def commit(self) -> None:
        """Finish: flush, and rename the temporary file over the target."""
        if self._done:
            return
        self._done = True
        if self._tmp is None:
            try:
                self._fh.flush()
            finally:
                if self.target is not None:
                    self._fh.close()
            return
        try:
            self._fh.flush()
            os.fchmod(self._fh.fileno(), self._mode)
            os.fsync(self._fh.fileno())
            self._fh.close()
            assert self.target is not None
            os.replace(self._tmp, self.target)
        except BaseException:
            self._discard()
            raise

    def abort(self) -> None:
        """Give up: remove the temporary file; the target stays as it was."""
        if self._done:
            return
        self._done = True
        if self._tmp is not None:
            self._discard()
        elif self.target is not None:
            with contextlib.suppress(OSError):
                self._fh.close()

    def _discard(self) -> None:
        with contextlib.suppress(OSError):
            self._fh.close()
        assert self._tmp is not None
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._tmp)

    def __enter__(self) -> Output:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


def open_output(path: str | None, *, stdout: BinaryIO | None = None) -> Output:
    """An :class:`Output` to ``path``, or to standard output when ``path`` is None.

    Raises :class:`OSError` (with the path in ``filename``) when the file or
    its temporary file cannot be created.
    """
    if path is None:
        return Output(stdout if stdout is not None else sys.stdout.buffer, None, None, 0)
    target = _follow(path)
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    if _is_special(target) or (st is not None and not stat.S_ISREG(st.st_mode)):
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "Is a directory", path)
        # O_TRUNC is ignored by devices and FIFOs; no O_CREAT: never made here.
        flags = os.O_WRONLY | (os.O_TRUNC if st is not None and stat.S_ISREG(st.st_mode) else 0)
        fd = os.open(target, flags)
        return Output(os.fdopen(fd, "wb"), target, None, 0)
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    directory = os.path.dirname(target) or "."
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", dir=directory)
    return Output(os.fdopen(fd, "wb"), target, tmp, mode)


def _follow(path: str) -> str:
    """``path`` with its last component's symbolic links followed (to a target
    that may not exist yet), stopping at ``/dev`` and ``/proc`` entries."""
    current = os.path.abspath(path)
    for _ in range(_MAX_LINKS):
        if _is_special(current) or not os.path.islink(current):
            return current
        link = os.readlink(current)
        current = os.path.normpath(os.path.join(os.path.dirname(current), link))
    raise OSError(40, "Too many levels of symbolic links", path)


def _is_special(path: str) -> bool:
    return any(path.startswith(root) for root in _SPECIAL_ROOTS)


def _umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
