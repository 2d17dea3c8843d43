"""docker-compose.yml and the Dockerfile agree with the settings (Docker does not run here)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from peermap.graph.runtime import NEO4J_VERSION
from peermap.server.settings import VARIABLES, load_settings

REPO = Path(__file__).resolve().parent.parent


def _compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_neo4j_is_the_official_image_of_the_same_line_with_health_volume_and_password() -> None:
    neo4j = _compose()["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:" + ".".join(NEO4J_VERSION.split(".")[:2]) + "-community"
    assert neo4j["environment"]["NEO4J_AUTH"].startswith("neo4j/${NEO4J_PASSWORD:?")
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])
    assert any(v.endswith(":/data") for v in neo4j["volumes"])
    assert "127.0.0.1:7687:7687" in neo4j["ports"]
    assert "neo4j-data" in _compose()["volumes"]


def test_the_app_is_wired_by_the_same_variables_the_settings_read() -> None:
    app = _compose()["services"]["app"]
    environment = app["environment"]
    assert set(environment) <= set(VARIABLES)
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    # The compose values (with a password filled in) pass the settings' own checks.
    filled = {
        k: re.sub(r"\$\{(NEO4J_PASSWORD|PEERMAP_SECRET_KEY):\?[^}]*\}", "a-long-random-secret-" * 2, str(v))
        for k, v in environment.items()
    }
    settings = load_settings(filled, env_file=None)
    assert settings.neo4j_uri == "bolt://neo4j:7687"
    assert settings.production and not settings.introspection and not settings.ide and settings.https
    assert f"127.0.0.1:{settings.port}:{settings.port}" in app["ports"]


def test_the_dockerfile_installs_the_package_and_serves() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    for folder in ("server", "graph", "schema", "maps"):
        assert f"COPY {folder} ./{folder}" in dockerfile
    assert 'CMD ["peermap", "serve"]' in dockerfile
    assert re.search(r"EXPOSE (\d+)", dockerfile).group(1) == str(load_settings({}, env_file=None).port)


def _locked(lock: str) -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s]+)$", (REPO / lock).read_text(), flags=re.MULTILINE)
    return {name.lower().replace("_", "-"): version for name, version in pins}


def _named(requirements: list[str]) -> set[str]:
    return {
        re.split(r"[<>=\[ ;]", requirement, maxsplit=1)[0].lower().replace("_", "-") for requirement in requirements
    }


def test_the_locks_pin_every_dependency_and_the_image_installs_the_lock() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    app, dev = _locked("requirements.lock"), _locked("requirements-dev.lock")
    assert _named(project["dependencies"]) <= app.keys()
    assert (
        _named(
            project["dependencies"] + project["optional-dependencies"]["test"] + project["optional-dependencies"]["dev"]
        )
        <= dev.keys()
    )
    assert all(dev[name] == version for name, version in app.items()), "the two locks agree"
    assert "requirements.lock" in (REPO / "Dockerfile").read_text()
    assert "-r requirements-dev.lock" in (REPO / ".ci" / "run").read_text()


def test_the_driver_decodes_with_its_rust_extension() -> None:
    # neo4j-rust-ext decodes Bolt several times faster than the pure-Python codec; it fails
    # silently back to Python when its wheel does not fit the platform, so say so here.
    from neo4j._codec.packstream import RUST_AVAILABLE

    assert RUST_AVAILABLE, "neo4j-rust-ext is not loaded: pip install -r requirements.lock"
