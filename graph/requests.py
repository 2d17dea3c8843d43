"""Consent before anyone is linked to a person: ties and support start as requests.

A tie is asked for by one person and made only when the other (or a supporter acting for them)
accepts; asking each other at once counts as both consenting. Staff who work with both people's
networks may record a tie they saw, logged for both. Support is proposed by a coordinator (never
for themselves) and starts when the person consents, or a second coordinator agrees. Requests
wait `REQUEST_DAYS`, then expire. Nobody answers a request they made or that grants them
something.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from . import audit, queries
from .database import Transaction
from .errors import Conflict, Forbidden, Invalid, NotFound
from .model import Request, RequestKind, Support, Tie, TieView
from .permissions import Rule
from .store import plain
from .viewer_graph import ViewerGraph
from .writes import new_id, require_exists

REQUEST_DAYS = 30
NOTE_LENGTH = 300  # characters: a short note, checked at the edge


async def ask_to_connect(
    graph: ViewerGraph, asker_id: str, other_id: str, *, note: str, strength: int
) -> Request | Tie:
    """A request to the other person; if they had asked this person already, the tie itself."""
    if asker_id == other_id:
        raise Invalid("other", "a person cannot have a tie to themselves")

    async def work(tx: Transaction) -> Request | Tie:
        await require_exists(tx, "Person", asker_id, "person")
        await require_exists(tx, "Person", other_id, "other")
        if await tx.run(queries.changes.TIE_BETWEEN, a=asker_id, b=other_id):
            raise Conflict("other", "you know each other already")
        if await tx.run(queries.requests.BETWEEN, kind=RequestKind.TIE.value, from_id=asker_id, to_id=other_id):
            raise Conflict("other", "you asked already: the request is waiting for an answer")
        theirs = await tx.run(queries.requests.BETWEEN, kind=RequestKind.TIE.value, from_id=other_id, to_id=asker_id)
        if theirs:  # both asked: both consent
            return await _make_tie(tx, _request(theirs[0]))
        return await _create(tx, RequestKind.TIE, asker_id, other_id, note=note, strength=strength, proposed_by=None)

    return await graph.change(work, rule=Rule.THE_PERSON, person=asker_id, action="asked to connect")


async def propose_support(graph: ViewerGraph, support: Support) -> Request:
    """A coordinator proposes a support worker or volunteer for a person; it waits for consent."""
    if support.supporter_id == support.person_id:
        raise Invalid("person", "a person cannot support themselves")
    if support.supporter_id == graph.viewer.actor:
        raise Forbidden("nobody makes themselves someone's supporter: another coordinator may propose it")

    async def work(tx: Transaction) -> Request:
        await require_exists(tx, "Person", support.person_id, "person")
        roles = await tx.run(queries.requests.SUPPORTER_ROLES, id=support.supporter_id)
        if not roles:
            raise NotFound("supporter", f"no person has the id {support.supporter_id!r}")
        if not roles[0]["may_support"]:
            raise Invalid("supporter", "a supporter holds the support worker or volunteer role")
        if await tx.run(queries.changes.SUPPORT_BETWEEN, supporter=support.supporter_id, person=support.person_id):
            raise Conflict("supporter", "this supporter supports the person already")
        if await tx.run(
            queries.requests.BETWEEN,
            kind=RequestKind.SUPPORT.value,
            from_id=support.supporter_id,
            to_id=support.person_id,
        ):
            raise Conflict("supporter", "this support is proposed already and waits for an answer")
        request = await _create(
            tx,
            RequestKind.SUPPORT,
            support.supporter_id,
            support.person_id,
            note="",
            strength=None,
            proposed_by=graph.viewer.actor,
        )
        await audit.record_change(
            tx, graph.viewer, audit.PROPOSED_SUPPORT, support.person_id, f"supporter {support.supporter_id}"
        )
        return request

    return await graph.change(work, rule=Rule.COORDINATOR, action="proposed support")


async def answer(graph: ViewerGraph, request_id: str, *, accept: bool) -> Request | Tie | Support | None:
    """Accept (the tie or support starts) or decline (the request goes). A tie request is the asked
    person's to answer; a support request the person's, or that of a coordinator of one of their
    networks who neither proposed it nor would be the supporter (pending_for shows them no other)."""
    found = await _pending(graph, request_id)
    if found.kind is RequestKind.SUPPORT and graph.viewer.actor in (found.proposed_by, found.from_id):
        raise Forbidden("a second person answers: not the one who proposed it, nor the supporter")
    rule = Rule.THE_PERSON if found.kind is RequestKind.TIE else Rule.THE_PERSON_OR_COORDINATOR

    async def work(tx: Transaction) -> Request | Tie | Support | None:
        if not await tx.run(queries.requests.BY_ID, id=request_id):
            raise NotFound("request", "no request waits with this id")
        if not accept:
            await tx.run(queries.requests.REMOVE, id=request_id)
            return None
        if found.kind is RequestKind.TIE:
            return await _make_tie(tx, found)
        return await _start_support(tx, graph, found)

    return await graph.change(
        work, rule=rule, person=found.to_id, action="accepted a request" if accept else "declined a request"
    )


async def withdraw(graph: ViewerGraph, request_id: str) -> None:
    """The one who asked (for support: the coordinator who proposed it, or another) takes it back."""
    found = await _pending(graph, request_id)

    async def work(tx: Transaction) -> None:
        await tx.run(queries.requests.REMOVE, id=request_id)

    if found.kind is RequestKind.TIE:
        await graph.change(work, rule=Rule.THE_PERSON, person=found.from_id, action="withdrew a request")
    else:
        await graph.change(
            work, rule=Rule.THE_PERSON_OR_COORDINATOR, person=found.proposed_by, action="withdrew a request"
        )


async def record_tie(graph: ViewerGraph, tie: Tie) -> TieView:
    """Staff of both people's networks record a tie they saw; both people find it in their log and
    either may remove it."""
    if tie.from_id == tie.to_id:
        raise Invalid("other", "a person cannot have a tie to themselves")

    async def work(tx: Transaction) -> TieView:
        await require_exists(tx, "Person", tie.from_id, "person")
        await require_exists(tx, "Person", tie.to_id, "other")
        if await tx.run(queries.changes.TIE_BETWEEN, a=tie.from_id, b=tie.to_id):
            raise Conflict("other", "these two know each other already")
        await tx.run(queries.datasets.MERGE_TIES, rows=[plain(tie)])
        for person, other in ((tie.from_id, tie.to_id), (tie.to_id, tie.from_id)):
            await audit.record_change(tx, graph.viewer, audit.RECORDED_TIE, person, f"with {other}")
        return TieView(person_id=tie.to_id, strength=tie.strength, since=tie.since, last_contact=tie.last_contact)

    return await graph.change(
        work, rule=Rule.STAFF_OF_BOTH, person=tie.from_id, other=tie.to_id, action="recorded a tie"
    )


async def pending_for(graph: ViewerGraph) -> list[Request]:
    """The viewer's requests waiting for an answer, sent and received (for a coordinator, also the
    support proposals waiting for a second one)."""
    if not graph.viewer.signed_in:
        return []
    return [_request(row) for row in await graph.read(queries.requests.OF_VIEWER)]


async def _pending(graph: ViewerGraph, request_id: str) -> Request:
    """The request, if it waits and concerns the viewer; otherwise not found, said the same way."""
    for request in await pending_for(graph):
        if request.id == request_id:
            return request
    raise NotFound("request", "no request waits with this id")


async def _create(
    tx: Transaction,
    kind: RequestKind,
    from_id: str,
    to_id: str,
    *,
    note: str,
    strength: int | None,
    proposed_by: str | None,
) -> Request:
    await tx.execute(queries.requests.DELETE_EXPIRED)
    request_id = new_id("rq")
    await tx.execute(
        queries.requests.CREATE,
        id=request_id,
        kind=kind.value,
        from_id=from_id,
        to_id=to_id,
        note=note,
        strength=strength,
        proposed_by=proposed_by,
        days=REQUEST_DAYS,
    )
    return _request((await tx.run(queries.requests.BY_ID, id=request_id))[0])


async def _make_tie(tx: Transaction, request: Request) -> Tie:
    today = date.today()
    tie = Tie(
        from_id=request.from_id, to_id=request.to_id, strength=request.strength or 3, since=today, last_contact=today
    )
    await tx.run(queries.datasets.MERGE_TIES, rows=[plain(tie)])
    await tx.run(queries.requests.REMOVE, id=request.id)
    return tie


async def _start_support(tx: Transaction, graph: ViewerGraph, request: Request) -> Support:
    support = Support(supporter_id=request.from_id, person_id=request.to_id, since=date.today())
    await tx.run(
        queries.datasets.MERGE_SUPPORTS,
        rows=[plain(support)],
    )
    await tx.run(queries.requests.REMOVE, id=request.id)
    await audit.record_change(
        tx, graph.viewer, audit.STARTED_SUPPORT, support.person_id, f"supporter {support.supporter_id}"
    )
    return support


def _request(row: dict[str, Any]) -> Request:
    return Request(
        id=row["id"],
        kind=RequestKind(row["kind"]),
        from_id=row["from_id"],
        to_id=row["to_id"],
        note=row["note"] or "",
        strength=row["strength"],
        proposed_by=row["proposed_by"],
        created_at=datetime.fromisoformat(row["created_at"]),
        expires_at=datetime.fromisoformat(row["expires_at"]),
    )
