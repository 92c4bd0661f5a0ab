"""Local imitations of real portal families (see site.py); `ALL` lists every one."""

from tests.imitations import trs

ALL = [*trs.IMITATIONS]
