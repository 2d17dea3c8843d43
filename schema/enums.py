"""graph/'s own enums as the API's: one definition each, registered with Strawberry once, before
any type or input uses them, and nothing to convert between."""

from __future__ import annotations

import strawberry

from ..graph.model import (
    Attendance,
    BidStatus,
    CampaignStatus,
    ContributionKind,
    ExchangeStatus,
    LocationVisibility,
    MembershipKind,
    NewsBy,
    NotificationEvent,
    OutcomeStatus,
    QuestionKind,
    RecordedFrom,
    RequestKind,
    Role,
    SkillMode,
    Stance,
)

strawberry.enum(Attendance, description="How someone came to a meeting: IN_PERSON and REMOTE count the same.")
strawberry.enum(QuestionKind, description="CHOICE: one of its choices. SCALE: 1 to 5. TEXT: free words.")
strawberry.enum(BidStatus, description="DRAFTING, then SUBMITTED, then WON or LOST; or WITHDRAWN before.")
strawberry.enum(Role, description="A person's roles; one person may hold several, and no role ranks above another.")
strawberry.enum(CampaignStatus)
strawberry.enum(SkillMode)
strawberry.enum(
    LocationVisibility, description="What people other than the person and their supporters see of the home."
)
strawberry.enum(MembershipKind, name="NetworkRole")
strawberry.enum(RequestKind, description="TIE: to know each other. SUPPORT: to be supported.")
strawberry.enum(ContributionKind)
strawberry.enum(
    RecordedFrom, description="Where input written down by an organiser was said: a MEETING or a PAPER_FORM."
)
strawberry.enum(ExchangeStatus, description="PROPOSED until the other side says it happened (CONFIRMED) or not.")
strawberry.enum(Stance, description="One voice on a proposal: SUPPORT, OBJECT (with a reason) or STAND_ASIDE.")
strawberry.enum(
    NotificationEvent, description="What happened to a decision your input informed, or to a campaign you are in."
)
strawberry.enum(NewsBy, description="How often your news is emailed: AT_ONCE, DAILY (a digest) or NEVER.")
strawberry.enum(
    OutcomeStatus, description="PLANNED, then IN_PROGRESS, then DONE; or STALLED (and on again), or DROPPED."
)

__all__ = [
    "Attendance",
    "BidStatus",
    "CampaignStatus",
    "ContributionKind",
    "ExchangeStatus",
    "LocationVisibility",
    "MembershipKind",
    "NewsBy",
    "NotificationEvent",
    "OutcomeStatus",
    "QuestionKind",
    "RecordedFrom",
    "RequestKind",
    "Role",
    "SkillMode",
    "Stance",
]
