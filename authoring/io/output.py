"""Putting bytes on disk without surprises: every file this package writes goes through
:func:`write_file`.

- A regular file (or a new name) is written to a temporary file beside it, flushed, and
  renamed over the target: readers see the old file or the new one, never a part.
- A symbolic link stays a link: the file it points to is replaced (atomically, as above).
- A character device or FIFO (``/dev/stdout``, a pipe) is written in place as a stream;
  a block device, socket or directory is refused. None of them is ever replaced by a
  regular file.
- The replaced file's permission bits are kept, its set-user-ID, set-group-ID and sticky
  bits never (a new file gets ``0o666`` less the umask); its owner and group are kept where
  the process may set them.
- Temporary names are short and hidden (``.authoring-<random>.tmp``), so any name the file
  system accepts can be written, and folder scans (:func:`visible_files`) skip them. A
  temporary file is removed on any error, on Ctrl-C, and on SIGTERM or SIGHUP (a handler
  that removes this process's temporary files and then dies of the signal as before is
  installed when the signal still has its default action).
- ``overwrite=False`` never replaces an existing file: the name is taken with a hard link,
  which fails if another writer got there first.

Errors are :class:`~authoring.errors.WriteError` naming the path.
"""

from __future__ import annotations

import errno
import os
import secrets
import signal
import stat
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path

from authoring.errors import WriteError

#: Prefix of every temporary file; hidden, and short so that a target name of 255 bytes
#: still leaves room for it.
TEMPORARY_PREFIX = ".authoring-"
TEMPORARY_SUFFIX = ".tmp"

#: Callback that writes everything to an open descriptor.
Writer = Callable[[int], None]

_pending: set[tuple[int, str]] = set()  # (pid, temporary path) being written now
_pending_lock = threading.Lock()
_handled_signals: set[int] = set()
_CLEANED_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP")
                         if hasattr(signal, name))


def _remove_pending(signum: int, frame: object) -> None:
    """Signal handler: remove this process's temporary files, then die of the signal."""
    pid = os.getpid()
    for owner, path in list(_pending):
        if owner == pid:
            try:
                os.unlink(path)
            except OSError:
                pass
    signal.signal(signum, signal.SIG_DFL)
    os.kill(pid, signum)


def _install_cleanup() -> None:
    """Make SIGTERM and SIGHUP remove temporary files first (only where the signal still
    has its default action, and only from the main thread, where Python allows it)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in _CLEANED_SIGNALS:
        if signum in _handled_signals:
            continue
        try:
            if signal.getsignal(signum) is signal.SIG_DFL:
                signal.signal(signum, _remove_pending)
        except (ValueError, OSError):  # pragma: no cover - embedded interpreters
            pass
        _handled_signals.add(signum)


def temporary_name() -> str:
    """A fresh hidden temporary file name (no folder)."""
    return f"{TEMPORARY_PREFIX}{secrets.token_hex(6)}{TEMPORARY_SUFFIX}"


def is_hidden(name: str) -> bool:
    """True for names that folder scans skip: hidden files and folders (temporary files
    of an interrupted writer among them)."""
    return name.startswith(".")


def visible_files(folder: str | os.PathLike[str]) -> Iterator[Path]:
    """Every regular file below ``folder``, in sorted order, skipping hidden files and
    hidden folders (names starting with a dot) and not following links to folders."""
    root = Path(folder)
    for current, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if not is_hidden(name))
        base = Path(current)
        for name in sorted(files):
            if is_hidden(name):
                continue
            path = base / name
            if path.is_file():
                yield path


@contextmanager
def folder_lock(folder: str | os.PathLike[str]) -> Generator[None, None, None]:
    """Hold an exclusive lock on ``folder`` itself (POSIX ``flock`` on the directory, so
    nothing is left in it), waiting for other holders; released when the block ends or the
    process dies. Where ``flock`` does not exist, no lock is taken."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    path = os.fspath(folder)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) |
                             getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise WriteError(f"cannot lock the folder: {exc.strerror}", path=path) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _resolve(path: str) -> str:
    """The file a write to ``path`` changes: the final target of a symbolic link."""
    if os.path.islink(path):
        return os.path.realpath(path)
    return path


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _write_stream(path: str, write: Writer) -> None:
    """Write in place to a character device or FIFO (no replacement, no truncation)."""
    try:
        descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise WriteError(f"cannot open for writing: {exc.strerror}", path=path) from None
    try:
        write(descriptor)
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror}", path=path) from None
    finally:
        os.close(descriptor)


