"""Package build hook: compile the gettext catalogues (.po, in the repository) into .mo files.

A wheel carries the compiled catalogues, so safehome installed anywhere speaks French without a
build step a user must remember. An editable install gets them beside the .po files (ignored by
git); safehome reads a .po directly when it is newer than its .mo, so an edit shows at once.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        out = Path(tempfile.mkdtemp(prefix="safehome-mo-"))
        for po in sorted((root / "safehome" / "i18n" / "locale").glob("*/LC_MESSAGES/*.po")):
            catalog = read_po(io.BytesIO(po.read_bytes()), locale=po.parents[1].name)
            relative = po.relative_to(root).with_suffix(".mo")
            compiled = io.BytesIO()
            write_mo(compiled, catalog)
            if version == "editable":
                (root / relative).write_bytes(compiled.getvalue())
            else:
                target = out / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(compiled.getvalue())
                build_data["force_include"][str(target)] = str(relative)
