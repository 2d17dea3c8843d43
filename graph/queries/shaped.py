"""Reads whose one result already has the answer's shape: a person and what hangs off them, to any
depth, as nested lists (graph/shaped.py says what each position holds).

The rules are the same fragments every other read of people uses (queries.fragments), written for
each level's person by name (p0, p1, ...): who may see a person, their skills, their ties and their
contact details is decided here, inside the one query, never after it. Only the shape varies with
the request; every value, windows included, arrives as a parameter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, LiteralString

from .fragments import VIEWER, VIEWER_NODE, audience_of, skills_shown, ties_shown

if TYPE_CHECKING:
    from ..shaped import PersonRead, SkillsRead, TiesRead

# Each column a person, a skill of theirs or a tie of theirs can give, as Cypher over the level's
# names: {p} the person, {a} how the viewer stands to them, {r} the relationship, {s} the skill.
_PERSON_COLUMNS: dict[str, LiteralString] = {
    "name": "{p}.name",
    "bio": "coalesce({p}.bio, '')",
    "roles": "[label IN labels({p}) WHERE label IN ['Member', 'SupportWorker', 'Volunteer', 'Coordinator']]",
    "contact": "CASE WHEN {a} = 'self' OR coalesce({p}.contactable, false) THEN coalesce({p}.contact, '') END",
    "neighbourhood_id": "head(COLLECT { MATCH ({p})-[:LIVES_IN]->(n:Neighbourhood) RETURN n.id })",
    # [longitude, latitude] of where the viewer may see the home (fragments.SEEN_POSITION), or null.
    "home": """head([seen IN [CASE WHEN {a} IN ['self', 'supporter'] THEN {p}.location
                              WHEN {p}.locationVisibility = 'hidden' THEN null ELSE {p}.cell END]
                 WHERE seen IS NOT NULL | [seen.longitude, seen.latitude]])""",
}
_SKILL_COLUMNS: dict[str, LiteralString] = {
    "level": "{r}.level",
    "mode": "{r}.mode",
    "since": "toString({r}.since)",
    "skill_id": "{s}.id",
    "skill_name": "{s}.name",
    "skill_category": "{s}.category",
}
_TIE_COLUMNS: dict[str, LiteralString] = {
    "strength": "{r}.strength",
    "since": "toString({r}.since)",
    "last_contact": "toString({r}.lastContact)",
}

# A person is presented as the first of these roles they hold (schema.types._PERSON_TYPES).
_TYPE_NAME: LiteralString = """CASE WHEN {p}:Member THEN 'Member' WHEN {p}:SupportWorker THEN 'SupportWorker'
  WHEN {p}:Volunteer THEN 'Volunteer' WHEN {p}:Coordinator THEN 'Coordinator' ELSE 'Member' END"""


_DIGITS: tuple[LiteralString, ...] = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")


def _number(number: int) -> LiteralString:
    """A number the compiler counted, as Cypher text: made of literal digits, never text from a request."""
    return "".join(_DIGITS[int(digit)] for digit in str(int(number)))


def _numbered(prefix: LiteralString, number: int) -> LiteralString:
    return prefix + _number(number)


def _fill(template: LiteralString, **names: LiteralString) -> LiteralString:
    for name, value in names.items():
        template = template.replace("{" + name + "}", value)
    return template


def _window(index: int) -> LiteralString:
    """SKIP and LIMIT from the request's windows parameter: [[skip, limit], ...] in the reads' order."""
    at = _number(index)
    return f"SKIP $windows[{at}][0] LIMIT $windows[{at}][1]"


class _Emitter:
    """Writes the Cypher for one read, numbering each level's names and each window as it goes."""

    def __init__(self) -> None:
        self.windows = 0
        self.relationships = 0

    def _next_window(self) -> LiteralString:
        self.windows += 1
        return _window(self.windows - 1)

    def _next_relationship(self) -> LiteralString:
        self.relationships += 1
        return _numbered("r", self.relationships)

    def person(self, read: PersonRead, depth: int) -> LiteralString:
        """[type name, id, seen exactly, [columns], [skills reads], [ties reads]] for the person
        p{depth}, whose audience a{depth} is already bound."""
        p, a = _numbered("p", depth), _numbered("a", depth)
        located: LiteralString = f"{a} IN ['self', 'supporter'] AND {p}.location IS NOT NULL"
        columns = ", ".join(_fill(_PERSON_COLUMNS[c], p=p, a=a) for c in read.columns)
        skills = ", ".join(self.skills(s, p, a) for s in read.skills)
        ties = ", ".join(self.ties(t, p, a, depth) for t in read.ties)
        return f"[{_fill(_TYPE_NAME, p=p)}, {p}.id, {located}, [{columns}], [{skills}], [{ties}]]"

    def skills(self, read: SkillsRead, p: LiteralString, a: LiteralString) -> LiteralString:
        """[total or null, [[columns], ...]]: the window of the skills the viewer may read."""
        r, s = self._next_relationship(), _numbered("s", self.relationships)
        columns = ", ".join(_fill(_SKILL_COLUMNS[c], r=r, s=s) for c in read.columns)
        total: LiteralString = f"COUNT {{ ({p})-[:HAS_SKILL]->(:Skill) }}" if read.counted else "null"
        items: LiteralString = (
            f"COLLECT {{ MATCH ({p})-[{r}:HAS_SKILL]->({s}:Skill) WITH * ORDER BY {s}.name, {s}.id "
            f"{self._next_window()} RETURN [{columns}] }}"
        )
        return f"CASE WHEN {skills_shown(p, a)} THEN [{total}, {items}] ELSE [0, []] END"

    def ties(self, read: TiesRead, p: LiteralString, a: LiteralString, depth: int) -> LiteralString:
        """[total or null, [[[columns], person or null], ...]]: the window of the ties the viewer may read."""
        r, window = self._next_relationship(), self._next_window()  # before the people inside it
        other, other_audience = _numbered("p", depth + 1), _numbered("a", depth + 1)
        columns = ", ".join(_fill(_TIE_COLUMNS[c], r=r) for c in read.columns)
        person: LiteralString = (
            f"CASE WHEN {other_audience} <> 'public' THEN {self.person(read.person, depth + 1)} END"
            if read.person is not None
            else "null"
        )
        total: LiteralString = f"COUNT {{ ({p})-[:KNOWS]-(:Person) }}" if read.counted else "null"
        items: LiteralString = (
            f"COLLECT {{ MATCH ({p})-[{r}:KNOWS]-({other}:Person) WITH * ORDER BY {other}.name, {other}.id "
            f"{window} WITH *, {audience_of(other, staff=_needs_staff(read.person))} AS {other_audience} "
            f"RETURN [[{columns}], {person}] }}"
        )
        return f"CASE WHEN {ties_shown(p, a)} THEN [{total}, {items}] ELSE [0, []] END"


