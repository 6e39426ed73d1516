"""The object types the simulator serves, with what HubSpot ties to each (FACTS §2, §3, §8).

One table instead of scattered dicts, so adding an object type touches one place.
"""

from dataclasses import dataclass

# The custom object of the simulated portal (shaped like samples/schemas_list.json).
PORTAL_ID = 1234567
CUSTOM_NAME = "cars"
CUSTOM_TYPE_ID = "2-3465404"
CUSTOM_FQN = f"p{PORTAL_ID}_{CUSTOM_NAME}"


@dataclass(frozen=True, slots=True)
class ObjectType:
    """One object type: its path names, id range and the properties HubSpot treats specially."""

    name: str
    type_id: str
    id_base: int
    singular: str
    default_properties: tuple[str, ...]
    query_properties: tuple[str, ...]
    last_modified: str = "hs_lastmodifieddate"
    # HubSpot's upper-case name, as error messages spell it ("Could not get some CONTACT ...").
    error_name: str = ""
    scope: str = ""

    @property
    def group(self) -> str:
        return f"{self.singular.replace(' ', '').lower()}information"


def _engagement(name: str, type_id: str, base: int, title: str, body: str) -> ObjectType:
    return ObjectType(
        name,
        type_id,
        base,
        name.rstrip("s"),
        ("hs_timestamp", title, body),
        (title, body),
        error_name=name.rstrip("s").upper(),
        scope=f"crm.objects.{name}.read",
    )


# Default property sets per FACTS §3 where known; the others are UNVERIFIED choices.
TYPES: dict[str, ObjectType] = {
    t.name: t
    for t in (
        ObjectType(
            "contacts",
            "0-1",
            10_000_000,
            "contact",
            ("firstname", "lastname", "email"),
            ("firstname", "lastname", "email", "phone", "company"),
            last_modified="lastmodifieddate",
            error_name="CONTACT",
            scope="crm.objects.contacts.read",
        ),
        ObjectType(
            "companies",
            "0-2",
            20_000_000,
            "company",
            ("name", "domain"),
            ("name", "domain", "website", "phone"),
            error_name="COMPANY",
            scope="crm.objects.companies.read",
        ),
        ObjectType(
            "deals",
            "0-3",
            30_000_000,
            "deal",
            ("dealname", "amount", "closedate", "pipeline", "dealstage"),
            ("dealname",),
            error_name="DEAL",
            scope="crm.objects.deals.read",
        ),
        ObjectType(
            "tickets",
            "0-5",
            40_000_000,
            "ticket",
            (
                "content",
                "hs_pipeline",
                "hs_pipeline_stage",
                "hs_ticket_category",
                "hs_ticket_priority",
                "subject",
            ),
            ("subject", "content"),
            error_name="TICKET",
            scope="tickets",
        ),
        ObjectType(
            "products",
            "0-7",
            50_000_000,
            "product",
            ("name", "description", "price"),
            ("name", "description", "hs_sku"),
            error_name="PRODUCT",
            scope="e-commerce",
        ),
        ObjectType(
            "line_items",
            "0-8",
            51_000_000,
            "line item",
            ("name", "quantity", "price"),
            ("name",),
            error_name="LINE_ITEM",
            scope="e-commerce",
        ),
        ObjectType(
            "quotes",
            "0-14",
            52_000_000,
            "quote",
            ("hs_title", "hs_expiration_date", "hs_status"),
            ("hs_title",),
            error_name="QUOTE",
            scope="crm.objects.quotes.read",
        ),
        _engagement("calls", "0-48", 60_000_000, "hs_call_title", "hs_call_body"),
        _engagement("emails", "0-49", 61_000_000, "hs_email_subject", "hs_email_text"),
        _engagement("meetings", "0-47", 62_000_000, "hs_meeting_title", "hs_meeting_body"),
        _engagement("notes", "0-46", 63_000_000, "hs_note_body", "hs_attachment_ids"),
        _engagement("tasks", "0-27", 64_000_000, "hs_task_subject", "hs_task_body"),
        ObjectType(
            CUSTOM_NAME,
            CUSTOM_TYPE_ID,
            70_000_000,
            "car",
            ("model",),
            ("vin", "make", "model"),
            error_name=CUSTOM_FQN.upper(),
            scope="crm.objects.custom.read",
        ),
    )
}

OBJECT_TYPES = tuple(TYPES)
_ALIASES = {t.type_id: t.name for t in TYPES.values()} | {CUSTOM_FQN: CUSTOM_NAME}


def resolve(path_name: str) -> str | None:
    """The object type for a path segment (name, `0-n`/`2-n` id or custom FQN), or None."""
    name = _ALIASES.get(path_name, path_name)
    return name if name in TYPES else None
