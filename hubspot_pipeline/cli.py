"""`hubspot-sync`: the project's command line."""

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hubspot-sync", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("sync", help="sync every CRM object's full history through Dagster")
    commands.add_parser("demo", help="the same sync against a seeded HubSpot simulator")
    args = parser.parse_args(argv)

    if args.command == "sync":
        from hubspot_pipeline import full_sync

        return full_sync.main()
    from hubspot_pipeline import demo

    return demo.main()


if __name__ == "__main__":
    sys.exit(main())
