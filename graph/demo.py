"""A synthetic, deterministic community in Dundee: the same seed always gives the same people.

Members live in KeyRing-style networks of about ten people within walking distance of each
other, with a community living volunteer; ties are mostly inside a network, with a few to
nearby networks (a small world); support workers each support a handful of members;
campaigns run in several neighbourhoods with the skills they need and who takes part, each as
far through the co-production loop as its stage: ideas and a proposal with its voices, a
meeting and who came, a decision with who made it and its outcome, and the sign-off at review.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from shapely import contains_xy

from . import dundee
from .demo_skills import taxonomy_skills
from .model import (
    Campaign,
    CampaignStatus,
    Dataset,
    LocationVisibility,
    Membership,
    MembershipKind,
    Neighbourhood,
    Network,
    Participation,
    Person,
    PersonSkill,
    Point,
    Role,
    SkillMode,
    Support,
    Tie,
)

REFERENCE_DAY = date(2026, 11, 1)  # fixed, so that a seed gives the same dates every day
NETWORK_RADIUS_KM = 0.5  # every member within 1 km of every other: about a 12-minute walk
INSIDE_TIE_CHANCE = 0.75
OUTSIDE_TIES_PER_MEMBER = 1.5
MEMBERS_PER_SUPPORT_WORKER = 25  # one worker for every 25 members, supporting about 5 of them

_FIRST = (
    "Aileen Alasdair Amir Ann Archie Aroha Bea Callum Catriona Chen Connor Dawn Declan Eilidh Ewan "
    "Fatima Fiona Fraser Gordon Grace Hamish Hannah Iain Imran Isla Jamie Janet Jean Kenny Kirsty "
    "Lachlan Leah Lewis Lorna Malcolm Mairi Morag Murdo Nadia Niamh Olek Olivia Pat Priya Rab Rhona "
    "Ross Ruth Sandy Shona Sophie Stuart Tam Tariq Una Wendy Yusuf Zofia"
).split()
_LAST = (
    "Anderson Bell Boyle Brown Campbell Chalmers Clark Cunningham Davidson Duncan Ferguson Fleming "
    "Fraser Gallacher Gibson Graham Grant Hamilton Henderson Hughes Hunter Johnston Kelly Kerr Khan "
    "Lindsay MacDonald MacKay MacKenzie MacLeod Martin McGregor McIntosh Millar Mitchell Morrison "
    "Munro Murray Nowak Ogilvie Paterson Reid Robertson Ross Scott Simpson Smith Stewart Taylor "
    "Thomson Walker Wallace Watson White Wilson Young"
).split()
_CAMPAIGNS = (
    "Dropped kerbs for {n}",
    "A bench every 200 metres in {n}",
    "{n} community garden",
    "Accessible bus stops in {n}",
    "{n} repair café",
    "Winter warmth check-ins in {n}",
    "Safer crossing to the shops in {n}",
    "{n} digital drop-in",
    "Clean paths in {n}",
    "{n} walking group",
    "Quiet hour at the {n} supermarket",
    "{n} tool library",
)
# The stages the demo's campaigns are at, in turn (c-00001 proposed, c-00002 co-planning, ...).
LIFE = tuple(CampaignStatus)
_CAMPAIGN_ROLES = ("organiser", "co-planner", "participant", "participant", "supporter")


def demo_community(members: int = 200, seed: int = 1) -> Dataset:
    """The demo dataset for this many members (at least 10) and seed."""
    if members < 10:
        raise ValueError("the demo community needs at least 10 members")
    return _Generator(members, seed).build()


class _Generator:
    def __init__(self, members: int, seed: int) -> None:
        self.members = members
        self.rng = random.Random(seed)
        self.data = Dataset()
        self.polygons = dundee.neighbourhood_polygons()
        self.names = list(self.polygons)
        self.person_count = 0
        self.tied: set[tuple[str, str]] = set()

    def build(self) -> Dataset:
        self.data.neighbourhoods = [
            Neighbourhood(id=dundee.neighbourhood_id(n), name=n, boundary=dundee.boundary_geojson(n))
            for n in self.names
        ]
        self.data.skills = taxonomy_skills()
        networks = self._networks()
        self._outside_ties(networks)
        self._support_workers(networks)
        self._coordinators(networks)
        self._campaigns(networks)
        _Loop(self.data, random.Random(self.rng.random())).build()
        return self.data

    # --- people --------------------------------------------------------------------------

    def _person(self, roles: tuple[Role, ...], home: Point, neighbourhood: str) -> Person:
        self.person_count += 1
        person_id = f"p-{self.person_count:06d}"
        first, last = self.rng.choice(_FIRST), self.rng.choice(_LAST)
        visibility = LocationVisibility.HIDDEN if self.rng.random() < 0.15 else LocationVisibility.APPROXIMATE
        skills = self.rng.sample(self.data.skills, self.rng.randint(2, 5))
        offered = []
        for index, skill in enumerate(skills):
            wants = index == len(skills) - 1 and self.rng.random() < 0.6
            self.data.person_skills.append(
                PersonSkill(
                    person_id=person_id,
                    skill_id=skill.id,
                    mode=SkillMode.WANTS if wants else SkillMode.OFFERS,
                    level=self.rng.randint(1, 2) if wants else self.rng.randint(1, 5),
                    since=self._day_within(years=6),
                )
            )
            if not wants:
                offered.append(skill.name)
        person = Person(
            id=person_id,
            name=f"{first} {last}",
            roles=roles,
            bio=f"Happy to help with {', '.join(offered[:3])}." if offered else "Here to meet people.",
            home=home,
            location_visibility=visibility,
            neighbourhood_id=dundee.neighbourhood_id(neighbourhood),
            # Fictional numbers (Dundee's 01382 code, Ofcom's drama range 496xxx); by the count, not
            # the random stream, so that adding them changed no one else in the demo.
            contact=f"01382 496{self.person_count % 1000:03d}",
            contactable=self.person_count % 3 != 0,
            skills_hidden=self.person_count % 10 == 0,
            ties_shared=self.person_count % 5 < 3,  # most let the people they know see whom they know
        )
        self.data.people.append(person)
        return person

    def _networks(self) -> list[tuple[Network, list[Person], Person, str]]:
        """KeyRing-style networks: 8-12 members near a centre, and a volunteer among them."""
        networks: list[tuple[Network, list[Person], Person, str]] = []
        weights = [self.polygons[n].area for n in self.names]
        remaining = self.members
        while remaining > 0:
            size = min(remaining, self.rng.randint(8, 12))
            if 0 < remaining - size < 8:  # no stragglers: the last network takes them in
                size = remaining
            remaining -= size
            neighbourhood = self.rng.choices(self.names, weights=weights)[0]
            centre = self._point_in(neighbourhood)
            network = Network(id=f"net-{len(networks) + 1:05d}", name=f"{neighbourhood} network {len(networks) + 1}")
            self.data.networks.append(network)
            people = [
                self._person((Role.MEMBER,), self._near(centre, neighbourhood), neighbourhood) for _ in range(size)
            ]
            volunteer = self._person((Role.VOLUNTEER,), self._near(centre, neighbourhood), neighbourhood)
            for person in people:
                self.data.memberships.append(
                    Membership(person_id=person.id, network_id=network.id, kind=MembershipKind.MEMBER)
                )
            self.data.memberships.append(
                Membership(person_id=volunteer.id, network_id=network.id, kind=MembershipKind.VOLUNTEER)
            )
            for a in range(size):
                for b in range(a + 1, size):
                    if self.rng.random() < INSIDE_TIE_CHANCE:
                        self._tie(people[a], people[b])
            for person in self.rng.sample(people, min(size, self.rng.randint(3, 5))):
                self._tie(volunteer, person)
            networks.append((network, people, volunteer, neighbourhood))
        return networks

    def _outside_ties(self, networks: list[tuple[Network, list[Person], Person, str]]) -> None:
        """A few ties to members of other networks in the same neighbourhood: the shortcuts."""
        by_neighbourhood: dict[str, list[Person]] = defaultdict(list)
        network_of: dict[str, str] = {}
        for network, people, _, neighbourhood in networks:
            by_neighbourhood[neighbourhood].extend(people)
            network_of.update((p.id, network.id) for p in people)
        for network, people, _, neighbourhood in networks:
            pool = by_neighbourhood[neighbourhood]
            if len(pool) == len(people):  # the only network there
                continue
            for person in people:
                count = int(OUTSIDE_TIES_PER_MEMBER) + (self.rng.random() < OUTSIDE_TIES_PER_MEMBER % 1)
                chosen: set[str] = set()
                while len(chosen) < count:
                    other = self.rng.choice(pool)
                    if network_of[other.id] != network.id and other.id not in chosen:
                        chosen.add(other.id)
                        self._tie(person, other)

    def _support_workers(self, networks: list[tuple[Network, list[Person], Person, str]]) -> None:
        members = [p for _, people, _, _ in networks for p in people]
        network_of = {p.id: network.id for network, people, _, _ in networks for p in people}
        workers = max(1, self.members // MEMBERS_PER_SUPPORT_WORKER)
        supported = self.rng.sample(members, min(len(members), workers * 5))
        for index in range(workers):
            caseload = supported[index * 5 : (index + 1) * 5]
            if not caseload:
                break
            neighbourhood = self.rng.choice(self.names)
            worker = self._person((Role.SUPPORT_WORKER,), self._point_in(neighbourhood), neighbourhood)
            for network_id in sorted({network_of[person.id] for person in caseload}):
                self.data.memberships.append(
                    Membership(person_id=worker.id, network_id=network_id, kind=MembershipKind.STAFF)
                )
            for person in caseload:
                self.data.supports.append(
                    Support(supporter_id=worker.id, person_id=person.id, since=self._day_within(years=4))
                )
                self._tie(worker, person)

    def _coordinators(self, networks: list[tuple[Network, list[Person], Person, str]]) -> None:
        """Coordinators share the networks out between them, each working with every n-th."""
        count = max(2, self.members // 500)
        for index in range(count):
            neighbourhood = self.rng.choice(self.names)
            roles = (Role.COORDINATOR, Role.VOLUNTEER) if index % 3 == 2 else (Role.COORDINATOR,)
            coordinator = self._person(roles, self._point_in(neighbourhood), neighbourhood)
            self.data.memberships.extend(
                Membership(person_id=coordinator.id, network_id=network.id, kind=MembershipKind.STAFF)
                for network, _, _, _ in networks[index::count]
            )

    def _campaigns(self, networks: list[tuple[Network, list[Person], Person, str]]) -> None:
        local: dict[str, list[Person]] = defaultdict(list)
        for _, people, volunteer, neighbourhood in networks:
            local[neighbourhood].extend([*people, volunteer])
        places = [n for n in self.names if local[n]]
        for index in range(max(len(LIFE), self.members // 100)):
            neighbourhood = self.rng.choice(places)
            centre = self._point_in(neighbourhood)
            starts = REFERENCE_DAY - timedelta(days=self.rng.randint(-60, 500))
            status = LIFE[index % len(LIFE)]  # every stage of a campaign's life is in the demo
            participants = self.rng.sample(local[neighbourhood], min(len(local[neighbourhood]), self.rng.randint(3, 8)))
            self.data.campaigns.append(
                Campaign(
                    id=f"c-{index + 1:05d}",
                    title=self.rng.choice(_CAMPAIGNS).format(n=neighbourhood),
                    description=f"Planned together by neighbours in {neighbourhood}, "
                    "their volunteer and support workers.",
                    status=status,
                    area=_hexagon(centre, self.rng.uniform(0.25, 0.6)),
                    starts_on=starts,
                    ends_on=starts + timedelta(days=self.rng.randint(30, 240))
                    if status is CampaignStatus.COMPLETED
                    else None,
                    stopped_because="The council took it on" if status is CampaignStatus.STOPPED else "",
                    neighbourhood_ids=(dundee.neighbourhood_id(neighbourhood),),
                    needed_skill_ids=tuple(
                        sorted(s.id for s in self.rng.sample(self.data.skills, self.rng.randint(2, 4)))
                    ),
                    participants=tuple(
                        sorted(
                            (
                                Participation(
                                    person_id=p.id,
                                    role="organiser" if i == 0 else self.rng.choice(_CAMPAIGN_ROLES),
                                    hours=round(self.rng.uniform(0, 40), 1),
                                )
                                for i, p in enumerate(participants)
                            ),
                            key=lambda participation: participation.person_id,
                        )
                    ),
                )
            )

    # --- helpers -------------------------------------------------------------------------

    def _tie(self, a: Person, b: Person) -> None:
        pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        if pair in self.tied:
            return
        self.tied.add(pair)
        since = self._day_within(years=8)
        last = REFERENCE_DAY - timedelta(days=int(self.rng.expovariate(1 / 45)))
        self.data.ties.append(
            Tie(from_id=a.id, to_id=b.id, strength=self.rng.randint(1, 5), since=since, last_contact=max(since, last))
        )

    def _day_within(self, *, years: int) -> date:
        return REFERENCE_DAY - timedelta(days=self.rng.randint(0, 365 * years))

    def _point_in(self, neighbourhood: str) -> Point:
        polygon = self.polygons[neighbourhood]
        west, south, east, north = polygon.bounds
        while True:
            lon, lat = self.rng.uniform(west, east), self.rng.uniform(south, north)
            if contains_xy(polygon, lon, lat):
                return Point(round(lat, 6), round(lon, 6))

    def _near(self, centre: Point, neighbourhood: str) -> Point:
        """A home within the network's radius of its centre, inside the neighbourhood if it can be."""
        polygon = self.polygons[neighbourhood]
        for _ in range(30):
            distance = NETWORK_RADIUS_KM * math.sqrt(self.rng.random())
            bearing = self.rng.uniform(0, 2 * math.pi)
            lat = centre.latitude + distance * math.cos(bearing) / 111.32
            lon = centre.longitude + distance * math.sin(bearing) / (111.32 * math.cos(math.radians(centre.latitude)))
            if contains_xy(polygon, lon, lat):
                return Point(round(lat, 6), round(lon, 6))
        return centre


