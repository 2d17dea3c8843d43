"""A campaign's funding bids on the pages: write one (in pounds, from a decision if it carries one
out) and say where it stands. Through the API's own mutations (server/templates/coproduction.graphql)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from starlette.authentication import requires
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from . import i18n
from .campaign_pages import campaign_page
from .page_api import Answer, ask
from .rendering import done_then, not_done, posted_form

_ = i18n.gettext

STATUSES = ("SUBMITTED", "WON", "LOST", "WITHDRAWN")


def _back(campaign_id: str) -> str:
    return f"/campaign?id={quote(campaign_id)}#funding"


def _pence(text: str) -> int | None:
    """Pounds as people write them ("1500", "1,500.50", "£20") in pence; None if it is not money."""
    try:
        pounds = Decimal(text.strip().lstrip("£").replace(",", ""))
    except InvalidOperation:
        return None
    return int(pounds * 100) if pounds > 0 and pounds == round(pounds, 2) else None


@requires("authenticated", redirect="sign_in")
@posted_form
async def apply(request: Request, form: FormData) -> Response:
    campaign_id, funder = str(form.get("campaign", ""))[:200], str(form.get("funder", "")).strip()
    pence = _pence(str(form.get("amount", ""))[:20])
    problems: dict[str, str] = {}
    if not funder:
        problems["funder"] = _("Write who you ask for the money.")
    if pence is None:
        problems["amount"] = _("Write how much in pounds, for example 1500.")
    if problems or pence is None:
        return await campaign_page(request, campaign_id, 400, problems=problems)
    bid = {"campaign": campaign_id, "funder": funder[:200], "amountPence": pence}
    if decision := str(form.get("decision", ""))[:200]:
        bid["decision"] = decision
    answer = await ask(request, "coproduction", "ApplyForFunding", input=bid)
    if answer.errors:
        return not_done(request, answer, _("Only people taking part can ask for money for the campaign."))
    return done_then(request, _("The bid is saved. Say when it is sent to the funder."), _back(campaign_id))


@requires("authenticated", redirect="sign_in")
@posted_form
async def write_too(request: Request, form: FormData) -> Response:
    """One adds one's own name to a bid's writers: nobody is named a writer by someone else."""
    campaign_id = str(form.get("campaign", ""))[:200]
    answer = await ask(request, "coproduction", "WriteBidToo", id=str(form.get("bid", ""))[:200])
    if answer.errors:
        return not_done(request, answer, _("Only people taking part can write a bid for the campaign."))
    return done_then(request, _("Your name is on the bid now."), _back(campaign_id))


@requires("authenticated", redirect="sign_in")
@posted_form
async def move(request: Request, form: FormData) -> Response:
    campaign_id, status = str(form.get("campaign", ""))[:200], str(form.get("status", ""))
    if status not in STATUSES:  # only a form not sent from the page: one is always checked
        return not_done(request, Answer(data={}), _("Choose where the bid stands now."))
    answer = await ask(request, "coproduction", "MoveBid", id=str(form.get("bid", ""))[:200], status=status)
    if answer.errors:
        return not_done(request, answer, _("Only those who wrote the bid, or the organisers, can say where it stands."))
    return done_then(request, _("Saved."), _back(campaign_id))
