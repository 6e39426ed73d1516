"""Property catalogs of the simulated portal, shaped like `GET /crm/v3/properties/{type}`.

Each `PropertySpec` also says how the data generator fills the property (`kind`), so the
catalog and the records can never disagree.
"""

from hubspot_pipeline.simulator import catalog_more
from hubspot_pipeline.simulator.catalog_bulk import bulk_specs
from hubspot_pipeline.simulator.objects import TYPES
from hubspot_pipeline.simulator.property_spec import PropertySpec

# The property holding the last-modified timestamp differs by object type (FACTS §5).
LAST_MODIFIED = {name: t.last_modified for name, t in TYPES.items()}

# Properties a list or search returns when the request names none (FACTS §3 and §5).
DEFAULT_PROPERTIES = {name: t.default_properties for name, t in TYPES.items()}

# Properties the free-text `query` of a search looks at.
QUERY_PROPERTIES = {name: t.query_properties for name, t in TYPES.items()}

# How many sparse long-tail properties each type carries (catalog_bulk): contacts a few
# hundred, as real portals do, kept below what a loader must handle as columns.
BULK_COUNTS = {"contacts": 230, "companies": 110, "deals": 70, "tickets": 30}


def _opts(*values: str) -> tuple[tuple[str, str], ...]:
    """Options whose labels are the values title-cased, as most HubSpot enums look."""
    return tuple((value, value.replace("_", " ").title()) for value in values)


_BOOL_OPTIONS = (("true", "Yes"), ("false", "No"))


def _system(object_type: str) -> list[PropertySpec]:
    """createdate, last-modified and hs_object_id: present in every record."""
    return [
        PropertySpec("createdate", "Create Date", "datetime", "date", "created", read_only=True),
        PropertySpec(
            LAST_MODIFIED[object_type],
            "Last Modified Date",
            "datetime",
            "date",
            "modified",
            read_only=True,
            description="Most recent timestamp of any property update for this record.",
        ),
        PropertySpec(
            "hs_object_id",
            "Record ID",
            "number",
            "number",
            "id",
            read_only=True,
            description="The unique ID for this record. This value is set automatically.",
        ),
    ]


def _owner(label: str) -> PropertySpec:
    return PropertySpec(
        "hubspot_owner_id",
        label,
        "enumeration",
        "select",
        "owner",
        0.2,
        external_options=True,
        referenced_object_type="OWNER",
    )


