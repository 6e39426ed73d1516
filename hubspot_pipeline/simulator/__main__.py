"""Command line: `python -m hubspot_pipeline.simulator --port 8090 --seed 7 ...`."""

import argparse
import signal
import sys
import threading
from datetime import UTC, datetime

from hubspot_pipeline.simulator.config import HotDay, SimulatorConfig
from hubspot_pipeline.simulator.server import SimulatorServer


def _utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m hubspot_pipeline.simulator",
        description="Serve a simulated HubSpot portal on localhost.",
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1")
    add("--port", type=int, default=8090)
    add("--seed", type=int, default=7)
    add("--contacts", type=int, default=20_000)
    add("--companies", type=int, default=5_000)
    add("--deals", type=int, default=8_000)
    add("--tickets", type=int, default=3_000)
    add("--days", type=int, default=365)
    add("--end", type=_utc, default=None, help="ISO end of the data (default: now)")
    add("--token", default=None, help="accept only this bearer token (default: any)")
    add("--ten-second-limit", type=int, default=190)
    add("--search-per-second", type=int, default=5)
    add("--daily-limit", type=int, default=1_000_000)
    add("--rate-429-share", type=float, default=0.0)
    add("--shared-timestamp-share", type=float, default=0.1)
    add(
        "--hot-day",
        action="append",
        default=[],
        type=HotDay.parse,
        metavar="OBJECT:YYYY-MM-DD:COUNT",
    )
    add("--latency-ms", type=float, default=0.0)
    add("--latency-per-property-ms", type=float, default=0.0)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    config = SimulatorConfig(
        seed=args.seed,
        contacts=args.contacts,
        companies=args.companies,
        deals=args.deals,
        tickets=args.tickets,
        days=args.days,
        **({"end": args.end} if args.end else {}),
        token=args.token,
        ten_second_limit=args.ten_second_limit,
        search_per_second=args.search_per_second,
        daily_limit=args.daily_limit,
        rate_429_share=args.rate_429_share,
        shared_timestamp_share=args.shared_timestamp_share,
        hot_days=args.hot_day,
        latency_ms=args.latency_ms,
        latency_per_property_ms=args.latency_per_property_ms,
    )
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    with SimulatorServer(config, host=args.host, port=args.port) as server:
        print(f"simulator listening on {server.base_url}", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
