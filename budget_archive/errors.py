"""Exit codes of `budget-archive`, defined once, and the exceptions that carry them.

Every error is one line on stderr (click's ``Error: …``), never a traceback.
"""

from __future__ import annotations

import click

#: The command did what it was asked.
EXIT_OK = 0
#: The operator's mistake, told in one line: a bad portals file, a busy port, an unknown
#: portal, no archive at the path, an archive another crawl holds, an unreadable PDF (click's
#: ClickException).
EXIT_OPERATOR = 1
#: The command line itself is wrong: unknown option, bad value, missing file (click's
#: UsageError).
EXIT_USAGE = 2
#: The crawl failed: it did not finish cleanly (its status is not ``finished``).
EXIT_CRAWL_INCOMPLETE = 3
#: `verify` found a stored file missing, corrupt or orphaned.
EXIT_FIXITY = 4
#: The crawl finished, but some portal was unreachable or some section's list failed or
#: was blocked (what the others gave is archived).
EXIT_PORTALS_FAILED = 5

#: (code, meaning) for the README's table, in order.
EXIT_CODES: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "done"),
    (
        EXIT_OPERATOR,
        "operator error: a bad portals file, a busy port, an unknown portal id, no archive"
        " at the path, an archive another crawl holds, an unreadable PDF (`extract`)",
    ),
    (
        EXIT_USAGE,
        "usage error (click's own): unknown command or option, bad option value, missing file",
    ),
    (
        EXIT_CRAWL_INCOMPLETE,
        "the crawl failed: it did not finish cleanly (`crawl`, `demo`); the crawl row and"
        " fetch_problems record why",
    ),
    (
        EXIT_FIXITY,
        "`verify` found a stored file missing, corrupt or orphaned (fixity_problems records each)",
    ),
    (
        EXIT_PORTALS_FAILED,
        "the crawl finished but some portals failed (`crawl`, `demo`): a portal unreachable, a"
        " section's list failed or blocked; the rest is archived, section_crawls says which",
    ),
)


class OperatorError(click.ClickException):
    """A mistake of the operator's (bad configuration, busy port, …): one line, exit 1."""

    exit_code = EXIT_OPERATOR


class CrawlIncomplete(click.ClickException):
    """The crawl ran but its status is not ``finished``: one line, exit 3."""

    exit_code = EXIT_CRAWL_INCOMPLETE


class PortalsFailed(click.ClickException):
    """The crawl finished, but some portals or sections failed: one line, exit 5."""

    exit_code = EXIT_PORTALS_FAILED


class FixityFailed(click.ClickException):
    """`verify` found files missing, corrupt or orphaned: one line, exit 4."""

    exit_code = EXIT_FIXITY
