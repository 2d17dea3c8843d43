"""The compiled path: a root field whose whole selection Peermap knows how to read is answered by
one Cypher query whose result already has the answer's shape, instead of by the resolvers one
field at a time.

graphql-core has parsed, validated and costed the request and collected the root fields by its
own rules (fragments, type conditions, @skip and @include with this request's variables). For each
root field this executor is asked to run, it walks the selection the same way
(`collect_subfields`) and builds a graph.shaped read plus a shaper: a tree of small functions
that turns the read's nested lists into the answer, keys in selection order, aliases, global ids,
enums, cursors and page info done as the resolvers do them. Anything else in the selection (a
field the compiled path does not read, @defer, `last`, a filter, an argument the resolvers would
refuse) and the resolvers answer the field as before, so errors are theirs, word for word.

ReadPath.COMPARED runs both and fails the request if the two answers differ by a byte: the tests
run in that mode, so every query they ask of a compiled field proves the two paths agree.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import orjson
from graphql import (
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    get_named_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from ..graph import shaped
from ..graph.database import unobserved
from ..graph.model import Role, SkillMode
from ..graph.shaped import (
    COLUMNS,
    ID,
    SEEN_EXACTLY,
    SKILLS,
    TIES,
    TYPE_NAME,
    PersonRead,
    SkillsRead,
    TiesRead,
    Window,
)
from .context import Context
from .cost import ReadPath
from .ids import global_id, parse_global_id
from .paging import cursor_for, window

log = logging.getLogger(__name__)

Shape = Callable[[Any], Any]
ItemShape = Callable[[Any, int], Any]  # an item of a list and its place in the whole list
PageShape = Callable[[list[Any], int, int], Any]  # a page's items, its offset and the list's length
Run = Callable[[Context], Awaitable[Any]]

_ROLE_NAMES = {role.value: role.name for role in Role}
_MODE_NAMES = {mode.value: mode.name for mode in SkillMode}


class NotCompiled(Exception):
    """The selection asks for something the compiled path does not read: the resolvers answer it."""


class AnswersDiffer(AssertionError):
    """ReadPath.COMPARED: the compiled answer is not byte for byte the resolvers' answer."""


# Mismatches seen in this process (ReadPath.COMPARED), for the test session to report at its end.
MISMATCHES: list[str] = []


def _column(columns: list[str], name: str) -> int:
    if name not in columns:
        columns.append(name)
    return columns.index(name)


