"""What is inside a one-file PyInstaller build: its largest parts, its glibc floor, no Qt.

Build machine only, run with the build venv's Python (it reads the archive through
PyInstaller's own reader): ``python packaging/kit_report.py dist/planner-assess``.
``--forbid PySide6,shiboken6`` fails (exit 1) when a library or Python module of a
forbidden package is inside.
The glibc floor is the highest ``GLIBC_x.y`` version that the executable (PyInstaller's
bootloader) or any bundled shared library requires, read from ``objdump -p``; a target
machine needs at least that glibc.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from PyInstaller.archive.readers import CArchiveReader, ZlibArchiveReader

BINARY_TYPECODE = "b"
PYZ_NAME = "PYZ.pyz"
GLIBC_REQUIREMENT = re.compile(r"\bGLIBC_(\d+)\.(\d+)(?:\.(\d+))?\b")


def largest_entries(archive: CArchiveReader, count: int) -> list[tuple[str, int, int]]:
    """``(name, unpacked bytes, stored bytes)`` of the ``count`` largest entries."""
    rows = [(name, entry[2], entry[1]) for name, entry in archive.toc.items()]
    return sorted(rows, key=lambda row: row[1], reverse=True)[:count]


def glibc_needs(path: Path) -> tuple[int, ...]:
    """The highest glibc version ``path`` requires (its ELF version references)."""
    dump = subprocess.run(
        ["objdump", "-p", str(path)], capture_output=True, text=True, check=False
    ).stdout
    versions = [
        tuple(int(part) for part in match.groups() if part is not None)
        for match in GLIBC_REQUIREMENT.finditer(dump.partition("Version References:")[2])
    ]
    return max(versions, default=())


def glibc_floor(executable: Path, archive: CArchiveReader) -> tuple[tuple[int, ...], str]:
    """The highest glibc version any part needs, and the part that needs it."""
    needs = {executable.name: glibc_needs(executable)}
    with tempfile.TemporaryDirectory(prefix="kit-report-") as folder:
        for name, entry in archive.toc.items():
            if entry[4] != BINARY_TYPECODE:
                continue
            part = Path(folder) / name.replace("/", "__")
            part.write_bytes(archive.extract(name))
            needs[name] = glibc_needs(part)
    worst = max(needs, key=lambda name: needs[name])
    return needs[worst], worst


def forbidden_parts(archive: CArchiveReader, packages: list[str]) -> list[str]:
    """Libraries, data files and Python modules inside that belong to ``packages``."""
    names = list(archive.toc)
    with tempfile.TemporaryDirectory(prefix="kit-report-") as folder:
        pyz = Path(folder) / PYZ_NAME
        pyz.write_bytes(archive.extract(PYZ_NAME))
        names += list(ZlibArchiveReader(str(pyz)).toc)
    prefixes = tuple(p for package in packages for p in (f"{package}.", f"{package}/"))
    return [name for name in names if name in packages or name.startswith(prefixes)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("executable", type=Path, help="a one-file PyInstaller build")
    parser.add_argument("--top", type=int, default=10, help="how many of the largest parts")
    parser.add_argument("--forbid", default="", help="packages that must not be inside, a,b")
    args = parser.parse_args()
    archive = CArchiveReader(str(args.executable))
    size = args.executable.stat().st_size
    unpacked = sum(entry[2] for entry in archive.toc.values())
    print(f"{args.executable}: {size / 1e6:.1f} MB, {unpacked / 1e6:.1f} MB unpacked at start")
    print("largest parts (unpacked MB / stored MB):")
    for name, unpacked_bytes, stored_bytes in largest_entries(archive, args.top):
        print(f"  {unpacked_bytes / 1e6:6.1f} {stored_bytes / 1e6:6.1f}  {name}")
    packages = [name for name in args.forbid.split(",") if name]
    found = forbidden_parts(archive, packages) if packages else []
    if found:
        print(f"forbidden parts inside: {', '.join(found[:10])}")
        return 1
    if packages:
        print(f"none of {', '.join(packages)} inside")
    if shutil.which("objdump") is None:
        print("glibc floor: not measured (objdump, from binutils, is not installed)")
        return 0
    version, part = glibc_floor(args.executable, archive)
    print(f"glibc floor: {'.'.join(map(str, version))} (the highest, needed by {part})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
