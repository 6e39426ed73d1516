"""Command line: `python -m hubspot_pipeline.simulator --port 8090 --seed 7 ...`."""

import argparse
import os
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
    for name in ("products", "line_items", "quotes", "calls", "emails", "meetings", "notes"):
        add(f"--{name.replace('_', '-')}", type=int, default=None)
    add("--tasks", type=int, default=None)
    add("--cars", type=int, default=None, help="records of the custom object (2-3465404)")
    add("--archived-share", type=float, default=0.02, help="recycle-bin records per live one")
    add("--merged-share", type=float, default=0.01, help="merged-away ids per live record")
    add("--missing-scope", action="append", default=[], metavar="OBJECT_TYPE|owners")
    add(
        "--error-rate",
        action="append",
        default=[],
        type=_error_rate,
        metavar="STATUS:SHARE",
        help="share of requests answering 500/502/503/504",
    )
    add("--timeout-share", type=float, default=0.0)
    add("--timeout-seconds", type=float, default=30.0)
    add("--reset-share", type=float, default=0.0)
    add("--truncate-share", type=float, default=0.0)
    add("--short-page-share", type=float, default=0.0)
    add("--opaque-after", action="store_true")
    add("--search-lag-seconds", type=float, default=0.0)
    add("--search-shuffle-share", type=float, default=0.0)
    add("--max-url-length", type=int, default=16_000)
    add("--max-search-body-chars", type=int, default=None, help="HubSpot: 3000")
    add("--oauth-client-id", default=None)
    add("--oauth-client-secret", default=None, help="better: HUBSPOT_SIM_CLIENT_SECRET")
    add("--oauth-refresh-token", default=None, help="better: HUBSPOT_SIM_REFRESH_TOKEN")
    add("--token-lifetime-seconds", type=float, default=1800.0)
    add("--webhook-url", default=None)
    add("--webhook-secret", default=None, help="better: HUBSPOT_SIM_WEBHOOK_SECRET")
    return parser


def _error_rate(text: str) -> tuple[int, float]:
    try:
        status, share = text.split(":")
        return int(status), float(share)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"error rate must look like 503:0.1, got {text!r}"
        ) from exc


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
        **{
            name: getattr(args, name)
            for name in (
                "products",
                "line_items",
                "quotes",
                "calls",
                "emails",
                "meetings",
                "notes",
                "tasks",
                "cars",
            )
            if getattr(args, name) is not None
        },
        archived_share=args.archived_share,
        merged_share=args.merged_share,
        missing_scopes=args.missing_scope,
        error_rates=dict(args.error_rate),
        timeout_share=args.timeout_share,
        timeout_seconds=args.timeout_seconds,
        reset_share=args.reset_share,
        truncate_share=args.truncate_share,
        short_page_share=args.short_page_share,
        opaque_after=args.opaque_after,
        search_lag_seconds=args.search_lag_seconds,
        search_shuffle_share=args.search_shuffle_share,
        max_url_length=args.max_url_length,
        max_search_body_chars=args.max_search_body_chars,
        oauth_client_id=args.oauth_client_id,
        # Secrets can come from the environment, so they stay out of process listings.
        oauth_client_secret=args.oauth_client_secret or os.environ.get("HUBSPOT_SIM_CLIENT_SECRET"),
        oauth_refresh_token=args.oauth_refresh_token or os.environ.get("HUBSPOT_SIM_REFRESH_TOKEN"),
        token_lifetime_seconds=args.token_lifetime_seconds,
        webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret or os.environ.get("HUBSPOT_SIM_WEBHOOK_SECRET"),
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
