"""Which procedure measures a run: token points for a generative model, else classic points.

Runs wherever a procedure is built (the worker process, or the in-process test backend).
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from planner.core.run import RunConfig, Scenario
from planner.profiling.generative_procedure import GenerativeProcedure
from planner.profiling.procedure import Emit, Procedure


def procedure_for(
    config: RunConfig,
    emit: Emit,
    should_stop: Callable[[], bool],
    run_id: str | None = None,
    nvml_module: ModuleType | None = None,
) -> Procedure:
    kind = GenerativeProcedure if config.scenario == Scenario.GENERATIVE else Procedure
    return kind(config, emit, should_stop, run_id, nvml_module)
