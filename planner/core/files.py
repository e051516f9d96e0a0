"""Opening files a user names (scenario, catalogue, model, inputs, bundle, database, output).

Any thread. Every path from a flag, a form or a drop goes through :func:`check_input_file`
before it is opened, so a FIFO, a device or a socket is refused with one line instead of
hanging or reading without end, and text files are read with a size cap. Every file planner
writes where a user said goes through :func:`check_output_file` first: its folder must
exist and the name must not be a folder, pipe or device, so nothing blocks on a FIFO and
no renderer starts painting into a file it cannot open.
"""

from __future__ import annotations

import stat
from pathlib import Path

from planner.core.errors import InputError, PlannerError
from planner.core.formatting import size

#: Text files a user hands planner (scenarios, catalogues) are small; anything larger is a
#: wrong file, and reading it whole would only waste memory.
MAX_TEXT_BYTES = 16 * 1024 * 1024


def path_kind(path: Path) -> str:
    """What ``path`` names: "absent", "folder", "file" (regular) or "special" (pipe, device,
    socket); links are followed. Other failures to look (permissions) raise OSError."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "absent"
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else "special"


def check_input_file(path: Path, what: str, error: type[PlannerError] = InputError) -> Path:
    """``path`` if it names a regular file (links followed), else ``error`` naming the fix."""
    try:
        kind = path_kind(path)
    except OSError as exc:
        raise error(f"cannot read {path}: {exc.strerror}") from None
    if kind == "absent":
        raise error(f"{what} file not found: {path}")
    if kind == "folder":
        raise error(f"{path} is a folder; give the path of the {what} file")
    if kind == "special":
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


def check_output_file(path: Path, what: str, error: type[InputError] = InputError) -> Path:
    """``path`` if a ``what`` file can be written there, else ``error`` naming the fix.

    The target may be absent or a regular file (it is replaced); its folder must exist.
    """
    folder = path.parent
    if not folder.is_dir():
        raise error(
            f"cannot write {path}: the folder {folder} does not exist; "
            f"create it or write the {what} elsewhere"
        )
    try:
        kind = path_kind(path)
    except OSError as exc:
        raise error(f"cannot write {path}: {exc.strerror}") from None
    if kind == "folder":
        raise error(f"cannot write {path}: it is a folder; give a file name for the {what}")
    if kind == "special":
        raise error(
            f"cannot write {path}: it is a pipe, device or socket, not a regular file; "
            f"give a file name for the {what}"
        )
    return path


def write_user_text(path: Path, text: str, what: str, error: type[InputError] = InputError) -> None:
    """Write ``text`` (UTF-8) to ``path`` after :func:`check_output_file`."""
    check_output_file(path, what, error)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise error(f"cannot write {path}: {exc.strerror}") from None
