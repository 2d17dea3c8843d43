"""A member's own pages: find someone and ask to connect, the people they know, and "me" (profile,
skills, privacy choices beside what each audience sees, their data). Each reads and writes through
the GraphQL operations in server/templates/*.graphql (page_api.ask), as the signed-in viewer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.authentication import requires
from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..graph.locations import walk_km
from . import i18n
from .auth import end_session
from .page_api import Answer, ask
from .rendering import done_then, message, not_done, page, posted_form, viewer_id, went_wrong

_ = i18n.gettext

WALKS = (5, 10, 15, 20, 30, 45, 60)  # minutes on foot the search offers
NOTE_LENGTH = 300  # as graph.requests.NOTE_LENGTH: said here so the page can say it before sending
SKILL_MODES = ("OFFERS", "WANTS")


@dataclass(frozen=True)
class Search:
    """A search for someone as the /find form sends it: what, near home or a neighbourhood (its
    global id), how many minutes' walk ("any"), among anyone or the people one knows. The list
    and its map (/maps/peers) read the same address."""

    what: str
    near: str
    walk: str
    who: str

    @classmethod
    def asked(cls, query: QueryParams) -> Search:
        return cls(
            what=query.get("what", "").strip()[:200],
            near=query.get("near", "home")[:200],
            walk=query.get("walk", "any"),
            who=query.get("who", "anyone"),
        )

    @property
    def neighbourhood(self) -> str | None:
        return None if self.near == "home" else self.near

    @property
    def within_km(self) -> float | None:
        return walk_km(int(self.walk)) if self.walk.isdigit() and int(self.walk) in WALKS else None

    @property
    def within_hops(self) -> int | None:
        return 2 if self.who == "known" else None  # people one knows, and the people they know


@requires("authenticated", redirect="sign_in")
async def find(request: Request) -> Response:
    """Find someone by a skill or words, near home or a neighbourhood, within a walk, among people
    one knows or anyone: a GET form, so a search is a link one can keep and share."""
    search = Search.asked(request.query_params)
    what, near, walk, who = search.what, search.near, search.walk, search.who
    problems: dict[str, str] = {}
    if "what" in request.query_params and not what:
        problems["what"] = _("Write what you want help with, for example cooking.")
    if what and not problems:
        answer = await ask(
            request,
            "find",
            "Find",
            text=what,
            neighbourhood=search.neighbourhood,
            withinKm=search.within_km,
            withinHops=search.within_hops,
        )
        if answer.errors:
            problems["what"] = _("We could not search for that. Check the words and the place.")
    else:
        answer = await ask(request, "find", "Choices")
    return page(
        request,
        "find.html",
        _("Find someone"),
        400 if problems else 200,
        problems=problems,
        what=what,
        near=near,
        walk=walk,
        who=who,
        walks=WALKS,
        searched=bool(what) and not problems,
        query=request.url.query,
        found=answer.data.get("findPeers") or [],
        skills=answer.data.get("skills") or [],
        neighbourhoods=(answer.data.get("neighbourhoods") or {}).get("nodes", []),
    )


async def _person_named(request: Request, person: str) -> dict[str, Any] | None:
    answer = await ask(request, "find", "Person", id=person[:200])
    found = answer.data.get("node")
    return found if found and found.get("name") else None


@requires("authenticated", redirect="sign_in")
async def connect(request: Request) -> Response:
    """Ask someone to connect, with a short note: they say yes or no (the consent flow for ties)."""
    other = await _person_named(request, request.query_params.get("person", ""))
    if other is None:
        return message(request, _("Not found"), _("We could not find that person."), 404)
    return page(request, "connect.html", _("Ask %(name)s to connect") % {"name": other["name"]}, other=other)


@requires("authenticated", redirect="sign_in")
@posted_form
async def ask_to_connect(request: Request, form: FormData) -> Response:
    other = await _person_named(request, str(form.get("person", "")))
    if other is None:
        return message(request, _("Not found"), _("We could not find that person."), 404)
    note = str(form.get("note", "")).strip()
    if len(note) > NOTE_LENGTH:
        title = _("Ask %(name)s to connect") % {"name": other["name"]}
        problem = _("Your note is too long. Write at most %(count)s letters.") % {"count": NOTE_LENGTH}
        return page(request, "connect.html", title, 400, other=other, note=note, problems={"note": problem})
    answer = await ask(request, "find", "Ask", input={"person": viewer_id(request), "other": other["id"], "note": note})
    if answer.errors:
        return not_done(request, answer, _("You cannot ask %(name)s just now.") % {"name": other["name"]})
    if (answer.data.get("askToConnect") or {}).get("tie"):
        return done_then(request, _("You are now connected with %(name)s.") % {"name": other["name"]}, "/people")
    done = _("We sent your request to %(name)s. They can say yes or no.") % {"name": other["name"]}
    return done_then(request, done, "/")


@requires("authenticated", redirect="sign_in")
async def my_people(request: Request) -> Response:
    answer = await ask(request, "people", "MyPeople")
    viewer = answer.data.get("viewer")
    if answer.errors or not viewer:
        return went_wrong(request)
    return page(request, "people.html", _("My people"), ties=viewer["ties"]["nodes"], today=date.today())


@requires("authenticated", redirect="sign_in")
@posted_form
async def we_met(request: Request, form: FormData) -> Response:
    """ "We met today": the tie's last contact, so that nobody is counted as drifting apart."""
    other = str(form.get("person", ""))[:200]
    answer = await ask(request, "people", "Met", input={"person": viewer_id(request), "other": other})
    if answer.errors:
        return not_done(request, answer)
    name = answer.data["updateTie"]["tie"]["person"]["name"]
    return done_then(request, _("Saved: you met %(name)s today.") % {"name": name}, "/people")


