"""Opening files a user names (scenario, catalogue, model, inputs, bundle, database).

Any thread. Every path from a flag, a form or a drop goes through :func:`check_input_file`
before it is opened, so a FIFO, a device or a socket is refused with one line instead of
hanging or reading without end, and text files are read with a size cap.
"""

from __future__ import annotations

import stat
from pathlib import Path

from planner.core.errors import InputError
from planner.core.formatting import size

#: Text files a user hands planner (scenarios, catalogues) are small; anything larger is a
#: wrong file, and reading it whole would only waste memory.
MAX_TEXT_BYTES = 16 * 1024 * 1024


def check_input_file(path: Path, what: str, error: type[InputError] = InputError) -> Path:
    """``path`` if it names a regular file (links followed), else ``error`` naming the fix."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise error(f"{what} file not found: {path}") from None
    except OSError as exc:
        raise error(f"cannot read {path}: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise error(f"{path} is a folder; give the path of the {what} file") from None
    if not stat.S_ISREG(mode):
        raise error(
            f"{path} is not a regular file (a pipe, device or socket); give the {what} file itself"
        )
    return path


def read_user_text(
    path: Path,
    what: str,
    error: type[InputError] = InputError,
    max_bytes: int = MAX_TEXT_BYTES,
) -> str:
    """The UTF-8 text of ``path`` (a leading BOM dropped), or ``error`` naming the fix."""
    check_input_file(path, what, error)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise error(f"cannot read {path}: {exc.strerror}") from None
    if len(data) > max_bytes:
        raise error(
            f"{path} is larger than {size(max_bytes)}; "
            f"a {what} file is far smaller, so check that this is the right file"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(f"{path} is not UTF-8 text; save the {what} as UTF-8") from None
