"""Property catalogs of the object types beyond the four core ones: commerce, engagements
and the portal's custom object. Names follow HubSpot's own where we know them.
"""

from hubspot_pipeline.simulator.property_spec import PropertySpec


def _opts(*values: str) -> tuple[tuple[str, str], ...]:
    return tuple((value, value.replace("_", " ").title()) for value in values)


def _owner() -> PropertySpec:
    return PropertySpec(
        "hubspot_owner_id",
        "Owner",
        "enumeration",
        "select",
        "owner",
        0.2,
        external_options=True,
        referenced_object_type="OWNER",
    )


_DIRECTIONS = _opts("INBOUND", "OUTBOUND")

PRODUCTS = [
    PropertySpec("name", "Name", "string", "text", "product_name", 0.0),
    PropertySpec("description", "Description", "string", "textarea", "sentence", 0.3),
    PropertySpec("price", "Unit price", "number", "number", "money", 0.0),
    PropertySpec("hs_sku", "SKU", "string", "text", "sku", 0.1, has_unique_value=True),
    PropertySpec("hs_recurring_billing_period", "Term", "string", "text", "int:1:36", 0.5),
    PropertySpec(
        "hs_product_type",
        "Product type",
        "enumeration",
        "select",
        "enum",
        0.2,
        _opts("inventory", "non_inventory", "service"),
    ),
]

LINE_ITEMS = [
    PropertySpec("name", "Name", "string", "text", "product_name", 0.0),
    PropertySpec("quantity", "Quantity", "number", "number", "int:1:50", 0.0),
    PropertySpec("price", "Unit price", "number", "number", "money", 0.0),
    PropertySpec(
        "amount",
        "Net price",
        "number",
        "calculation_equation",
        "line_amount",
        0.0,
        calculation_formula="quantity * price",
        read_only=True,
    ),
    PropertySpec("hs_product_id", "Product ID", "number", "number", "int:50000001:50000120", 0.2),
    PropertySpec("hs_discount_percentage", "Discount (%)", "number", "number", "int:0:40", 0.6),
]

QUOTES = [
    PropertySpec("hs_title", "Quote name", "string", "text", "deal_name", 0.0),
    PropertySpec("hs_expiration_date", "Expiration date", "date", "date", "date", 0.0),
    PropertySpec(
        "hs_status",
        "Status",
        "enumeration",
        "select",
        "enum",
        0.0,
        _opts("DRAFT", "APPROVAL_NOT_NEEDED", "PENDING_APPROVAL", "APPROVED", "REJECTED"),
    ),
    PropertySpec("hs_quote_amount", "Amount", "number", "number", "money", 0.1),
    PropertySpec("hs_currency", "Currency", "string", "text", "currency", 0.0),
    _owner(),
]


def _engagement(
    title: str, body: str, extra: list[PropertySpec], title_kind: str = "sentence"
) -> list[PropertySpec]:
    return [
        PropertySpec("hs_timestamp", "Activity date", "datetime", "date", "datetime", 0.0),
        PropertySpec(title, "Title", "string", "text", title_kind, 0.1),
        PropertySpec(body, "Body", "string", "html", "html", 0.2),
        _owner(),
        *extra,
    ]


CALLS = _engagement(
    "hs_call_title",
    "hs_call_body",
    [
        PropertySpec("hs_call_duration", "Call duration", "number", "number", "int:0:3600000", 0.1),
        PropertySpec(
            "hs_call_direction", "Call direction", "enumeration", "select", "enum", 0.1, _DIRECTIONS
        ),
        PropertySpec(
            "hs_call_disposition",
            "Call outcome",
            "enumeration",
            "select",
            "enum",
            0.3,
            _opts("connected", "busy", "no_answer", "left_voicemail", "wrong_number"),
        ),
        PropertySpec("hs_call_recording_url", "Recording URL", "string", "file", "file", 0.7),
    ],
)
EMAILS = _engagement(
    "hs_email_subject",
    "hs_email_text",
    [
        PropertySpec(
            "hs_email_direction",
            "Email direction",
            "enumeration",
            "select",
            "enum",
            0.0,
            _opts("EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"),
        ),
        PropertySpec(
            "hs_email_status",
            "Email send status",
            "enumeration",
            "select",
            "enum",
            0.2,
            _opts("BOUNCED", "FAILED", "SCHEDULED", "SENDING", "SENT"),
        ),
    ],
)
MEETINGS = _engagement(
    "hs_meeting_title",
    "hs_meeting_body",
    [
        PropertySpec("hs_meeting_start_time", "Start time", "datetime", "date", "datetime", 0.0),
        PropertySpec("hs_meeting_end_time", "End time", "datetime", "date", "datetime", 0.0),
        PropertySpec(
            "hs_meeting_outcome",
            "Outcome",
            "enumeration",
            "select",
            "enum",
            0.2,
            _opts("SCHEDULED", "COMPLETED", "RESCHEDULED", "NO_SHOW", "CANCELED"),
        ),
    ],
)
NOTES = _engagement(
    "hs_note_body",
    "hs_attachment_ids",
    [],
    title_kind="html",
)
TASKS = _engagement(
    "hs_task_subject",
    "hs_task_body",
    [
        PropertySpec(
            "hs_task_status",
            "Task status",
            "enumeration",
            "select",
            "enum",
            0.0,
            _opts("NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"),
        ),
        PropertySpec(
            "hs_task_priority",
            "Priority",
            "enumeration",
            "select",
            "enum",
            0.2,
            _opts("LOW", "MEDIUM", "HIGH"),
        ),
        PropertySpec(
            "hs_task_type",
            "Task type",
            "enumeration",
            "select",
            "enum",
            0.2,
            _opts("CALL", "EMAIL", "TODO"),
        ),
    ],
)

CARS = [
    PropertySpec(
        "vin", "VIN", "string", "text", "vin", 0.0, has_unique_value=True, hubspot_defined=False
    ),
    PropertySpec(
        "make",
        "Make",
        "enumeration",
        "select",
        "enum",
        0.0,
        _opts("Toyota", "Ford", "Volvo", "Kia", "Tesla"),
        hubspot_defined=False,
    ),
    PropertySpec("model", "Model", "string", "text", "job", 0.0, hubspot_defined=False),
    PropertySpec("year", "Year", "number", "number", "int:1995:2026", 0.0, hubspot_defined=False),
    PropertySpec(
        "first_registered", "First registered", "date", "date", "date", 0.3, hubspot_defined=False
    ),
]
