"""The layers import one way, and the package installs under `peermap` both ways."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LAYERS = ("server", "schema", "maps", "graph")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")  # import-linter, from the test extra


def _lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), *args], capture_output=True, text=True, cwd=REPO, timeout=120)


def test_imports_point_one_way() -> None:
    """server -> schema -> graph and server -> maps -> graph: the contract in pyproject.toml."""
    checked = _lint_imports()
    assert checked.returncode == 0 and "1 kept, 0 broken" in checked.stdout, checked.stdout[-2000:]


def test_the_import_check_catches_a_wrong_way_import(tmp_path: Path) -> None:
    """The same real imports, against layers upside down: every one of them breaks it."""
    upside_down = tmp_path / "contract.toml"
    upside_down.write_text(
        '[tool.importlinter]\nroot_packages = ["peermap.server", "peermap.graph"]\n\n'
        '[[tool.importlinter.contracts]]\nname = "upside down"\ntype = "layers"\n'
        'layers = ["peermap.graph", "peermap.server"]\n'
    )
    checked = _lint_imports(str(upside_down))
    assert checked.returncode == 1 and "peermap.server is not allowed to import peermap.graph" in checked.stdout


def test_a_plain_install_imports_from_anywhere(tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert sorted(p.name for p in (target / "peermap").iterdir() if not p.name.startswith("__")) == sorted(LAYERS)
    pages = target / "peermap" / "server"
    for needed in ("templates/home.html", "templates/home.graphql", "locale/pl/LC_MESSAGES/messages.po"):
        assert (pages / needed).is_file(), f"{needed} is not installed with the package"
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
