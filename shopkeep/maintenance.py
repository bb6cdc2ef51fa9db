"""Keeping the owner's file whole: backups and a health check (`shopkeep backup`, `shopkeep doctor`)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from shopkeep import upkeep
from shopkeep.errors import ShopkeepError
from shopkeep.paths import ensure_private_dir
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


def backup(store: Store, target: Path | None = None) -> Path:
    """A consistent copy of the database (VACUUM INTO sees every committed transaction, WAL included),
    readable by the owner only. Safe while the app or an import has the database open."""
    if store.path is None:
        raise ShopkeepError("an in-memory database cannot be backed up")
    target = Path(target).expanduser() if target else default_backup_path(store.path, store.clock.now())
    if target.is_dir():
        target = target / default_backup_path(store.path, store.clock.now()).name
    if target.exists() and target.stat().st_size > 0:
        raise ShopkeepError(f"{target} already exists; choose another name")
    ensure_private_dir(target.parent)
    return store.backup(target)


@dataclass
class DoctorReport:
    path: Path
    size_bytes: int
    schema_version: int
    latest_version: int
    integrity: list[str]
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)
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
                f"the database sits in a cloud-synced folder ({marker}); syncing can corrupt an open SQLite file."
                " Keep it in a local folder and sync backups instead (`shopkeep backup`)."
            )
            break
    fstype = _mount_type(path)
    if fstype in NETWORK_FS:
        warnings.append(
            f"the database is on a network filesystem ({fstype}); SQLite locking is unreliable there."
            " Keep it on a local disk."
        )
    return warnings


def doctor(store: Store, as_of: Callable[[], dt.date]) -> DoctorReport:
    """The health check. An import's upkeep left half-done (the import was killed) is finished, on the
    day `as_of()` gives, unless the file is damaged."""
    if store.path is None:
        raise ShopkeepError("doctor needs a database file")
    integrity = queries.integrity_check(store)
    if integrity != ["ok"]:
        upkeep_line = "not checked while the file is damaged"
    else:
        owed = upkeep.pending(store)
        if owed is None:
            upkeep_line = "done"
        elif owed.running:
            upkeep_line = "an import is giving its points now (it is still running)"
        else:
            upkeep_line = upkeep.heal(store, as_of()) or "done"
    warnings = location_warnings(store.path)
    mode = store.path.stat().st_mode & 0o777
    if mode & 0o077:
        warnings.append(f"the database file is readable by others (mode {mode:o}); run: chmod 600 {store.path}")
    latest = max((m.version for m in migrate.available()), default=0)
    return DoctorReport(
        path=store.path,
        size_bytes=store.path.stat().st_size + _size(Path(f"{store.path}-wal")),
        schema_version=store.schema_version(),
        latest_version=latest,
        integrity=integrity,
        counts=queries.table_counts(store),
        warnings=warnings,
        upkeep=upkeep_line,
    )


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
