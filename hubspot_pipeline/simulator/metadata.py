"""The portal's fixed metadata: owners, pipelines and custom object schemas (FACTS §8, §9)."""

from hubspot_pipeline.simulator.catalog import catalog
from hubspot_pipeline.simulator.data import OWNER_IDS
from hubspot_pipeline.simulator.objects import CUSTOM_FQN, CUSTOM_NAME, CUSTOM_TYPE_ID

_FIRST = ("Casey", "Morgan", "Avery", "Jordan", "Riley", "Quinn", "Skyler", "Harper", "Rowan")
_LAST = ("Owner", "Rep", "Lee", "Park", "Stone", "Reyes", "Okafor", "Novak", "Berg")
# Default pipelines carry the epoch as their timestamps (FACTS §9, samples/pipelines_deals).
_EPOCH = "1970-01-01T00:00:00Z"
_STAMP = "2024-02-12T13:01:35.228Z"
ARCHIVED_OWNERS = 3


def _owner(n: int, owner_id: str, archived: bool) -> dict:
    first, last = _FIRST[n % len(_FIRST)], _LAST[(n * 5) % len(_LAST)]
    user_id = 9_100_001 + n
    owner: dict = {
        "id": owner_id,
        "email": f"{first.lower()}.{last.lower()}{n}@example.com",
        "type": "PERSON",
        "firstName": first,
        "lastName": last,
        # Archived owners lose userId but keep userIdIncludingInactive (D-owners).
        "userId": None if archived else user_id,
        "userIdIncludingInactive": user_id,
        "createdAt": _STAMP,
        "updatedAt": "2026-04-22T13:40:26.790Z" if archived else _STAMP,
        "archived": archived,
    }
    if not archived:
        owner["teams"] = [{"id": str(368_001 + n % 3), "name": "Sales Team", "primary": True}]
    return owner


def owners(archived: bool) -> list[dict]:
    """Active owners (the ids records use), or the archived ones."""
    if archived:
        return [
            _owner(len(OWNER_IDS) + n, str(81_100_001 + n), True) for n in range(ARCHIVED_OWNERS)
        ]
    return [_owner(n, owner_id, False) for n, owner_id in enumerate(OWNER_IDS)]


def _stage(stage_id: str, label: str, order: int, metadata: dict[str, str]) -> dict:
    return {
        "id": stage_id,
        "label": label,
        "displayOrder": order,
        "metadata": metadata,
        "createdAt": _EPOCH,
        "updatedAt": _EPOCH,
        "archived": False,
        "writePermissions": "CRM_PERMISSIONS_ENFORCEMENT",
    }


_DEAL_STAGES = (
    ("appointmentscheduled", "Appointment Scheduled", "0.2", "false"),
    ("qualifiedtobuy", "Qualified To Buy", "0.4", "false"),
    ("presentationscheduled", "Presentation Scheduled", "0.6", "false"),
    ("decisionmakerboughtin", "Decision Maker Bought-In", "0.8", "false"),
    ("contractsent", "Contract Sent", "0.9", "false"),
    ("closedwon", "Closed Won", "1.0", "true"),
    ("closedlost", "Closed Lost", "0.0", "true"),
)
_TICKET_STAGES = (
    ("1", "New", "OPEN"),
    ("2", "Waiting on contact", "OPEN"),
    ("3", "Waiting on us", "OPEN"),
    ("4", "Closed", "CLOSED"),
)


def pipelines(object_type: str) -> list[dict] | None:
    """Pipelines of deals or tickets (None for types without pipelines)."""
    if object_type == "deals":
        stages = [
            _stage(sid, label, n, {"isClosed": closed, "probability": prob})
            for n, (sid, label, prob, closed) in enumerate(_DEAL_STAGES)
        ]
        return [_pipeline("default", "Sales Pipeline", stages)]
    if object_type == "tickets":
        stages = [
            _stage(sid, label, n, {"ticketState": state})
            for n, (sid, label, state) in enumerate(_TICKET_STAGES)
        ]
        return [_pipeline("0", "Support Pipeline", stages)]
    return None


def _pipeline(pipeline_id: str, label: str, stages: list[dict]) -> dict:
    return {
        "id": pipeline_id,
        "label": label,
        "displayOrder": 0,
        "stages": stages,
        "createdAt": _EPOCH,
        "updatedAt": _EPOCH,
        "archived": False,
    }


def schemas() -> list[dict]:
    """The portal's one custom object definition, with its properties and associations."""
    stamp = "2026-02-20T18:07:11.802Z"
    return [
        {
            "id": CUSTOM_TYPE_ID.split("-")[1],
            "objectTypeId": CUSTOM_TYPE_ID,
            "fullyQualifiedName": CUSTOM_FQN,
            "name": CUSTOM_NAME,
            "labels": {"singular": "Car", "plural": "Cars"},
            "metaType": "PORTAL_SPECIFIC",
            "primaryDisplayProperty": "model",
            "secondaryDisplayProperties": ["make"],
            "requiredProperties": ["year", "make", "model"],
            "searchableProperties": ["vin", "make", "model"],
            "properties": catalog(CUSTOM_NAME),
            "associations": [
                {
                    "id": "1003",
                    "name": "car_to_contact",
                    "fromObjectTypeId": CUSTOM_TYPE_ID,
                    "toObjectTypeId": "0-1",
                    "createdAt": stamp,
                    "updatedAt": stamp,
                },
            ],
            "archived": False,
            "createdAt": stamp,
            "updatedAt": stamp,
        }
    ]
