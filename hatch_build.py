"""The wheel's build hook: compile the translation catalogs (.po -> .mo) into the wheel.

The .mo files are build products (not in git): every wheel carries them freshly compiled from the
committed .po files, so an installed shopkeep reads compiled catalogs and needs no compiling at start.
An editable install compiles nothing: shopkeep.i18n compiles a .po in memory when its .mo is missing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogsBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        locale = Path(self.root) / "shopkeep" / "locale"
        self._out = tempfile.TemporaryDirectory(prefix="shopkeep-mo-")
        for po in sorted(locale.glob("*/LC_MESSAGES/*.po")):
            language = po.parent.parent.name
            with po.open("rb") as fp:
                catalog = read_po(fp, locale=language, domain=po.stem)
            mo = Path(self._out.name) / language / f"{po.stem}.mo"
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as fp:
                write_mo(fp, catalog)
            build_data["force_include"][str(mo)] = f"shopkeep/locale/{language}/LC_MESSAGES/{po.stem}.mo"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        out = getattr(self, "_out", None)
        if out is not None:
            out.cleanup()
