"""The numbers printed in `tests/fixtures/converter/` (synthetic, from report_formats.md §2/§3).

Every converter fixture prints this one 表三 (2021 layout; the 2019 fixture folds （六） into one row) and
this one 表四; the §2e identities hold on them, so a reader that pairs or places them right can be checked
cell by cell, and a value that lands on any other label shows up as a mismatch.
"""

from __future__ import annotations

from tests.helpers import T3_COLUMNS

T3_2021: dict[str, list[int]] = {
    "new": [31, 4, 1, 0, 2, 1, 39],
    "carried_over": [3, 1, 0, 0, 0, 0, 4],
    "granted": [12, 2, 0, 0, 1, 0, 15],
    "partial": [4, 1, 0, 0, 0, 0, 5],
    "denied.state_secret": [0] * 7,
    "denied.law_forbidden": [1, 0, 0, 0, 0, 0, 1],
    "denied.three_security": [0] * 7,
    "denied.third_party": [2, 0, 0, 0, 0, 0, 2],
    "denied.internal_affairs": [0] * 7,
    "denied.process_info": [1, 0, 0, 0, 0, 0, 1],
    "denied.enforcement_file": [0] * 7,
    "denied.inquiry": [1, 0, 0, 0, 0, 0, 1],
    "unavailable.not_held": [6, 1, 1, 0, 0, 1, 9],
    "unavailable.need_create": [1, 0, 0, 0, 0, 0, 1],
    "unavailable.unclear": [0] * 7,
    "not_processed.petition": [2, 0, 0, 0, 0, 0, 2],
    "not_processed.repeat": [1, 0, 0, 0, 0, 0, 1],
    "not_processed.publication": [0] * 7,
    "not_processed.mass_repeat": [0] * 7,
    "not_processed.confirm": [0] * 7,
    "other.no_correction": [1, 0, 0, 0, 0, 0, 1],
    "other.no_fee": [0] * 7,
    "other.other": [0, 0, 0, 0, 1, 0, 1],
    "total": [32, 4, 1, 0, 2, 1, 40],
    "carried_forward": [2, 1, 0, 0, 0, 0, 3],
}
T3_2019 = {k: v for k, v in T3_2021.items() if not k.startswith("other.")} | {"other": [1, 0, 0, 0, 1, 0, 2]}

T4_BLOCKS = ("review", "direct", "after_review")
T4_RESULTS = ("upheld", "corrected", "other", "pending", "total")  # printed order
T4: dict[str, int] = dict(
    zip(
        [f"{b}.{r}" for b in T4_BLOCKS for r in T4_RESULTS],
        [3, 1, 0, 1, 5, 2, 0, 1, 0, 3, 1, 0, 0, 1, 2],
        strict=True,
    )
)


def truth(table: str, row_key: str, col_key: str, era2019: bool = False) -> int | None:
    """The number the fixtures print at (row, column); None for a key they do not print."""
    if table == "t4":
        return T4.get(col_key)
    rows = T3_2019 if era2019 else T3_2021
    if row_key not in rows or col_key not in T3_COLUMNS:
        return None
    return rows[row_key][T3_COLUMNS.index(col_key)]
