"""Reading a user's text file (scenario, catalogue) with one-line errors. Any thread."""

from __future__ import annotations

from pathlib import Path

from planner.core.errors import InputError


def read_user_text(path: Path, what: str, error: type[InputError] = InputError) -> str:
    """The UTF-8 text of ``path`` (a leading BOM dropped), or ``error`` naming the fix."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error(f"{what} file not found: {path}") from None
    except IsADirectoryError:
        raise error(f"{path} is a folder; give the path of the {what} file") from None
    except UnicodeDecodeError:
        raise error(f"{path} is not UTF-8 text; save the {what} as UTF-8") from None
    except OSError as exc:
        raise error(f"cannot read {path}: {exc.strerror}") from None
