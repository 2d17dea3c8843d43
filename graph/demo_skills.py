"""The everyday skills taxonomy of the demo community: broad skills and narrower ones."""

from __future__ import annotations

from .model import Skill

# (name, category, broader skill or None)
TAXONOMY: list[tuple[str, str, str | None]] = [
    ("cooking", "food", None),
    ("baking", "food", "cooking"),
    ("batch cooking", "food", "cooking"),
    ("meal planning", "food", "cooking"),
    ("cooking on a budget", "food", "cooking"),
    ("food hygiene", "food", None),
    ("gardening", "outdoors", None),
    ("growing vegetables", "outdoors", "gardening"),
    ("container gardening", "outdoors", "gardening"),
    ("composting", "outdoors", "gardening"),
    ("litter picking", "outdoors", None),
    ("dog walking", "outdoors", None),
    ("repairs", "making and fixing", None),
    ("bike repair", "making and fixing", "repairs"),
    ("sewing", "making and fixing", "repairs"),
    ("small electrical repairs", "making and fixing", "repairs"),
    ("furniture repair", "making and fixing", "repairs"),
    ("painting and decorating", "making and fixing", None),
    ("flat-pack assembly", "making and fixing", None),
    ("knitting", "making and fixing", None),
    ("woodwork", "making and fixing", None),
    ("computers", "digital", None),
    ("smartphone help", "digital", "computers"),
    ("online forms", "digital", "computers"),
    ("video calls", "digital", "computers"),
    ("social media", "digital", "computers"),
    ("photography", "digital", None),
    ("web design", "digital", "computers"),
    ("money", "money and paperwork", None),
    ("budgeting", "money and paperwork", "money"),
    ("benefits advice", "money and paperwork", "money"),
    ("energy bills", "money and paperwork", "money"),
    ("letter writing", "money and paperwork", None),
    ("form filling", "money and paperwork", None),
    ("getting about", "getting about", None),
    ("travel buddying", "getting about", "getting about"),
    ("bus routes", "getting about", "getting about"),
    ("driving", "getting about", "getting about"),
    ("wheelchair maintenance", "getting about", "repairs"),
    ("route planning", "getting about", "getting about"),
    ("communication", "people", None),
    ("listening", "people", "communication"),
    ("public speaking", "people", "communication"),
    ("British Sign Language", "people", "communication"),
    ("Makaton", "people", "communication"),
    ("easy read writing", "people", "communication"),
    ("translation", "people", "communication"),
    ("befriending", "people", None),
    ("peer support", "people", None),
    ("mentoring", "people", "peer support"),
    ("organising", "community", None),
    ("event planning", "community", "organising"),
    ("running meetings", "community", "organising"),
    ("fundraising", "community", "organising"),
    ("campaigning", "community", None),
    ("petition writing", "community", "campaigning"),
    ("talking to the council", "community", "campaigning"),
    ("leaflet design", "community", "campaigning"),
    ("first aid", "health", None),
    ("mental health first aid", "health", "first aid"),
    ("exercise", "health", None),
    ("chair yoga", "health", "exercise"),
    ("walking groups", "health", "exercise"),
    ("music", "arts", None),
    ("singing", "arts", "music"),
    ("guitar", "arts", "music"),
    ("drawing", "arts", None),
    ("crafts", "arts", None),
    ("storytelling", "arts", None),
    ("childminding", "care", None),
    ("pet care", "care", None),
    ("shopping help", "care", None),
]


def skill_id(name: str) -> str:
    return "sk-" + "".join(c if c.isalnum() else "-" for c in name.lower())


def taxonomy_skills() -> list[Skill]:
    return [
        Skill(id=skill_id(name), name=name, category=category, broader_id=skill_id(broader) if broader else None)
        for name, category, broader in TAXONOMY
    ]
