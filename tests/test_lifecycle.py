"""A campaign's life through the API, on the hand-built benches campaign (test_coproduction's): moved
on by its organisers with everyone taking part told, signed off by its participants under the rule
in the README, completed, and its next focal point chosen from proposed areas by support."""

from __future__ import annotations

from functools import partial
from typing import Any

import test_coproduction
import test_meetings
from test_coproduction import AREA, BENCHES, CONTRIBUTE, NEWS, Asking
from test_member_pages import _main, signed_in_browser

from peermap.graph.model import Campaign, CampaignStatus, Dataset, Participation
from peermap.graph.store import write_dataset
from peermap.schema.ids import global_id

from browser import axe, fits_the_phone, needs_a_browser, screenshot, tab_to

# The hand-built neighbourhood's fixtures, shared: asks as anyone there, and the same served.
asks, served = test_coproduction.asks, test_coproduction.served

MOVE = """mutation($c: ID!, $s: CampaignStatus!, $r: String! = "") {
  moveCampaign(input: {campaign: $c, stage: $s, reason: $r}) { campaign { status stoppedBecause } } }"""
SIGN_OFF = """mutation($c: ID!, $ok: Boolean!, $r: String! = "") {
  signOff(input: {campaign: $c, satisfied: $ok, reason: $r}) {
    campaign { signOffs { satisfied reason person { name } } } } }"""
COMPLETE = "mutation($c: ID!) { completeCampaign(campaign: $c) { campaign { status } } }"
NEXT_AREA = """mutation($c: ID!, $t: String!, $a: JSON!) {
  contribute(input: {campaign: $c, kind: NEXT_AREA, text: $t, area: $a}) { contribution { id area } } }"""
POSITION = """mutation($p: ID!, $s: Stance!, $r: String! = "") {
  takePosition(input: {proposal: $p, stance: $s, reason: $r}) { campaign { title } } }"""
DROP = "mutation($p: ID!) { dropPosition(proposal: $p) { campaign { title } } }"
CHOOSE = """mutation($c: ID!, $p: ID!) { chooseNextArea(campaign: $c, proposal: $p) {
  campaign { id title status area follows { title followedBy { title } }
             participants { nodes { role person { name } } } } } }"""
FIGURE = "query($c: ID!) { node(id: $c) { ... on Campaign { coProduction { figure stages stagesWithMembers } } } }"


def _error(answer: dict[str, Any]) -> str:
    assert answer.get("errors"), answer
    return str(answer["errors"][0]["message"])


def _stage_news(asks: Asking, person: str) -> list[tuple[str, str]]:
    return [(n["event"], n["message"]) for n in asks(person, NEWS)["data"]["myNotifications"]]


def test_organisers_move_a_campaign_on_and_everyone_taking_part_is_told(asks: Asking) -> None:
    moved = asks("ann", MOVE, c=BENCHES, s="ACTIVE")["data"]["moveCampaign"]["campaign"]
    assert moved["status"] == "ACTIVE"
    said = "A campaign you take part in has moved on: Benches on Hill Street is now active"
    assert _stage_news(asks, "bo") == _stage_news(asks, "cat") == [("STAGE_MOVED", said)]
    assert _stage_news(asks, "ann") == [], "not the one who moved it"
    assert _stage_news(asks, "eve") == [], "nor anyone not taking part"

    assert "organisers" in _error(asks("bo", MOVE, c=BENCHES, s="REVIEW"))
    assert "completeCampaign" in _error(asks("ann", MOVE, c=BENCHES, s="COMPLETED"))
    assert "cannot move to proposed" in _error(asks("ann", MOVE, c=BENCHES, s="PROPOSED"))
    assert "cannot move to active" in _error(asks("ann", MOVE, c=BENCHES, s="ACTIVE"))
    assert "status" not in str(asks("ann", '{ __type(name: "UpdateCampaignInput") { inputFields { name } } }'))


