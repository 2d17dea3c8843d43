"""What every resolver gets: the driver, the database and the viewer, per request."""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import AsyncDriver

from ..graph.model import Viewer


@dataclass
class Context:
    driver: AsyncDriver
    database: str
    viewer: Viewer
