"""The root Mutation: each field checks its input, makes one graph/ change, returns a payload."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import strawberry

from ..graph import (
    accounts,
    bids,
    coproduction,
    data_rights,
    lifecycle,
    meetings,
    news,
    requests,
    surveys,
    time_credits,
    writes,
)
from ..graph import validation as check
from ..graph.errors import Invalid
from ..graph.model import BidStatus, CampaignStatus, Membership, NewsBy, Role, Support, TieView
from ..graph.model import Campaign as GraphCampaign
from ..graph.model import Network as GraphNetwork
from ..graph.model import Person as GraphPerson
from ..graph.model import PersonSkill as GraphPersonSkill
from ..graph.model import Tie as GraphTie
from .accounts import ApiToken
from .coproduction import Contribution, Decision, told_topic
from .errors import reported_as
from .events import Event
from .ids import global_id, local_id, required_id
from .inputs import (
    AddOutcomeInput,
    AnswerSurveyInput,
    AskToConnectInput,
    AttendInput,
    ConnectInput,
    ContributeInput,
    CreateCampaignInput,
    CreatePersonInput,
    CreateSurveyInput,
    DecideInput,
    FromPotInput,
    FundingBidInput,
    LogHoursInput,
    MembershipInput,
    MoveCampaignInput,
    MoveOutcomeInput,
    NeighbourhoodInput,
    ParticipationInput,
    PlanMeetingInput,
    PointInput,
    PositionInput,
    RecordInputInput,
    SetPersonSkillInput,
    SignOffInput,
    SupportInput,
    ThanksInput,
    TieChangeInput,
    UpdateCampaignInput,
    UpdateNeighbourhoodInput,
    UpdatePersonInput,
)
from .loaders import forget
from .permissions import SignedIn
from .requests import ConsentRequest
from .subscription import campaign_topic, network_topic, person_topic
from .time_credits import Exchange
from .types import (
    Campaign,
    Info,
    Network,
    Person,
    Place,
    Tie,
    load_person,
)


@strawberry.type
class NeighbourhoodPayload:
    neighbourhood: Place


@strawberry.type
class CampaignPayload:
    campaign: Campaign | None


@strawberry.type
class ContributionPayload:
    contribution: Contribution


@strawberry.type
class DecisionPayload:
    decision: Decision


@strawberry.type
class PersonPayload:
    person: Person | None


@strawberry.type
class RemovedPayload:
    removed_id: strawberry.ID


@strawberry.type
class TiePayload:
    tie: Tie


@strawberry.type
class RequestPayload:
    request: ConsentRequest | None = strawberry.field(description="The request, while it waits for an answer.")
    tie: Tie | None = strawberry.field(description="The tie, once both consented.")
    person: Person | None = strawberry.field(default=None, description="For support: the person, now supported.")


@strawberry.type
class NetworkPayload:
    network: Network


@strawberry.type
class ApiTokenPayload:
    token: ApiToken
    secret: str = strawberry.field(description="Send as 'Authorization: Bearer <secret>'. Shown only now.")


@strawberry.type
class InvitationPayload:
    code: str = strawberry.field(description="For the person to enter at /invitation. Shown only now.")
    expires_in_days: int


async def _person(info: Info, person_id: str) -> Person | None:
    """The person as the viewer may see them now, after the change."""
    forget(info.context.loaders.person, person_id)
    return await load_person(info, person_id)


def _roles(roles: list[Role], field: str) -> tuple[Role, ...]:
    if not roles:
        raise Invalid(field, "at least one role")
    return tuple(sorted(set(roles), key=lambda r: r.value))


def _home(point: PointInput | None, field: str) -> Any:
    return point.to_point(field) if point is not None else None


def _name(value: str, field: str = "name") -> str:
    return check.text({field: value}, field, required=True, limit=check.MAX_NAME)


def _level(value: int, field: str) -> int:
    return check.whole({field: value}, field, 1, 5)


MAX_LIST = 100


def _locals(values: list[strawberry.ID], kind: str, argument: str) -> tuple[str, ...]:
    if len(values) > MAX_LIST:
        raise Invalid(argument.rpartition(".")[2], f"at most {MAX_LIST} ids")
    found = tuple(required_id(value, kind, argument) for value in values)
    if len(set(found)) != len(found):
        raise Invalid(argument.rpartition(".")[2], "lists an id twice")
    return found


async def _campaign(info: Info, campaign_id: str) -> Campaign | None:
    forget(info.context.loaders.campaign, campaign_id)
    forget(info.context.loaders.campaign_details, campaign_id)
    view = await info.context.loaders.campaign.load(campaign_id)
    return Campaign.from_record(view) if view else None


async def _announce(info: Info, topic: str, kind: str, subject_id: str, other_id: str | None = None) -> None:
    await info.context.events.publish(Event(topic=topic, kind=kind, subject_id=subject_id, other_id=other_id))


async def _tell(info: Info, told: coproduction.Told) -> None:
    """Each person told about their input hears it on their own channel (toldAboutMyInput)."""
    for person_id, notification_id in told:
        await _announce(info, told_topic(person_id), "told", person_id, notification_id)


async def _announce_tie(info: Info, tie: GraphTie) -> None:
    await _announce(info, person_topic(tie.from_id), "tie made", tie.from_id, tie.to_id)
    await _announce(info, person_topic(tie.to_id), "tie made", tie.to_id, tie.from_id)


def _tie_seen_from(person_id: str, tie: GraphTie) -> Tie:
    other = tie.to_id if person_id == tie.from_id else tie.from_id
    return Tie.from_record(
        TieView(person_id=other, strength=tie.strength, since=tie.since, last_contact=tie.last_contact)
    )


async def _change_needed_skill(
    info: Info, campaign: strawberry.ID, skill: strawberry.ID, change: Callable[..., Awaitable[None]]
) -> CampaignPayload:
    campaign_id = required_id(campaign, "Campaign", "campaign")
    with reported_as(""):
        await change(info.context.graph, campaign_id, required_id(skill, "Skill", "skill"))
    await _announce(info, campaign_topic(campaign_id), "skills changed", campaign_id)
    return CampaignPayload(campaign=await _campaign(info, campaign_id))


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Add a person to the network.")
    async def create_person(self, info: Info, input: CreatePersonInput) -> PersonPayload:
        with reported_as("input"):
            person = GraphPerson(
                id=writes.new_id("p"),
                name=_name(input.name),
                roles=_roles(input.roles, "roles"),
                bio=check.text({"bio": input.bio}, "bio", required=False, limit=check.MAX_TEXT),
                home=_home(input.home, "input.home"),
                location_visibility=input.location_visibility,
                neighbourhood_id=local_id(input.neighbourhood, "Neighbourhood", "input.neighbourhood"),
                contact=check.text({"contact": input.contact}, "contact", required=False, limit=check.MAX_NAME),
            )
            network = local_id(input.network, "Network", "input.network")
            await writes.create_person(info.context.graph, person, network_id=network)
        return PersonPayload(person=await _person(info, person.id))

    @strawberry.mutation(description="Change some of a person's details.")
    async def update_person(self, info: Info, input: UpdatePersonInput) -> PersonPayload:
        person_id = required_id(input.id, "Person", "input.id")
        changes: dict[str, Any] = {}
        with reported_as("input"):
            if input.name is not strawberry.UNSET:
                changes["name"] = _name(input.name or "")
            if input.roles is not strawberry.UNSET:
                changes["roles"] = _roles(input.roles or [], "roles")
            if input.bio is not strawberry.UNSET:
                changes["bio"] = check.text({"bio": input.bio}, "bio", required=False, limit=check.MAX_TEXT)
            if input.home is not strawberry.UNSET:
                changes["home"] = _home(input.home, "input.home")
            if input.location_visibility is not strawberry.UNSET:
                if input.location_visibility is None:
                    raise Invalid("locationVisibility", "cannot be null")
                changes["location_visibility"] = input.location_visibility
            if input.neighbourhood is not strawberry.UNSET:
                changes["neighbourhood_id"] = local_id(input.neighbourhood, "Neighbourhood", "input.neighbourhood")
            if input.contact is not strawberry.UNSET:
                changes["contact"] = check.text(
                    {"contact": input.contact}, "contact", required=False, limit=check.MAX_NAME
                )
            for name, field in (
                ("contactable", "contactable"),
                ("skills_hidden", "skillsHidden"),
                ("ties_shared", "tiesShared"),
            ):
                value = getattr(input, name)
                if value is not strawberry.UNSET:
                    if value is None:
                        raise Invalid(field, "cannot be null")
                    changes[name] = value
            await writes.update_person(info.context.graph, person_id, changes)
        return PersonPayload(person=await _person(info, person_id))

    @strawberry.mutation(
        description="Erase a person: their account, personal data, ties, skills, memberships and "
        "support; only anonymous totals (hours given to campaigns) remain. The person "
        "themselves, or a coordinator at their request."
    )
    async def remove_person(self, info: Info, id: strawberry.ID) -> RemovedPayload:
        with reported_as(""):
            await writes.erase_person(info.context.graph, required_id(id, "Person", "id"))
        return RemovedPayload(removed_id=id)

    @strawberry.mutation(description="Erase yourself (see removePerson). Signs you out everywhere.")
    async def erase_my_data(self, info: Info) -> RemovedPayload:
        viewer = info.context.viewer
        with reported_as(""):
            await data_rights.erase_myself(info.context.graph)
        return RemovedPayload(removed_id=global_id("Person", viewer.person_id or ""))

    @strawberry.mutation(description="A new API token for GraphQL clients; its secret is in this answer only.")
    async def create_api_token(self, info: Info, name: str) -> ApiTokenPayload:
        with reported_as(""):
            token, secret = await accounts.create_token(info.context.graph, _name(name))
        return ApiTokenPayload(
            token=ApiToken(
                id=strawberry.ID(token.id),
                name=token.name,
                created_at=token.created_at,
                last_used_at=token.last_used_at,
            ),
            secret=secret,
        )

    @strawberry.mutation(description="Revoke one of your API tokens: it stops working at once.")
    async def revoke_api_token(self, info: Info, id: strawberry.ID) -> RemovedPayload:
        with reported_as(""):
            await accounts.revoke_token(info.context.graph, str(id))
        return RemovedPayload(removed_id=id)

    @strawberry.mutation(description="Sign out of every browser session (API tokens are revoked one by one).")
    async def sign_out_everywhere(self, info: Info) -> bool:
        with reported_as(""):
            await accounts.sign_out_everywhere(info.context.graph)
        return True

    @strawberry.mutation(
        description="A coordinator invites a person to make their account; pass the code on "
        "(it is shown once, works once, and expires)."
    )
    async def invite_person(self, info: Info, person: strawberry.ID) -> InvitationPayload:
        with reported_as(""):
            code = await accounts.invite(info.context.graph, required_id(person, "Person", "person"))
        return InvitationPayload(code=code, expires_in_days=accounts.INVITATION_DAYS)

    @strawberry.mutation(
        description="Let a supporter act on the person's behalf (a 'guardian angel'), or stop it. "
        "The person, or a coordinator at their request; every action is logged."
    )
    async def allow_acting_for(
        self, info: Info, supporter: strawberry.ID, person: strawberry.ID, allowed: bool
    ) -> PersonPayload:
        person_id = required_id(person, "Person", "person")
        with reported_as(""):
            await writes.allow_acting_for(
                info.context.graph, required_id(supporter, "Person", "supporter"), person_id, allowed
            )
        forget(info.context.loaders.supports, person_id)
        return PersonPayload(person=await _person(info, person_id))

    @strawberry.mutation(description="Offer a skill or want to learn it; setting it again changes mode and level.")
    async def set_person_skill(self, info: Info, input: SetPersonSkillInput) -> PersonPayload:
        person_id = required_id(input.person, "Person", "input.person")
        with reported_as("input"):
            skill = GraphPersonSkill(
                person_id=person_id,
                skill_id=required_id(input.skill, "Skill", "input.skill"),
                mode=input.mode,
                level=_level(input.level, "level"),
                since=date.today(),
            )
            await writes.set_person_skill(info.context.graph, skill)
        forget(info.context.loaders.skills, person_id)
        return PersonPayload(person=await _person(info, person_id))

    @strawberry.mutation
    async def remove_person_skill(self, info: Info, person: strawberry.ID, skill: strawberry.ID) -> PersonPayload:
        person_id = required_id(person, "Person", "person")
        with reported_as(""):
            await writes.remove_person_skill(info.context.graph, person_id, required_id(skill, "Skill", "skill"))
        forget(info.context.loaders.skills, person_id)
        return PersonPayload(person=await _person(info, person_id))

    @strawberry.mutation(
        description="Ask someone to connect. They accept or decline; if they had asked you already, you are connected."
    )
    async def ask_to_connect(self, info: Info, input: AskToConnectInput) -> RequestPayload:
        with reported_as("input"):
            asker = required_id(input.person, "Person", "input.person")
            other = required_id(input.other, "Person", "input.other")
            made = await requests.ask_to_connect(
                info.context.graph,
                asker,
                other,
                note=check.text({"note": input.note}, "note", required=False, limit=requests.NOTE_LENGTH),
                strength=_level(input.strength, "strength"),
            )
        if isinstance(made, GraphTie):
            await _announce_tie(info, made)
            return RequestPayload(request=None, tie=_tie_seen_from(asker, made))
        return RequestPayload(request=ConsentRequest.from_record(made), tie=None)

    @strawberry.mutation(
        description="Staff of both people's networks record a tie they saw. Both find it in their log; "
        "either may remove it."
    )
    async def record_tie(self, info: Info, input: ConnectInput) -> TiePayload:
        with reported_as("input"):
            tie = GraphTie(
                from_id=required_id(input.person, "Person", "input.person"),
                to_id=required_id(input.other, "Person", "input.other"),
                strength=_level(input.strength, "strength"),
                since=input.since or date.today(),
                last_contact=input.since or date.today(),
            )
            view = await requests.record_tie(info.context.graph, tie)
        await _announce_tie(info, tie)
        return TiePayload(tie=Tie.from_record(view))

    @strawberry.mutation(
        description="Answer a request made to you (or, for support, as a second coordinator): accept or decline."
    )
    async def answer_request(self, info: Info, request: strawberry.ID, accept: bool) -> RequestPayload:
        with reported_as(""):
            answered = await requests.answer(
                info.context.graph, required_id(request, "Request", "request"), accept=accept
            )
        if isinstance(answered, GraphTie):
            await _announce_tie(info, answered)
            return RequestPayload(request=None, tie=_tie_seen_from(answered.to_id, answered))
        if isinstance(answered, Support):
            forget(info.context.loaders.supports, answered.person_id)
            return RequestPayload(request=None, tie=None, person=await _person(info, answered.person_id))
        return RequestPayload(request=None, tie=None)

    @strawberry.mutation(description="Take back a request you made.")
    async def withdraw_request(self, info: Info, request: strawberry.ID) -> RemovedPayload:
        with reported_as(""):
            await requests.withdraw(info.context.graph, required_id(request, "Request", "request"))
        return RemovedPayload(removed_id=request)

    @strawberry.mutation(description="Record a contact between two people, or change how strong their tie is.")
    async def update_tie(self, info: Info, input: TieChangeInput) -> TiePayload:
        with reported_as("input"):
            strength = _level(input.strength, "strength") if input.strength is not None else None
            view = await writes.update_tie(
                info.context.graph,
                required_id(input.person, "Person", "input.person"),
                required_id(input.other, "Person", "input.other"),
                strength=strength,
                contact=input.contact_on or (date.today() if strength is None else None),
            )
        return TiePayload(tie=Tie.from_record(view))

    @strawberry.mutation
    async def disconnect(self, info: Info, person: strawberry.ID, other: strawberry.ID) -> RemovedPayload:
        with reported_as(""):
            await writes.disconnect(
                info.context.graph, required_id(person, "Person", "person"), required_id(other, "Person", "other")
            )
        return RemovedPayload(removed_id=other)

    @strawberry.mutation(description="A new KeyRing-style network.")
    async def create_network(self, info: Info, name: str) -> NetworkPayload:
        with reported_as(""):
            network = GraphNetwork(id=writes.new_id("net"), name=_name(name))
            await writes.create_network(info.context.graph, network)
        return NetworkPayload(network=Network.from_record(network))

    @strawberry.mutation(description="Join a network as a member or as its volunteer.")
    async def join_network(self, info: Info, input: MembershipInput) -> PersonPayload:
        person_id = required_id(input.person, "Person", "input.person")
        with reported_as("input"):
            membership = Membership(
                person_id=person_id,
                kind=input.role,
                network_id=required_id(input.network, "Network", "input.network"),
            )
            await writes.join_network(info.context.graph, membership)
        forget(info.context.loaders.networks, person_id)
        await _announce(info, network_topic(membership.network_id), "joined", person_id)
        return PersonPayload(person=await _person(info, person_id))

    @strawberry.mutation
    async def leave_network(self, info: Info, person: strawberry.ID, network: strawberry.ID) -> PersonPayload:
        person_id = required_id(person, "Person", "person")
        with reported_as(""):
            network_id = required_id(network, "Network", "network")
            await writes.leave_network(info.context.graph, person_id, network_id)
        forget(info.context.loaders.networks, person_id)
        await _announce(info, network_topic(network_id), "left", person_id)
        return PersonPayload(person=await _person(info, person_id))

    @strawberry.mutation(
        description="A coordinator proposes a support worker or volunteer for a person. Support starts when the "
        "person accepts (answerRequest), or a second coordinator does; nobody proposes themselves."
    )
    async def propose_support(self, info: Info, input: SupportInput) -> RequestPayload:
        with reported_as("input"):
            support = Support(
                supporter_id=required_id(input.supporter, "Person", "input.supporter"),
                person_id=required_id(input.person, "Person", "input.person"),
            )
            proposed = await requests.propose_support(info.context.graph, support)
        return RequestPayload(request=ConsentRequest.from_record(proposed), tie=None)

    @strawberry.mutation
    async def end_support(self, info: Info, supporter: strawberry.ID, person: strawberry.ID) -> PersonPayload:
        person_id = required_id(person, "Person", "person")
        with reported_as(""):
            await writes.end_support(info.context.graph, required_id(supporter, "Person", "supporter"), person_id)
        forget(info.context.loaders.supports, person_id)
        return PersonPayload(person=await _person(info, person_id))

    @strawberry.mutation(description="A neighbourhood with its boundary; names are unique.")
    async def create_neighbourhood(self, info: Info, input: NeighbourhoodInput) -> NeighbourhoodPayload:
        with reported_as("input"):
            saved = await writes.save_neighbourhood(
                info.context.graph,
                writes.new_id("nb"),
                name=_name(input.name),
                boundary=check.polygon({"boundary": input.boundary}, multi=True, field="boundary"),
                create=True,
            )
        return NeighbourhoodPayload(neighbourhood=Place(id=global_id("Neighbourhood", saved.id), name=saved.name))

    @strawberry.mutation
    async def update_neighbourhood(self, info: Info, input: UpdateNeighbourhoodInput) -> NeighbourhoodPayload:
        neighbourhood_id = required_id(input.id, "Neighbourhood", "input.id")
        with reported_as("input"):
            name = _name(input.name or "") if input.name is not strawberry.UNSET else None
            boundary = (
                check.polygon({"boundary": input.boundary}, multi=True, field="boundary")
                if input.boundary is not strawberry.UNSET
                else None
            )
            saved = await writes.save_neighbourhood(
                info.context.graph, neighbourhood_id, name=name, boundary=boundary, create=False
            )
        return NeighbourhoodPayload(neighbourhood=Place(id=input.id, name=saved.name))

    @strawberry.mutation(description="A campaign planned together: its area, where it runs, the skills it needs.")
    async def create_campaign(self, info: Info, input: CreateCampaignInput) -> CampaignPayload:
        with reported_as("input"):
            if input.starts_on and input.ends_on and input.ends_on < input.starts_on:
                raise Invalid("endsOn", "before the campaign starts")
            campaign = GraphCampaign(
                id=writes.new_id("c"),
                title=_name(input.title, "title"),
                description=check.text(
                    {"description": input.description}, "description", required=False, limit=check.MAX_TEXT
                ),
                status=CampaignStatus.PROPOSED,
                area=check.polygon({"area": input.area}, multi=False, field="area"),
                starts_on=input.starts_on,
                ends_on=input.ends_on,
                neighbourhood_ids=_locals(input.neighbourhoods, "Neighbourhood", "input.neighbourhoods"),
                needed_skill_ids=_locals(input.needed_skills, "Skill", "input.neededSkills"),
            )
            await writes.create_campaign(info.context.graph, campaign)
        return CampaignPayload(campaign=await _campaign(info, campaign.id))

    @strawberry.mutation
    async def update_campaign(self, info: Info, input: UpdateCampaignInput) -> CampaignPayload:
        campaign_id = required_id(input.id, "Campaign", "input.id")
        changes: dict[str, Any] = {}
        with reported_as("input"):
            if input.title is not strawberry.UNSET:
                changes["title"] = _name(input.title or "", "title")
            if input.description is not strawberry.UNSET:
                changes["description"] = check.text(
                    {"description": input.description}, "description", required=False, limit=check.MAX_TEXT
                )
            if input.area is not strawberry.UNSET:
                changes["area"] = check.polygon({"area": input.area}, multi=False, field="area")
            if input.starts_on is not strawberry.UNSET:
                changes["starts_on"] = input.starts_on
            if input.ends_on is not strawberry.UNSET:
                changes["ends_on"] = input.ends_on
            await writes.update_campaign(info.context.graph, campaign_id, changes)
        await _announce(info, campaign_topic(campaign_id), "updated", campaign_id)
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(description="Take part in a campaign, or change one's role in it.")
    async def join_campaign(self, info: Info, input: ParticipationInput) -> CampaignPayload:
        campaign_id = required_id(input.campaign, "Campaign", "input.campaign")
        with reported_as("input"):
            await writes.join_campaign(
                info.context.graph,
                required_id(input.person, "Person", "input.person"),
                campaign_id,
                _name(input.role, "role"),
            )
        await _announce(info, campaign_topic(campaign_id), "joined", campaign_id)
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(
        description="The campaign's organisers (or a coordinator) make someone taking part an organiser, or end "
        "it; nobody makes themselves one, and anyone may step down. Logged on the campaign."
    )
    async def set_organiser(
        self, info: Info, campaign: strawberry.ID, person: strawberry.ID, organiser: bool
    ) -> CampaignPayload:
        campaign_id = required_id(campaign, "Campaign", "campaign")
        with reported_as(""):
            await writes.set_organiser(
                info.context.graph, required_id(person, "Person", "person"), campaign_id, organiser
            )
        await _announce(info, campaign_topic(campaign_id), "organisers changed", campaign_id)
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation
    async def leave_campaign(self, info: Info, person: strawberry.ID, campaign: strawberry.ID) -> CampaignPayload:
        campaign_id = required_id(campaign, "Campaign", "campaign")
        with reported_as(""):
            await writes.leave_campaign(info.context.graph, required_id(person, "Person", "person"), campaign_id)
        await _announce(info, campaign_topic(campaign_id), "left", campaign_id)
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(description="Record time given to a campaign, so that it is recognised.")
    async def log_hours(self, info: Info, input: LogHoursInput) -> CampaignPayload:
        campaign_id = required_id(input.campaign, "Campaign", "input.campaign")
        with reported_as("input"):
            if not 0 < input.hours <= 24:
                raise Invalid("hours", "more than 0 and at most 24 at a time")
            await writes.log_hours(
                info.context.graph, required_id(input.person, "Person", "input.person"), campaign_id, input.hours
            )
        await _announce(info, campaign_topic(campaign_id), "hours logged", campaign_id)
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(description="Put an idea, a proposal, a comment or notes into a campaign you take part in.")
    async def contribute(self, info: Info, input: ContributeInput) -> ContributionPayload:
        campaign_id = required_id(input.campaign, "Campaign", "input.campaign")
        with reported_as("input"):
            area = None if input.area is None else check.polygon({"area": input.area}, multi=False, field="area")
            made = await coproduction.contribute(info.context.graph, campaign_id, input.kind, input.text, area)
        await _announce(info, campaign_topic(campaign_id), "contributed", campaign_id)
        return ContributionPayload(contribution=Contribution.from_record(made))

    @strawberry.mutation(
        description="Write down what people taking part said at a meeting or on a paper form, naming everyone who "
        "said it (the campaign's organisers or a coordinator): it is theirs, as if each had written it."
    )
    async def record_input(self, info: Info, input: RecordInputInput) -> ContributionPayload:
        campaign_id = required_id(input.campaign, "Campaign", "input.campaign")
        said_by = [required_id(i, "Person", "input.saidBy") for i in input.said_by]
        with reported_as("input"):
            made = await coproduction.record_input(
                info.context.graph, campaign_id, input.kind, input.text, said_by, input.recorded_from
            )
        await _announce(info, campaign_topic(campaign_id), "contributed", campaign_id)
        return ContributionPayload(contribution=Contribution.from_record(made))

    @strawberry.mutation(
        description="Take your contribution back: its words go, the decisions' record stays. "
        "Said by several people: your name comes off, and the last to go takes the words back."
    )
    async def withdraw_contribution(self, info: Info, id: strawberry.ID) -> CampaignPayload:
        with reported_as(""):
            campaign_id = await coproduction.withdraw(info.context.graph, required_id(id, "Contribution", "id"))
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(description="Record a decision with the input that informed it (the campaign's organisers).")
    async def decide(self, info: Info, input: DecideInput) -> DecisionPayload:
        campaign_id = required_id(input.campaign, "Campaign", "input.campaign")
        informed = [required_id(i, "Contribution", "input.informedBy") for i in input.informed_by]
        took_part = [required_id(i, "Person", "input.tookPart") for i in input.took_part]
        with reported_as("input"):
            decided, told = await coproduction.decide(
                info.context.graph, campaign_id, input.statement, informed, took_part
            )
        await _announce(info, campaign_topic(campaign_id), "decided", campaign_id)
        await _tell(info, told)
        return DecisionPayload(decision=Decision.from_record(decided))

    @strawberry.mutation(description="Record what will carry a decision out (the campaign's organisers).")
    async def add_outcome(self, info: Info, input: AddOutcomeInput) -> DecisionPayload:
        decision_id = required_id(input.decision, "Decision", "input.decision")
        with reported_as("input"):
            decision, told = await coproduction.add_outcome(
                info.context.graph, decision_id, input.title, input.status, input.progress, input.due_on
            )
        await _announce(info, campaign_topic(decision.campaign_id), "outcome", decision.campaign_id)
        await _tell(info, told)
        return DecisionPayload(decision=Decision.from_record(decision))

    @strawberry.mutation(description="Say where an outcome stands now (the campaign's organisers).")
    async def move_outcome(self, info: Info, input: MoveOutcomeInput) -> CampaignPayload:
        outcome_id = required_id(input.id, "Outcome", "input.id")
        with reported_as("input"):
            campaign_id, told = await coproduction.move_outcome(
                info.context.graph, outcome_id, input.status, input.progress, input.note, input.due_on
            )
        await _announce(info, campaign_topic(campaign_id), "outcome moved", campaign_id)
        await _tell(info, told)
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(description="Support, object to (with a reason) or stand aside from a proposal.")
    async def take_position(self, info: Info, input: PositionInput) -> CampaignPayload:
        proposal_id = required_id(input.proposal, "Contribution", "input.proposal")
        with reported_as("input"):
            campaign_id = await coproduction.take_position(info.context.graph, proposal_id, input.stance, input.reason)
        await _announce(info, campaign_topic(campaign_id), "position", campaign_id)
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(description="Take your voice on a proposal back.")
    async def drop_position(self, info: Info, proposal: strawberry.ID) -> CampaignPayload:
        with reported_as(""):
            campaign_id = await coproduction.drop_position(
                info.context.graph, required_id(proposal, "Contribution", "proposal")
            )
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(
        description="Move a campaign along its life (its organisers): one stage on, back from review to work, or "
        "stopped with a reason. Everyone taking part is told."
    )
    async def move_campaign(self, info: Info, input: MoveCampaignInput) -> CampaignPayload:
        campaign_id = required_id(input.campaign, "Campaign", "input.campaign")
        with reported_as("input"):
            told = await lifecycle.move_campaign(info.context.graph, campaign_id, input.stage, input.reason)
        await _announce(info, campaign_topic(campaign_id), "moved", campaign_id)
        await _tell(info, told)
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(description="Say whether you are satisfied with a campaign under review; again, to change it.")
    async def sign_off(self, info: Info, input: SignOffInput) -> CampaignPayload:
        campaign_id = required_id(input.campaign, "Campaign", "input.campaign")
        with reported_as("input"):
            await lifecycle.sign_off(info.context.graph, campaign_id, input.satisfied, input.reason)
        await _announce(info, campaign_topic(campaign_id), "signed off", campaign_id)
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(
        description="Complete a campaign under review (its organisers), once more than half of those taking part "
        "have signed off and none is unsatisfied; the round for the next focal point opens."
    )
    async def complete_campaign(self, info: Info, campaign: strawberry.ID) -> CampaignPayload:
        campaign_id = required_id(campaign, "Campaign", "campaign")
        with reported_as(""):
            told = await lifecycle.complete_campaign(info.context.graph, campaign_id)
        await _announce(info, campaign_topic(campaign_id), "completed", campaign_id)
        await _tell(info, told)
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(
        description="Choose the next focal point (a completed campaign's organisers): the proposed next area with "
        "the most support and no objection standing becomes a new proposed campaign. Returns the new campaign."
    )
    async def choose_next_area(self, info: Info, campaign: strawberry.ID, proposal: strawberry.ID) -> CampaignPayload:
        campaign_id = required_id(campaign, "Campaign", "campaign")
        with reported_as(""):
            next_id, told = await lifecycle.choose_next_area(
                info.context.graph, campaign_id, required_id(proposal, "Contribution", "proposal")
            )
        await _announce(info, campaign_topic(campaign_id), "next chosen", campaign_id)
        await _tell(info, told)
        return CampaignPayload(campaign=await _campaign(info, next_id))

    @strawberry.mutation(description="Plan a meeting of a campaign (its organisers).")
    async def plan_meeting(self, info: Info, input: PlanMeetingInput) -> CampaignPayload:
        campaign_id = required_id(input.campaign, "Campaign", "input.campaign")
        with reported_as("input"):
            await meetings.plan(
                info.context.graph,
                campaign_id,
                title=input.title,
                starts_at=input.starts_at,
                place_name=input.place_name,
                place=input.place.to_point("input.place") if input.place else None,
                accessibility=input.accessibility,
            )
        await _announce(info, campaign_topic(campaign_id), "meeting planned", campaign_id)
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(
        description="Record that someone taking part came to a meeting (yourself, or as an organiser anyone "
        "taking part); again, to change how."
    )
    async def attend_meeting(self, info: Info, input: AttendInput) -> CampaignPayload:
        with reported_as("input"):
            campaign_id = await meetings.attend(
                info.context.graph,
                required_id(input.meeting, "Meeting", "input.meeting"),
                required_id(input.person, "Person", "input.person"),
                input.how,
            )
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(description="Take back that someone came to a meeting (yourself, or as an organiser).")
    async def drop_attendance(self, info: Info, meeting: strawberry.ID, person: strawberry.ID) -> CampaignPayload:
        with reported_as(""):
            campaign_id = await meetings.unattend(
                info.context.graph, required_id(meeting, "Meeting", "meeting"), required_id(person, "Person", "person")
            )
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(description="Make a survey of a campaign (its organisers).")
    async def create_survey(self, info: Info, input: CreateSurveyInput) -> CampaignPayload:
        campaign_id = required_id(input.campaign, "Campaign", "input.campaign")
        with reported_as("input"):
            await surveys.create(
                info.context.graph,
                campaign_id,
                input.title,
                [(q.text, q.kind, q.choices) for q in input.questions],
            )
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(description="Answer a survey of a campaign you take part in, once; your name is not kept.")
    async def answer_survey(self, info: Info, input: AnswerSurveyInput) -> CampaignPayload:
        survey_id = required_id(input.survey, "Survey", "input.survey")
        given = {required_id(a.question, "Question", "input.answers.question"): a.value for a in input.answers}
        with reported_as("input"):
            campaign_id = await surveys.answer(info.context.graph, survey_id, given)
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(description="Close a survey (its campaign's organisers): no more answers.")
    async def close_survey(self, info: Info, survey: strawberry.ID) -> CampaignPayload:
        with reported_as(""):
            campaign_id = await surveys.close(info.context.graph, required_id(survey, "Survey", "survey"))
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(description="Write a funding bid for a campaign you take part in (with others, if named).")
    async def apply_for_funding(self, info: Info, input: FundingBidInput) -> CampaignPayload:
        campaign_id = required_id(input.campaign, "Campaign", "input.campaign")
        with reported_as("input"):
            await bids.create(
                info.context.graph,
                campaign_id,
                funder=input.funder,
                amount_pence=input.amount_pence,
                decision_id=required_id(input.decision, "Decision", "input.decision") if input.decision else None,
            )
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(description="Add your own name to a funding bid's writers (you take part in its campaign).")
    async def write_funding_bid_too(self, info: Info, id: strawberry.ID) -> CampaignPayload:
        with reported_as(""):
            campaign_id = await bids.write_too(info.context.graph, required_id(id, "FundingBid", "id"))
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(
        description="Where a funding bid stands now (its writers or the campaign's organisers): SUBMITTED, then "
        "WON or LOST; WITHDRAWN before."
    )
    async def move_funding_bid(self, info: Info, id: strawberry.ID, status: BidStatus) -> CampaignPayload:
        with reported_as(""):
            campaign_id = await bids.move(info.context.graph, required_id(id, "FundingBid", "id"), status)
        return CampaignPayload(campaign=await _campaign(info, campaign_id))

    @strawberry.mutation(description="Thank someone for their time: it counts for them once they confirm it.")
    async def thank_for_help(self, info: Info, input: ThanksInput) -> Exchange:
        graph = info.context.graph
        with reported_as("input"):
            made = await time_credits.thank_for_help(
                graph, required_id(input.helper, "Person", "input.helper"), input.minutes, input.what
            )
        return Exchange.from_record(made, graph.viewer.person_id)

    @strawberry.mutation(description="Say whether time someone thanked you for happened: yes counts it.")
    async def answer_exchange(self, info: Info, id: strawberry.ID, happened: bool) -> Exchange:
        graph = info.context.graph
        with reported_as(""):
            answered = await time_credits.answer(graph, required_id(id, "Exchange", "id"), confirm=happened)
        return Exchange.from_record(answered, graph.viewer.person_id)

    @strawberry.mutation(
        description="Confirm the hours someone logged for a campaign as time credits from the pot, an hour for an "
        "hour (the campaign's organisers, never for themselves, or a coordinator)."
    )
    async def credit_campaign_hours(self, info: Info, campaign: strawberry.ID, person: strawberry.ID) -> Exchange:
        graph = info.context.graph
        with reported_as(""):
            made = await time_credits.credit_campaign_hours(
                graph, required_id(campaign, "Campaign", "campaign"), required_id(person, "Person", "person")
            )
        return Exchange.from_record(made, graph.viewer.person_id)

    @strawberry.mutation(description="Give some of your time credits to the community pot.")
    async def give_to_pot(self, info: Info, minutes: int, what: str = "") -> Exchange:
        graph = info.context.graph
        with reported_as(""):
            made = await time_credits.give_to_pot(graph, minutes, what)
        return Exchange.from_record(made, graph.viewer.person_id)

    @strawberry.mutation(description="Hand time credits from the community pot to someone (coordinators).")
    async def give_from_pot(self, info: Info, input: FromPotInput) -> Exchange:
        graph = info.context.graph
        with reported_as("input"):
            made = await time_credits.give_from_pot(
                graph, required_id(input.person, "Person", "input.person"), input.minutes, input.what
            )
        return Exchange.from_record(made, graph.viewer.person_id)

    @strawberry.mutation(
        description="How often to email you your news: AT_ONCE, DAILY (one digest a day) or NEVER; the emails come "
        "in the language given (en, pl).",
        permission_classes=[SignedIn],
    )
    async def choose_news_by(self, info: Info, how: NewsBy, language: str = "en") -> NewsBy:
        with reported_as(""):
            return await news.choose(info.context.graph, how, language)

    @strawberry.mutation(description="You have seen your news: how many were new.", permission_classes=[SignedIn])
    async def mark_notifications_read(self, info: Info) -> int:
        return await coproduction.mark_read(info.context.graph)

    @strawberry.mutation
    async def add_needed_skill(self, info: Info, campaign: strawberry.ID, skill: strawberry.ID) -> CampaignPayload:
        return await _change_needed_skill(info, campaign, skill, writes.add_needed_skill)

    @strawberry.mutation
    async def remove_needed_skill(self, info: Info, campaign: strawberry.ID, skill: strawberry.ID) -> CampaignPayload:
        return await _change_needed_skill(info, campaign, skill, writes.remove_needed_skill)