def test_a_stopped_campaign_says_why_and_takes_no_more_input(asks: Asking) -> None:
    assert "say why" in _error(asks("ann", MOVE, c=BENCHES, s="STOPPED"))
    asks("bo", CONTRIBUTE, c=BENCHES, kind="IDEA", text="Benches by the bus stop")
    stopped = asks("ann", MOVE, c=BENCHES, s="STOPPED", r="The council is doing it")["data"]["moveCampaign"]
    assert stopped["campaign"] == {"status": "STOPPED", "stoppedBecause": "The council is doing it"}
    assert "takes no more input" in _error(asks("bo", CONTRIBUTE, c=BENCHES, kind="IDEA", text="More benches"))
    assert "cannot move" in _error(asks("ann", MOVE, c=BENCHES, s="PLANNING"))
    # Stopped in co-planning, the one stage anyone took part in: Bo, a member, did.
    assert asks("bo", FIGURE, c=BENCHES)["data"]["node"]["coProduction"] == {
        "figure": 50,  # Bo's idea fed no decision (0 of 1 told), members in 1 of 1 stages: (0 + 1) / 2
        "stages": 1,
        "stagesWithMembers": 1,
    }


def _to_review(asks: Asking) -> None:
    for stage in ("ACTIVE", "REVIEW"):
        assert not asks("ann", MOVE, c=BENCHES, s=stage).get("errors")


def test_a_campaign_completes_only_when_its_participants_sign_it_off(asks: Asking) -> None:
    assert "during its review" in _error(asks("bo", SIGN_OFF, c=BENCHES, ok=True))
    _to_review(asks)
    assert "say why you are not satisfied" in _error(asks("bo", SIGN_OFF, c=BENCHES, ok=False))
    signed = asks("bo", SIGN_OFF, c=BENCHES, ok=False, r="Two benches are still missing")["data"]["signOff"]
    assert signed["campaign"]["signOffs"] == [
        {"satisfied": False, "reason": "Two benches are still missing", "person": {"name": "Bo Lang"}}
    ]
    assert "participants" in _error(asks("eve", SIGN_OFF, c=BENCHES, ok=True))
    assert "1 of those taking part are not satisfied" in _error(asks("ann", COMPLETE, c=BENCHES))

    # Answered by going back to work; the next review starts afresh.
    asks("ann", MOVE, c=BENCHES, s="ACTIVE")
    asks("ann", MOVE, c=BENCHES, s="REVIEW")
    asks("bo", SIGN_OFF, c=BENCHES, ok=True, r="All four are in")
    assert "1 of 3 have signed off" in _error(asks("ann", COMPLETE, c=BENCHES))
    asks("cat", SIGN_OFF, c=BENCHES, ok=True)
    assert "organisers" in _error(asks("cat", COMPLETE, c=BENCHES))
    assert asks("ann", COMPLETE, c=BENCHES)["data"]["completeCampaign"]["campaign"]["status"] == "COMPLETED"
    said = "A campaign you take part in has moved on: Benches on Hill Street is now completed"
    assert ("STAGE_MOVED", said) in _stage_news(asks, "bo")