def columns() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The columns a person, a skill of theirs and a tie can give, by name."""
    return tuple(_PERSON_COLUMNS), tuple(_SKILL_COLUMNS), tuple(_TIE_COLUMNS)


def _needs_staff(read: PersonRead | None) -> bool:
    """Whether anything read of the person depends on the viewer working with their network: only
    whom they know does (fragments.ties_shown)."""
    return read is not None and bool(read.ties)


def person_by_id(read: PersonRead) -> LiteralString:
    """One person by $id, or no row if the viewer may not see them."""
    return (
        VIEWER_NODE
        + f"MATCH (p0:Person {{id: $id}})\nWITH p0, {VIEWER}, {audience_of('p0', staff=_needs_staff(read))} AS a0\n"
        + "WHERE a0 <> 'public'\n"
        + f"RETURN {_Emitter().person(read, 0)} AS row"
    )


def people_page(read: PersonRead, *, counted: bool) -> LiteralString:
    """A page of people by name ($skip, $limit), and how many there are if counted; none signed out.
    The page is cut first, in the name index's order (not by sorting every person), and only then
    is anything that hangs off it read."""
    count: LiteralString = "COUNT { MATCH (p:Person) WHERE $viewer IS NOT NULL }" if counted else "null"
    return (
        VIEWER_NODE
        + f"""CALL () {{
  MATCH (p0:Person) WHERE $viewer IS NOT NULL AND p0.name IS NOT NULL
  WITH p0 ORDER BY p0.name, p0.id SKIP $skip LIMIT $limit
  RETURN collect(p0) AS page
}}
UNWIND page AS p0
WITH p0, {VIEWER}, {audience_of("p0", staff=_needs_staff(read))} AS a0
WHERE a0 <> 'public'
WITH collect({_Emitter().person(read, 0)}) AS rows
RETURN [rows, {count}] AS page"""
    )
