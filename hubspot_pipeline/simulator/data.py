"""Deterministic generation of the portal's records from the seed.

Faker is slow per call, so it only fills small pools of names and words once; a
`random.Random` per object type then draws every record from those pools. Each object type
and each hot day has its own generator, so changing one count never changes other data.
"""

import functools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from faker import Faker

from hubspot_pipeline.simulator.catalog import LAST_MODIFIED, SPECS
from hubspot_pipeline.simulator.config import HotDay, SimulatorConfig
from hubspot_pipeline.simulator.objects import TYPES
from hubspot_pipeline.simulator.property_spec import PropertySpec
from hubspot_pipeline.simulator.timefmt import date_to_ms, datetime_to_ms, ms_to_date, ms_to_iso

DAY_MS = 86_400_000

# Id ranges per object type: all ids of a type have the same number of digits, so string
# order equals numeric order, and ids of different types never collide.
_ID_BASES = {name: t.id_base for name, t in TYPES.items()}
OWNER_IDS = tuple(str(81_000_001 + n) for n in range(20))
_PRODUCT_NOUNS = ("Suite", "Platform", "Add-on", "Seat", "Support Plan", "Module", "License")
_CURRENCIES = ("USD", "EUR", "GBP")
_PROBABILITIES = ("0.1", "0.2", "0.4", "0.6", "0.8", "0.9", "1.0")
_DEAL_KINDS = ("New business", "Renewal", "Expansion", "Pilot", "Upgrade", "Services")
_TICKET_SUBJECTS = (
    "Cannot log in",
    "Invoice question",
    "Feature request",
    "Export fails",
    "Slow dashboard",
    "Password reset",
    "API error",
    "Billing address change",
)

# Cluster sizes: ordinary shared timestamps come in small groups, hot-day ones in big bursts.
_SHARED_CLUSTER = (2, 8)
_SPARSE_POOL = 32
_HOT_CLUSTER = (50, 500)


@dataclass(slots=True)
class Pools:
    """Small pools of realistic values drawn once from a seeded Faker."""

    first_names: list[str]
    last_names: list[str]
    companies: list[str]
    cities: list[str]
    states: list[str]
    countries: list[str]
    jobs: list[str]
    sentences: list[str]

    @classmethod
    @functools.cache
    def from_seed(cls, seed: int) -> "Pools":
        """Pools for a seed; cached, since Faker is slow to start and pools are only read."""
        fake = Faker("en_US")
        fake.seed_instance(seed)
        return cls(
            first_names=[fake.first_name() for _ in range(300)],
            last_names=[fake.last_name() for _ in range(300)],
            companies=[fake.company() for _ in range(400)],
            cities=[fake.city() for _ in range(200)],
            states=[fake.state() for _ in range(50)],
            countries=[fake.country() for _ in range(80)],
            jobs=[fake.job() for _ in range(150)],
            sentences=[fake.sentence(nb_words=10) for _ in range(200)],
        )


@dataclass(slots=True)
class GeneratedObject:
    """Records of one object type sorted by id, with their timestamps as epoch ms."""

    records: list[dict]
    created_ms: list[int]
    updated_ms: list[int]


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


@dataclass(slots=True)
class _Stamp:
    """One record's identity and timestamps, formatted once and shared by its properties."""

    record_id: str
    created: int
    updated: int
    created_iso: str
    updated_iso: str


Filler = Callable[[dict, _Stamp], str]


