"""A local fake Coupa portal (with an SSO host) for tests, the benchmark and ``po-downloader demo``."""

from po_downloader.demo_portal.server import Knobs, RunningPortal, start_portal
from po_downloader.demo_portal.variants import VARIANTS, Variant

__all__ = ["VARIANTS", "Knobs", "RunningPortal", "Variant", "start_portal"]
