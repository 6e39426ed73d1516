"""The long tail of a real catalog: hundreds of mostly empty properties of every type.

Real contacts carry 400+ properties, most of them analytics and marketing fields that are
empty on most records. They are generated from a fixed table of name parts, so the catalog
is the same on every start, and they are sparse (see `PropertySpec.sparse`).
"""

from hubspot_pipeline.simulator.property_spec import PropertySpec

_AREAS = (
    "analytics",
    "social",
    "email",
    "sales_email",
    "marketing",
    "sequences",
    "latest_source",
    "predictive",
    "lifecycle",
    "ads",
    "chat",
    "web",
    "form",
    "meeting",
    "document",
    "survey",
)
_FACTS = (
    "first_seen",
    "last_seen",
    "count",
    "score",
    "source",
    "campaign",
    "channel",
    "status",
    "opted_in",
    "region",
    "detail",
    "url",
    "notes",
    "phone",
    "tags",
)

_OPTIONS = tuple((f"option_{n}", f"Option {n}") for n in range(1, 7))
_BOOL = (("true", "Yes"), ("false", "No"))

# (type, fieldType, generator kind, options): one per HubSpot value type and field type,
# including the read-only `json` and `object_coordinates` and calculated properties.
_SHAPES: tuple[tuple[str, str, str, tuple], ...] = (
    ("datetime", "date", "datetime", ()),
    ("datetime", "date", "datetime", ()),
    ("number", "number", "int:0:500", ()),
    ("enumeration", "select", "enum", _OPTIONS),
    ("bool", "booleancheckbox", "bool", _BOOL),
    ("string", "text", "sentence", ()),
    ("enumeration", "radio", "enum", _OPTIONS),
    ("date", "date", "date", ()),
    ("string", "textarea", "sentence", ()),
    ("enumeration", "checkbox", "multi", _OPTIONS),
    ("string", "html", "html", ()),
    ("phone_number", "phonenumber", "phone", ()),
    ("string", "file", "file", ()),
    ("number", "calculation_equation", "int:0:1000", ()),
    ("bool", "calculation_equation", "bool", _BOOL),
)


def bulk_specs(object_type: str, count: int) -> list[PropertySpec]:
    """`count` sparse properties named `hs_<area>_<fact>`, every type in turn."""
    if count <= 0:
        return []
    specs: list[PropertySpec] = [
        PropertySpec(
            "hs_object_source_detail_json",
            "Record source detail (JSON)",
            "json",
            "text",
            "json",
            sparse=True,
            fill=0.3,
            read_only=True,
        ),
        PropertySpec(
            "hs_geo_coordinates",
            "Coordinates",
            "object_coordinates",
            "text",
            "coords",
            sparse=True,
            fill=0.2,
            read_only=True,
        ),
    ]
    names = (f"hs_{area}_{fact}" for fact in _FACTS for area in _AREAS)
    for n, name in zip(range(count - len(specs)), names, strict=False):
        value_type, field_type, kind, options = _SHAPES[n % len(_SHAPES)]
        calculated = field_type == "calculation_equation"
        specs.append(
            PropertySpec(
                name,
                name.removeprefix("hs_").replace("_", " ").capitalize(),
                value_type,
                field_type,
                kind,
                options=options,
                read_only=calculated,
                sparse=True,
                # 0.5% to 10% filled, varying by position so columns differ in density.
                fill=0.005 + (n * 7 % 20) / 200,
                calculation_formula="count_of_engagements * 1" if calculated else None,
                group=f"{object_type}_{name.split('_')[1]}",
            )
        )
    return specs
