"""A rented cloud instance's power, estimated as its share of a whole server in the catalogue.

Pure functions; any thread. Providers publish no power figures for their instances, yet a
plan sets a rented instance beside an on-prem server whose power is a whole server's
(cards, CPUs, memory, fans). A bare card's watts would make the cloud look frugal, so an
instance is charged its share of a comparable server row of the hardware catalogue:

- a GPU instance: its cards (the card row's watts) plus a host share per GPU from the first
  server row holding the same GPU model, (server watts - its cards' watts) / its GPUs;
  idle is that server's idle watts per GPU (cards and host together: card rows give no
  idle figure). A ``host_w`` the user sets replaces the host share, and then the server's
  idle figure no longer applies;
- a CPU instance: its vCPUs (the cloud row's ``vcpus``) over the hardware threads of the
  CPU server row with the most threads (cloud hosts are multi-socket), load and idle
  alike; the share covers its host, so a ``host_w`` the user sets is added to it.

Each estimate names its method and the rows it used; without what it needs (no vCPU count,
no server row) it says why, and the option's energy stays unestimated.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.core.formatting import watts
from planner.core.plan import CloudPriceRow, HardwareRow, Provenance
from planner.planning.catalog import Catalog
from planner.planning.hardware_match import same_gpu

#: How the provenance line of an instance's estimated power begins (after ``POWER``).
ESTIMATE = "estimated instance share of a server:"


@dataclass(frozen=True)
class InstancePower:
    """Load and idle watts of one instance (None when not estimated), and how."""

    load_w: float | None
    idle_w: float | None
    provenance: Provenance


def instance_power(row: CloudPriceRow, catalog: Catalog, host_w: float | None) -> InstancePower:
    """The instance's estimated watts; ``host_w`` is the user's, None when not set."""
    if row.gpu_count == 0:
        return _cpu_share(row, catalog, host_w)
    return _gpu_share(row, catalog, host_w)


def _not_estimated(reason: str) -> InstancePower:
    return InstancePower(None, None, Provenance("estimated", f"energy not estimated: {reason}"))


def _estimated(
    load: float, idle: float | None, detail: str, rows: tuple[CloudPriceRow | HardwareRow, ...]
) -> InstancePower:
    """The estimate's provenance names each catalogue row it used and, in order, its date."""
    unverified = "" if all(r.verified for r in rows) else " (unverified)"
    names = [r.name if isinstance(r, HardwareRow) else f"{r.provider} {r.instance}" for r in rows]
    source = "catalogue rows " + "; ".join(names)
    dates = " / ".join(r.date for r in rows)
    return InstancePower(load, idle, Provenance("estimated", detail + unverified, source, dates))


def _cpu_share(row: CloudPriceRow, catalog: Catalog, host_w: float | None) -> InstancePower:
    label = f"{row.provider} {row.instance}"
    if row.vcpus is None:
        return _not_estimated(
            f"the cloud catalogue gives no vcpus for {label}; add them to its row"
        )
    servers = [
        r for r in catalog.hardware if r.kind == "server" and r.device == "CPU" and r.threads
    ]
    if not servers:
        return _not_estimated(
            "no CPU server row of the hardware catalogue gives its threads; add one"
        )
    server = max(servers, key=lambda r: r.threads or 0)
    share = row.vcpus / (server.threads or 1)
    load = server.power_w * share
    idle = None if server.idle_w is None else server.idle_w * share
    detail = (
        f"{ESTIMATE} {row.vcpus} vCPUs of {label} / {server.threads} threads of {server.name} "
        f"x {watts(server.power_w)} = {watts(load)}"
    )
    if idle is not None:
        detail += f"; idle x {watts(server.idle_w or 0.0)} = {watts(idle)}"
    if host_w:
        detail += f"; + host_w {watts(host_w)} (set in the option)"
        load += host_w
        idle = None if idle is None else idle + host_w
    return _estimated(load, idle, detail, (row, server))


def _gpu_share(row: CloudPriceRow, catalog: Catalog, host_w: float | None) -> InstancePower:
    label = f"{row.provider} {row.instance}"
    card = next(
        (r for r in catalog.hardware if r.kind == "gpu" and same_gpu(r.name, row.gpu)), None
    )
    if card is None:
        return _not_estimated(f"no card row {row.gpu!r} in the hardware catalogue; add one")
    cards = card.power_w * row.gpu_count
    count = f"{row.gpu_count} x {watts(card.power_w)} ({card.name})"
    if host_w is not None:
        detail = f"{ESTIMATE} {count} + host_w {watts(host_w)} = {watts(cards + host_w)}"
        return _estimated(cards + host_w, None, detail, (row, card))
    server = _gpu_server(catalog, row.gpu)
    if server is None:
        return _not_estimated(
            f"no server row of the hardware catalogue holds {row.gpu}, so the host share of "
            f"{label} is unknown; add one, or set host_w"
        )
    gpus = server.gpu_count
    per_gpu = max(server.power_w - card.power_w * gpus, 0.0) / gpus
    load = cards + per_gpu * row.gpu_count
    detail = (
        f"{ESTIMATE} {count} + host {watts(per_gpu)} per GPU (({watts(server.power_w)} - "
        f"{gpus} x {watts(card.power_w)}) / {gpus}, {server.name}) = {watts(load)}"
    )
    idle = None
    if server.idle_w is not None:
        idle = server.idle_w / gpus * row.gpu_count
        detail += f"; idle {watts(server.idle_w)} / {gpus} x {row.gpu_count} = {watts(idle)}"
    return _estimated(load, idle, detail, (row, card, server))


def _gpu_server(catalog: Catalog, gpu: str) -> HardwareRow | None:
    """The first server row holding ``gpu`` (a card of the same model)."""
    servers = (r for r in catalog.hardware if r.kind == "server" and r.gpu_count > 0)
    return next((r for r in servers if same_gpu(r.device, gpu)), None)