async def _me(request: Request) -> Answer:
    return await ask(request, "me", "Me")


def _me_page(request: Request, answer: Answer, status: int = 200, **more: Any) -> Response:
    data = answer.data
    if not data.get("viewer") or not data.get("myChoices"):
        return went_wrong(request)
    mine = {s["skill"]["id"] for s in data["viewer"]["skills"]["nodes"]}
    return page(
        request,
        "me.html",
        _("About me"),
        status,
        viewer=data["viewer"],
        choices=data["myChoices"],
        seen={key: data.get(key) for key in ("supporter", "staff", "signedIn", "public")},
        other_skills=[s for s in data.get("skills") or [] if s["id"] not in mine],
        **more,
    )


@requires("authenticated", redirect="sign_in")
async def me(request: Request) -> Response:
    return _me_page(request, await _me(request))


@requires("authenticated", redirect="sign_in")
@posted_form
async def change_me(request: Request, form: FormData) -> Response:
    """One form per part of "me": profile, choices, a skill added or removed."""
    person, part = viewer_id(request), str(form.get("part", ""))
    if part == "profile":
        name, bio = str(form.get("name", "")).strip(), str(form.get("bio", "")).strip()
        if not name:
            answer = await _me(request)
            return _me_page(request, answer, 400, problems={"name": _("Write your name.")}, name=name, bio=bio)
        answer = await ask(request, "me", "Update", input={"id": person, "name": name[:200], "bio": bio[:4000]})
        done = _("Saved your name and words about you.")
    elif part == "choices":
        choices = {
            "id": person,
            "locationVisibility": "HIDDEN" if form.get("home") == "hidden" else "APPROXIMATE",
            "contactable": form.get("contactable") == "yes",
            "contact": str(form.get("contact", "")).strip()[:200],
            "skillsHidden": form.get("skills") == "hidden",
            "tiesShared": form.get("ties") == "shared",
        }
        answer = await ask(request, "me", "Update", input=choices)
        done = _("Saved what others can see.")
    elif part == "add-skill":
        mode, level = str(form.get("mode", "")), str(form.get("level", "3"))
        if mode not in SKILL_MODES or not form.get("skill"):
            answer = await _me(request)
            return _me_page(
                request, answer, 400, problems={"skill": _("Choose a skill, and if you offer it or want it.")}
            )
        skill = {
            "person": person,
            "skill": str(form["skill"])[:200],
            "mode": mode,
            "level": int(level) if level in "12345" else 3,
        }
        answer = await ask(request, "me", "SetSkill", input=skill)
        done = _("Saved your skill.")
    elif part == "acting":
        allowed = form.get("allowed") == "yes"
        supporter = str(form.get("supporter", ""))[:200]
        answer = await ask(request, "me", "AllowActing", supporter=supporter, person=person, allowed=allowed)
        done = _("Saved: they can act for you.") if allowed else _("Saved: they cannot act for you any more.")
    elif part == "remove-skill":
        answer = await ask(request, "me", "RemoveSkill", person=person, skill=str(form.get("skill", ""))[:200])
        done = _("Removed the skill.")
    else:
        return message(request, _("Send it again"), _("Something in the form was missing."), 400)
    if answer.errors:
        return not_done(request, answer)
    return done_then(request, done, "/me")


@requires("authenticated", redirect="sign_in")
@posted_form
async def erase_me(request: Request, form: FormData) -> Response:
    """Erase everything about oneself, after a clear warning and a box to tick; then signed out."""
    if form.get("sure") != "yes":
        answer = await _me(request)
        problem = _("Tick the box if you are sure. Nothing was erased.")
        return _me_page(request, answer, 400, problems={"sure": problem})
    answer = await ask(request, "me", "Erase")
    if answer.errors:
        return not_done(request, answer)
    await end_session(request, request.state.graph)
    request.session["done"] = _("We erased your data. Goodbye.")
    return RedirectResponse("/#done", status_code=303)