class _ValueMaker:
    """Fills records' properties; each property gets its generator function once, up front.

    Generators see the values drawn so far (`ctx`), so an email can reuse the record's names.
    """

    def __init__(self, rng: random.Random, pools: Pools, start_ms: int, end_ms: int) -> None:
        self.rng = rng
        self.pools = pools
        self.start_ms = start_ms
        self.end_ms = end_ms

    def compile(self, specs: list[PropertySpec]) -> list[tuple[str, float, Filler]]:
        return [(spec.name, spec.null_share, self._filler(spec)) for spec in specs]

    def properties(self, plan: list[tuple[str, float, Filler]], stamp: _Stamp) -> dict:
        ctx: dict[str, str | None] = {}
        draw = self.rng.random
        for name, null_share, fill in plan:
            ctx[name] = None if null_share and draw() < null_share else fill(ctx, stamp)
        return ctx

    def _filler(self, spec: PropertySpec) -> Filler:
        rng, pools = self.rng, self.pools
        pick = rng.choice
        options = spec.option_values
        simple: dict[str, Filler] = {
            "created": lambda ctx, s: s.created_iso,
            "modified": lambda ctx, s: s.updated_iso,
            "id": lambda ctx, s: s.record_id,
            "first_name": lambda ctx, s: pick(pools.first_names),
            "last_name": lambda ctx, s: pick(pools.last_names),
            "phone": lambda ctx, s: f"+1 {rng.randint(201, 989)}-555-{rng.randint(0, 9999):04d}",
            "company": lambda ctx, s: pick(pools.companies),
            "website": lambda ctx, s: f"https://www.{ctx.get('domain') or 'example.com'}",
            "city": lambda ctx, s: pick(pools.cities),
            "state": lambda ctx, s: pick(pools.states),
            "country": lambda ctx, s: pick(pools.countries),
            "job": lambda ctx, s: pick(pools.jobs),
            "sentence": lambda ctx, s: pick(pools.sentences),
            "deal_name": lambda ctx, s: f"{pick(pools.companies)} - {pick(_DEAL_KINDS)}",
            "ticket_subject": lambda ctx, s: pick(_TICKET_SUBJECTS),
            "owner": lambda ctx, s: pick(OWNER_IDS),
            "enum": lambda ctx, s: pick(options),
            "bool": lambda ctx, s: "true" if rng.random() < 0.5 else "false",
            "money": lambda ctx, s: str(rng.randrange(500, 250_000, 50)),
            "probability": lambda ctx, s: pick(_PROBABILITIES),
            "date": lambda ctx, s: ms_to_date(rng.randrange(self.start_ms, self.end_ms)),
            "datetime": lambda ctx, s: ms_to_iso(rng.randint(s.created, s.updated)),
            "email": self._email,
            "domain": self._domain,
            "multi": lambda ctx, s: self._multi(options),
            "product_name": lambda ctx, s: (
                f"{pick(pools.companies).split()[0]} {pick(_PRODUCT_NOUNS)}"
            ),
            "line_amount": lambda ctx, s: str(
                int(ctx.get("quantity") or 0) * int(ctx.get("price") or 0)
            ),
            "sku": lambda ctx, s: f"SKU-{s.record_id[-6:]}",
            "vin": lambda ctx, s: f"VIN{s.record_id}",
            "currency": lambda ctx, s: pick(_CURRENCIES),
            "html": lambda ctx, s: f"<p>{pick(pools.sentences)}</p>",
            "file": lambda ctx, s: f"https://files.example.com/{s.record_id}/{rng.randint(1, 999)}",
            "json": lambda ctx, s: f'{{"source":"API","sourceId":"{rng.randint(1, 99)}"}}',
            "coords": lambda ctx, s: f"{rng.uniform(-60, 60):.4f},{rng.uniform(-150, 150):.4f}",
        }
        if spec.kind in simple:
            return simple[spec.kind]
        low, high = (int(bound) for bound in spec.kind.removeprefix("int:").split(":"))
        return lambda ctx, s: str(rng.randint(low, high))

    def _email(self, ctx: dict, stamp: _Stamp) -> str:
        first = ctx.get("firstname") or self.rng.choice(self.pools.first_names)
        last = ctx.get("lastname") or self.rng.choice(self.pools.last_names)
        domain = _slug(self.rng.choice(self.pools.companies))[:20] + ".example.com"
        return f"{_slug(first)}.{_slug(last)}{stamp.record_id[-4:]}@{domain}"

    def _domain(self, ctx: dict, stamp: _Stamp) -> str:
        base = ctx.get("name") or self.rng.choice(self.pools.companies)
        return f"{_slug(base)[:24]}{stamp.record_id[-3:]}.example.com"

    def _multi(self, options: tuple[str, ...]) -> str:
        chosen = set(self.rng.sample(options, self.rng.randint(1, 3)))
        return ";".join(value for value in options if value in chosen)


