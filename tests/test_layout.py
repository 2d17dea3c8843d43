"""The layers import one way, and the package installs under `peermap` both ways."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LAYERS = ("server", "schema", "maps", "graph")
# Who may import whom: server -> schema -> graph, server -> maps -> graph.
ALLOWED = {
    "server": {"server", "schema", "maps", "graph"},
    "schema": {"schema", "graph"},
    "maps": {"maps", "graph"},
    "graph": {"graph"},
}


def _imported_layers(file: Path, layer: str) -> set[str]:
    """The layers a module imports, whether named absolutely (peermap.x) or relatively (..x)."""
    found = set()
    for node in ast.walk(ast.parse(file.read_text(), filename=str(file))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level >= 2:  # from ..graph import x, or from .. import graph
                names = [f"peermap.{node.module}" if node.module else f"peermap.{a.name}" for a in node.names]
            elif node.level == 1:
                names = [f"peermap.{layer}"]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "peermap" and len(parts) > 1 and parts[1] in LAYERS:
                found.add(parts[1])
            elif parts[0] in LAYERS:  # a bare `import graph` would dodge the package
                found.add(parts[0])
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_point_one_way(layer: str) -> None:
    wrong = {
        f"{file.relative_to(REPO)} imports {other}"
        for file in (REPO / layer).rglob("*.py")
        for other in _imported_layers(file, layer) - ALLOWED[layer]
    }
    assert not wrong, sorted(wrong)


def test_the_import_check_catches_a_wrong_way_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from ..schema import types\nfrom peermap.server import app\n")
    assert _imported_layers(module, "graph") == {"schema", "server"}


def test_a_plain_install_imports_from_anywhere(tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert sorted(p.name for p in (target / "peermap").iterdir() if not p.name.startswith("__")) == sorted(LAYERS)
    probe = (
        "import peermap.server.cli, peermap.schema, peermap.maps, peermap.graph.demo, sys; "
        "print(peermap.graph.demo.__file__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert result.stdout.strip().startswith(str(target))


def test_the_editable_install_serves_the_repository_folders(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import peermap.graph, peermap.server; print(peermap.graph.__file__); print(peermap.server.__file__)",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert result.stdout.split() == [str(REPO / "graph" / "__init__.py"), str(REPO / "server" / "__init__.py")]
