"""Associations between records, with v4 type ids, categories and labels (FACTS §6).

Generated once from the seed: contacts to companies (one primary each, some a second), deals
and tickets to contacts and companies, line items to deals, engagements to contacts, and one
"hub" company with hundreds of contacts so per-record paging past 500 can be tested.
"""

import random
from dataclasses import dataclass
from threading import Lock

# (category, typeId, label) as the v4 API reports one association type.
AssocType = tuple[str, int, str | None]

HUBSPOT = "HUBSPOT_DEFINED"
USER = "USER_DEFINED"

# Unlabeled default type ids per direction (D-assoc4), and their reverse.
DEFAULT_TYPES: dict[tuple[str, str], int] = {
    ("contacts", "companies"): 279,
    ("companies", "contacts"): 280,
    ("deals", "contacts"): 3,
    ("contacts", "deals"): 4,
    ("deals", "companies"): 341,
    ("companies", "deals"): 342,
    ("contacts", "tickets"): 15,
    ("tickets", "contacts"): 16,
    ("tickets", "companies"): 339,
    ("companies", "tickets"): 340,
    ("tickets", "deals"): 28,
    ("deals", "tickets"): 27,
    ("deals", "line_items"): 19,
    ("line_items", "deals"): 20,
    ("contacts", "calls"): 193,
    ("calls", "contacts"): 194,
    ("contacts", "emails"): 197,
    ("emails", "contacts"): 198,
    ("contacts", "meetings"): 199,
    ("meetings", "contacts"): 200,
    ("contacts", "notes"): 201,
    ("notes", "contacts"): 202,
    ("contacts", "tasks"): 203,
    ("tasks", "contacts"): 204,
}
# The "Primary" company types, forward and reverse.
PRIMARY_TYPES: dict[tuple[str, str], int] = {
    ("contacts", "companies"): 1,
    ("companies", "contacts"): 2,
    ("deals", "companies"): 5,
    ("companies", "deals"): 6,
    ("tickets", "companies"): 26,
    ("companies", "tickets"): 25,
}
# A user-defined label of the portal, on some contact-company pairs (both directions).
BILLING: AssocType = (USER, 1001, "Billing contact")
BILLING_REVERSE: AssocType = (USER, 1002, "Billing contact")


def default_type(from_type: str, to_type: str) -> AssocType:
    return (HUBSPOT, DEFAULT_TYPES[(from_type, to_type)], None)


def labels(from_type: str, to_type: str) -> list[AssocType]:
    """Every association type defined between two object types, as the labels endpoint lists."""
    found: list[AssocType] = []
    if (from_type, to_type) in DEFAULT_TYPES:
        found.append(default_type(from_type, to_type))
    if (from_type, to_type) in PRIMARY_TYPES:
        found.append((HUBSPOT, PRIMARY_TYPES[(from_type, to_type)], "Primary"))
    if (from_type, to_type) == ("contacts", "companies"):
        found.append(BILLING)
    if (from_type, to_type) == ("companies", "contacts"):
        found.append(BILLING_REVERSE)
    return found


@dataclass(slots=True)
class Edge:
    to_id: str
    types: list[AssocType]


