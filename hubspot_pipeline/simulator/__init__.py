"""A local HTTP server that answers like HubSpot's CRM API, over data generated from a seed.

Usage:

    with SimulatorServer(SimulatorConfig(seed=7, contacts=1000)) as server:
        httpx.get(f"{server.base_url}/crm/v3/objects/contacts",
                  headers={"Authorization": "Bearer any"})
"""

from hubspot_pipeline.simulator.app import create_app
from hubspot_pipeline.simulator.config import HotDay, SimulatorConfig
from hubspot_pipeline.simulator.portal import Portal
from hubspot_pipeline.simulator.server import SimulatorServer

__all__ = ["HotDay", "Portal", "SimulatorConfig", "SimulatorServer", "create_app"]
