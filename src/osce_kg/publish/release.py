"""Releases, switched to atomically (ARCHITECTURE.md, "Releases").

An output folder ``DIR`` holds::

    DIR/releases/<id>/          one folder per release: every file of that build
    DIR/releases/.incoming-*    the release being written (and its scratch store)
    DIR/releases/.build.lock    locked (flock) by the build writing into DIR
    DIR/current -> releases/<id>      the newest complete release
    DIR/osce-kg.ttl -> current/osce-kg.ttl   (and every other file name of a release)

A build writes its whole release into a new ``.incoming-<pid>-<random>``
folder, renames it to ``releases/<id>`` and then replaces the ``current``
link in one :func:`os.replace`: whatever moment a build fails or is killed
at, ``current`` names a release that is whole and consistent (its
checksums are those of its files), and a release holds only the files of its
own build (no ``.gz`` of an older ``--compress`` build). ``<id>`` is the UTC
date and 12 hex digits of a hash of the release's dumps and reports: the
same data gives the same id (a rebuild of unchanged input switches to the
release that exists). Incoming folders of dead builds are removed by the
next build; only the newest ``keep`` releases are kept. One build at a
time writes into ``DIR``: a second one is refused while the first holds the
lock (:class:`~osce_kg.errors.UsageError`, exit 2), naming its process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from ..errors import UsageError, display

__all__ = ["RELEASES", "CURRENT", "STORE", "SITE_WITHOUT_ENTITIES", "Release", "fsync_dir", "process_alive", "remove_dead_incoming"]

log = logging.getLogger(__name__)

#: sub-folder of the output folder that holds the releases
RELEASES = "releases"
#: the link to the newest release
CURRENT = "current"
#: sub-folder of a release that holds its Oxigraph store (``build --store``,
#: or ``load <release>/osce-kg.nq --store <release>/store``): a link to one
#: generation in ``.store.generations/`` beside it (relative: it moves with
#: the release when the release's folder is renamed into place)
STORE = "store"
#: file in a release's ``site/`` written without the entities' and graphs'
#: files (``build --store`` without ``--site``: the store answers them); a
#: rebuild of the same data with ``--site`` replaces such a site
SITE_WITHOUT_ENTITIES = ".entities-answered-by-the-store"

_INCOMING = re.compile(r"^\.incoming-(?P<pid>\d+)-[A-Za-z0-9_]+$")


def process_alive(pid: int) -> bool:
    """True when process ``pid`` runs (this process included; one of another
    user counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_dead_incoming(output: Path) -> list[Path]:
    """Remove the incoming folders of builds that are no longer running;
    returns them."""
    removed = []
    folder = output / RELEASES
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        match = _INCOMING.match(entry.name)
        if match and not process_alive(int(match["pid"])):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


class Release:
    """A release being written under ``output``.

    Use::

        release = Release.begin(output)
        ... write files into release.folder ...
        release.publish(content_hashes)   # rename + switch; returns the final folder

    and :meth:`abandon` (or let the process die) on failure: nothing the
    previous release holds is touched until :meth:`publish`.
    """

    def __init__(self, output: Path, folder: Path, lock: int | None = None) -> None:
        self.output = output
        self.folder = folder
        self.id: str | None = None
        self._lock = lock

    @classmethod
    def begin(cls, output: Path) -> Release:
        """Take the build lock of ``output`` and make the incoming folder
        (removing those of dead builds).

        Raises:
            UsageError: when another build writes into ``output`` (two
                builds into one folder would race for ``current``: the one
                finishing last would win, older input or not).
        """
        releases = output / RELEASES
        releases.mkdir(parents=True, exist_ok=True)
        lock = _take_lock(output)
        try:
            for stale in remove_dead_incoming(output):
                log.warning("removed %s, left by an interrupted build", stale)
            folder = Path(tempfile.mkdtemp(prefix=f".incoming-{os.getpid()}-", dir=releases))
        except BaseException:
            os.close(lock)
            raise
        return cls(output, folder, lock)

    def unlock(self) -> None:
        """Let the next build into the output folder (the lock also ends
        with the process)."""
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    @property
    def scratch(self) -> Path:
        """A folder for the build's working files (the store), removed
        before the release is published."""
        path = self.folder / ".scratch"
        path.mkdir(exist_ok=True)
        return path

    @staticmethod
    def make_id(hashes: list[str], when: dt.datetime | None = None) -> str:
        """``YYYYMMDD-<12 hex digits of the hash of hashes>``."""
        day = (when or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%d")
        digest = hashlib.sha256("\n".join(hashes).encode("ascii")).hexdigest()[:12]
        return f"{day}-{digest}"

    def previous(self) -> Path | None:
        """The current release of the output folder (the one this release
        follows), or None."""
        link = self.output / CURRENT
        if not link.exists():
            return None
        target = Path(os.path.realpath(link))
        return target if (target / "osce-kg.nq").is_file() else None

    def name(self, release_id: str) -> None:
        """Fix the id of this release (before writing files that state it)."""
        self.id = release_id

    def publish(self, keep: int = 3) -> Path:
        """Move the release into place and make it current: one rename of
        the folder, one :func:`os.replace` of the ``current`` link; then the
        well-known file names in ``output`` are linked through ``current``
        and releases beyond the newest ``keep`` are removed. Returns the
        release's folder."""
        assert self.id is not None, "name the release first"
        shutil.rmtree(self.folder / ".scratch", ignore_errors=True)
        for path in [self.folder, *self.folder.iterdir()]:
            with contextlib.suppress(OSError):
                os.chmod(path, 0o755 if path.is_dir() else 0o644)
        final = self.output / RELEASES / self.id
        if final.is_dir():
            # the same content was released before: that release stays as it
            # is; a site it lacks (built without --site), or lacks the
            # entities' files of, and a store it lacks are moved in whole
            site, kept = self.folder / "site", final / "site"
            if site.is_dir() and not kept.exists():
                os.replace(site, kept)
            elif site.is_dir() and (kept / SITE_WITHOUT_ENTITIES).exists() and not (site / SITE_WITHOUT_ENTITIES).exists():
                aside = final / f".site.replaced-{os.getpid()}"
                os.replace(kept, aside)  # the whole site for the one without the entities' files
                os.replace(site, kept)
                shutil.rmtree(aside, ignore_errors=True)
            store, generations = self.folder / STORE, self.folder / f".{STORE}.generations"
            if store.is_symlink() and not os.path.lexists(final / STORE) and not generations.is_symlink():
                os.replace(generations, final / generations.name)  # its link is relative: moved, it still resolves
                os.replace(store, final / STORE)
            shutil.rmtree(self.folder, ignore_errors=True)
            os.utime(final)
        else:
            os.replace(self.folder, final)
        fsync_dir(final.parent)
        link = self.output / CURRENT
        tmp = self.output / f".{CURRENT}.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(Path(RELEASES) / self.id, tmp)
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        os.replace(tmp, link)
        fsync_dir(self.output)
        self._link_names(final)
        self._prune(final, keep)
        log.info("release %s is current", self.id)
        return final

    def abandon(self) -> None:
        """Remove the incoming folder (a failed build)."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def _link_names(self, final: Path) -> None:
        """``output/NAME -> current/NAME`` for every file of the release;
        links to names the current release does not have are removed."""
        names = {p.name for p in final.iterdir() if p.is_file()}
        for entry in self.output.iterdir():
            if entry.is_symlink() and entry.name not in names and entry.name != CURRENT:
                target = os.readlink(entry)
                if target.startswith(CURRENT + os.sep):
                    entry.unlink()
        for name in sorted(names):
            path = self.output / name
            target = Path(CURRENT) / name
            if path.is_symlink() and Path(os.readlink(path)) == target:
                continue
            tmp = self.output / f".{name}.{os.getpid()}.link.tmp"
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            os.symlink(target, tmp)
            os.replace(tmp, path)  # a plain file of an older layout is replaced too

    def _prune(self, final: Path, keep: int) -> None:
        releases = [p for p in (self.output / RELEASES).iterdir() if p.is_dir() and not p.name.startswith(".")]
        releases.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in releases[keep:]:
            if old != final:
                shutil.rmtree(old, ignore_errors=True)
                log.info("removed old release %s", old.name)


#: the lock file of an output folder: held (``flock``) by the build writing into it
LOCK = ".build.lock"


def _take_lock(output: Path) -> int:
    """An open descriptor of ``output/releases/.build.lock``, locked.

    Raises:
        UsageError: when another process holds it (named by its id).
    """
    import fcntl

    path = output / RELEASES / LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        try:
            holder = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
        finally:
            os.close(fd)
        who = f"process {holder}" if holder.isdigit() else "another process"
        raise UsageError(
            f"another build ({who}) is writing into {display(output)}: wait for it, or build into another folder "
            "(two builds into one folder would race, the last to finish winning)"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
    return fd


def fsync_dir(folder: Path) -> None:
    """Flush ``folder``'s entries (a rename into it) to disk; an error is
    ignored (a file system without directory fsync)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
