"""Portal software families: one walker each (how its list pages are walked).

`WALKERS` maps a section's `family` (crawler/portals.py `FAMILIES`) to its walker.
"""

from __future__ import annotations

from crawler.families.auto import AutoWalker
from crawler.families.base import Walker
from crawler.families.cicro import CicroWalker
from crawler.families.epoint import EpointWalker
from crawler.families.generic import GenericWalker
from crawler.families.gkmlpt import GkmlptWalker
from crawler.families.jpage import JpageWalker
from crawler.families.jsczt import JscztWalker
from crawler.families.json_api import JsonWalker
from crawler.families.lonsun import LonsunWalker
from crawler.families.nmg import NmgWalker
from crawler.families.rendered import RenderedWalker
from crawler.families.siteserver import SiteServerWalker
from crawler.families.trs import TrsWalker
from crawler.families.vsb import VsbWalker

WALKERS: dict[str, type[Walker]] = {
    w.family: w
    for w in (
        AutoWalker,
        CicroWalker,
        EpointWalker,
        GenericWalker,
        GkmlptWalker,
        JpageWalker,
        JscztWalker,
        JsonWalker,
        LonsunWalker,
        NmgWalker,
        RenderedWalker,
        SiteServerWalker,
        TrsWalker,
        VsbWalker,
    )
}
