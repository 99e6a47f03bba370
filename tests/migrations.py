"""A migration's module, loaded from its file (Alembic's versions are not a package), so that a test can run
its upgrade and downgrade steps on rows it made."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

VERSIONS = Path(__file__).parents[1] / "server" / "migrations" / "versions"


def migration(file_name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(Path(file_name).stem, VERSIONS / file_name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
