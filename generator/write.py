"""Write generated files into a folder the generator owns, and swap finished folders into place."""
from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path, PurePosixPath
from .errors import WriteError

_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class Writer:
    """Writes files under one root: never outside it, never one path twice, each file atomically."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.written: set[str] = set()

    def target(self, relative: str) -> Path:
        """Return the checked absolute path for a root-relative POSIX path."""
        parts = PurePosixPath(relative).parts
        if not parts or relative.startswith("/") or any(not _SAFE_PART.match(p) or p in (".", "..") for p in parts):
            raise WriteError(f"refused to write {relative!r}: not a plain relative path inside the output folder")
        path = self.root.joinpath(*parts)
        if self.root not in path.resolve().parents:
            raise WriteError(f"refused to write {relative!r}: it resolves outside {self.root}")
        return path

    def write(self, relative: str, content: str | bytes) -> None:
        """Write one file, refusing a second write to the same path."""
        if relative in self.written:
            raise WriteError(f"refused to write {relative!r} twice: two records would share one page")
        path = self.target(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self.written.add(relative)

    def copy_tree(self, source: Path, relative: str) -> None:
        """Copy a folder of static files under ``relative``, file by file through :meth:`write`."""
        for path in sorted(source.rglob("*")):
            if path.is_file():
                self.write(f"{relative}/{path.relative_to(source).as_posix()}", path.read_bytes())


def _folder_mode() -> int:
    """The mode ``mkdir`` would give a new folder (0755 under the usual umask 022)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o777 & ~mask


def check_writable(target: Path) -> None:
    """Refuse, before any work, a target folder (or a folder in it) that is read-only.

    The finished folder is swapped in by renaming, which a read-only target does not stop, but
    the previous one could then not be deleted and would be left beside it. The owner's write bit
    is checked as well as access, so the refusal is the same for every user, root included.
    """
    if not target.exists() or target.is_symlink() or not target.is_dir():
        return
    for folder, _, _ in os.walk(target):
        mode = os.lstat(folder).st_mode
        if not mode & stat.S_IWUSR or not os.access(folder, os.W_OK | os.X_OK):
            shown = target if Path(folder) == target else Path(folder)
            raise WriteError(f"{shown} is read-only, so the built site cannot replace it; nothing was built. "
                             f"Make it writable (chmod -R u+w {target}) or choose another folder with --site-dir")


def scratch_beside(target: Path, label: str) -> Path:
    """Make an empty folder next to ``target`` (same file system, so it can be renamed into place)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clear_stale_scratch(target)
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.{label}-{os.getpid()}-", dir=target.parent))
    except OSError as error:
        raise WriteError(f"cannot create a folder beside {target} ({error.strerror}); nothing was built. "
                         f"Make {target.parent} writable or choose another folder") from None
    folder.chmod(_folder_mode())  # mkdtemp makes it 0700, which a web server account could not read
    return folder


def clear_stale_scratch(target: Path) -> None:
    """Remove scratch folders left by builds that were killed (their process no longer exists)."""
    for path in target.parent.glob(f".{target.name}.*-*-*"):
        match = re.match(rf"^\.{re.escape(target.name)}\.[a-z]+-(\d+)-", path.name)
        if not match or not path.is_dir():
            continue
        pid = int(match.group(1))
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except PermissionError:
            pass


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EPERM, errno.ENOTSUP):
        return False
    raise WriteError(f"could not swap {a} into place: {os.strerror(code)}")


def swap_into_place(finished: Path, target: Path) -> None:
    """Put a finished folder at ``target``; the previous folder stays whole until the swap.

    On Linux the two folders are exchanged in one atomic step, so an interrupted build can never
    leave ``target`` missing or half-written. Elsewhere two renames are used.
    """
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise WriteError(f"{target} exists and is not a folder; move it away first")
    if not target.exists():
        try:
            os.rename(finished, target)
            return
        except OSError as error:
            # another build put its folder there first: exchange with it instead
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise WriteError(f"could not put {target} in place: {error.strerror}") from None
    if _exchange(finished, target):
        shutil.rmtree(finished, ignore_errors=True)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}-x")
    os.rename(target, old)
    os.rename(finished, target)
    shutil.rmtree(old, ignore_errors=True)
