"""Keeping the owner's file whole: backups and a health check (`shopkeep backup`, `shopkeep doctor`)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from shopkeep import upkeep
from shopkeep.errors import ShopkeepError
from shopkeep.i18n import _
from shopkeep.outputs import OutputError, Written, describe, shown, staged
from shopkeep.paths import ensure_private_dir, is_database_file
from shopkeep.store import Store, migrate
from shopkeep.store import maintenance as queries

# Folder names of sync clients: SQLite's locking does not survive their copying of the WAL.
CLOUD_MARKERS = (
    "dropbox",
    "onedrive",
    "google drive",
    "googledrive",
    "icloud",
    "mobile documents",
    "yandex.disk",
    "nextcloud",
    "owncloud",
    "pcloud",
    "mega",
    "box sync",
    "syncthing",
)
NETWORK_FS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "fuse.sshfs",
    "sshfs",
    "davfs",
    "fuse.rclone",
    "afpfs",
    "9p",
    "fuse.gcsfuse",
    "fuse.s3fs",
}


def default_backup_path(db_path: Path, now: dt.datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    return db_path.parent / "backups" / f"{db_path.stem}-{stamp}.db"


def backup_target(db_path: Path, target: str | os.PathLike[str] | None, now: dt.datetime) -> Path:
    """Where `shopkeep backup [TARGET]` writes. No target: the `backups` folder beside the database. A target
    naming an existing folder, or ending in `/` (the folder is created if missing): a timestamped file in that
    folder. Anything else: that file name (its folder is created if missing)."""
    if target is None or os.fspath(target) == "":
        path = default_backup_path(db_path, now)
    else:
        text = os.fspath(target)
        path = Path(text).expanduser()
        if text.endswith(("/", os.sep)) or path.is_dir():
            path = path / default_backup_path(db_path, now).name
        else:
            return path
    n = 1  # a timestamped name taken already (two backups within a second): -2, -3, ...
    stamped = path
    while stamped.exists():
        n += 1
        stamped = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return stamped


def _make_folder(folder: Path, target: Path) -> None:
    """Create the backup's folder (owner-only), or say clearly why it cannot be."""
    for part in (folder, *folder.parents):
        if part.exists():
            if not part.is_dir():
                raise OutputError(
                    _("{part} is a file, not a folder: {target} was not written").format(
                        part=shown(part), target=shown(target)
                    )
                )
            break
    try:
        ensure_private_dir(folder)
    except OSError as exc:
        raise OutputError(describe(exc, target)) from None


def backup(store: Store, target: str | os.PathLike[str] | None = None) -> Path:
    """A consistent copy of the database (VACUUM INTO sees every committed transaction, WAL included),
    readable by the owner only. Safe while the app or an import has the database open.

    The copy is made under a temporary name in the target's folder and renamed when complete: a full disk
    leaves no partial backup, and an existing file is never replaced. Returns the file written."""
    if store.path is None:
        raise ShopkeepError(_("an in-memory database cannot be backed up"))
    path = backup_target(store.path, target, store.clock.now())
    if is_database_file(path, store.path):
        raise OutputError(
            _("{path} is the database itself or one of its files; choose another name").format(path=shown(path))
        )
    if path.exists() or path.is_symlink():
        if path.is_dir():
            raise OutputError(_("{path} already exists (a folder); choose another name").format(path=shown(path)))
        raise OutputError(_("{path} already exists (a file); choose another name").format(path=shown(path)))
    _make_folder(path.parent, path)
    with staged(path, overwrite=False, record=Written(store, "backup")) as tmp:
        tmp.unlink()  # a fresh name for VACUUM INTO, which wants no file (or an empty one) there
        try:
            store.backup(tmp)
        except sqlite3.Error as exc:
            raise OutputError(describe(exc, path)) from None
        os.chmod(tmp, 0o600)  # owner-only whatever the umask (no connection holds the copy)
    return path


@dataclass
class DoctorReport:
    path: Path
    size_bytes: int
    schema_version: int
    latest_version: int
    integrity: list[str]
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    tables: list[queries.TableInfo] = field(default_factory=list)  # every table: rows, columns, named indexes
    upkeep: str = "done"  # the points and referrals owed by the imports

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"] and self.schema_version == self.latest_version


def _mount_type(path: Path) -> str | None:
    """The filesystem type of the mount holding `path` (Linux /proc/mounts; None elsewhere)."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    best, fstype = "", None
    resolved = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        if (resolved == point or resolved.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
            best, fstype = point, parts[2]
    return fstype


def location_warnings(path: Path) -> list[str]:
    warnings = []
    lowered = str(path.resolve()).lower()
    for marker in CLOUD_MARKERS:
        if f"/{marker}" in lowered or f"\\{marker}" in lowered:
            warnings.append(
                _(
                    "the database sits in a cloud-synced folder ({marker}); syncing can corrupt an open SQLite file."
                    " Keep it in a local folder and sync backups instead (`shopkeep backup`)."
                ).format(marker=marker)
            )
            break
    fstype = _mount_type(path)
    if fstype in NETWORK_FS:
        warnings.append(
            _(
                "the database is on a network filesystem ({fstype}); SQLite locking is unreliable there."
                " Keep it on a local disk."
            ).format(fstype=fstype)
        )
    return warnings


def doctor(store: Store, as_of: Callable[[], dt.date]) -> DoctorReport:
    """The health check. An import's upkeep left half-done (the import was killed) is finished, on the
    day `as_of()` gives, unless the file is damaged."""
    if store.path is None:
        raise ShopkeepError(_("doctor needs a database file"))
    integrity = queries.integrity_check(store)
    if integrity != ["ok"]:
        upkeep_line = _("not checked while the file is damaged")
    else:
        owed = upkeep.pending(store)
        if owed is None:
            upkeep_line = _("done")
        elif owed.running:
            upkeep_line = _("an import is giving its points now (it is still running)")
        else:
            upkeep_line = upkeep.heal(store, as_of()) or _("done")
    warnings = location_warnings(store.path)
    mode = store.path.stat().st_mode & 0o777
    if mode & 0o077:
        warnings.append(
            _("the database file is readable by others (mode {mode}); run: chmod 600 {path}").format(
                mode=f"{mode:o}", path=store.path
            )
        )
    latest = max((m.version for m in migrate.available()), default=0)
    tables: list[queries.TableInfo] = []
    if integrity == ["ok"]:
        tables = queries.tables(store)
        if store.schema_version() == latest:
            warnings += schema_differences(store)
    return DoctorReport(
        path=store.path,
        size_bytes=store.path.stat().st_size + _size(Path(f"{store.path}-wal")),
        schema_version=store.schema_version(),
        latest_version=latest,
        integrity=integrity,
        counts=queries.table_counts(store),
        warnings=warnings,
        upkeep=upkeep_line,
        tables=tables,
    )


def schema_differences(store: Store) -> list[str]:
    """How the file's schema differs from the one its migrations make (a fresh database, same migrations):
    an index or a trigger dropped, a table changed by another tool. Names only, never a value."""
    expected = queries.expected_schema_shape(None, store.clock)
    found = queries.schema_shape(store)
    lines = [_("missing from the file: {what}").format(what=what) for what in sorted(expected - found)]
    lines += [_("not made by shopkeep's migrations: {what}").format(what=what) for what in sorted(found - expected)]
    return lines


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