_CONTACTS = [
    PropertySpec("firstname", "First Name", "string", "text", "first_name", 0.05),
    PropertySpec("lastname", "Last Name", "string", "text", "last_name", 0.05),
    PropertySpec("email", "Email", "string", "text", "email", 0.03),
    PropertySpec("phone", "Phone Number", "string", "phonenumber", "phone", 0.3),
    PropertySpec("mobilephone", "Mobile Phone Number", "phone_number", "phonenumber", "phone", 0.6),
    PropertySpec("company", "Company Name", "string", "text", "company", 0.2),
    PropertySpec("jobtitle", "Job Title", "string", "text", "job", 0.3),
    PropertySpec("city", "City", "string", "text", "city", 0.25),
    PropertySpec("country", "Country/Region", "string", "text", "country", 0.25),
    PropertySpec(
        "lifecyclestage",
        "Lifecycle Stage",
        "enumeration",
        "radio",
        "enum",
        0.1,
        _opts("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "customer"),
    ),
    PropertySpec(
        "hs_lead_status",
        "Lead Status",
        "enumeration",
        "select",
        "enum",
        0.4,
        _opts("NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "CONNECTED"),
    ),
    _owner("Contact owner"),
    PropertySpec(
        "hs_email_optout",
        "Unsubscribed from all email",
        "bool",
        "booleancheckbox",
        "bool",
        0.1,
        _BOOL_OPTIONS,
    ),
    PropertySpec(
        "hs_buying_role",
        "Buying Role",
        "enumeration",
        "checkbox",
        "multi",
        0.5,
        _opts("BUDGET_HOLDER", "CHAMPION", "DECISION_MAKER", "END_USER", "INFLUENCER"),
    ),
    PropertySpec("num_notes", "Number of Sales Activities", "number", "number", "int:0:40", 0.1),
    PropertySpec("notes_last_contacted", "Last Contacted", "datetime", "date", "datetime", 0.4),
    PropertySpec(
        "x_renewal_date",
        "Renewal date (custom)",
        "date",
        "date",
        "date",
        0.5,
        hubspot_defined=False,
    ),
    PropertySpec(
        "x_seats", "Seats (custom)", "number", "number", "int:1:500", 0.4, hubspot_defined=False
    ),
    PropertySpec(
        "x_is_partner",
        "Is partner (custom)",
        "bool",
        "booleancheckbox",
        "bool",
        0.3,
        _BOOL_OPTIONS,
        hubspot_defined=False,
    ),
]

_COMPANIES = [
    PropertySpec("name", "Company name", "string", "text", "company", 0.02),
    PropertySpec("domain", "Company Domain Name", "string", "text", "domain", 0.1),
    PropertySpec("website", "Website URL", "string", "text", "website", 0.2),
    PropertySpec("phone", "Phone Number", "string", "phonenumber", "phone", 0.3),
    PropertySpec("city", "City", "string", "text", "city", 0.2),
    PropertySpec("state", "State/Region", "string", "text", "state", 0.3),
    PropertySpec("country", "Country/Region", "string", "text", "country", 0.2),
    PropertySpec(
        "industry",
        "Industry",
        "enumeration",
        "select",
        "enum",
        0.3,
        _opts(
            "COMPUTER_SOFTWARE",
            "RETAIL",
            "FINANCIAL_SERVICES",
            "HOSPITAL_HEALTH_CARE",
            "MARKETING_AND_ADVERTISING",
            "CONSTRUCTION",
            "EDUCATION_MANAGEMENT",
        ),
    ),
    PropertySpec(
        "type",
        "Type",
        "enumeration",
        "select",
        "enum",
        0.4,
        _opts("PROSPECT", "PARTNER", "RESELLER", "VENDOR", "OTHER"),
    ),
    PropertySpec(
        "numberofemployees", "Number of Employees", "number", "number", "int:1:20000", 0.3
    ),
    PropertySpec("annualrevenue", "Annual Revenue", "number", "number", "money", 0.4),
    PropertySpec(
        "lifecyclestage",
        "Lifecycle Stage",
        "enumeration",
        "radio",
        "enum",
        0.2,
        _opts("subscriber", "lead", "opportunity", "customer", "evangelist"),
    ),
    _owner("Company owner"),
    PropertySpec("is_public", "Is Public", "bool", "booleancheckbox", "bool", 0.2, _BOOL_OPTIONS),
    PropertySpec("description", "Description", "string", "textarea", "sentence", 0.5),
    PropertySpec("notes_last_updated", "Last Activity Date", "datetime", "date", "datetime", 0.4),
    PropertySpec(
        "x_contract_start",
        "Contract start (custom)",
        "date",
        "date",
        "date",
        0.5,
        hubspot_defined=False,
    ),
    PropertySpec(
        "x_tags",
        "Tags (custom)",
        "enumeration",
        "checkbox",
        "multi",
        0.4,
        _opts("enterprise", "smb", "strategic", "at_risk", "expansion"),
        hubspot_defined=False,
    ),
]

_DEAL_STAGES = (
    ("appointmentscheduled", "Appointment Scheduled"),
    ("qualifiedtobuy", "Qualified To Buy"),
    ("presentationscheduled", "Presentation Scheduled"),
    ("decisionmakerboughtin", "Decision Maker Bought-In"),
    ("contractsent", "Contract Sent"),
    ("closedwon", "Closed Won"),
    ("closedlost", "Closed Lost"),
)

_DEALS = [
    PropertySpec("dealname", "Deal Name", "string", "text", "deal_name", 0.0),
    PropertySpec("amount", "Amount", "number", "number", "money", 0.15),
    PropertySpec("closedate", "Close Date", "datetime", "date", "datetime", 0.3),
    PropertySpec(
        "pipeline",
        "Pipeline",
        "enumeration",
        "select",
        "enum",
        0.0,
        (("default", "Sales Pipeline"),),
    ),
    PropertySpec("dealstage", "Deal Stage", "enumeration", "radio", "enum", 0.0, _DEAL_STAGES),
    PropertySpec(
        "dealtype",
        "Deal Type",
        "enumeration",
        "radio",
        "enum",
        0.3,
        (("newbusiness", "New Business"), ("existingbusiness", "Existing Business")),
    ),
    _owner("Deal owner"),
    PropertySpec(
        "hs_priority",
        "Priority",
        "enumeration",
        "select",
        "enum",
        0.4,
        _opts("low", "medium", "high"),
    ),
    PropertySpec("description", "Deal Description", "string", "textarea", "sentence", 0.6),
    PropertySpec(
        "hs_forecast_probability", "Forecast Probability", "number", "number", "probability", 0.5
    ),
    PropertySpec(
        "hs_is_closed", "Is Deal Closed?", "bool", "booleancheckbox", "bool", 0.0, _BOOL_OPTIONS
    ),
    PropertySpec(
        "num_associated_contacts",
        "Number of Associated Contacts",
        "number",
        "number",
        "int:0:12",
        0.0,
    ),
    PropertySpec(
        "x_renewal_date",
        "Renewal date (custom)",
        "date",
        "date",
        "date",
        0.5,
        hubspot_defined=False,
    ),
    PropertySpec(
        "x_products",
        "Products (custom)",
        "enumeration",
        "checkbox",
        "multi",
        0.3,
        _opts("core", "analytics", "support_plus", "api_addon"),
        hubspot_defined=False,
    ),
]

_TICKETS = [
    PropertySpec("subject", "Ticket name", "string", "text", "ticket_subject", 0.0),
    PropertySpec("content", "Ticket description", "string", "textarea", "sentence", 0.2),
    PropertySpec(
        "hs_pipeline",
        "Pipeline",
        "enumeration",
        "select",
        "enum",
        0.0,
        (("0", "Support Pipeline"),),
    ),
    PropertySpec(
        "hs_pipeline_stage",
        "Ticket status",
        "enumeration",
        "select",
        "enum",
        0.0,
        (("1", "New"), ("2", "Waiting on contact"), ("3", "Waiting on us"), ("4", "Closed")),
    ),
    PropertySpec(
        "hs_ticket_category",
        "Category",
        "enumeration",
        "checkbox",
        "multi",
        0.3,
        _opts("PRODUCT_ISSUE", "BILLING_ISSUE", "FEATURE_REQUEST", "GENERAL_INQUIRY"),
    ),
    PropertySpec(
        "hs_ticket_priority",
        "Priority",
        "enumeration",
        "select",
        "enum",
        0.2,
        _opts("LOW", "MEDIUM", "HIGH", "URGENT"),
    ),
    _owner("Ticket owner"),
    PropertySpec(
        "source_type",
        "Source",
        "enumeration",
        "select",
        "enum",
        0.2,
        _opts("CHAT", "EMAIL", "FORM", "PHONE"),
    ),
    PropertySpec("closed_date", "Close date", "datetime", "date", "datetime", 0.5),
    PropertySpec("time_to_close", "Time to close", "number", "number", "int:60000:900000000", 0.5),
    PropertySpec(
        "x_escalated",
        "Escalated (custom)",
        "bool",
        "booleancheckbox",
        "bool",
        0.3,
        _BOOL_OPTIONS,
        hubspot_defined=False,
    ),
    PropertySpec(
        "x_due_date", "Due date (custom)", "date", "date", "date", 0.5, hubspot_defined=False
    ),
]


def _merged() -> PropertySpec:
    """Ids merged into a record, `;`-joined (FACTS §10); set by the portal, not drawn."""
    return PropertySpec(
        "hs_merged_object_ids",
        "Merged record IDs",
        "enumeration",
        "checkbox",
        "merged",
        read_only=True,
        sparse=True,
        fill=0.0,
    )


_MAIN: dict[str, list[PropertySpec]] = {
    "contacts": _CONTACTS,
    "companies": _COMPANIES,
    "deals": _DEALS,
    "tickets": _TICKETS,
    "products": catalog_more.PRODUCTS,
    "line_items": catalog_more.LINE_ITEMS,
    "quotes": catalog_more.QUOTES,
    "calls": catalog_more.CALLS,
    "emails": catalog_more.EMAILS,
    "meetings": catalog_more.MEETINGS,
    "notes": catalog_more.NOTES,
    "tasks": catalog_more.TASKS,
    "cars": catalog_more.CARS,
}

# Dense properties first (their order fixes the generated values), then the sparse ones.
SPECS: dict[str, list[PropertySpec]] = {
    name: [
        *main,
        *_system(name),
        _merged(),
        *bulk_specs(name, BULK_COUNTS.get(name, 0)),
    ]
    for name, main in _MAIN.items()
}


def catalog(object_type: str) -> list[dict]:
    """The property catalog entries for one object type, in a stable order."""
    return [spec.to_api(object_type, order) for order, spec in enumerate(SPECS[object_type])]
