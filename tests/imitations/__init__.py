"""Local imitations of real portal families (see site.py); `ALL` lists every one."""

from tests.imitations import generic, gkmlpt, trs, vsb

ALL = [*trs.IMITATIONS, *gkmlpt.IMITATIONS, *generic.IMITATIONS, *vsb.IMITATIONS]
