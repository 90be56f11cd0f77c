"""Where the generator's own files are: templates, assets and JSON Schemas.

They live at the top of the repository (``templates/``, ``assets/``, ``overrides/``, ``schema/``), where
contributors look for them, and pyproject.toml installs them as data packages inside
``generator`` (``generator.templates``, ``generator.assets``, ``generator.overrides``,
``generator.schemas``). So an
editable install finds them in the repository, and a plain ``pip install .`` in site-packages.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

_REPOSITORY = Path(__file__).resolve().parent.parent


def _data_dir(package: str, fallback: str) -> Path:
    try:
        spec = importlib.util.find_spec(f"generator.{package}")
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        if Path(location).is_dir():
            return Path(location)
    return _REPOSITORY / fallback


TEMPLATES = _data_dir("templates", "templates")
"""Jinja2 templates of the generated pages."""
ASSETS = _data_dir("assets", "assets")
"""Stylesheet and vendored files copied into every site."""
OVERRIDES = _data_dir("overrides", "overrides")
"""Material theme overrides, copied beside the generated Markdown for ``custom_dir``."""
SCHEMAS = _data_dir("schemas", "schema")
"""JSON Schemas of the record formats, published with the site."""
