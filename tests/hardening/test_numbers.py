"""Campaign: NaN, infinities, huge, negative and zero numbers at every entry point.

Catalogue CSV, bundle JSON and command-line flags are driven through the CLI; each
input must be refused in one line naming the column, field or flag (or, where the value
is valid, accepted and then usable), never end in an internal error, and a refusal must
leave the database exactly as it was. CI runs the tokens below for every field;
``campaign.py`` runs every token.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hardening import cases
from hardening.tools import Kit

#: The tokens CI tries for every field: non-finite, beyond every cap, negative and zero.
CI_TOKENS = ("nan", "inf", "1e400", "1e308", "-1", "0")
CI_JSON_TOKENS = ("1e400", "NaN", "1e308", "-1", "0", "1" + "0" * 25)
TRIALS = [
    *cases.catalogue_number_trials(CI_TOKENS),
    *cases.catalogue_text_trials(),
    *cases.bundle_number_trials(CI_JSON_TOKENS),
    *cases.flag_trials(CI_TOKENS),
]


@pytest.mark.parametrize("trial", TRIALS, ids=[f"{t.category}: {t.name}" for t in TRIALS])
def test_hostile_number_or_text_is_refused_cleanly(
    trial: cases.Trial, kit: Kit, tmp_path: Path
) -> None:
    assert trial.run(kit, tmp_path) in trial.allowed
