"""The pages of support workers and coordinators: the people they support (and acting for one
who allowed it), their networks' health (who is isolated and why, ties needing attention), and,
for coordinators, adding a person to a network and inviting them."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from graphql import GraphQLError
from starlette.authentication import requires
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from ..graph import accounts
from ..schema.ids import parse_global_id
from . import i18n
from .auth import ACTING_FOR, visitor
from .page_api import ask
from .rendering import done_then, message, not_done, page, posted_form, went_wrong

_ = i18n.gettext

ADDABLE_ROLES = ("MEMBER", "VOLUNTEER", "SUPPORT_WORKER", "COORDINATOR")


@requires("authenticated", redirect="sign_in")
async def support(request: Request) -> Response:
    """For support workers and coordinators: whom they support, and their networks' health."""
    if visitor(request).viewer.actor_id:
        return message(request, _("You are acting for someone"), _("Stop acting for them to see your own work."), 403)
    answer = await ask(request, "staff", "Support")
    viewer = answer.data.get("viewer")
    if answer.errors or not viewer:
        return went_wrong(request)
    return page(
        request,
        "support.html",
        _("My work"),
        supporting=[s for s in viewer["supporting"]["nodes"] if s["person"]],
        networks=[m["network"] for m in viewer["networks"]["nodes"] if m["role"] == "staff"],
        coordinator="COORDINATOR" in viewer["roles"],
    )


@requires("authenticated", redirect="sign_in")
async def network_health(request: Request) -> Response:
    """One network's health, for its staff: who may be lonely and why, the ties needing attention."""
    answer = await ask(request, "staff", "Health", network=request.query_params.get("id", "")[:200])
    found = answer.data.get("node")
    if answer.errors or not found or not answer.data.get("networkHealth"):
        # The same answer whether the network is not there or not the viewer's to see.
        text = _("We could not find that network among the networks you work with.")
        return message(request, _("Not found"), text, 404)
    return page(
        request,
        "network.html",
        _("Network: %(name)s") % {"name": found["name"]},
        network=found,
        people_here=answer.data["people"]["nodes"],
        coordinator="COORDINATOR" in (answer.data.get("viewer") or {}).get("roles", []),
        **answer.data["networkHealth"],
    )


async def _roles_page(request: Request, person_id: str, back: str, status: int = 200, **more: Any) -> Response:
    answer = await ask(request, "staff", "Person", id=person_id)
    person = answer.data.get("node")
    if answer.errors or not person or not person.get("name"):
        return message(request, _("Not found"), _("We could not find that person."), 404)
    chosen = more.pop("chosen", person["roles"])
    title = _("Roles of %(name)s") % {"name": person["name"]}
    return page(request, "roles.html", title, status, person=person, chosen=chosen, back=back, **more)


@requires("authenticated", redirect="sign_in")
async def roles(request: Request) -> Response:
    """A coordinator's form for what a person does (never their own: another coordinator decides)."""
    query = request.query_params
    return await _roles_page(request, query.get("id", "")[:200], query.get("network", "")[:200])


@requires("authenticated", redirect="sign_in")
@posted_form
async def changed_roles(request: Request, form: FormData) -> Response:
    person_id, back = str(form.get("person", ""))[:200], str(form.get("network", ""))[:200]
    chosen = [r for r in form.getlist("role") if r in ADDABLE_ROLES]
    if not chosen:
        problems = {"role-MEMBER": _("Choose at least one role.")}
        return await _roles_page(request, person_id, back, 400, problems=problems, chosen=chosen)
    answer = await ask(request, "staff", "Roles", id=person_id, roles=chosen)
    if answer.errors:
        return not_done(request, answer, _("Only a coordinator can change roles, and never their own."))
    changed = answer.data["updatePerson"]["person"]
    done = _("Saved the roles of %(name)s.") % {"name": changed["name"]}
    return done_then(request, done, f"/network?id={quote(back)}" if back else "/support")


@requires("authenticated", redirect="sign_in")
@posted_form
async def act_for(request: Request, form: FormData) -> Response:
    """Start acting for a person one supports who allowed it: every page is then theirs, and every
    change is recorded as made by the supporter for them (the banner says so on every page)."""
    person = str(form.get("person", ""))[:200]
    user = visitor(request)
    try:
        kind, local = parse_global_id(person)
    except GraphQLError:
        kind, local = "", ""
    if (
        user.viewer.actor_id
        or kind != "Person"
        or not await accounts.may_act_for(request.state.graph, user.viewer.person_id or "", local)
    ):
        return message(request, _("Not done"), _("You can act only for a person you support who asked you to."), 403)
    named = await ask(request, "staff", "Person", id=person)
    name = (named.data.get("node") or {}).get("name", "")
    request.session[ACTING_FOR] = {"id": person, "name": name}
    return done_then(request, _("You are acting for %(name)s now.") % {"name": name}, "/")


@requires("authenticated", redirect="sign_in")
@posted_form
async def stop_acting(request: Request, form: FormData) -> Response:
    acting = request.session.pop(ACTING_FOR, None)
    name = acting["name"] if acting else ""
    return done_then(request, _("You stopped acting for %(name)s.") % {"name": name}, "/support")


@requires("authenticated", redirect="sign_in")
async def add_person(request: Request) -> Response:
    """A coordinator's form to add a person to one of their networks, then invite them."""
    return await _add_person_page(request)


async def _add_person_page(request: Request, status: int = 200, **more: Any) -> Response:
    choices = await ask(request, "staff", "Neighbourhoods")
    mine = await ask(request, "staff", "Support")
    viewer = mine.data.get("viewer")
    if choices.errors or mine.errors or not viewer:
        return went_wrong(request)
    if "COORDINATOR" not in viewer["roles"]:
        return message(request, _("Not for you"), _("Only coordinators add people."), 403)
    networks = [m["network"] for m in viewer["networks"]["nodes"] if m["role"] == "staff"]
    return page(
        request,
        "add_person.html",
        _("Add a person"),
        status,
        networks=networks,
        neighbourhoods=choices.data["neighbourhoods"]["nodes"],
        **more,
    )


@requires("authenticated", redirect="sign_in")
@posted_form
async def added_person(request: Request, form: FormData) -> Response:
    name, role = str(form.get("name", "")).strip()[:200], str(form.get("role", ""))
    network, neighbourhood = str(form.get("network", "")), str(form.get("neighbourhood", ""))
    kept = {"name": name, "role": role, "network": network, "neighbourhood": neighbourhood}
    problems = {}
    if not name:
        problems["name"] = _("Write the person's name.")
    if role not in ADDABLE_ROLES:
        problems["role-MEMBER"] = _("Choose what the person does.")
    if problems:
        return await _add_person_page(request, 400, problems=problems, kept=kept)
    person = {"name": name, "roles": [role], "network": network or None, "neighbourhood": neighbourhood or None}
    added = await ask(request, "staff", "AddPerson", input=person)
    if added.errors:
        return not_done(request, added)
    made = added.data["createPerson"]["person"]
    invited = await ask(request, "staff", "Invite", person=made["id"])
    if invited.errors:
        return not_done(request, invited)
    invitation = invited.data["invitePerson"]
    link = f"{request.base_url}invitation?code={invitation['code']}"
    return page(
        request,
        "invited.html",
        _("%(name)s is added") % {"name": made["name"]},
        invitation=invitation,
        link=link,
        person=made,
    )
