"""Import checks every row and writes all or nothing; export and import round-trip."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from peermap.graph.database import Graph
from peermap.graph.demo import demo_community
from peermap.graph.errors import ImportRejected
from peermap.graph.exporting import export_files, write_files
from peermap.graph.importing import import_files
from peermap.graph.locations import approximate
from peermap.graph.store import read_dataset, write_dataset
from peermap.server.settings import Settings


@pytest.fixture
def demo_files(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    write_files(demo_community(40, seed=5), folder)
    return folder


def _append(file: Path, *lines: str) -> None:
    with open(file, "a", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))


def _line_count(file: Path) -> int:
    return len(file.read_text(encoding="utf-8").splitlines())


async def _snapshot(graph: Graph) -> tuple[tuple[int, int], object]:
    return await graph.size(), await read_dataset(graph, exact_locations=True)


async def test_import_then_reimport_adds_nothing(graph: Graph, settings: Settings, demo_files: Path) -> None:
    await import_files(graph, demo_files)
    first = await _snapshot(graph)
    assert first[0][0] > 40
    await import_files(graph, demo_files)
    assert await _snapshot(graph) == first


async def test_export_then_import_round_trips(graph: Graph, settings: Settings, tmp_path: Path) -> None:
    community = demo_community(60, seed=9)
    await write_dataset(graph, community)
    await export_files(graph, tmp_path / "one", exact_locations=True)
    await export_files(graph, tmp_path / "one.json", exact_locations=True)
    before = await _snapshot(graph)

    for source in (tmp_path / "one", tmp_path / "one.json"):
        await graph.delete_all()
        await import_files(graph, source)
        assert await _snapshot(graph) == before, source.name

    await export_files(graph, tmp_path / "two", exact_locations=True)
    for file in sorted((tmp_path / "one").iterdir()):
        assert file.read_text() == (tmp_path / "two" / file.name).read_text(), file.name


async def test_a_plain_export_carries_no_exact_home(graph: Graph, settings: Settings, tmp_path: Path) -> None:
    community = demo_community(40, seed=2)
    await write_dataset(graph, community)
    await export_files(graph, tmp_path / "public.json")
    exported = {row["id"]: row for row in json.loads((tmp_path / "public.json").read_text())["people"]}
    assert len(exported) == len(community.people)
    for person in community.people:
        row = exported[person.id]
        if person.location_visibility.value == "hidden":
            assert "latitude" not in row and "longitude" not in row, person.id
        else:
            cell = approximate(person.home)
            assert (
                (row["latitude"], row["longitude"])
                == (cell.latitude, cell.longitude)
                != (person.home.latitude, person.home.longitude)
            ), person.id
    assert any(p.location_visibility.value == "hidden" for p in community.people), "the demo hides some homes"


async def test_a_person_another_tool_made_without_visibility_exports_as_approximate(
    graph: Graph, settings: Settings, tmp_path: Path
) -> None:
    """Peermap always writes locationVisibility; a node from elsewhere may lack it: it exports
    (as approximate, the default every read assumes) instead of failing the whole export."""
    await write_dataset(graph, demo_community(10, seed=1))
    await graph.driver.execute_query(
        "CREATE (:Person:Member {id: 'elsewhere-1', name: 'Made Elsewhere', bio: ''})",
        database_=settings.neo4j_database,
    )
    await export_files(graph, tmp_path / "all.json")
    row = next(p for p in json.loads((tmp_path / "all.json").read_text())["people"] if p["id"] == "elsewhere-1")
    assert row["location_visibility"] == "approximate" and "latitude" not in row


BAD_ROWS = [
    # (file, the bad line appended, the field that must be named, words of the reason)
    ("people.csv", "x-1,,Member,,56.46,-2.97,approximate,", "name", "required"),
    ("people.csv", "x-2,Ann,Wizard,,56.46,-2.97,approximate,", "roles", "roles are"),
    ("people.csv", "x-3,Ann,Member,,96.1,-2.97,approximate,", "latitude", "out of range"),
    ("people.csv", "x-4,Ann,Member,,56.46,,approximate,", "longitude", "come together"),
    ("people.csv", "x-5,Ann,Member,,56.46,-2.97,everyone,", "location_visibility", "not one of"),
    ("people.csv", "p-000001,Ann Again,Member,,56.46,-2.97,approximate,", "id", "duplicate"),
    ("people.csv", "bad id!,Ann,Member,,56.46,-2.97,approximate,", "id", "not a valid id"),
    ("people.csv", "x-6,Ann,Member,,56.46,-2.97,approximate,nb-atlantis", "neighbourhood_id", "not among"),
    ("people.csv", "x-7," + "A" * 201 + ",Member,,56.46,-2.97,approximate,", "name", "at most 200"),
    ("ties.csv", "p-000001,p-999999,3,2024-01-01,2024-02-01", "to_id", "not among"),
    ("ties.csv", "p-000001,p-000001,3,2024-01-01,2024-02-01", "to_id", "themselves"),
    ("ties.csv", "p-000001,p-000003,9,2024-01-01,2024-02-01", "strength", "from 1 to 5"),
    ("ties.csv", "p-000001,p-000003,2,2024-13-01,", "since", "not a date"),
    ("ties.csv", "p-000001,p-000003,2,2024-05-01,2024-02-01", "last_contact", "before"),
    ("person_skills.csv", "p-000001,sk-juggling,offers,3,", "skill_id", "not among"),
    ("person_skills.csv", "p-000001,sk-baking,teaches,3,", "mode", "not one of"),
    ("memberships.csv", "p-000001,net-99999,member", "network_id", "not among"),
    ("skills.csv", "sk-new,baking,food,", "name", "duplicate"),
]


@pytest.mark.parametrize(("file", "line", "field", "reason"), BAD_ROWS, ids=[f"{r[0]}:{r[2]}" for r in BAD_ROWS])
async def test_each_bad_row_is_named_and_nothing_is_written(
    graph: Graph, settings: Settings, demo_files: Path, file: str, line: str, field: str, reason: str
) -> None:
    await write_dataset(graph, demo_community(10, seed=1))
    before = await _snapshot(graph)
    _append(demo_files / file, line)
    bad_line = _line_count(demo_files / file)

    with pytest.raises(ImportRejected) as rejected:
        await import_files(graph, demo_files)

    problems = rejected.value.problems
    assert [(p.file, p.line, p.field) for p in problems] == [(file, bad_line, field)], problems
    assert reason in problems[0].reason
    assert await _snapshot(graph) == before


async def test_every_bad_row_is_reported_at_once(graph: Graph, settings: Settings, demo_files: Path) -> None:
    _append(demo_files / "people.csv", "x-1,,Member,,56.46,-2.97,approximate,", "x-2,Bo,Member,,56.46,-2.97,sometimes,")
    _append(demo_files / "ties.csv", "p-000001,nobody,3,,")
    with pytest.raises(ImportRejected) as rejected:
        await import_files(graph, demo_files)
    assert {(p.file, p.field) for p in rejected.value.problems} == {
        ("people.csv", "name"),
        ("people.csv", "location_visibility"),
        ("ties.csv", "to_id"),
    }
    assert await graph.size() == (0, 0)


def _feature_collection(geometry: dict, **properties: object) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": geometry, "properties": properties}],
    }


@pytest.mark.parametrize(
    ("geometry", "reason"),
    [
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}, "not a valid polygon"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [200, 1], [0, 0]]]}, "within range"),
        ({"type": "Point", "coordinates": [0, 0]}, "must be a GeoJSON Polygon"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1]]]}, "malformed"),
    ],
)
async def test_bad_areas_are_rejected(
    graph: Graph, settings: Settings, tmp_path: Path, geometry: dict, reason: str
) -> None:
    file = tmp_path / "neighbourhoods.geojson"
    file.write_text(json.dumps(_feature_collection(geometry, id="nb-x", name="X")))
    with pytest.raises(ImportRejected) as rejected:
        await import_files(graph, file)
    [problem] = rejected.value.problems
    assert (problem.line, problem.field) == (1, "geometry")
    assert reason in problem.reason


async def test_rows_may_refer_to_what_the_graph_holds(graph: Graph, settings: Settings, tmp_path: Path) -> None:
    await write_dataset(graph, demo_community(10, seed=1))
    ties = tmp_path / "ties.csv"
    ties.write_text("from_id,to_id,strength,since,last_contact\np-000001,p-000010,4,2025-01-01,2026-01-01\n")
    nodes, relationships = await graph.size()
    await import_files(graph, ties)
    await import_files(graph, ties)
    assert await graph.size() == (nodes, relationships), "the demo's own tie, merged on its ends, not doubled"
    records, _, _ = await graph.driver.execute_query(
        "MATCH (:Person {id: 'p-000001'})-[r:KNOWS]-(:Person {id: 'p-000010'}) "
        "RETURN count(r) AS n, max(r.strength) AS s",
        database_=settings.neo4j_database,
    )
    assert (records[0]["n"], records[0]["s"]) == (1, 4)


def test_a_wrong_header_names_the_columns(tmp_path: Path, cli_env: dict[str, str]) -> None:
    file = tmp_path / "people.csv"
    file.write_text("id,nom\nx,y\n")
    result = subprocess.run(
        [sys.executable, "-m", "peermap.server.cli", "import", str(file)], capture_output=True, text=True, env=cli_env
    )
    assert result.returncode == 2
    assert "people.csv, line 0, header: columns must be id,name,roles" in result.stderr
    assert "unknown: nom" in result.stderr


def test_the_cli_imports_and_exports(tmp_path: Path, cli_env: dict[str, str], demo_files: Path) -> None:
    def peermap(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "peermap.server.cli", *args], capture_output=True, text=True, env=cli_env
        )

    assert peermap("seed", "--demo", "--replace", "--members", "10").returncode == 0
    imported = peermap("import", str(demo_files))
    assert imported.returncode == 0, imported.stderr
    in_files = len(demo_community(40, seed=5).people)
    assert f"Imported {in_files} people" in imported.stderr
    exported = peermap("export", str(tmp_path / "out"), "--exact-locations")
    assert exported.returncode == 0, exported.stderr
    ids = {line.split(",")[0] for line in (tmp_path / "out" / "people.csv").read_text().splitlines()[1:]}
    # Ids merge: the seeded people with the same ids were updated, not doubled.
    assert ids == {p.id for p in demo_community(40, seed=5).people} | {p.id for p in demo_community(10, seed=1).people}


def _loop_records(**changes: object) -> dict[str, list[dict[str, object]]]:
    """An idea, a decision it informed with an outcome, and Bo's sign-off, on the demo's first campaign."""
    at = "2026-11-02T10:00:00Z"
    records: dict[str, list[dict[str, object]]] = {
        "contributions": [
            {
                "id": "x-1",
                "campaign_id": "c-00001",
                "kind": "idea",
                "text": "Benches",
                "made_at": at,
                "said_by": ["p-000001"],
                "positions": [],
            },
        ],
        "decisions": [
            {
                "id": "d-1",
                "campaign_id": "c-00001",
                "statement": "Two benches",
                "decided_at": at,
                "informed_by": ["x-1"],
                "took_part": [{"person_id": "p-000002", "stage": "planning"}],
                "outcomes": [
                    {
                        "id": "o-1",
                        "title": "Ask the council",
                        "status": "planned",
                        "progress": 0,
                        "due_on": "2027-01-31",
                        "updates": [{"at": at, "status": "planned", "progress": 0}],
                    }
                ],
            },
        ],
        "sign_offs": [{"person_id": "p-000001", "campaign_id": "c-00001", "satisfied": True, "at": at}],
    }
    for section, rows in changes.items():
        records[section] = rows  # type: ignore[assignment]
    return records


async def test_the_loops_records_are_checked_like_every_row(graph: Graph, settings: Settings, tmp_path: Path) -> None:
    await write_dataset(graph, demo_community(10, seed=1))
    before = await _snapshot(graph)
    at = "2026-11-02T10:00:00Z"
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            _loop_records(
                contributions=[
                    {
                        "id": "x-1",
                        "campaign_id": "c-00001",
                        "kind": "proposal",
                        "text": "Benches",
                        "made_at": at,
                        "said_by": ["p-000001"],
                        "positions": [{"person_id": "p-000002", "stance": "object", "at": at}],
                    },
                    {"id": "x-2", "campaign_id": "c-99999", "kind": "idea", "text": "Lights", "made_at": "Tuesday"},
                ],
                sign_offs=[{"person_id": "p-000001", "campaign_id": "c-00001", "satisfied": False, "at": at}],
                exchanges=[{"id": "e-1", "minutes": 60, "status": "proposed", "at": at, "from_id": "p-000001"}],
                surveys=[
                    {
                        "id": "s-1",
                        "campaign_id": "c-00001",
                        "title": "Where?",
                        "created_at": at,
                        "respondents": 5,
                        "questions": [{"id": "q-1", "position": 0, "text": "Where?", "kind": "text"}],
                        "answers": [{"question_id": "q-2", "value": "By the shop", "batch": 0}],
                    },
                ],
            )
        )
    )
    with pytest.raises(ImportRejected) as rejected:
        await import_files(graph, bad)
    assert {(p.line, p.field): p.reason for p in rejected.value.problems} == {
        (1, "positions[1].reason"): "required, and not blank",  # an objection says why
        (2, "made_at"): "'Tuesday' is not a time (ISO 8601, e.g. 2027-03-01T18:00:00Z)",
        (1, "reason"): "required, and not blank",  # so does a participant not satisfied
        (1, "awaiting"): "an exchange waits for someone while it is proposed, and only then",
        (1, "answers[1].question_id"): "not one of this survey's questions",
        # and the decision's input is none of the good rows
        (1, "informed_by"): "'x-1' is not among the contributions in these files or in the graph",
    }
    assert await _snapshot(graph) == before

    dangling = tmp_path / "dangling.json"
    dangling.write_text(
        json.dumps(
            _loop_records(
                decisions=[
                    {
                        "id": "d-1",
                        "campaign_id": "c-00001",
                        "statement": "Two benches",
                        "decided_at": at,
                        "informed_by": ["x-404"],
                    }
                ]
            )
        )
    )
    with pytest.raises(ImportRejected) as rejected:
        await import_files(graph, dangling)
    [problem] = rejected.value.problems
    assert (problem.unit, problem.field) == ("decisions item", "informed_by") and "x-404" in problem.reason
    assert await _snapshot(graph) == before

    good = tmp_path / "good.json"
    good.write_text(json.dumps(_loop_records()))
    await import_files(graph, good)
    later = tmp_path / "later.json"  # a decision may refer to input the graph holds already
    later.write_text(
        json.dumps(
            {
                "decisions": [
                    {
                        "id": "d-2",
                        "campaign_id": "c-00001",
                        "statement": "A third",
                        "decided_at": at,
                        "informed_by": ["x-1"],
                    }
                ]
            }
        )
    )
    await import_files(graph, later)
    await import_files(graph, later)
    exported = [d for d in (await read_dataset(graph, exact_locations=True)).decisions if d["id"] in ("d-1", "d-2")]
    assert [(d["id"], d["informed_by"]) for d in exported] == [("d-1", ["x-1"]), ("d-2", ["x-1"])]
    assert exported[0]["outcomes"][0]["due_on"] == "2027-01-31" and len(exported[0]["outcomes"][0]["updates"]) == 1