def test_the_next_focal_point_is_the_area_people_support_most(asks: Asking) -> None:
    asks("bo", CONTRIBUTE, c=BENCHES, kind="IDEA", text="Benches by the bus stop")
    asks("ann", MOVE, c=BENCHES, s="ACTIVE")
    sam = global_id("Person", "sam")  # paid staff, alone in the active stage
    join = "mutation($i: ParticipationInput!) { joinCampaign(input: $i) { campaign { id } } }"
    assert not asks("sam", join, i={"person": sam, "campaign": BENCHES, "role": "participant"}).get("errors")
    asks("sam", CONTRIBUTE, c=BENCHES, kind="COMMENT", text="The council delivers on Monday")
    asks("ann", MOVE, c=BENCHES, s="REVIEW")
    for person in ("bo", "cat", "sam"):  # three of four
        asks(person, SIGN_OFF, c=BENCHES, ok=True)
    assert asks("ann", COMPLETE, c=BENCHES)["data"]["completeCampaign"]["campaign"]["status"] == "COMPLETED"
    assert "takes no more input" in _error(asks("bo", CONTRIBUTE, c=BENCHES, kind="IDEA", text="More"))
    assert "has an area" in _error(asks("bo", CONTRIBUTE, c=BENCHES, kind="NEXT_AREA", text="The park"))

    park = asks("bo", NEXT_AREA, c=BENCHES, t="Lights in the park\nIt is dark after four", a=AREA)
    park_id = park["data"]["contribute"]["contribution"]["id"]
    assert park["data"]["contribute"]["contribution"]["area"] == AREA
    shops = asks("cat", NEXT_AREA, c=BENCHES, t="Ramps at the shops", a=AREA)["data"]["contribute"]["contribution"]
    for person in ("ann", "bo"):
        assert not asks(person, POSITION, p=park_id, s="SUPPORT").get("errors")
    assert not asks("cat", POSITION, p=shops["id"], s="SUPPORT").get("errors")
    asks("cat", POSITION, p=park_id, s="OBJECT", r="The park has lights already")

    next_areas = test_meetings._map_layer(asks, "ann", "next areas")  # on the campaign map
    assert sorted((f["properties"]["text"], f["properties"]["support"]) for f in next_areas) == [
        ("Lights in the park\nIt is dark after four", 2),
        ("Ramps at the shops", 1),
    ]
    assert test_meetings._map_layer(asks, "eve", "next areas") == [], "proposals are for those taking part"
    assert "more support" in _error(asks("ann", CHOOSE, c=BENCHES, p=shops["id"]))
    assert "an objection to it stands" in _error(asks("ann", CHOOSE, c=BENCHES, p=park_id))
    asks("cat", DROP, p=park_id)
    asks("ann", POSITION, p=park_id, s="SUPPORT")  # Ann again: still one voice
    assert "organisers" in _error(asks("bo", CHOOSE, c=BENCHES, p=park_id))

    chosen = asks("ann", CHOOSE, c=BENCHES, p=park_id)["data"]["chooseNextArea"]["campaign"]
    assert (chosen["title"], chosen["status"], chosen["area"]) == ("Lights in the park", "PROPOSED", AREA)
    assert chosen["follows"] == {"title": "Benches on Hill Street", "followedBy": {"title": "Lights in the park"}}
    assert chosen["participants"]["nodes"] == [{"role": "organiser", "person": {"name": "Bo Lang"}}]
    told = "A decision was made with your input: The next focal point: Lights in the park"
    assert ("DECIDED", told) in _stage_news(asks, "bo") and ("DECIDED", told) in _stage_news(asks, "cat")
    assert "only once" in _error(asks("ann", CHOOSE, c=BENCHES, p=park_id))

    # People took part in co-planning (Bo's idea), active (Sam alone), review (sign-offs) and the
    # next focal point: members in 3 of 4. One decision, with members' input; of three
    # contributors Bo and Cat were told (Sam's comment fed nothing); no hours: (1 + 2/3 + 3/4) / 3.
    assert asks("bo", FIGURE, c=BENCHES)["data"]["node"]["coProduction"] == {
        "figure": 81,
        "stages": 4,
        "stagesWithMembers": 3,
    }


# --- the same life on the pages: keyboard alone, JavaScript off, a phone's width -----------------


def _send(page: Any, button: str, *, same_page: bool = False) -> None:
    tab_to(page, text=button)
    if same_page:  # a problem: the page comes back with it
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        page.keyboard.press("Enter")
        page.wait_for_url("**#done")