def _refuse_special(path: str, mode: int) -> None:
    kind = ("a directory" if stat.S_ISDIR(mode) else "a block device" if stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    raise WriteError(f"is {kind}; refusing to write over it", path=path)


def write_file(path: str | os.PathLike[str], write: Writer, *, durable: bool = True,
               overwrite: bool = True) -> None:
    """Write a file whose bytes ``write(descriptor)`` produces, as the module describes.

    ``durable`` flushes the data to disk before the rename (fsync). ``overwrite=False``
    raises :class:`WriteError` rather than replace an existing file.
    """
    given = os.fspath(path)
    try:
        existing: os.stat_result | None = os.stat(given)  # through any links
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror}", path=given) from None
    if existing is not None:
        if not overwrite:
            raise WriteError("exists; not replaced (overwrite=False)", path=given)
        if stat.S_ISCHR(existing.st_mode) or stat.S_ISFIFO(existing.st_mode):
            _write_stream(given, write)  # /dev/stdout's link to a pipe is followed by open
            return
        if not stat.S_ISREG(existing.st_mode):
            _refuse_special(given, existing.st_mode)
    target = _resolve(given)
    directory = os.path.dirname(os.path.abspath(target))
    temporary = os.path.join(directory, temporary_name())
    _install_cleanup()
    entry = (os.getpid(), temporary)
    try:
        with _pending_lock:
            _pending.add(entry)
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL |
                                 getattr(os, "O_CLOEXEC", 0), 0o600)
        except OSError as exc:
            raise WriteError(f"cannot create a file in {directory}: {exc.strerror}",
                             path=target) from None
        try:
            try:
                write(descriptor)
                if durable:
                    os.fsync(descriptor)
                if existing is not None:
                    _keep_owner(descriptor, existing)
                mode = existing.st_mode & 0o777 if existing is not None else _new_file_mode()
                os.fchmod(descriptor, mode)
            finally:
                os.close(descriptor)
            _install(temporary, target, overwrite)
        except OSError as exc:
            raise WriteError(f"cannot write: {exc.strerror}", path=target) from None
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    finally:
        with _pending_lock:
            _pending.discard(entry)


def _keep_owner(descriptor: int, existing: os.stat_result) -> None:
    """Give the new file the replaced file's owner and group where allowed (root, or the
    group of a file one owns); otherwise it keeps the writer's."""
    if not hasattr(os, "fchown"):  # pragma: no cover - Windows
        return
    if (existing.st_uid, existing.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.fchown(descriptor, existing.st_uid, existing.st_gid)
    except OSError:
        try:
            os.fchown(descriptor, -1, existing.st_gid)
        except OSError:
            pass


def _install(temporary: str, target: str, overwrite: bool) -> None:
    """Move the finished temporary file to ``target``."""
    if overwrite:
        os.replace(temporary, target)
        return
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise WriteError("exists; not replaced (another writer made it first)",
                         path=target) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        # no hard links here: reserve the name, then rename over the reservation
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise WriteError("exists; not replaced (another writer made it first)",
                             path=target) from None
        os.replace(temporary, target)
        return
    os.unlink(temporary)


def write_bytes(path: str | os.PathLike[str], data: bytes, *, durable: bool = True,
                overwrite: bool = True) -> None:
    """:func:`write_file` for bytes already in memory."""

    def write(descriptor: int) -> None:
        view = memoryview(data)
        while view:
            written = os.write(descriptor, view)
            view = view[written:]

    write_file(path, write, durable=durable, overwrite=overwrite)
