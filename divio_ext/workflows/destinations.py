"""Where a pulled backup is written, and what is refused before its download is prepared.

A path is written through a temporary file beside it (:func:`temporary_beside`), synced to
disk and renamed over it at the end (:func:`synced`, :func:`synced_directory`), so that a
partial file never carries the final name; a named pipe or a device is written as it is
(:func:`written_in_place`, :func:`open_in_place`), since a rename would replace it; a binary
stream as it is. :func:`destination_path` and :func:`check_destination` refuse, before the
server is asked for anything, what could not be written: a directory, a missing or read-only
one, a loop of links, something that is no binary stream open for writing. The transfer itself
is :mod:`divio_ext.workflows.pull`'s.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

from divio_ext.core.errors import InvalidArgument
from divio_ext.workflows import file_flow

#: Where :func:`pull_backup` writes: a path (``str`` or path-like) or a binary stream.
Destination = str | os.PathLike[str] | IO[bytes]


def destination_path(destination: Destination) -> Path | IO[bytes]:
    """A path as a ``Path``, through a symbolic link to anything but a directory (the file it
    points to is written, the link kept); a binary stream open for writing as it is.

    Refused before the download is prepared: an empty path (an unset variable's: ``Path("")``
    is the current directory, :class:`~divio_ext.core.errors.InvalidArgument`), a path that
    ends with a separator or ``.`` (``IsADirectoryError``, as ``open`` raises: ``Path`` drops
    them and would write a file of the directory's name), a loop of links (the ``OSError``
    ``open`` raises), and anything else that is not a binary stream open for writing
    (``TypeError``; a stream opened for reading only, ``InvalidArgument``)."""
    if not isinstance(destination, str | os.PathLike):
        return _writable_stream(destination)
    text = os.fspath(destination)
    if not text:
        raise InvalidArgument("destination: an empty path names no file")
    if os.path.basename(text) in ("", ".", ".."):  # "dumps/", "dumps/.": Path drops those
        raise IsADirectoryError(errno.EISDIR, "names a directory, not a file", text)
    path = Path(text)
    if not path.is_symlink() or path.is_dir():
        return path
    # A link to a file that does not exist yet is followed too, as ``open`` and ``>`` follow it.
    try:
        return path.resolve()
    except RuntimeError:  # a loop of links, which Python before 3.13 raises as this
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), text) from None


def _writable_stream(given: object) -> IO[bytes]:
    """``given`` if it is a binary stream open for writing (see :func:`destination_path`)."""
    if isinstance(given, io.TextIOBase) or not callable(getattr(given, "write", None)):
        hint = (
            " (for standard output: sys.stdout.buffer)" if isinstance(given, io.TextIOBase) else ""
        )
        raise TypeError(
            f"destination takes a path or a binary stream, not {type(given).__name__}{hint}"
        )
    writable = getattr(given, "writable", None)
    if callable(writable) and not writable():
        raise InvalidArgument("destination: the stream is not open for writing")
    return cast(IO[bytes], given)


def check_destination(destination: Path) -> None:
    """Raise the ``OSError`` that writing ``destination`` would meet, before the server is
    asked to prepare anything: it is a directory, or no file can be created beside it (a
    missing directory, no permission, a read-only file system).

    The check creates and removes the temporary file :func:`temporary_beside` would, so it
    finds what the file system itself would refuse; the error names the directory.
    """
    if destination.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(destination))
    if written_in_place(destination):  # opened as it is, when the file comes
        return
    try:
        handle, name = _temporary(destination)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(destination.parent)) from None
    os.close(handle)
    os.unlink(name)


def written_in_place(destination: Path) -> bool:
    """Whether ``destination`` is written as it is, not through a temporary file: it exists and
    is neither a regular file nor a directory (a named pipe a restore reads from, or a device
    such as ``/dev/null``). Renaming a file over it would replace it with that file."""
    try:
        mode = destination.stat().st_mode
    except FileNotFoundError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


#: How many bytes of the destination's name its temporary file's name keeps: with what
#: ``mkstemp`` adds (a dot, eight random characters, ``.part``), a name of the 255 bytes most
#: file systems allow would be too long.
NAME_KEPT = 200


def _temporary(destination: Path) -> tuple[int, str]:
    name = destination.name
    while len(os.fsencode(name)) > NAME_KEPT:
        name = name[:-1]
    return tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=destination.parent)


@contextlib.contextmanager
def temporary_beside(destination: Path) -> Iterator[IO[bytes]]:
    """A temporary file next to ``destination``, renamed over it if the block succeeds.

    Next to it, so the rename is atomic (same file system); removed if anything fails. It is
    created readable and writable by its owner only (``mkstemp``), and the finished file keeps
    that: a backup holds the application's data.
    """
    handle, name = _temporary(destination)
    try:
        with os.fdopen(handle, "wb") as file:
            yield file
        os.replace(name, destination)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise


def synced(file: IO[bytes]) -> None:
    """Wait until what was written to ``file`` is on disk."""
    file.flush()
    os.fsync(file.fileno())


def synced_directory(directory: Path) -> None:
    """Wait until ``directory``'s entries (a rename into it) are on disk. A file system that
    cannot sync a directory (``EINVAL``) keeps its entries as it does anyway."""
    handle = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    except OSError as error:
        if error.errno != errno.EINVAL:
            raise
    finally:
        os.close(handle)


#: How often opening a named pipe that has no reader yet is tried again (:func:`open_in_place`).
PIPE_RETRY = 0.05


def open_in_place(destination: Path) -> file_flow.Flow[IO[bytes]]:
    """``destination``, a named pipe or a device, opened for writing as it is.

    Opening a named pipe waits for its reader (``pg_restore`` started after the pull). It is
    tried without waiting (no reader yet is ``ENXIO``) every :data:`PIPE_RETRY` seconds, so
    that an async caller's cancellation or timeout ends the wait: a worker thread blocked in
    ``open`` could not be stopped, and would have handed the reader that came later an empty
    stream.
    """
    while True:
        try:
            handle = os.open(destination, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as error:
            # A device without its driver, or a socket file, is ENXIO too, for good.
            if error.errno != errno.ENXIO or not stat.S_ISFIFO(destination.stat().st_mode):
                raise
            yield file_flow.Pause(PIPE_RETRY)
        else:
            os.set_blocking(handle, True)  # the writes wait for the reader, as usual
            return os.fdopen(handle, "wb")
