"""RAPL energy counters under /sys/class/powercap: which domains exist, and reading them.

``discover_rapl`` runs on whichever thread collects the inventory. A ``RaplCounter`` belongs
to one thread (the profiling worker's telemetry sampler); it is not locked.

Since CVE-2020-8694 the ``energy_uj`` files are usually readable by root only, so discovery
reports each domain's readability and, if none can be read, why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from planner.core.errors import HardwareError
from planner.core.machine import Availability, RaplDomain

#: Domain directories: "intel-rapl:0" (a package) and "intel-rapl:0:1" (a sub-domain such as
#: dram or core). AMD processors expose theirs under the same name.
_DOMAIN_DIR = re.compile(r"intel-rapl:\d+(:\d+)?")

SysfsReader = Callable[[Path], str]


def read_sysfs(path: Path) -> str:
    """Read a small sysfs file; raises ``OSError`` (e.g. ``PermissionError``) if it cannot."""
    with path.open("r", encoding="ascii") as handle:
        return handle.read().strip()


def _unreadable_reason(path: Path, error: OSError | ValueError) -> str:
    if isinstance(error, PermissionError):
        return f"permission denied: {path} (run as root or chmod a+r)"
    if isinstance(error, OSError):
        return f"unreadable: {path}: {error.strerror or error}"
    return f"unreadable: {path} does not hold an integer"


def _read_int(path: Path, reader: SysfsReader) -> int:
    return int(reader(path))


def _domain_name(directory: Path, reader: SysfsReader) -> str:
    """The domain's own name ("package-0", "dram"), prefixed by its package's for sub-domains."""
    try:
        own = reader(directory / "name")
    except OSError:
        own = directory.name
    if directory.name.count(":") == 2:
        parent = directory.with_name(directory.name.rsplit(":", 1)[0])
        return f"{_domain_name(parent, reader)}/{own}"
    return own


def _probe_domain(directory: Path, reader: SysfsReader) -> RaplDomain:
    energy_path = directory / "energy_uj"
    readable, reason = True, None
    try:
        _read_int(energy_path, reader)
    except (OSError, ValueError) as error:
        readable, reason = False, _unreadable_reason(energy_path, error)
    try:
        max_range: int | None = _read_int(directory / "max_energy_range_uj", reader)
    except (OSError, ValueError):
        max_range = None
    return RaplDomain(
        name=_domain_name(directory, reader),
        path=str(directory),
        readable=readable,
        reason=reason,
        max_energy_range_uj=max_range,
    )


def _domain_directories(root: Path) -> list[Path]:
    try:
        entries = list(root.iterdir())
    except OSError:
        return []
    return sorted(entry for entry in entries if _DOMAIN_DIR.fullmatch(entry.name))


def _availability(root: Path, domains: tuple[RaplDomain, ...]) -> Availability:
    if not domains:
        return Availability(False, f"absent: {root} has no RAPL domains")
    if any(domain.readable for domain in domains):
        return Availability(True, None)
    return Availability(False, domains[0].reason)


def discover_rapl(
    root: Path = Path("/sys/class/powercap"), reader: SysfsReader = read_sysfs
) -> tuple[tuple[RaplDomain, ...], Availability]:
    """The RAPL domains under ``root`` and whether any can be read (with the reason if not).

    ``reader`` reads one sysfs file; tests pass one that fails the way a non-root user's
    reads fail, since the test suite may run as root.
    """
    domains = tuple(_probe_domain(d, reader) for d in _domain_directories(root))
    return domains, _availability(root, domains)


class RaplCounter:
    """Energy of one RAPL domain accumulated since construction, across counter wraparounds.

    The hardware counter wraps at ``max_energy_range_uj``; call :meth:`read_joules` at least
    once per wrap period (minutes at full package power) or a whole wrap goes uncounted.
    """

    def __init__(self, domain: RaplDomain, reader: SysfsReader = read_sysfs) -> None:
        if not domain.readable:
            raise HardwareError(f"RAPL domain {domain.name} is not readable: {domain.reason}")
        self._domain = domain
        self._reader = reader
        self._energy_path = Path(domain.path) / "energy_uj"
        self._last_uj = self._read_uj()
        self._total_uj = 0

    @property
    def domain(self) -> RaplDomain:
        return self._domain

    def _read_uj(self) -> int:
        try:
            return _read_int(self._energy_path, self._reader)
        except (OSError, ValueError) as error:
            raise HardwareError(
                f"RAPL domain {self._domain.name}: {_unreadable_reason(self._energy_path, error)}"
            ) from error

    def _delta_uj(self, current: int) -> int:
        if current >= self._last_uj:
            return current - self._last_uj
        max_range = self._domain.max_energy_range_uj
        if max_range is None:
            raise HardwareError(
                f"RAPL domain {self._domain.name} wrapped but its max_energy_range_uj is unknown"
            )
        return max_range - self._last_uj + current

    def read_joules(self) -> float:
        """Joules consumed by the domain since this counter was created."""
        current = self._read_uj()
        self._total_uj += self._delta_uj(current)
        self._last_uj = current
        return self._total_uj / 1e6