def _hexagon(centre: Point, radius_km: float) -> dict[str, Any]:
    ring = []
    for corner in range(7):
        angle = math.radians(60 * (corner % 6))
        ring.append(
            [
                round(
                    centre.longitude + radius_km * math.cos(angle) / (111.32 * math.cos(math.radians(centre.latitude))),
                    6,
                ),
                round(centre.latitude + radius_km * math.sin(angle) / 111.32, 6),
            ]
        )
    return {"type": "Polygon", "coordinates": [ring]}


_IDEAS = (
    "Ask the council to fix the pavement first",
    "Meet on a weekday afternoon, when the buses run",
    "Put up posters in the shop and the library",
    "Ask the school to join in",
)
_OUTCOME_BY_STAGE = {
    CampaignStatus.ACTIVE: ("in progress", 40),
    CampaignStatus.REVIEW: ("done", 100),
    CampaignStatus.COMPLETED: ("done", 100),
}


class _Loop:
    """The loop's records for each campaign, as far as its stage has gone (its own random source,
    so that adding them changed nothing else the seed gives)."""

    def __init__(self, data: Dataset, rng: random.Random) -> None:
        self.data, self.rng = data, rng

    def build(self) -> None:
        for campaign in self.data.campaigns:
            people = [p.person_id for p in campaign.participants]
            if len(people) < 3:
                continue
            stage = campaign.status if campaign.status is not CampaignStatus.STOPPED else CampaignStatus.PLANNING
            reached = LIFE.index(stage)
            day = (campaign.starts_on or REFERENCE_DAY) - timedelta(days=30)
            self._input(campaign, people, day, "proposed" if reached == 0 else "planning")
            if reached >= LIFE.index(CampaignStatus.PLANNING):
                self._meeting(campaign, people, day + timedelta(days=10))
            if reached >= LIFE.index(CampaignStatus.ACTIVE):
                self._decision(campaign, people, day + timedelta(days=20), stage)
            if reached >= LIFE.index(CampaignStatus.REVIEW):
                for person in people[: len(people) // 2 + 1]:
                    self.data.sign_offs.append(
                        {
                            "person_id": person,
                            "campaign_id": campaign.id,
                            "satisfied": True,
                            "reason": "",
                            "at": _moment(day + timedelta(days=60)),
                        }
                    )

    def _input(self, campaign: Campaign, people: list[str], day: date, planning: str) -> None:
        for number, (person, kind) in enumerate(((people[1], "idea"), (people[2], "proposal")), start=1):
            voices = [p for p in people if p != person] if kind == "proposal" else []
            self.data.contributions.append(
                {
                    "id": f"{campaign.id}-x{number}",
                    "campaign_id": campaign.id,
                    "kind": kind,
                    "text": self.rng.choice(_IDEAS),
                    "made_at": _moment(day + timedelta(days=number)),
                    "withdrawn": False,
                    "stage": "proposed" if kind == "idea" else planning,
                    "area": None,
                    "said_by": [person],
                    "entered_by_id": None,
                    "recorded_by_id": None,
                    "recorded_from": None,
                    "positions": [
                        {
                            "person_id": voice,
                            "stance": "support" if index else "stand aside",
                            "reason": "",
                            "at": _moment(day + timedelta(days=number + 1)),
                            "stage": planning,
                        }
                        for index, voice in enumerate(voices)
                    ],
                }
            )

    def _meeting(self, campaign: Campaign, people: list[str], day: date) -> None:
        came = self.rng.sample(people, len(people) - 1)
        self.data.meetings.append(
            {
                "id": f"{campaign.id}-m1",
                "campaign_id": campaign.id,
                "title": "Planning together",
                "starts_at": _moment(day),
                "place_name": "The community centre",
                "latitude": None,
                "longitude": None,
                "accessibility": "Step-free, with a hearing loop; tea and a quiet room",
                "stage": "planning",
                "erased_in_person": 0,
                "erased_remote": 0,
                "attendance": [
                    {"person_id": p, "how": "remote" if i == 0 else "in person", "stage": "planning", "at": None}
                    for i, p in enumerate(sorted(came))
                ],
            }
        )

    def _decision(self, campaign: Campaign, people: list[str], day: date, stage: CampaignStatus) -> None:
        status, progress = _OUTCOME_BY_STAGE[stage]
        updates = [{"at": _moment(day), "status": "planned", "progress": 0, "note": ""}]
        if status == "done":
            begun = {"at": _moment(day + timedelta(days=10)), "status": "in progress", "progress": 40, "note": ""}
            updates.append(begun)
        updates.append({"at": _moment(day + timedelta(days=20)), "status": status, "progress": progress, "note": ""})
        self.data.decisions.append(
            {
                "id": f"{campaign.id}-d1",
                "campaign_id": campaign.id,
                "statement": "We go ahead with the proposal, starting with the posters",
                "decided_at": _moment(day),
                "informed_by": [f"{campaign.id}-x1", f"{campaign.id}-x2"],
                "took_part": [{"person_id": p, "stage": "planning"} for p in people[:3]],
                "outcomes": [
                    {
                        "id": f"{campaign.id}-o1",
                        "title": "Posters up in the shop and the library",
                        "status": status,
                        "progress": progress,
                        "due_on": (day + timedelta(days=30)).isoformat(),
                        "updates": updates,
                    }
                ],
            }
        )


def _moment(day: date) -> str:
    return f"{day.isoformat()}T18:00:00Z"
