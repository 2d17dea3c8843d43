"""Time credits (Edgar Cahn's timebanking, where co-production's name comes from): an hour given is
an hour earned, whoever gives it, a member, a volunteer or paid staff.

Every credit moves from one account to another (a person's, or the community pot's), so all
balances always add up to nothing: what one earns, someone or the pot gave. Help between two
people is recorded by the one helped ("Pat helped me cook for two hours", with their thanks) and
counts once the helper confirms it; a gift to the pot counts at once (it is the giver's own time);
coordinators hand credits on from the pot (to whoever gave time to a campaign, say), and the pot
may go below nothing: the community owes it.
"""

from __future__ import annotations

from typing import Any

from . import queries
from .database import Transaction
from .errors import Forbidden, Invalid, NotFound
from .model import Exchange, ExchangeStatus
from .permissions import Rule
from .viewer_graph import ViewerGraph
from .writes import new_id, require_exists

MOST_MINUTES = 24 * 60  # at a time
MAX_WHAT = 300


def _checked(minutes: int, what: str) -> tuple[int, str]:
    if not 0 < minutes <= MOST_MINUTES:
        raise Invalid("minutes", f"more than 0 and at most {MOST_MINUTES} (a day) at a time")
    words = what.strip()
    if len(words) > MAX_WHAT:
        raise Invalid("what", f"at most {MAX_WHAT} characters")
    return minutes, words


async def _record(
    graph: ViewerGraph,
    *,
    from_id: str | None,
    to_id: str | None,
    minutes: int,
    what: str,
    awaiting: str | None,
    rule: Rule,
    action: str,
) -> Exchange:
    counted, words = _checked(minutes, what)
    exchange_id = new_id("t")

    async def work(tx: Transaction) -> Exchange:
        for person_id, field in ((from_id, "from"), (to_id, "to")):
            if person_id is not None:
                await require_exists(tx, "Person", person_id, field)
        row = await tx.single(
            queries.time_credits.RECORD,
            id=exchange_id,
            from_id=from_id,
            to_id=to_id,
            minutes=counted,
            what=words,
            awaiting=awaiting,
        )
        return Exchange(
            id=exchange_id,
            from_id=from_id,
            to_id=to_id,
            minutes=counted,
            what=words,
            status=ExchangeStatus(row["status"]),
            at=row["at"].to_native(),
            awaiting_id=awaiting,
        )

    return await graph.change(work, rule=rule, person=graph.viewer.person_id, action=action)


async def thank_for_help(graph: ViewerGraph, helper_id: str, minutes: int, what: str) -> Exchange:
    """The one helped says who helped, for how long, and thanks them; it counts once the helper confirms."""
    me = graph.viewer.person_id
    if helper_id == me:
        raise Invalid("helper", "someone else: your own time is given, not earned from yourself")
    return await _record(
        graph,
        from_id=me,
        to_id=helper_id,
        minutes=minutes,
        what=what,
        awaiting=helper_id,
        rule=Rule.THE_PERSON,
        action="thanked someone for their time",
    )


async def give_to_pot(graph: ViewerGraph, minutes: int, what: str) -> Exchange:
    """Some of one's own credits to the community pot, for others to be given."""
    return await _record(
        graph,
        from_id=graph.viewer.person_id,
        to_id=None,
        minutes=minutes,
        what=what,
        awaiting=None,
        rule=Rule.THE_PERSON,
        action="gave time credits to the pot",
    )


async def give_from_pot(graph: ViewerGraph, person_id: str, minutes: int, what: str) -> Exchange:
    """A coordinator hands credits from the pot to someone (for time given to a campaign, say)."""
    return await _record(
        graph,
        from_id=None,
        to_id=person_id,
        minutes=minutes,
        what=what,
        awaiting=None,
        rule=Rule.COORDINATOR,
        action="gave time credits from the pot",
    )


async def credit_campaign_hours(graph: ViewerGraph, campaign_id: str, person_id: str) -> Exchange:
    """Hours someone gave to a campaign, confirmed by both sides: they logged them, and an organiser
    (never for themselves) or a coordinator confirms them; they become time credits from the pot,
    an hour for an hour, as help between two people does."""
    if person_id in (graph.viewer.person_id, graph.viewer.actor):
        raise Forbidden("your own hours are confirmed by another organiser or a coordinator")
    exchange_id = new_id("e")

    async def work(tx: Transaction) -> None:
        rows = await tx.run(queries.time_credits.CAMPAIGN_HOURS, person=person_id, campaign=campaign_id)
        if not rows:
            raise NotFound("person", "the person does not take part in that campaign")
        minutes = round((rows[0]["hours"] - rows[0]["credited"]) * 60)
        if minutes <= 0:
            raise Invalid("person", "every hour they logged is a time credit already")
        await tx.run(
            queries.time_credits.RECORD,
            id=exchange_id,
            from_id=None,
            to_id=person_id,
            minutes=minutes,
            what=f"Time given to {rows[0]['title']}"[:MAX_WHAT],
            awaiting=None,
        )
        await tx.execute(queries.time_credits.CREDITED, person=person_id, campaign=campaign_id)

    await graph.change(
        work, rule=Rule.CAMPAIGN_ORGANISERS, campaign=campaign_id, action="confirmed hours given to a campaign"
    )
    found = await graph.read(queries.time_credits.EXCHANGE, id=exchange_id)
    return _exchange(found[0])


async def answer(graph: ViewerGraph, exchange_id: str, *, confirm: bool) -> Exchange:
    """The helper says yes, it happened (it counts), or no (it never will)."""

    async def work(tx: Transaction) -> None:
        rows = await tx.run(
            queries.time_credits.ANSWER,
            id=exchange_id,
            person=graph.viewer.person_id,
            status=(ExchangeStatus.CONFIRMED if confirm else ExchangeStatus.DECLINED).value,
        )
        if not rows:
            raise NotFound("id", "no exchange waits for your answer with that id")

    await graph.change(work, rule=Rule.THE_PERSON, person=graph.viewer.person_id, action="answered for time given")
    found = await graph.read(queries.time_credits.EXCHANGE, id=exchange_id)
    return _exchange(found[0])


def _exchange(row: dict[str, Any]) -> Exchange:
    return Exchange(
        id=row["id"],
        from_id=row["from_id"],
        to_id=row["to_id"],
        minutes=int(row["minutes"]),
        what=row["what"] or "",
        status=ExchangeStatus(row["status"]),
        at=row["at"].to_native(),
        awaiting_id=row["awaiting"],
    )


async def own_exchanges(graph: ViewerGraph, *, first: int) -> list[Exchange]:
    """The viewer's exchanges, newest first (only the two sides of an exchange see it)."""
    return [_exchange(row) for row in await graph.read(queries.time_credits.OWN_EXCHANGES, first=first)]


async def own_balance(graph: ViewerGraph) -> int:
    """Minutes: confirmed in, less confirmed out."""
    rows = await graph.read(queries.time_credits.BALANCE)
    return int(rows[0]["minutes"]) if rows else 0


async def pot_balance(graph: ViewerGraph) -> int:
    rows = await graph.read(queries.time_credits.POT_BALANCE)
    return int(rows[0]["minutes"] or 0)  # no pot yet: nothing in it