def _unique(stamps: list[int], created: list[int]) -> None:
    """Make every timestamp distinct, so shared ones are exactly the planned clusters."""
    seen: set[int] = set()
    for pos, stamp in enumerate(stamps):
        while stamp in seen:
            stamp -= 1
        created[pos] = min(created[pos], stamp)
        stamps[pos] = stamp
        seen.add(stamp)


def _share_timestamps(rng: random.Random, updated: list[int], share: float) -> None:
    """Give `share` of the records the last-modified ms of others in clusters of 2-8."""
    members = rng.sample(range(len(updated)), round(share * len(updated)))
    clusters: list[list[int]] = []
    while members:
        size = rng.randint(*_SHARED_CLUSTER)
        cluster, members = members[:size], members[size:]
        if len(cluster) == 1 and clusters:
            clusters[-1].extend(cluster)
        elif len(cluster) > 1:
            clusters.append(cluster)
    for cluster in clusters:
        stamp = max(updated[pos] for pos in cluster)
        for pos in cluster:
            updated[pos] = stamp


def _next_ids(rng: random.Random, first: int, count: int) -> list[int]:
    """Increasing ids with small gaps, as deletions and other portals' records leave them."""
    ids, current = [], first
    for _ in range(count):
        current += rng.randint(1, 3)
        ids.append(current)
    return ids


def _records(
    object_type: str,
    maker: _ValueMaker,
    ids: list[int],
    created: list[int],
    updated: list[int],
    sparse_rng: random.Random,
) -> list[dict]:
    specs = SPECS[object_type]
    plan = maker.compile([spec for spec in specs if not spec.sparse])
    records, stamps = [], []
    for record_id, made, changed in zip(ids, created, updated, strict=True):
        stamp = _Stamp(str(record_id), made, changed, ms_to_iso(made), ms_to_iso(changed))
        stamps.append(stamp)
        records.append(
            {
                "id": stamp.record_id,
                "properties": maker.properties(plan, stamp),
                "createdAt": stamp.created_iso,
                "updatedAt": stamp.updated_iso,
                "archived": False,
            }
        )
    _fill_sparse(specs, records, stamps, maker, sparse_rng)
    return records


def _fill_sparse(
    specs: list[PropertySpec],
    records: list[dict],
    stamps: list[_Stamp],
    maker: _ValueMaker,
    rng: random.Random,
) -> None:
    """Give each sparse property a value on about `fill` of the records.

    Hundreds of sparse properties would cost seconds if every value were drawn, so each
    property draws a pool of 32 values once and fills every n-th record from its pool.
    Values do not follow their record's timestamps; the long tail needs only plausibility.
    """
    if not records:
        return
    sparse_maker = _ValueMaker(rng, maker.pools, maker.start_ms, maker.end_ms)
    span = _Stamp("0", maker.start_ms, maker.end_ms, "", "")
    for spec in specs:
        if not spec.sparse or spec.fill <= 0:
            continue
        fill = sparse_maker._filler(spec)
        pool = [fill({}, span) for _ in range(_SPARSE_POOL)]
        step = max(1, round(1 / spec.fill))
        for n, pos in enumerate(range(rng.randrange(step), len(records), step)):
            records[pos]["properties"][spec.name] = pool[n % _SPARSE_POOL]