class AssociationGraph:
    """Both directions of every association, ordered by target id per record."""

    def __init__(self) -> None:
        self._edges: dict[tuple[str, str], dict[str, dict[str, list[AssocType]]]] = {}
        self._lock = Lock()

    def add(
        self,
        from_type: str,
        from_id: str,
        to_type: str,
        to_id: str,
        forward: list[AssocType],
        reverse: list[AssocType],
    ) -> None:
        with self._lock:
            for a_type, a_id, b_type, b_id, kinds in (
                (from_type, from_id, to_type, to_id, forward),
                (to_type, to_id, from_type, from_id, reverse),
            ):
                targets = self._edges.setdefault((a_type, b_type), {}).setdefault(a_id, {})
                known = targets.setdefault(b_id, [])
                known.extend(kind for kind in kinds if kind not in known)

    def remove_record(self, object_type: str, record_id: str) -> None:
        """Drop every association of a record (archive or merge-away)."""
        with self._lock:
            for (a_type, b_type), by_id in self._edges.items():
                if a_type == object_type:
                    by_id.pop(record_id, None)
                elif b_type == object_type:
                    for targets in by_id.values():
                        targets.pop(record_id, None)

    def forget(self, removed: list[tuple[str, str]]) -> None:
        for object_type, record_id in removed:
            self.remove_record(object_type, record_id)

    def edges(self, from_type: str, to_type: str, from_id: str) -> list[Edge]:
        """A record's associations to one object type, ordered by numeric target id."""
        with self._lock:
            targets = dict(self._edges.get((from_type, to_type), {}).get(from_id, {}))
        return [Edge(to_id, list(targets[to_id])) for to_id in sorted(targets, key=int)]

    @classmethod
    def generate(
        cls, seed: int, ids: dict[str, list[str]], hub_company_contacts: int
    ) -> "AssociationGraph":
        """Deterministic associations between the generated records."""
        graph = cls()
        rng = random.Random(f"{seed}:associations")
        companies = ids.get("companies", [])
        contacts = ids.get("contacts", [])
        if companies:
            graph._contacts_to_companies(rng, contacts, companies, hub_company_contacts)
        for from_type, to_type, share in (
            ("deals", "contacts", 0.9),
            ("deals", "companies", 0.8),
            ("tickets", "contacts", 0.9),
            ("tickets", "companies", 0.6),
            ("line_items", "deals", 0.95),
            ("calls", "contacts", 0.9),
            ("emails", "contacts", 0.9),
            ("meetings", "contacts", 0.9),
            ("notes", "contacts", 0.9),
            ("tasks", "contacts", 0.9),
        ):
            graph._one_each(
                rng, from_type, ids.get(from_type, []), to_type, ids.get(to_type, []), share
            )
        return graph

    def _contacts_to_companies(
        self, rng: random.Random, contacts: list[str], companies: list[str], hub: int
    ) -> None:
        pair = ("contacts", "companies")
        primary = (HUBSPOT, PRIMARY_TYPES[pair], "Primary")
        primary_back = (HUBSPOT, PRIMARY_TYPES[pair[::-1]], "Primary")
        for contact in contacts:
            if rng.random() < 0.8:
                forward = [primary, default_type(*pair)]
                reverse = [primary_back, default_type(*pair[::-1])]
                if rng.random() < 0.1:
                    forward.append(BILLING)
                    reverse.append(BILLING_REVERSE)
                self.add("contacts", contact, "companies", rng.choice(companies), forward, reverse)
            if rng.random() < 0.1:
                self._plain("contacts", contact, "companies", rng.choice(companies))
        for contact in contacts[:hub]:
            self._plain("contacts", contact, "companies", companies[0])

    def _one_each(
        self,
        rng: random.Random,
        from_type: str,
        sources: list[str],
        to_type: str,
        targets: list[str],
        share: float,
    ) -> None:
        if not targets:
            return
        pair = (from_type, to_type)
        for source in sources:
            if rng.random() >= share:
                continue
            if pair in PRIMARY_TYPES:
                forward = [(HUBSPOT, PRIMARY_TYPES[pair], "Primary"), default_type(*pair)]
                back = pair[::-1]
                reverse = [(HUBSPOT, PRIMARY_TYPES[back], "Primary"), default_type(*back)]
                self.add(from_type, source, to_type, rng.choice(targets), forward, reverse)
            else:
                self._plain(from_type, source, to_type, rng.choice(targets))

    def _plain(self, from_type: str, from_id: str, to_type: str, to_id: str) -> None:
        self.add(
            from_type,
            from_id,
            to_type,
            to_id,
            [default_type(from_type, to_type)],
            [default_type(to_type, from_type)],
        )
