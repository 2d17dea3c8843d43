"""Funding bids through the API and the pages, on the benches campaign: written by people taking
part (with others taking part), from a decision, moved on by their writers or the organisers, and
seen only by those taking part and coordinators."""

from __future__ import annotations

from typing import Any

import test_coproduction
from test_coproduction import BENCHES, CONTRIBUTE, DECIDE, OTHER, Asking
from test_member_pages import _main, signed_in_browser

from browser import axe, fits_the_phone, needs_a_browser, tab_to

asks, served = test_coproduction.asks, test_coproduction.served

APPLY = """mutation($i: FundingBidInput!) { applyForFunding(input: $i) { campaign { fundingBids { id } } } }"""
MOVE_BID = """mutation($b: ID!, $s: BidStatus!) { moveFundingBid(id: $b, status: $s) { campaign { title } } }"""
BIDS = """query($c: ID!) { node(id: $c) { ... on Campaign { fundingBids {
  funder amountPence status writers { name } decision { statement } } } } }"""


def _error(answer: dict[str, Any]) -> str:
    assert answer.get("errors"), answer
    return str(answer["errors"][0]["message"])


def _decision(asks: Asking, campaign: str = BENCHES, by: str = "bo", organiser: str = "ann") -> str:
    idea = asks(by, CONTRIBUTE, c=campaign, kind="IDEA", text="Ask the community fund")
    made = asks(
        organiser, DECIDE, c=campaign, s="Apply for the benches", by=[idea["data"]["contribute"]["contribution"]["id"]]
    )
    return str(made["data"]["decide"]["decision"]["id"])


def test_people_taking_part_apply_for_funding_and_follow_the_bid(asks: Asking) -> None:
    decision = _decision(asks)
    other = _decision(asks, OTHER, by="eve", organiser="eve")
    bid = {"campaign": BENCHES, "funder": "Dundee Community Fund", "amountPence": 150000, "decision": decision}
    assert "participants" in _error(asks("eve", APPLY, i=bid))
    assert "a decision of this campaign" in _error(asks("bo", APPLY, i={**bid, "decision": other}))
    assert "more than nothing" in _error(asks("bo", APPLY, i={**bid, "amountPence": 0}))
    made = asks("bo", APPLY, i=bid)["data"]["applyForFunding"]["campaign"]["fundingBids"]
    bid_id = made[0]["id"]
    too = "mutation($b: ID!) { writeFundingBidToo(id: $b) { campaign { title } } }"
    assert "participants" in _error(asks("eve", too, b=bid_id)), "only someone taking part"
    assert not asks("cat", too, b=bid_id).get("errors"), "Cat adds her own name: nobody adds anyone else's"

    assert asks("cat", MOVE_BID, b=bid_id, s="SUBMITTED")["data"], "a writer sends it"
    assert "cannot become won" not in str(asks("ann", MOVE_BID, b=bid_id, s="WON")), "an organiser records it"
    assert "a bid won cannot become lost" in _error(asks("bo", MOVE_BID, b=bid_id, s="LOST"))
    assert asks("bo", BIDS, c=BENCHES)["data"]["node"]["fundingBids"] == [
        {
            "funder": "Dundee Community Fund",
            "amountPence": 150000,
            "status": "WON",
            "writers": [{"name": "Bo Lang"}, {"name": "Cat Bell"}],
            "decision": {"statement": "Apply for the benches"},
        }
    ]
    assert asks("eve", BIDS, c=BENCHES)["data"]["node"]["fundingBids"] == [], "for those taking part"
    assert asks("cat", "{ myData }")["data"]["myData"]["funding_bids"] == [
        {"campaign_id": "c-benches", "funder": "Dundee Community Fund", "amount_pence": 150000, "status": "won"}
    ], "in her data download"
    assert "writers or the campaign's organisers" in _error(asks("eve", MOVE_BID, b=bid_id, s="WITHDRAWN"))


@needs_a_browser
def test_a_member_asks_for_money_on_the_page_and_says_it_was_sent(asks: Asking, served: str) -> None:
    _decision(asks)
    with signed_in_browser(served, "bo") as page:
        page.goto(f"http://{served}/campaign?id={BENCHES}")
        tab_to(page, field="funder")
        page.keyboard.type("Dundee Community Fund")
        tab_to(page, field="amount")
        page.keyboard.type("fifteen hundred")
        tab_to(page, text="Save the bid")
        with page.expect_navigation():  # not money: said how to write it
            page.keyboard.press("Enter")
        assert "Write how much in pounds, for example 1500." in page.inner_text("#problem")
        tab_to(page, field="funder")
        page.keyboard.type("Dundee Community Fund")
        tab_to(page, field="amount")
        page.keyboard.type("1,500")
        tab_to(page, field="bid-decision")
        page.keyboard.press("ArrowDown")  # the decision to apply
        tab_to(page, text="Save the bid")
        page.keyboard.press("Enter")
        page.wait_for_url("**/campaign?id=**#done")
        shown = _main(page)
        assert "Dundee Community Fund: £1,500.00" in shown and "Now it is being written." in shown
        assert "It carries out the decision: Apply for the benches" in shown
        tab_to(page, text="Save where the bid")  # sent to the funder, the first choice
        with page.expect_navigation():  # back to the same page, done again
            page.keyboard.press("Enter")
        assert "Now it is sent to the funder." in _main(page)
        assert axe(page) == [] and fits_the_phone(page)
