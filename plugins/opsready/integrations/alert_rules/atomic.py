"""Replace a file's content without ever losing data.

The new content goes to a fresh temporary file (``tempfile.mkstemp``: a random name, created
exclusively, never through a link) in the target's own folder, gets the permission bits and
owner it must have, is flushed to disk and then moved over the target in one atomic rename.
A backup is created exclusively too: an existing file or link of that name is never followed or
overwritten. Anything that would lose or widen data is refused before a byte is written: a
read-only target, a target with other hard links, a link to nowhere, a file that changed since
it was read.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import WriteRefused


def real_target(path: Path) -> Path:
    """Where writing to ``path`` must happen: the file its symbolic links lead to.

    Raises ``WriteRefused`` for a link to a missing file (writing would create a file
    somewhere the user did not name) and for a folder.
    """
    real = Path(os.path.realpath(path))
    if path.is_symlink() and not real.exists():
        raise WriteRefused(f"{path} is a symbolic link to {real}, which does not exist; "
                           "nothing was written")
    if real.is_dir():
        raise WriteRefused(f"{path} is a folder, not a file")
    return real


def check_writable(path: Path) -> os.stat_result | None:
    """The target's status when it exists and may be replaced (``None`` when it is new).

    Raises ``WriteRefused`` when it is read-only or has other hard links.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    mode = stat.S_IMODE(st.st_mode)
    if not mode & 0o222 or not os.access(path, os.W_OK):
        raise WriteRefused(f"{path} is read-only (mode {mode:04o}); opsready does not write to "
                           "read-only files: make it writable (chmod u+w) if you mean to change it")
    if st.st_nlink > 1:
        raise WriteRefused(f"{path} has {st.st_nlink} hard links; replacing it would leave the "
                           "other names with the old content: edit a copy (--write-to) instead")
    return st


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # some systems cannot open folders; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_fd(fd: int, data: bytes, mode: int, owner: tuple[int, int] | None, name: Path) -> None:
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fchmod(fh.fileno(), mode)  # exact bits, whatever the umask
        if owner is not None and owner != (os.geteuid(), os.getegid()):
            try:
                os.fchown(fh.fileno(), *owner)
            except PermissionError:
                raise WriteRefused(f"{name} belongs to user {owner[0]}, group {owner[1]}; "
                                   "replacing it would change its owner") from None
        os.fsync(fh.fileno())


def write_backup(backup: Path, data: bytes, mode: int) -> None:
    """Create ``backup`` holding ``data`` with ``mode``; refused if anything has that name."""
    try:
        fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        raise WriteRefused(f"backup {backup} already exists; move it away first") from None
    try:
        _write_fd(fd, data, mode, None, backup)
    except BaseException:
        backup.unlink(missing_ok=True)
        raise


def replace_file(target: Path, data: bytes, *, mode: int, original: bytes | None = None,
                 backup: Path | None = None) -> None:
    """Atomically make ``data`` the content of ``target`` (a real path, see ``real_target``).

    ``mode`` is the permission bits the result gets. With ``original`` (the content the edit
    was made from) the write is refused if the file no longer holds it; with ``backup`` that
    original content is first kept there (exclusively created, same mode).
    """
    st = check_writable(target)
    owner = (st.st_uid, st.st_gid) if st is not None else None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=".opsready-tmp")
    except OSError as exc:
        raise WriteRefused(f"cannot create a file in {target.parent}: {exc.strerror}") from None
    tmp = Path(tmp_name)
    made_backup = False
    try:
        _write_fd(fd, data, mode, owner, target)
        if original is not None and target.read_bytes() != original:
            raise WriteRefused(f"{target} changed while it was being edited; nothing was "
                               "written: run the command again")
        if backup is not None and original is not None:
            write_backup(backup, original, mode)
            made_backup = True
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        if made_backup and backup is not None:
            backup.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)
