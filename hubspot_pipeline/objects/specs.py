"""The HubSpot object types the sync knows, each described by a small spec."""

from dataclasses import dataclass

from hubspot_pipeline.hubspot.errors import ValidationError


@dataclass(frozen=True)
class ObjectSpec:
    """What the generic sync service needs to know about one HubSpot object type.

    `name` is HubSpot's object type as it appears in API paths, and also the asset and
    table name, so that `hubspot.contacts` in the warehouse is `contacts` in HubSpot.
    """

    name: str
    last_modified_property: str
    description: str

    @property
    def api_path(self) -> str:
        return f"/crm/v3/objects/{self.name}"


CRM_OBJECTS: tuple[ObjectSpec, ...] = (
    # Contacts are the one object whose last-modified property lacks the `hs_` prefix.
    ObjectSpec("contacts", "lastmodifieddate", "HubSpot contacts, one row per contact."),
    ObjectSpec("companies", "hs_lastmodifieddate", "HubSpot companies, one row per company."),
    ObjectSpec("deals", "hs_lastmodifieddate", "HubSpot deals, one row per deal."),
    ObjectSpec("tickets", "hs_lastmodifieddate", "HubSpot tickets, one row per ticket."),
)

_BY_NAME = {spec.name: spec for spec in CRM_OBJECTS}


def get_spec(name: str) -> ObjectSpec:
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(sorted(_BY_NAME))
        raise ValidationError(f"unknown HubSpot object type {name!r}; known: {known}") from None