@needs_a_browser
def test_a_campaign_is_moved_on_signed_off_and_its_next_focal_point_chosen_on_the_pages(
    asks: Asking, served: str
) -> None:
    campaign = f"http://{served}/campaign?id={BENCHES}"
    with signed_in_browser(served, "ann") as page:
        page.goto(campaign)
        assert "Being planned together (now)" in _main(page)
        assert axe(page) == [] and fits_the_phone(page)
        _send(page, "Move it")  # the first choice: we start doing it
        assert "The campaign has moved on." in _main(page) and "Happening now (now)" in _main(page)
        tab_to(page, field="stage-REVIEW")
        page.keyboard.press("ArrowDown")  # on to "We stop the campaign", with no reason
        _send(page, "Move it", same_page=True)
        assert "Say why it stops." in page.inner_text("#problem")
        _send(page, "Move it")  # looking back
        assert "Looking back: did it work? (now)" in _main(page)
    with signed_in_browser(served, "bo") as page:
        page.goto(campaign)
        tab_to(page, field="satisfied-yes")
        page.keyboard.press("ArrowDown")  # not happy, and no reason
        _send(page, "Say it", same_page=True)
        assert "Say what is missing, so that it can be done." in page.inner_text("#problem")
        _send(page, "Say it")  # happy
        assert "Bo Lang is happy with it." in _main(page)
        assert axe(page) == [] and fits_the_phone(page)
    assert not asks("cat", SIGN_OFF, c=BENCHES, ok=True).get("errors")
    with signed_in_browser(served, "ann") as page:
        page.goto(campaign)
        _send(page, "We agree it is finished")
        assert "Now everyone can say what to do next." in _main(page) and "What should we do next?" in _main(page)
    with signed_in_browser(served, "bo") as page:
        page.goto(campaign)
        tab_to(page, field="next-text")
        page.keyboard.type("Lights in the park")
        _send(page, "Suggest it", same_page=True)  # no place chosen
        assert "Choose the neighbourhood where it happens." in page.inner_text("#problem")
        tab_to(page, field="next-text")
        page.keyboard.type("Lights in the park")
        tab_to(page, field="next-place")
        page.keyboard.press("ArrowDown")  # Hill Street
        _send(page, "Suggest it")
        assert "Others can support your idea now." in _main(page) and "An idea for what to do next" in _main(page)
        screenshot(page, "page-campaign-next")
        assert axe(page) == [] and fits_the_phone(page)
    with signed_in_browser(served, "ann") as page:
        page.goto(campaign)
        tab_to(page, text="Choose this one")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**#done")
        shown = _main(page)
        assert "Lights in the park is a new campaign." in shown and "It carries on from an earlier campaign:" in shown
        assert "An idea (now)" in shown
    with signed_in_browser(served, "cat", language="pl-PL") as page:
        page.goto(f"http://{served}/news")
        assert "Kampania, w której bierzesz udział, poszła dalej. Teraz: Zakończone." in _main(page)
        assert axe(page) == [] and fits_the_phone(page)


def test_a_campaign_imported_at_review_or_completed_goes_on_from_there(asks: Asking) -> None:
    """The demo's and an import's campaigns start at any stage, with no history of how they got there."""
    graph = asks.client.app_state["graph"]
    taking_part = (
        Participation(person_id="ann", role="organiser"),
        Participation(person_id="bo", role="participant"),
        Participation(person_id="cat", role="participant"),
    )
    imported = Dataset(
        campaigns=[
            Campaign(id=f"c-{stage.value}", title=stage.value, status=stage, area=AREA, participants=taking_part)
            for stage in (CampaignStatus.REVIEW, CampaignStatus.COMPLETED)
        ]
    )
    asks.client.portal.call(partial(write_dataset, graph, imported))
    review, completed = global_id("Campaign", "c-review"), global_id("Campaign", "c-completed")
    for person in ("bo", "cat"):
        assert not asks(person, SIGN_OFF, c=review, ok=True).get("errors")
    assert asks("ann", COMPLETE, c=review)["data"]["completeCampaign"]["campaign"]["status"] == "COMPLETED"
    area = asks("bo", NEXT_AREA, c=completed, t="Ramps at the shops", a=AREA)["data"]["contribute"]["contribution"]
    chosen = asks("ann", CHOOSE, c=completed, p=area["id"])["data"]["chooseNextArea"]["campaign"]
    assert chosen["title"] == "Ramps at the shops"
