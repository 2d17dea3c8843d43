"""Settings are checked at start-up, and a bad one is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from peermap.server.settings import SettingsError, load_settings


def test_defaults_run_a_local_neo4j() -> None:
    settings = load_settings({}, env_file=None)
    assert settings.uses_local_neo4j
    assert (settings.host, settings.port, settings.neo4j_database) == ("127.0.0.1", 8000, "neo4j")
    assert settings.neo4j_password is None  # generated at the local Neo4j's first start


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"NEO4J_URI": "http://localhost:7474", "NEO4J_PASSWORD": "password1"}, "NEO4J_URI"),
        ({"NEO4J_URI": "bolt://db:7687"}, "NEO4J_PASSWORD"),
        ({"NEO4J_PASSWORD": "short"}, "NEO4J_PASSWORD"),
        ({"PEERMAP_PORT": "eighty"}, "PEERMAP_PORT"),
        ({"PEERMAP_PORT": "70000"}, "PEERMAP_PORT"),
        ({"PEERMAP_NEO4J_BOLT_PORT": "0"}, "PEERMAP_NEO4J_BOLT_PORT"),
        ({"PEERMAP_NEO4J_HEAP": "lots"}, "PEERMAP_NEO4J_HEAP"),
        ({"NEO4J_DATABASE": "no spaces"}, "NEO4J_DATABASE"),
        ({"PEERMAP_DEMO_MEMBERS": "3"}, "PEERMAP_DEMO_MEMBERS"),
        ({"PEERMAP_READS": "fast"}, "PEERMAP_READS"),
    ],
)
def test_a_bad_setting_is_named(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        load_settings(env, env_file=None)


def test_routing_uris_are_accepted_and_the_password_is_never_printed() -> None:
    settings = load_settings({"NEO4J_URI": "neo4j://cluster:7687", "NEO4J_PASSWORD": "s3cret-pass"}, env_file=None)
    assert settings.neo4j_uri == "neo4j://cluster:7687" and not settings.uses_local_neo4j
    assert "s3cret-pass" not in repr(settings)


def test_a_dotenv_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PEERMAP_PORT=9001\nPEERMAP_HOST=0.0.0.0\n")
    settings = load_settings({"PEERMAP_PORT": "9002"}, env_file=env_file)
    assert (settings.host, settings.port) == ("0.0.0.0", 9002)
