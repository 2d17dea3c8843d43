"""A campaign's meetings through the API and the pages, on the hand-built benches campaign: planned
by its organisers with a time, a place and what makes it accessible; who came recorded by each
person or by an organiser, in person and remote counting the same; who came shown only to those
taking part, the numbers to everyone."""

from __future__ import annotations

from typing import Any

import test_coproduction
from test_coproduction import BENCHES, Asking
from test_member_pages import _main, signed_in_browser

from peermap.schema.ids import global_id

from browser import axe, fits_the_phone, needs_a_browser, tab_to

asks, served = test_coproduction.asks, test_coproduction.served

PLAN = """mutation($i: PlanMeetingInput!) { planMeeting(input: $i) { campaign { meetings { id } } } }"""
ATTEND = """mutation($m: ID!, $p: ID!, $how: Attendance!) {
  attendMeeting(input: {meeting: $m, person: $p, how: $how}) { campaign { title } } }"""
DROP = "mutation($m: ID!, $p: ID!) { dropAttendance(meeting: $m, person: $p) { campaign { title } } }"
MEETINGS = """query($c: ID!) { node(id: $c) { ... on Campaign {
  meetings { title startsAt placeName place { coordinates } accessibility inPerson remote
             attendees { how person { name } } }
  coProduction { stages stagesWithMembers } } } }"""
MEETING = {
    "campaign": BENCHES,
    "title": "Where should the benches go?",
    "startsAt": "2027-03-01T18:00:00+00:00",
    "placeName": "The library, upstairs",
    "place": {"latitude": 56.4621, "longitude": -2.9707},
    "accessibility": "Step-free by the lift; a hearing loop; join by phone",
}


def _person(name: str) -> str:
    return global_id("Person", name)


def _bearer(asks: Asking, person: str) -> dict[str, str]:
    return {"authorization": f"Bearer {asks.tokens[person]}"}


def _map_layer(asks: Asking, person: str, layer: str) -> list[dict[str, Any]]:
    """The campaign map's features of one layer, as this person gets them."""
    found = asks.client.get("/maps/campaigns.geojson", params={"campaign": BENCHES}, headers=_bearer(asks, person))
    return [f for f in found.json()["features"] if f["properties"]["layer"] == layer]


def _meetings(asks: Asking, person: str) -> Any:
    return asks(person, MEETINGS, c=BENCHES)["data"]["node"]


def test_a_meeting_counts_who_came_in_person_and_remotely_alike(asks: Asking) -> None:
    assert "organisers" in str(asks("bo", PLAN, i=MEETING)["errors"])
    naive = asks("ann", PLAN, i={**MEETING, "startsAt": "2027-03-01T18:00:00"})
    assert "offset from UTC" in naive["errors"][0]["message"]
    meeting = asks("ann", PLAN, i=MEETING)["data"]["planMeeting"]["campaign"]["meetings"][0]["id"]

    assert not asks("bo", ATTEND, m=meeting, p=_person("bo"), how="REMOTE").get("errors")
    assert not asks("ann", ATTEND, m=meeting, p=_person("cat"), how="IN_PERSON").get("errors"), "from a sheet"
    assert "organisers" in str(asks("bo", ATTEND, m=meeting, p=_person("ann"), how="IN_PERSON")["errors"])
    not_in_it = asks("ann", ATTEND, m=meeting, p=_person("eve"), how="IN_PERSON")["errors"][0]
    assert not_in_it["extensions"]["code"] == "NOT_FOUND", "only someone taking part is recorded"

    seen = _meetings(asks, "bo")
    assert seen["meetings"] == [
        {
            "title": "Where should the benches go?",
            "startsAt": "2027-03-01T18:00:00+00:00",
            "placeName": "The library, upstairs",
            "place": {"coordinates": [-2.9707, 56.4621]},
            "accessibility": "Step-free by the lift; a hearing loop; join by phone",
            "inPerson": 1,
            "remote": 1,
            "attendees": [
                {"how": "REMOTE", "person": {"name": "Bo Lang"}},
                {"how": "IN_PERSON", "person": {"name": "Cat Bell"}},
            ],
        }
    ]
    assert seen["coProduction"] == {"stages": 1, "stagesWithMembers": 1}, "members met in co-planning"
    outside = _meetings(asks, "eve")["meetings"][0]
    assert (outside["inPerson"], outside["remote"], outside["attendees"]) == (1, 1, []), "numbers, not names"

    on_map = _map_layer(asks, "eve", "meetings")  # a meeting place is public, as the campaign is
    assert [(f["properties"]["title"], f["geometry"]["coordinates"]) for f in on_map] == [
        ("Where should the benches go?", [-2.9707, 56.4621])
    ]
    page = asks.client.get("/maps/campaigns", params={"campaign": BENCHES}, headers=_bearer(asks, "bo")).text
    assert "Meetings of Benches on Hill Street" in page and "The library, upstairs" in page, "in the text too"

    mine = asks("bo", "{ myData }")["data"]["myData"]
    assert mine["meetings"] == [
        {"campaign_id": "c-benches", "meeting": "Where should the benches go?", "starts_at": "2027-03-01T18:00:00Z",
         "how": "remote"}
    ]  # fmt: skip

    asks("bo", ATTEND, m=meeting, p=_person("bo"), how="IN_PERSON")  # again: how he came changes
    assert (_meetings(asks, "bo")["meetings"][0]["inPerson"], _meetings(asks, "bo")["meetings"][0]["remote"]) == (2, 0)
    assert not asks("bo", DROP, m=meeting, p=_person("bo")).get("errors")
    assert "organisers" in str(asks("bo", DROP, m=meeting, p=_person("cat"))["errors"])
    assert _meetings(asks, "ann")["meetings"][0]["inPerson"] == 1
    assert not asks("kim", "mutation($p: ID!) { removePerson(id: $p) { removedId } }", p=_person("cat")).get("errors")
    after = _meetings(asks, "ann")["meetings"][0]
    assert (after["inPerson"], after["attendees"]) == (1, []), "Cat erased: still counted, no longer named"


@needs_a_browser
def test_an_organiser_plans_a_meeting_and_a_member_says_they_came_on_the_pages(asks: Asking, served: str) -> None:
    campaign = f"http://{served}/campaign?id={BENCHES}"
    with signed_in_browser(served, "ann") as page:
        page.goto(campaign)
        tab_to(page, text="Plan the meeting")
        with page.expect_navigation():  # nothing written: each field says what it needs
            page.keyboard.press("Enter")
        assert "Write the day and time, for example 2027-03-01 18:00." in page.inner_text("#problem")
        for field, words in (
            ("meeting-title", "Where should the benches go?"),
            ("meeting-place", "The library, upstairs"),
            ("meeting-access", "Step-free; a hearing loop"),
        ):
            tab_to(page, field=field)
            page.keyboard.type(words)
        tab_to(page, field="meeting-when")
        page.keyboard.type("2027-03-01 18:00")  # plain text, as the hint shows: no date picker to fight
        tab_to(page, text="Plan the meeting")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**#done")
        assert "When: Monday 1 March 2027, 18:00." in _main(page) and "Access: Step-free; a hearing loop" in _main(page)
    with signed_in_browser(served, "bo") as page:
        page.goto(campaign)
        tab_to(page, text="I came")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**#done")
        assert "1 came in person and 0 from home." in _main(page) and "Who came: Bo Lang." in _main(page)
        assert axe(page) == [] and fits_the_phone(page)
