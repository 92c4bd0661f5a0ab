"""Local imitations of real portal families (see site.py); `ALL` lists every one."""

from tests.imitations import (
    cicro,
    epoint,
    generic,
    gkmlpt,
    hanweb,
    jsczt,
    lonsun,
    nmg,
    siteserver,
    spa,
    trs,
    vsb,
)

ALL = [
    *trs.IMITATIONS,
    *gkmlpt.IMITATIONS,
    *generic.IMITATIONS,
    *vsb.IMITATIONS,
    *lonsun.IMITATIONS,
    *siteserver.IMITATIONS,
    *hanweb.IMITATIONS,
    *spa.IMITATIONS,
    *nmg.IMITATIONS,
    *cicro.IMITATIONS,
    *epoint.IMITATIONS,
    *jsczt.IMITATIONS,
]