def generate_object(object_type: str, config: SimulatorConfig, pools: Pools) -> GeneratedObject:
    """All records of one object type: the ordinary ones, then each hot day's burst."""
    end_ms = datetime_to_ms(config.end)
    start_ms = datetime_to_ms(config.end - timedelta(days=config.days))
    rng = random.Random(f"{config.seed}:{object_type}")
    count = config.count(object_type)

    # Ids grow with creation time, as HubSpot's do; modification follows creation.
    ids = _next_ids(rng, _ID_BASES[object_type], count)
    created = sorted(rng.randrange(start_ms, end_ms) for _ in range(count))
    updated = [made + int((end_ms - made) * rng.random() ** 2) for made in created]
    _unique(updated, created)
    _share_timestamps(rng, updated, config.shared_timestamp_share)
    maker = _ValueMaker(rng, pools, start_ms, end_ms)
    sparse_rng = random.Random(f"{config.seed}:{object_type}:sparse")
    generated = GeneratedObject(
        _records(object_type, maker, ids, created, updated, sparse_rng), created, updated
    )

    last_id = ids[-1] if ids else _ID_BASES[object_type]
    for index, hot_day in enumerate(config.hot_days):
        if hot_day.object_type == object_type:
            last_id = _add_hot_day(
                generated, hot_day, index, config, pools, last_id, start_ms, end_ms
            )
    return generated


def _add_hot_day(
    generated: GeneratedObject,
    hot_day: HotDay,
    index: int,
    config: SimulatorConfig,
    pools: Pools,
    last_id: int,
    start_ms: int,
    end_ms: int,
) -> int:
    """Append a hot day's records: bursts of 50-500 records on one millisecond each."""
    rng = random.Random(f"{config.seed}:hot:{index}:{hot_day.object_type}:{hot_day.day}")
    day_start = date_to_ms(hot_day.day)
    day_end = min(day_start + DAY_MS, end_ms + 1)
    if day_end <= day_start:
        raise ValueError(f"hot day {hot_day.day} lies after the end of the data ({config.end})")

    updated: list[int] = []
    while len(updated) < hot_day.count:
        size = min(hot_day.count - len(updated), rng.randint(*_HOT_CLUSTER))
        updated.extend([rng.randrange(day_start, day_end)] * size)
    created = [rng.randint(min(start_ms, stamp), stamp) for stamp in updated]
    ids = _next_ids(rng, last_id, hot_day.count)

    maker = _ValueMaker(rng, pools, start_ms, end_ms)
    generated.records.extend(
        _records(
            hot_day.object_type,
            maker,
            ids,
            created,
            updated,
            random.Random(f"{config.seed}:hot:{index}:sparse"),
        )
    )
    generated.created_ms.extend(created)
    generated.updated_ms.extend(updated)
    return ids[-1] if ids else last_id


def generate_archived(
    object_type: str, config: SimulatorConfig, pools: Pools, first_id: int, count: int
) -> list[dict]:
    """Records in the recycle bin: ids after every live one, `archivedAt` after `updatedAt`.

    A stream of their own, so the live records stay the same whatever the archived count.
    """
    end_ms = datetime_to_ms(config.end)
    start_ms = datetime_to_ms(config.end - timedelta(days=config.days))
    rng = random.Random(f"{config.seed}:{object_type}:archived")
    ids = _next_ids(rng, first_id, count)
    created = sorted(rng.randrange(start_ms, end_ms) for _ in range(count))
    # Archiving is the last change: updatedAt and the last-modified property equal archivedAt.
    archived = [made + int((end_ms - made) * rng.random()) for made in created]
    maker = _ValueMaker(rng, pools, start_ms, end_ms)
    records = _records(object_type, maker, ids, created, archived, rng)
    for record in records:
        record["archived"] = True
        record["archivedAt"] = record["updatedAt"]
    return records


def last_modified_property(object_type: str) -> str:
    return LAST_MODIFIED[object_type]
