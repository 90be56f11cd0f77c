"""Skip a build whose inputs have not changed since the last one that finished.

The fingerprint covers everything that can change the built site: every file under the content
folder, the templates, assets and schemas, the generator's own code, ``mkdocs.yml``, the
versions of the packages that render the site, ``SOURCE_DATE_EPOCH`` and the build options.
The stamp is written beside the generated Markdown (never inside the site, so the published
site stays byte-identical to a stock ``mkdocs build``) only after the new site is in place, and
it also records the size and modification time of the site's ``index.html``: a site that was
deleted, replaced or touched by hand since is built again.
"""
from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

PACKAGES = ("mkdocs", "mkdocs-material", "jinja2", "ruamel.yaml", "markdown", "pymdown-extensions", "pygments")
"""Packages whose version can change the built pages."""


def _hash_tree(digest, root: Path, label: str) -> None:
    if not root.exists():
        digest.update(f"{label}:absent\0".encode())
        return
    paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in paths:
        rel = path.relative_to(root).as_posix() if root.is_dir() else path.name
        digest.update(f"{label}/{rel}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())


def fingerprint(content_dir: Path, config_file: Path, code_roots: tuple[Path, ...], options: dict) -> str:
    """Return a hash of every input of a build."""
    digest = hashlib.sha256()
    _hash_tree(digest, content_dir, "content")
    _hash_tree(digest, config_file, "config")
    for root in code_roots:
        _hash_tree(digest, root, root.name)
    for name in PACKAGES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"pkg:{name}={version}\0".encode())
    digest.update(f"epoch:{os.environ.get('SOURCE_DATE_EPOCH', '')}\0".encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _site_marker(site_dir: Path) -> list | None:
    index = site_dir / "index.html"
    try:
        st = index.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _stamp_file(stamp_dir: Path, site_dir: Path) -> Path:
    key = hashlib.sha256(str(site_dir.resolve()).encode()).hexdigest()[:16]
    return stamp_dir / f"site-{key}.json"


def is_current(stamp_dir: Path, site_dir: Path, print_: str) -> bool:
    """Whether ``site_dir`` was built from inputs with fingerprint ``print_`` and is untouched since."""
    try:
        saved = json.loads(_stamp_file(stamp_dir, site_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    marker = _site_marker(site_dir)
    return marker is not None and saved.get("fingerprint") == print_ and saved.get("site") == marker


def record(stamp_dir: Path, site_dir: Path, print_: str) -> None:
    """Remember that ``site_dir`` now holds the build of fingerprint ``print_``."""
    marker = _site_marker(site_dir)
    if marker is None:
        return
    stamp_dir.mkdir(parents=True, exist_ok=True)
    path = _stamp_file(stamp_dir, site_dir)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"fingerprint": print_, "site": marker}), encoding="utf-8")
    os.replace(tmp, path)


def forget(stamp_dir: Path, site_dir: Path) -> None:
    """Drop the stamp, before a build starts changing things."""
    try:
        _stamp_file(stamp_dir, site_dir).unlink()
    except OSError:
        pass
