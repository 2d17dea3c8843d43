"""The committed SDL is the schema the code serves."""

from __future__ import annotations

from peermap.schema import SDL_FILE, schema


def test_the_committed_sdl_matches_the_code() -> None:
    assert SDL_FILE.read_text(encoding="utf-8") == schema.as_str() + "\n", (
        "schema/schema.graphql is stale: run `peermap schema` and commit the result"
    )