class _Planner:
    """Turns one root field's selection into a read and a shaper, using the executor's own field
    collection so fragments and directives count exactly as they do for the resolvers."""

    def __init__(self, executor: CompilingExecutor) -> None:
        self.executor = executor
        self.schema = executor.schema

    def _object(
        self, object_type: GraphQLObjectType, details: FieldDetailsList, field: Callable[[str, FieldDetailsList], Any]
    ) -> list[tuple[str, Any]]:
        """Each response key the selection asks of this type, in order, with its shaper (`field`
        makes it, or raises NotCompiled); __typename is the type's name."""
        collected = self.executor.collect_subfields(object_type, details)
        if collected.new_defer_usages:
            raise NotCompiled("@defer")
        shaped: list[tuple[str, Any]] = []
        for key, field_details in collected.grouped_field_set.items():
            name = field_details[0].node.name.value
            shaped.append((key, _constant(object_type.name) if name == "__typename" else field(name, field_details)))
        return shaped

    def _arguments(self, parent: GraphQLObjectType, details: FieldDetailsList) -> dict[str, Any]:
        first = details[0]
        if first.fragment_variable_values is not None:
            raise NotCompiled("fragment arguments")
        definition = parent.fields[first.node.name.value]
        return get_argument_values(definition, first.node, self.executor.variable_values)

    def _window(self, arguments: dict[str, Any]) -> Window:
        if arguments.get("last") is not None:
            raise NotCompiled("last")  # needs the list's length first
        try:
            chosen = window(
                first=arguments.get("first"), after=arguments.get("after"), last=None, before=arguments.get("before")
            )
        except GraphQLError as refused:
            raise NotCompiled("an argument the resolvers refuse") from refused
        return Window(chosen.offset, chosen.limit)

    # A person -----------------------------------------------------------------------------------

    def person(self, details: FieldDetailsList) -> tuple[PersonRead, Shape]:
        """Whoever the person turns out to be (Member, SupportWorker, ...), their read and shaper."""
        person_interface = self.schema.get_type("Person")
        assert isinstance(person_interface, GraphQLInterfaceType)
        columns: list[str] = []
        skills: list[SkillsRead] = []
        ties: list[TiesRead] = []
        nested: dict[tuple[int, ...], Shape] = {}  # the same list asked of every kind of person, read once
        by_type: dict[str, list[tuple[str, Shape]]] = {}
        for object_type in self.schema.get_possible_types(person_interface):
            by_type[object_type.name] = self._object(
                object_type,
                details,
                partial(self._person_field, object_type, columns=columns, skills=skills, ties=ties, nested=nested),
            )

        def shape(row: Any) -> Any:
            if row is None:
                return None
            return {key: get(row) for key, get in by_type[row[TYPE_NAME]]}

        return PersonRead(columns=tuple(columns), skills=tuple(skills), ties=tuple(ties)), shape

    def _person_field(
        self,
        person_type: GraphQLObjectType,
        name: str,
        details: FieldDetailsList,
        *,
        columns: list[str],
        skills: list[SkillsRead],
        ties: list[TiesRead],
        nested: dict[tuple[int, ...], Shape],
    ) -> Shape:
        if name == "id":
            return lambda row: global_id("Person", row[ID])
        if name in ("name", "bio", "contact"):
            at = _column(columns, name)
            return lambda row: row[COLUMNS][at]
        if name == "roles":
            at = _column(columns, "roles")
            return lambda row: [_ROLE_NAMES[label] for label in sorted(row[COLUMNS][at])]
        if name == "neighbourhoodId":
            at = _column(columns, "neighbourhood_id")
            return lambda row: global_id("Neighbourhood", found) if (found := row[COLUMNS][at]) else None
        if name == "home":
            return self._home(person_type, details, _column(columns, "home"))
        if name not in ("skills", "ties"):
            raise NotCompiled(name)
        key = tuple(id(d.node) for d in details)
        if key not in nested:
            arguments = self._arguments(person_type, details)
            list_window = self._window(arguments)
            connection_type = get_named_type(person_type.fields[name].type)
            assert isinstance(connection_type, GraphQLObjectType)
            if name == "skills":
                skill_columns: list[str] = []
                counted, shape_page = self.connection(
                    connection_type, details, lambda t, d: self._skill(t, d, skill_columns)
                )
                at = len(skills)
                skills.append(SkillsRead(list_window, counted, tuple(skill_columns)))
                nested[key] = lambda row: shape_page(row[SKILLS][at], list_window.skip)
            else:
                tie_columns: list[str] = []
                person_read: list[PersonRead] = []
                counted, shape_page = self.connection(
                    connection_type, details, lambda t, d: self._tie(t, d, tie_columns, person_read)
                )
                at = len(ties)
                ties.append(TiesRead(list_window, counted, tuple(tie_columns), person_read[0] if person_read else None))
                nested[key] = lambda row: shape_page(row[TIES][at], list_window.skip)
        return nested[key]

    def _home(self, person_type: GraphQLObjectType, details: FieldDetailsList, at: int) -> Shape:
        """A GeoPoint, as the resolvers make it: exact only where the viewer sees the home itself."""
        point_type = get_named_type(person_type.fields["home"].type)
        assert isinstance(point_type, GraphQLObjectType)
        parts: dict[str, Shape] = {
            "type": lambda row: "Point",
            "coordinates": lambda row: row[COLUMNS][at],
            "exact": lambda row: row[SEEN_EXACTLY],
        }

        def field(name: str, field_details: FieldDetailsList) -> Shape:
            if name not in parts:
                raise NotCompiled(name)
            return parts[name]

        fields = self._object(point_type, details, field)
        return lambda row: {key: get(row) for key, get in fields} if row[COLUMNS][at] is not None else None

    def _skill(self, skill_type: GraphQLObjectType, details: FieldDetailsList, columns: list[str]) -> ItemShape:
        """A PersonSkill: an item [columns] of a skills read."""

        def field(name: str, field_details: FieldDetailsList) -> Shape:
            if name in ("level", "since"):
                return _at(_column(columns, name))
            if name == "mode":
                return _mode(_column(columns, "mode"))
            if name == "skill":
                return self._skill_itself(skill_type, field_details, columns)
            raise NotCompiled(name)

        fields = self._object(skill_type, details, field)
        return lambda item, _: {key: get(item) for key, get in fields}

    def _skill_itself(self, parent: GraphQLObjectType, details: FieldDetailsList, columns: list[str]) -> Shape:
        skill_type = get_named_type(parent.fields["skill"].type)
        assert isinstance(skill_type, GraphQLObjectType)

        def field(name: str, field_details: FieldDetailsList) -> Shape:
            if name == "id":
                return _skill_id(_column(columns, "skill_id"))
            if name in ("name", "category"):
                return _at(_column(columns, f"skill_{name}"))
            raise NotCompiled(name)

        fields = self._object(skill_type, details, field)
        return lambda item: {key: get(item) for key, get in fields}

    def _tie(
        self, tie_type: GraphQLObjectType, details: FieldDetailsList, columns: list[str], person: list[PersonRead]
    ) -> ItemShape:
        """A Tie: an item [[columns], person or null] of a ties read."""

        def field(name: str, field_details: FieldDetailsList) -> Shape:
            if name in ("strength", "since", "lastContact"):
                return _in_tie(_column(columns, "last_contact" if name == "lastContact" else name))
            if name != "person":
                raise NotCompiled(name)
            if person:
                raise NotCompiled("person asked twice under one tie")  # one read of them per tie
            read, shape_person = self.person(field_details)
            person.append(read)
            return _tied_person(shape_person)

        fields = self._object(tie_type, details, field)
        return lambda item, _: {key: get(item) for key, get in fields}

    # A connection -------------------------------------------------------------------------------

    def connection(
        self,
        connection_type: GraphQLObjectType,
        details: FieldDetailsList,
        item: Callable[[Any, FieldDetailsList], ItemShape],
    ) -> tuple[bool, Callable[[Any, int], Any]]:
        """(whether the total is needed, a shaper of [total, items] at an offset) for a Relay
        connection, as schema.paging.connection builds it."""
        counted = False

        def field(name: str, field_details: FieldDetailsList) -> PageShape:
            nonlocal counted
            if name == "totalCount":
                counted = True
                return lambda items, offset, total: total
            if name == "pageInfo":
                counted = True
                return self._page_info(connection_type, field_details)
            if name == "edges":
                return self._edges(connection_type, field_details, item)
            if name == "nodes":
                return _nodes(item(get_named_type(connection_type.fields["nodes"].type), field_details))
            raise NotCompiled(name)

        fields = self._object(connection_type, details, field)

        def shape(page: Any, offset: int) -> Any:
            total, items = page
            if total is None:
                total = offset + len(items)
            return {key: get(items, offset, total) for key, get in fields}

        return counted, shape

    def _edges(
        self,
        connection_type: GraphQLObjectType,
        details: FieldDetailsList,
        item: Callable[[Any, FieldDetailsList], ItemShape],
    ) -> PageShape:
        edge_type = get_named_type(connection_type.fields["edges"].type)
        assert isinstance(edge_type, GraphQLObjectType)

        def field(name: str, field_details: FieldDetailsList) -> ItemShape:
            if name == "cursor":
                return lambda v, i: cursor_for(i)
            if name == "node":
                return item(get_named_type(edge_type.fields["node"].type), field_details)
            raise NotCompiled(name)

        fields = self._object(edge_type, details, field)
        return lambda items, offset, total: [
            {key: get(v, offset + i) for key, get in fields} for i, v in enumerate(items)
        ]

    def _page_info(self, connection_type: GraphQLObjectType, details: FieldDetailsList) -> PageShape:
        info_type = get_named_type(connection_type.fields["pageInfo"].type)
        assert isinstance(info_type, GraphQLObjectType)
        parts: dict[str, PageShape] = {
            "hasNextPage": lambda items, offset, total: offset + len(items) < total,
            "hasPreviousPage": lambda items, offset, total: offset > 0,
            "startCursor": lambda items, offset, total: cursor_for(offset) if items else None,
            "endCursor": lambda items, offset, total: cursor_for(offset + len(items) - 1) if items else None,
        }
        fields = self._object(info_type, details, lambda name, _: parts[name])
        return lambda items, offset, total: {key: get(items, offset, total) for key, get in fields}

    # Root fields --------------------------------------------------------------------------------

    def root(self, query_type: GraphQLObjectType, details: FieldDetailsList) -> Run:
        name = details[0].node.name.value
        if name not in ("people", "node", "viewer"):
            raise NotCompiled(name)
        if any(d.defer_usage is not None for d in details):
            raise NotCompiled("@defer")
        if name == "people":
            return self._people(query_type, details)
        if name in ("node", "viewer"):
            arguments = self._arguments(query_type, details)
            person_id: str | None = None
            if name == "node":
                try:
                    kind, person_id = parse_global_id(str(arguments["id"]))
                except GraphQLError as refused:
                    raise NotCompiled("an id the resolvers refuse") from refused
                if kind != "Person":
                    raise NotCompiled(f"a {kind}")
            read, shape = self.person(details)

            async def one_person(context: Context) -> Any:
                wanted = person_id if name == "node" else context.viewer.person_id
                if wanted is None:
                    return None
                return shape(await shaped.person_by_id(context.graph, read, wanted))

            return one_person
        raise NotCompiled(name)

    def _people(self, query_type: GraphQLObjectType, details: FieldDetailsList) -> Run:
        arguments = self._arguments(query_type, details)
        if arguments.get("filter") is not None or arguments.get("near") is not None:
            raise NotCompiled("a filtered search")
        page_window = self._window(arguments)
        connection_type = get_named_type(query_type.fields["people"].type)
        assert isinstance(connection_type, GraphQLObjectType)
        reads: list[PersonRead] = []

        def person_item(_: Any, node_details: FieldDetailsList) -> ItemShape:
            read, shape_person = self.person(node_details)
            if reads and reads[0] != read:
                raise NotCompiled("nodes and edges asking different things of people")
            reads.append(read)
            return lambda row, _: shape_person(row)

        counted, shape_page = self.connection(connection_type, details, person_item)
        read = reads[0] if reads else PersonRead()

        async def page(context: Context) -> Any:
            rows, total = await shaped.people_page(context.graph, read, window=page_window, counted=counted)
            return shape_page([total, rows], page_window.skip)

        return page


