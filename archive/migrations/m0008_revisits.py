"""0008: when each disclosure page was last visited, for the revisit policy.

- `disclosures.last_visited`: the day (YYYY-MM-DD, the crawl's day) its page was last
  fetched. `last_seen` moves also when the page is only seen listed (a list entry of a
  page not due for a visit); `last_visited` only when it is fetched. Filled from
  `last_seen` for the pages known so far.
"""

from __future__ import annotations

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db.table("disclosures").add_column("last_visited", str)
    db.execute("update disclosures set last_visited = substr(last_seen, 1, 10)")
