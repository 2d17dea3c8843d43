"""The co-production loop's records as files: what import checks and export writes.

Each kind is a JSON list of objects (in a folder, `contributions.json` and so on; in one JSON
document, a section of that name), since its records hold lists of their own: a contribution's
positions, a decision's outcomes and their updates, a meeting's attendance, a survey's
questions and answers. A checked record is the row its MERGE statement takes, and export
writes rows of the same shape, so export, import, export gives the same files.

Survey answers travel as they are stored: with their question and batch of five, never with a
person or a time, and apart from the list of who answered.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, LiteralString

from . import queries
from . import validation as check
from .errors import Invalid
from .formats import JSON_SECTIONS
from .model import (
    Attendance,
    BidStatus,
    CampaignStatus,
    ContributionKind,
    ExchangeStatus,
    OutcomeStatus,
    QuestionKind,
    RecordedFrom,
    Stance,
)

Record = dict[str, Any]
Reference = tuple[str, str, str | None]  # field, kind (people, campaigns, contributions, decisions), id

# The fields of each kind's objects, in the order export writes them.
FIELDS: dict[str, tuple[str, ...]] = {
    "contributions": (
        "id",
        "campaign_id",
        "kind",
        "text",
        "made_at",
        "withdrawn",
        "stage",
        "area",
        "said_by",
        "entered_by_id",
        "recorded_by_id",
        "recorded_from",
        "positions",
    ),
    "decisions": ("id", "campaign_id", "statement", "decided_at", "informed_by", "took_part", "outcomes"),
    "sign_offs": ("person_id", "campaign_id", "satisfied", "reason", "at"),
    "meetings": (
        "id",
        "campaign_id",
        "title",
        "starts_at",
        "place_name",
        "latitude",
        "longitude",
        "accessibility",
        "stage",
        "erased_in_person",
        "erased_remote",
        "attendance",
    ),
    "surveys": ("id", "campaign_id", "title", "open", "respondents", "created_at", "questions", "answered", "answers"),
    "funding_bids": ("id", "campaign_id", "funder", "amount_pence", "status", "made_at", "writer_ids", "decision_id"),
    "exchanges": ("id", "minutes", "what", "status", "at", "awaiting", "from_id", "to_id"),
}
assert tuple(FIELDS) == JSON_SECTIONS

MERGES: dict[str, LiteralString] = {
    "contributions": queries.loop_records.MERGE_CONTRIBUTIONS,
    "decisions": queries.loop_records.MERGE_DECISIONS,
    "sign_offs": queries.loop_records.MERGE_SIGN_OFFS,
    "meetings": queries.loop_records.MERGE_MEETINGS,
    "surveys": queries.loop_records.MERGE_SURVEYS,
    "funding_bids": queries.loop_records.MERGE_FUNDING_BIDS,
    "exchanges": queries.loop_records.MERGE_EXCHANGES,
}

EXPORTS: dict[str, LiteralString] = {
    "contributions": queries.loop_records.EXPORT_CONTRIBUTIONS,
    "decisions": queries.loop_records.EXPORT_DECISIONS,
    "sign_offs": queries.loop_records.EXPORT_SIGN_OFFS,
    "meetings": queries.loop_records.EXPORT_MEETINGS,
    "surveys": queries.loop_records.EXPORT_SURVEYS,
    "funding_bids": queries.loop_records.EXPORT_FUNDING_BIDS,
    "exchanges": queries.loop_records.EXPORT_EXCHANGES,
}

_STAGES = tuple(s.value for s in CampaignStatus)


def _each(values: Record, field: str, allowed: tuple[str, ...], convert: Callable[[Record], Record]) -> list[Record]:
    """A list of objects, each checked; a problem names the item: positions[2].stance."""
    items = values.get(field)
    if items is None:
        return []
    if not isinstance(items, list):
        raise Invalid(field, "must be a list")
    checked = []
    for number, item in enumerate(items, start=1):
        try:
            if not isinstance(item, dict):
                raise Invalid("-", "must be an object")
            check.only_fields(item, allowed)
            checked.append(convert(item))
        except Invalid as bad:
            raise Invalid(f"{field}[{number}].{bad.field}", bad.reason) from None
    return checked


def _stage(values: Record, field: str = "stage") -> str | None:
    value = values.get(field)
    if value is None:
        return None
    if value not in _STAGES:
        raise Invalid(field, f"{value!r} is not one of {', '.join(_STAGES)}")
    return str(value)


def _whole(values: Record, field: str, low: int, high: int, default: int | None = None) -> int:
    if values.get(field) is None and default is not None:
        return default
    return check.whole(values, field, low, high)


def _ids(values: Record, field: str) -> list[str]:
    return list(check.identifiers(values, field))


def _contribution(values: Record) -> Record:
    check.only_fields(values, FIELDS["contributions"])
    kind = check.choice(values, "kind", ContributionKind)
    area = check.polygon(values, multi=True, field="area") if values.get("area") is not None else None
    if (kind is ContributionKind.NEXT_AREA) != (area is not None):
        raise Invalid("area", "a next area has an area, and nothing else does")
    withdrawn = check.flag(values, "withdrawn")
    recorded_by = check.identifier(values, "recorded_by_id", required=False)
    recorded_from = (
        check.choice(values, "recorded_from", RecordedFrom) if values.get("recorded_from") is not None else None
    )
    if (recorded_by is None) != (recorded_from is None):
        raise Invalid("recorded_from", "input written down by an organiser says where it was said, and only then")
    return {
        "id": check.identifier(values, "id"),
        "campaign_id": check.identifier(values, "campaign_id"),
        "kind": kind.value,
        "text": check.text(values, "text", required=not withdrawn, limit=check.MAX_TEXT),
        "made_at": check.moment(values, "made_at"),
        "withdrawn": withdrawn,
        "stage": _stage(values),
        "area": area,
        "said_by": _ids(values, "said_by"),  # none: its author was erased
        "entered_by_id": check.identifier(values, "entered_by_id", required=False),
        "recorded_by_id": recorded_by,
        "recorded_from": recorded_from.value if recorded_from else None,
        "positions": _each(values, "positions", ("person_id", "stance", "reason", "at", "stage"), _position),
    }


def _position(values: Record) -> Record:
    stance = check.choice(values, "stance", Stance)
    reason = check.text(values, "reason", required=stance is Stance.OBJECT, limit=check.MAX_TEXT)
    return {
        "person_id": check.identifier(values, "person_id"),
        "stance": stance.value,
        "reason": reason,
        "at": check.moment(values, "at"),
        "stage": _stage(values),
    }


def _decision(values: Record) -> Record:
    check.only_fields(values, FIELDS["decisions"])
    informed_by = _ids(values, "informed_by")
    if not informed_by:
        raise Invalid("informed_by", "a decision names at least one contribution that informed it")
    return {
        "id": check.identifier(values, "id"),
        "campaign_id": check.identifier(values, "campaign_id"),
        "statement": check.text(values, "statement", required=True, limit=check.MAX_TEXT),
        "decided_at": check.moment(values, "decided_at"),
        "informed_by": informed_by,
        "took_part": _each(
            values,
            "took_part",
            ("person_id", "stage"),
            lambda v: {"person_id": check.identifier(v, "person_id"), "stage": _stage(v)},
        ),
        "outcomes": _each(values, "outcomes", ("id", "title", "status", "progress", "due_on", "updates"), _outcome),
    }


def _outcome(values: Record) -> Record:
    due_on = check.day(values, "due_on")
    return {
        "id": check.identifier(values, "id"),
        "title": check.text(values, "title", required=True, limit=check.MAX_TEXT),
        "status": check.choice(values, "status", OutcomeStatus).value,
        "progress": check.whole(values, "progress", 0, 100),
        "due_on": due_on.isoformat() if due_on else None,
        "updates": _each(values, "updates", ("at", "status", "progress", "note"), _update),
    }


def _update(values: Record) -> Record:
    return {
        "at": check.moment(values, "at"),
        "status": check.choice(values, "status", OutcomeStatus).value,
        "progress": check.whole(values, "progress", 0, 100),
        "note": check.text(values, "note", required=False, limit=check.MAX_TEXT),
    }


def _sign_off(values: Record) -> Record:
    check.only_fields(values, FIELDS["sign_offs"])
    satisfied = check.flag(values, "satisfied")
    return {
        "person_id": check.identifier(values, "person_id"),
        "campaign_id": check.identifier(values, "campaign_id"),
        "satisfied": satisfied,
        "reason": check.text(values, "reason", required=not satisfied, limit=check.MAX_TEXT),
        "at": check.moment(values, "at"),
    }


def _meeting(values: Record) -> Record:
    check.only_fields(values, FIELDS["meetings"])
    latitude = check.number(values, "latitude", -90, 90)
    longitude = check.number(values, "longitude", -180, 180)
    if (latitude is None) != (longitude is None):
        raise Invalid("latitude" if latitude is None else "longitude", "latitude and longitude come together")
    return {
        "id": check.identifier(values, "id"),
        "campaign_id": check.identifier(values, "campaign_id"),
        "title": check.text(values, "title", required=True, limit=check.MAX_NAME),
        "starts_at": check.moment(values, "starts_at"),
        "place_name": check.text(values, "place_name", required=True, limit=check.MAX_NAME),
        "latitude": latitude,
        "longitude": longitude,
        "accessibility": check.text(values, "accessibility", required=False, limit=check.MAX_TEXT),
        "stage": _stage(values),
        "erased_in_person": _whole(values, "erased_in_person", 0, 1_000_000, 0),
        "erased_remote": _whole(values, "erased_remote", 0, 1_000_000, 0),
        "attendance": _each(values, "attendance", ("person_id", "how", "stage", "at"), _attendance),
    }


def _attendance(values: Record) -> Record:
    return {
        "person_id": check.identifier(values, "person_id"),
        "how": check.choice(values, "how", Attendance).value,
        "stage": _stage(values),
        "at": check.moment(values, "at", required=False),
    }


def _survey(values: Record) -> Record:
    check.only_fields(values, FIELDS["surveys"])
    questions = _each(values, "questions", ("id", "position", "text", "kind", "choices"), _question)
    if not questions:
        raise Invalid("questions", "a survey asks at least one question")
    answered = _each(
        values,
        "answered",
        ("person_id", "stage"),
        lambda v: {"person_id": check.identifier(v, "person_id"), "stage": _stage(v)},
    )
    respondents = _whole(values, "respondents", 0, 1_000_000, len(answered))
    if respondents < len(answered):
        raise Invalid("respondents", f"fewer than the {len(answered)} who answered")
    asked = {q["id"] for q in questions}
    answers = _each(values, "answers", ("question_id", "value", "batch"), _answer)
    for number, answer in enumerate(answers, start=1):
        if answer["question_id"] not in asked:
            raise Invalid(f"answers[{number}].question_id", "not one of this survey's questions")
        if answer["batch"] * 5 >= max(respondents, 1):
            raise Invalid(f"answers[{number}].batch", f"beyond the {respondents} respondents")
    return {
        "id": check.identifier(values, "id"),
        "campaign_id": check.identifier(values, "campaign_id"),
        "title": check.text(values, "title", required=True, limit=check.MAX_NAME),
        "open": check.flag(values, "open"),
        "respondents": respondents,
        "created_at": check.moment(values, "created_at"),
        "questions": questions,
        "answered": answered,
        "answers": answers,
    }


def _question(values: Record) -> Record:
    choices = values.get("choices")
    if choices is not None and not (isinstance(choices, list) and all(isinstance(c, str) for c in choices)):
        raise Invalid("choices", "must be a list of words")
    return {
        "id": check.identifier(values, "id"),
        "position": check.whole(values, "position", 0, 1000),
        "text": check.text(values, "text", required=True, limit=check.MAX_TEXT),
        "kind": check.choice(values, "kind", QuestionKind).value,
        "choices": choices,
    }


def _answer(values: Record) -> Record:
    value = values.get("value")
    if value is None or isinstance(value, bool) or not isinstance(value, str | int):
        raise Invalid("value", "an answer is a word or a whole number")
    return {
        "question_id": check.identifier(values, "question_id"),
        "value": value,
        "batch": check.whole(values, "batch", 0, 1_000_000),
    }


def _funding_bid(values: Record) -> Record:
    check.only_fields(values, FIELDS["funding_bids"])
    return {
        "id": check.identifier(values, "id"),
        "campaign_id": check.identifier(values, "campaign_id"),
        "funder": check.text(values, "funder", required=True, limit=check.MAX_NAME),
        "amount_pence": check.whole(values, "amount_pence", 0, 10**12),
        "status": check.choice(values, "status", BidStatus).value,
        "made_at": check.moment(values, "made_at"),
        "writer_ids": _ids(values, "writer_ids"),
        "decision_id": check.identifier(values, "decision_id", required=False),
    }


def _exchange(values: Record) -> Record:
    check.only_fields(values, FIELDS["exchanges"])
    status = check.choice(values, "status", ExchangeStatus)
    awaiting = check.identifier(values, "awaiting", required=False)
    if (status is ExchangeStatus.PROPOSED) != (awaiting is not None):
        raise Invalid("awaiting", "an exchange waits for someone while it is proposed, and only then")
    from_id = check.identifier(values, "from_id", required=False)  # none: the community pot
    to_id = check.identifier(values, "to_id", required=False)
    if from_id == to_id:
        raise Invalid("to_id", "an exchange is between two different accounts")
    return {
        "id": check.identifier(values, "id"),
        "minutes": check.whole(values, "minutes", 1, 1_000_000),
        "what": check.text(values, "what", required=False, limit=check.MAX_TEXT),
        "status": status.value,
        "at": check.moment(values, "at"),
        "awaiting": awaiting,
        "from_id": from_id,
        "to_id": to_id,
    }


CONVERTERS: dict[str, Callable[[Record], Record]] = {
    "contributions": _contribution,
    "decisions": _decision,
    "sign_offs": _sign_off,
    "meetings": _meeting,
    "surveys": _survey,
    "funding_bids": _funding_bid,
    "exchanges": _exchange,
}


def unique_keys(section: str, record: Record) -> list[tuple[str, Any]]:
    if section == "sign_offs":
        return [("person_id", (record["person_id"], record["campaign_id"]))]
    return [("id", record["id"])]


def references(section: str, record: Record) -> list[Reference]:
    """The ids a record points at, each of which must be in the files or in the graph."""
    found: list[Reference] = []
    if "campaign_id" in record:
        found.append(("campaign_id", "campaigns", record["campaign_id"]))
    for field in ("person_id", "entered_by_id", "recorded_by_id", "from_id", "to_id", "awaiting"):
        if field in record:
            found.append((field, "people", record[field]))
    nested = {"positions": "person_id", "took_part": "person_id", "attendance": "person_id", "answered": "person_id"}
    for field, inner in nested.items():
        found += [(field, "people", item[inner]) for item in record.get(field) or ()]
    found += [("informed_by", "contributions", x) for x in record.get("informed_by") or ()]
    found += [(field, "people", p) for field in ("writer_ids", "said_by") for p in record.get(field) or ()]
    if section == "funding_bids":
        found.append(("decision_id", "decisions", record["decision_id"]))
    return found


def exported(section: str, row: Record) -> Record:
    """A row as read from the graph, as its file holds it (the same shape import checks), its
    fields in a fixed order (Neo4j's maps have none), so that the same graph gives the same file."""
    if section == "contributions" and row["area"]:
        row = {**row, "area": json.loads(row["area"])}
    return {field: _in_order(row[field]) for field in FIELDS[section]}


def _in_order(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _in_order(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_in_order(item) for item in value]
    return value


def written(section: str, record: Record) -> Record:
    """A checked record as its MERGE statement takes it (the graph keeps an area as GeoJSON text)."""
    if section == "contributions" and record["area"]:
        return {**record, "area": json.dumps(record["area"])}
    return record