# Small shapers, each made once per field when the plan is built.


def _constant(value: str) -> Callable[..., Any]:
    return lambda *_: value


def _at(index: int) -> Shape:
    return lambda item: item[index]


def _in_tie(index: int) -> Shape:
    return lambda item: item[0][index]


def _mode(index: int) -> Shape:
    return lambda item: _MODE_NAMES[item[index]]


def _skill_id(index: int) -> Shape:
    return lambda item: global_id("Skill", item[index])


def _tied_person(shape_person: Shape) -> Shape:
    return lambda item: shape_person(item[1])


def _nodes(shape_node: ItemShape) -> PageShape:
    return lambda items, offset, total: [shape_node(item, offset + i) for i, item in enumerate(items)]


class CompilingExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, with the root fields of queries answered by the compiled path
    where it can (ReadPath in the API policy says whether)."""

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        context = self.context_value
        if (
            parent_type is self.schema.query_type
            and isinstance(context, Context)
            and context.policy.reads is not ReadPath.RESOLVERS
        ):
            try:
                run = _Planner(self).root(parent_type, field_details_list)
            except NotCompiled:
                run = None
            if run is not None:
                by_resolvers = partial(
                    super().execute_field, parent_type, source, field_details_list, path, position_context
                )
                return self._compiled(run, context, str(path.key), by_resolvers)
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    async def _compiled(self, run: Run, context: Context, key: str, by_resolvers: Callable[[], Any]) -> Any:
        try:
            answer = await run(context)
        except Exception:  # the resolvers answer instead, with their own error if it is one
            log.warning("compiled read of %s failed; the resolvers answer", key, exc_info=True)
            return await self._settled(by_resolvers())
        if context.policy.reads is ReadPath.COMPARED:
            with unobserved():
                expected = await self._settled(by_resolvers())
            ours, theirs = orjson.dumps(answer), orjson.dumps(expected)
            if ours != theirs:
                at = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b), len(ours))
                near = slice(max(0, at - 80), at + 80)
                difference = f"{key}, at byte {at}: compiled {ours[near]!r}, resolvers {theirs[near]!r}"
                MISMATCHES.append(difference)
                raise AnswersDiffer(difference)
        return answer

    async def _settled(self, value: Any) -> Any:
        return await value if self.is_awaitable(value) else value
