"""The root Query: a small first slice of the API; resolvers only call graph/."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from ..graph import people, places
from .context import Context
from .types import Campaign, CampaignPage, Neighbourhood, Person, PersonPage

MAX_PAGE = 100

Info = strawberry.Info[Context, None]


def _check_page(first: int, offset: int) -> None:
    if not 1 <= first <= MAX_PAGE:
        raise GraphQLError(f"first must be from 1 to {MAX_PAGE}", extensions={"code": "BAD_USER_INPUT"})
    if offset < 0:
        raise GraphQLError("offset must not be negative", extensions={"code": "BAD_USER_INPUT"})


@strawberry.type
class Query:
    @strawberry.field(description="One person, as the viewer may see them.")
    async def person(self, info: Info, id: strawberry.ID) -> Person | None:
        ctx = info.context
        view = await people.person(ctx.driver, ctx.viewer, str(id), database=ctx.database)
        return Person.from_view(view) if view else None

    @strawberry.field(description="People by name, a page at a time.")
    async def people(self, info: Info, first: int = 20, offset: int = 0) -> PersonPage:
        _check_page(first, offset)
        ctx = info.context
        page = await people.people_page(ctx.driver, ctx.viewer, first=first, offset=offset, database=ctx.database)
        return PersonPage(total_count=page.total, items=[Person.from_view(v) for v in page.items])

    @strawberry.field
    async def neighbourhoods(self, info: Info) -> list[Neighbourhood]:
        ctx = info.context
        return [Neighbourhood.from_view(v) for v in await places.neighbourhoods(ctx.driver, database=ctx.database)]

    @strawberry.field(description="Campaigns, newest first.")
    async def campaigns(self, info: Info, first: int = 20, offset: int = 0) -> CampaignPage:
        _check_page(first, offset)
        ctx = info.context
        page = await places.campaigns_page(ctx.driver, first=first, offset=offset, database=ctx.database)
        return CampaignPage(total_count=page.total, items=[Campaign.from_view(v) for v in page.items])


schema = strawberry.Schema(query=Query)
