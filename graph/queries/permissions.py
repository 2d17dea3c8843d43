"""Who may change what: a fixed predicate per rule, over $viewer and the ids a change touches."""

from __future__ import annotations

from typing import LiteralString

_IS_COORDINATOR: LiteralString = "EXISTS { MATCH (v:Person {id: $viewer}) WHERE v:Coordinator }"

# Each rule a fixed predicate over $viewer and the ids a change touches ($person, $other,
# $campaign, $network); the rule is chosen in code, never by a request.
MAY: dict[str, LiteralString] = {
    name: f"RETURN ({predicate}) AS allowed"
    for name, predicate in {
        "signed in": "$viewer IS NOT NULL",
        "coordinator": _IS_COORDINATOR,
        "the person": "$viewer = $person",
        "the person or a coordinator": f"$viewer = $person OR {_IS_COORDINATOR}",
        "either person": "$viewer IN [$person, $other]",
        "either person or a coordinator": f"$viewer IN [$person, $other] OR {_IS_COORDINATOR}",
        "the campaign's participants or a coordinator": "EXISTS { (:Person {id: $viewer})"
        "-[:PARTICIPATES_IN]->(:Campaign {id: $campaign}) } "
        f"OR {_IS_COORDINATOR}",
        "the campaign's organisers or a coordinator": "EXISTS { (:Person {id: $viewer})"
        "-[:PARTICIPATES_IN {role: 'organiser'}]->(:Campaign {id: $campaign}) } "
        f"OR {_IS_COORDINATOR}",
        "network staff": "EXISTS { (v:Person {id: $viewer})-[:WORKS_WITH]->(:Network {id: $network}) "
        "WHERE v:Coordinator OR v:SupportWorker }",
        "staff of both people's networks": "NOT $viewer IN [$person, $other] AND EXISTS { MATCH (v:Person {id: $viewer}) "
        "WHERE (v:Coordinator OR v:SupportWorker) "
        "AND EXISTS { (v)-[:WORKS_WITH]->(:Network)<-[:MEMBER_OF|VOLUNTEERS_FOR]-(:Person {id: $person}) } "
        "AND EXISTS { (v)-[:WORKS_WITH]->(:Network)<-[:MEMBER_OF|VOLUNTEERS_FOR]-(:Person {id: $other}) } }",
    }.items()
}
