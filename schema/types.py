"""The GraphQL types: each made from the plain record graph/ hands back."""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from ..graph.model import CampaignView, NeighbourhoodView, PersonView


@strawberry.enum(description="A person's roles; one person may hold several, and no role ranks above another.")
class Role(Enum):
    MEMBER = "Member"
    SUPPORT_WORKER = "SupportWorker"
    VOLUNTEER = "Volunteer"
    COORDINATOR = "Coordinator"


@strawberry.enum
class CampaignStatus(Enum):
    PROPOSED = "proposed"
    PLANNING = "planning"
    ACTIVE = "active"
    COMPLETED = "completed"


@strawberry.type(description="A GeoJSON Point: coordinates are [longitude, latitude].")
class GeoPoint:
    type: str
    coordinates: list[float]
    exact: bool = strawberry.field(description="False when this is the coarse cell (about 400 m) around the home.")


@strawberry.type
class Person:
    id: strawberry.ID
    name: str
    bio: str
    roles: list[Role]
    home: GeoPoint | None = strawberry.field(
        description="Exact only for the person and those who support them; otherwise a coarse cell or nothing.")
    neighbourhood_id: strawberry.ID | None

    @classmethod
    def from_view(cls, view: PersonView) -> Person:
        home = None
        if view.position is not None:
            home = GeoPoint(type="Point", coordinates=[view.position.longitude, view.position.latitude],
                            exact=view.position_is_exact)
        return cls(id=strawberry.ID(view.id), name=view.name, bio=view.bio,
                   roles=[Role(r.value) for r in view.roles], home=home,
                   neighbourhood_id=strawberry.ID(view.neighbourhood_id) if view.neighbourhood_id else None)


@strawberry.type
class PersonPage:
    total_count: int
    items: list[Person]


@strawberry.type
class Neighbourhood:
    id: strawberry.ID
    name: str
    boundary: JSON = strawberry.field(description="A GeoJSON Polygon or MultiPolygon.")
    member_count: int

    @classmethod
    def from_view(cls, view: NeighbourhoodView) -> Neighbourhood:
        return cls(id=strawberry.ID(view.id), name=view.name, boundary=view.boundary, member_count=view.member_count)


@strawberry.type
class Campaign:
    id: strawberry.ID
    title: str
    description: str
    status: CampaignStatus
    area: JSON = strawberry.field(description="A GeoJSON Polygon.")
    starts_on: date | None
    ends_on: date | None

    @classmethod
    def from_view(cls, view: CampaignView) -> Campaign:
        return cls(id=strawberry.ID(view.id), title=view.title, description=view.description,
                   status=CampaignStatus(view.status.value), area=view.area,
                   starts_on=view.starts_on, ends_on=view.ends_on)


@strawberry.type
class CampaignPage:
    total_count: int
    items: list[Campaign]
