"""One property definition: what HubSpot's catalog shows and how generated data fills it."""

from dataclasses import dataclass

from hubspot_pipeline.simulator.objects import TYPES

# HubSpot-defined properties all carry the portal's creation stamps; custom ones a later one.
_HUBSPOT_STAMP = "2019-08-06T02:41:08.029Z"
_CUSTOM_STAMP = "2026-02-01T10:00:00.000Z"


@dataclass(frozen=True, slots=True)
class PropertySpec:
    """One property: its HubSpot definition plus how generated records fill it."""

    name: str
    label: str
    type: str
    field_type: str
    kind: str
    null_share: float = 0.0
    options: tuple[tuple[str, str], ...] = ()
    description: str = ""
    hubspot_defined: bool = True
    read_only: bool = False
    external_options: bool = False
    referenced_object_type: str | None = None
    # Sparse properties hold a value on only `fill` of the records, drawn apart from the
    # dense ones: hundreds of them stay cheap to generate and never shift other values.
    sparse: bool = False
    fill: float = 0.0
    calculation_formula: str | None = None
    has_unique_value: bool = False
    group: str | None = None

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.options)

    @property
    def is_multi_select(self) -> bool:
        return self.type == "enumeration" and self.field_type == "checkbox"

    def to_api(self, object_type: str, display_order: int) -> dict:
        """The catalog entry exactly as HubSpot's properties endpoint shows it."""
        stamp = _HUBSPOT_STAMP if self.hubspot_defined else _CUSTOM_STAMP
        entry: dict = {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "fieldType": self.field_type,
            "description": self.description or f"The {self.label.lower()} of the record.",
            "groupName": self.group or TYPES[object_type].group,
            "options": [
                {"label": label, "value": value, "displayOrder": order, "hidden": False}
                for order, (value, label) in enumerate(self.options)
            ],
            "displayOrder": display_order,
            "calculated": self.calculation_formula is not None,
            "externalOptions": self.external_options,
            "hasUniqueValue": self.has_unique_value,
            "hidden": False,
            "modificationMetadata": {
                "archivable": not self.read_only,
                "readOnlyDefinition": self.hubspot_defined,
                "readOnlyValue": self.read_only,
            },
            "formField": not self.read_only and self.type != "datetime",
            "dataSensitivity": "non_sensitive",
            "createdAt": stamp,
            "updatedAt": stamp,
            "archived": False,
        }
        if self.hubspot_defined:
            entry["hubspotDefined"] = True
        if self.calculation_formula is not None:
            entry["calculationFormula"] = self.calculation_formula
        if self.referenced_object_type:
            entry["referencedObjectType"] = self.referenced_object_type
        return entry
