"""Typed views of the HubSpot payloads that the sync depends on."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PropertyDefinition:
    """One entry of a property catalog (`GET /crm/v3/properties/{objectType}`).

    `type` is HubSpot's value type (string, number, date, datetime, enumeration, bool,
    phone_number, and the read-only object_coordinates and json); it decides the column type
    that the loader gives the property.
    """

    name: str
    type: str
    field_type: str = "text"
    calculated: bool = False

    @classmethod
    def from_api(cls, payload: dict) -> "PropertyDefinition":
        return cls(
            name=payload["name"],
            type=payload.get("type") or "string",
            field_type=payload.get("fieldType") or "text",
            calculated=bool(payload.get("calculated", False)),
        )
