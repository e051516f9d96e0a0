"""Names refuse invisible characters; printable() escapes them; input files must be files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner.core.errors import InputError
from planner.core.files import check_input_file, read_user_text
from planner.core.text import check_name, invisible_char, printable


@pytest.mark.parametrize(
    "bad",
    [
        "a\x1b[2Jb",
        "nul\x00",
        "cr\rx",
        "rtl\u202etxt",
        "zw\u200bj",
        "alm\u061cx",
        "soft\u00adhyphen",
        "tag\U000e0001x",
        "lsep\u2028x",
        "private\ue000x",
        "unassigned\U000e0080x",
    ],
)
def test_names_with_control_or_invisible_characters_are_refused(bad: str) -> None:
    with pytest.raises(InputError, match=r"^site contains the invisible or control character U\+"):
        check_name(bad, "site")


def test_ordinary_names_pass_and_are_trimmed() -> None:
    assert check_name("  Plant 7 — Zürich 東京 ", "site") == "Plant 7 — Zürich 東京"
    with pytest.raises(InputError, match="empty"):
        check_name("   ", "site")


def test_printable_escapes_what_a_terminal_would_obey() -> None:
    assert printable("ok") == "ok"
    assert printable("a\x1b[31mb\u202e") == "a\\u001b[31mb\\u202e"


def test_every_format_character_is_escaped_and_refused_in_free_text() -> None:
    """Category Cf, not a list: the Arabic letter mark, soft hyphen and tags are covered."""
    assert printable("a\u061cb\u00adc\U000e0001d") == "a\\u061cb\\u00adc\\U000e0001d"
    assert printable(printable("x\u061c")) == "x\\u061c"
    assert invisible_char("line one\n\tline\u00ad two") == "\u00ad"
    assert invisible_char("line one\n\tline two, Zürich 東京") is None


def test_a_fifo_is_refused_before_it_can_block(tmp_path: Path) -> None:
    fifo = tmp_path / "scenario.toml"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_user_text(fifo, "scenario")
    with pytest.raises(InputError, match="not a regular file"):
        check_input_file(Path("/dev/zero"), "catalogue")


def test_text_files_are_read_with_a_size_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(InputError, match="larger than"):
        read_user_text(big, "catalogue", max_bytes=1024)
    assert read_user_text(big, "catalogue") == "x" * 2048
