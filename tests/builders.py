"""Small builders of core objects for tests that need one without probing hardware."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from planner.core.machine import Availability, CpuInfo, Inventory, MemoryInfo, SoftwareInfo


def make_inventory(
    fingerprint: str = "f" * 64,
    collected_at: str = "2026-11-26T10:00:00+00:00",
    **changes: object,
) -> Inventory:
    """A plausible CPU-only inventory; keyword arguments replace top-level fields."""
    inventory = Inventory(
        fingerprint=fingerprint,
        collected_at=collected_at,
        hostname="test-host",
        cpu=CpuInfo(
            vendor="GenuineIntel",
            model_name="Test CPU @ 2.0GHz",
            architecture="x86_64",
            physical_cores=2,
            logical_cores=4,
            sockets=1,
            base_freq_mhz=2000.0,
            max_freq_mhz=3500.0,
            l1d_bytes=32768,
            l1i_bytes=32768,
            l2_bytes=1048576,
            l3_bytes=16777216,
            features=("avx2", "fma"),
            notes=(),
        ),
        memory=MemoryInfo(total_bytes=16 * 1024**3, available_bytes=8 * 1024**3),
        software=SoftwareInfo(
            os_name="Linux",
            os_release="Debian GNU/Linux 12",
            kernel="6.1.0",
            python_version="3.11.7",
            onnxruntime_version="1.32.0",
            onnx_version="1.23.2",
            numpy_version="2.4.6",
            nvml_driver_version=None,
            cuda_driver_version=None,
        ),
        providers=("CPUExecutionProvider",),
        gpus=(),
        nvml=Availability(False, "NVML library not found (no NVIDIA driver installed)"),
        rapl=Availability(False, "absent: /sys/class/powercap has no RAPL domains"),
        rapl_domains=(),
    )
    return dataclasses.replace(inventory, **changes)


def make_model_info(sha256: str = "0" * 64, name: str = "mlp", path: str = "/models/mlp.onnx"):
    from planner.core.model import ModelInfo, TensorSpec

    return ModelInfo(
        path=path,
        name=name,
        sha256=sha256,
        size_bytes=1234,
        opset=17,
        producer="planner-tests",
        inputs=(TensorSpec("x", "float32", ("batch", 64)),),
        outputs=(TensorSpec("y", "float32", ("batch", 10)),),
        parameters=4810,
        flops=9600,
        flops_by_op={"Gemm": 9600},
        uncounted_ops=(),
        dynamic_dims=("batch",),
        dims_used={"batch": 1},
    )


def make_point(seq: int = 0, samples: int = 1000, seed: int = 0, scenario: str = "offline"):
    """A point whose statistics are computed from its own random samples."""
    import numpy as np

    from planner.core.run import EnergyResult, LatencyStats, PointResult, TelemetrySeries

    rng = np.random.default_rng(seed)
    data = rng.lognormal(mean=0.0, sigma=0.2, size=samples).astype(np.float32)
    q = np.percentile(data, [50, 90, 95, 99])
    stats = LatencyStats(
        count=samples,
        mean=float(data.mean()),
        std=float(data.std()),
        min=float(data.min()),
        max=float(data.max()),
        p50=float(q[0]),
        p90=float(q[1]),
        p95=float(q[2]),
        p99=float(q[3]),
        p999=None,
        unavailable={"p999": "needs 6600 samples, have 1000"},
    )
    power = TelemetrySeries(
        "cpu_percent", "%", np.arange(5) * 0.1, np.array([50.0, 60, 70, 80, 90])
    )
    return PointResult(
        scenario=scenario,
        batch=1 if scenario == "concurrency" else 2**seq,
        concurrency=2**seq if scenario == "concurrency" else 1,
        target_rate=None,
        stats=stats,
        throughput_ips=1000.0 / float(data.mean()),
        samples_ms=data,
        stable=True,
        stop_reason="stable: median CI ±0.8% after 3 windows",
        windows=3,
        duration_s=0.75,
        loadgen_cpu_pct=12.5,
        loadgen_saturated=False,
        peak_rss_bytes=100_000_000,
        telemetry=(power,),
        energy=EnergyResult("unavailable", reason="no meter readable"),
        median_ci_pct=0.8,
    )


def make_run(
    run_id: str = "11111111-2222-3333-4444-555555555555",
    points: int = 2,
    scenario: str = "offline",
    started_at: str = "2026-11-26T10:00:00+00:00",
):
    from planner.core.run import RunConfig, RunResult

    return RunResult(
        id=run_id,
        config=RunConfig(model_path="/models/mlp.onnx", scenario=scenario, batch_sizes=(1, 2)),
        model_sha256="0" * 64,
        model_name="mlp",
        model_path="/models/mlp.onnx",
        status="completed",
        failure_reason="",
        started_at=started_at,
        finished_at=started_at,
        session_create_ms=12.5,
        first_inference_ms=3.25,
        versions={"onnxruntime": "1.32.0"},
        dims_used={"batch": 1},
        points=tuple(make_point(i, seed=i, scenario=scenario) for i in range(points)),
    )


def store_run(
    opened,
    points: int = 4,
    scenario: str = "concurrency",
    run_id: str | None = None,
    started_at: str = "2026-11-26T10:00:00+00:00",
):
    """Store a built run with its machine and model in an open database; return the run."""
    from planner.storage.machines import MachineRepository
    from planner.storage.models import ModelRepository
    from planner.storage.runs import RunRepository

    machine_id = MachineRepository(opened.db).save_inventory(make_inventory())
    model_id = ModelRepository(opened.db).upsert(make_model_info())
    if run_id is None:
        run = make_run(points=points, scenario=scenario, started_at=started_at)
    else:
        run = make_run(run_id, points, scenario, started_at)
    RunRepository(opened.db).save(run, machine_id, model_id)
    return run


def three_option_scenario(
    run_ref: str, name: str = "test plan", onprem_name: str = "this server"
) -> str:
    """Scenario TOML with an on-prem, a cloud and an API option over the run ``run_ref``."""
    return f"""
name = "{name}"
currency = "USD"
country = "USA"

[demand]
average_rate = 50.0
peak_factor = 2.0
growth_per_year = 0.2
horizon_months = 36
latency_percentile = "p99"
latency_target_ms = 50.0
price_per_1k = 0.5

[[options]]
kind = "on-prem"
name = "{onprem_name}"
runs = ["{run_ref}"]
unit_price = 8000.0
unit_power_w = 300
staff_fte = 0.1

[[options]]
kind = "cloud"
name = "g6e on demand"
runs = ["{run_ref}"]
provider = "aws"
instance = "g6e.xlarge"
region = "us-east-1"
pricing = "on-demand"
representative = true

[[options]]
kind = "api"
name = "managed API"
price_per_1k_requests = 0.4
"""


def tiny_model(path: Path, nodes: list, weights: dict[str, np.ndarray], opset: int = 17) -> Path:
    """x float32 [1, 8] -> nodes -> y float32 [1, 8]."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    from planner.models.builders import save_model

    graph = helper.make_graph(
        nodes,
        "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8])],
        [numpy_helper.from_array(value, name) for name, value in weights.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return save_model(model, path)


def overflowing_model(path: Path, big: float = 300.0) -> Path:
    """y = LayerNorm((x * big)^2): squares up to 810000 for |x| <= 3, beyond float16's
    65504, so LayerNormalization (which has a float16 CPU kernel) sees infinities."""
    from onnx import helper

    nodes = [
        helper.make_node("Mul", ["x", "big"], ["scaled"]),
        helper.make_node("Mul", ["scaled", "scaled"], ["squared"]),
        helper.make_node("LayerNormalization", ["squared", "scale", "bias"], ["y"], name="ln"),
    ]
    weights = {
        "big": np.array(big, np.float32),
        "scale": np.ones(8, np.float32),
        "bias": np.zeros(8, np.float32),
    }
    return tiny_model(path, nodes, weights)


def priced_scenario(name: str = "variants", runs: str = "latest") -> str:
    """A scenario with one cloud option at 1 USD an hour, to price a variant family."""
    return f"""
name = "{name}"
currency = "USD"
[demand]
average_rate = 50.0
latency_percentile = "p50"
latency_target_ms = 500.0
horizon_months = 12
[[options]]
kind = "cloud"
name = "rented"
runs = ["{runs}"]
price_per_hour = 1.0
"""


def make_token_point(sequences: int, prompt: int = 128, output: int = 128):
    """A generative point: its stats are the gaps between tokens, its throughput counts
    output tokens and its energy is per output token, as the generative procedure stores."""
    import dataclasses

    from planner.core.run import EnergyResult, LatencyStats
    from planner.core.token_stats import TokenStats

    def stats(p50: float, count: int = 400) -> LatencyStats:
        return LatencyStats(
            count, p50, 0.1, p50 / 2, p50 * 3, p50, p50 * 1.5, p50 * 1.7, p50 * 2, None
        )

    out_rate = 3000.0 + 1000.0 * sequences
    tokens = TokenStats(
        prompt_tokens=prompt,
        output_tokens=output,
        sequences=sequences,
        requests=200 * sequences,
        ttft=stats(3.0 * sequences),
        tpot=stats(0.25 * sequences),
        itl=stats(0.2 * sequences, 20_000),
        e2e=stats(40.0 * sequences),
        input_tokens_per_s=out_rate * prompt / output,
        output_tokens_per_s=out_rate,
        kv_cache_bytes=2048 * (prompt + output) * sequences,
        ttft_samples_ms=tuple(3.0 * sequences + 0.01 * i for i in range(50)),
    )
    base = make_point(sequences - 1, scenario="generative")
    return dataclasses.replace(
        base,
        batch=1,
        concurrency=sequences,
        stats=tokens.itl,
        throughput_ips=out_rate,
        tokens=tokens,
        energy=EnergyResult("TDP estimate", joules_per_inference=0.0004, avg_power_w=1.5),
    )


def store_token_run(opened, run_id: str = "a109a0ff-2222-3333-4444-555555555555"):
    """Store a generative run at 128+128 tokens with 1 and 2 sequences; return the run."""
    import dataclasses

    from planner.core.generative import GenerativeSettings
    from planner.core.run import RunConfig
    from planner.storage.machines import MachineRepository
    from planner.storage.models import ModelRepository
    from planner.storage.runs import RunRepository

    config = RunConfig(
        model_path="/models/decoder",
        scenario="generative",
        concurrency=(1, 2),
        generative=GenerativeSettings(),
    )
    run = dataclasses.replace(
        make_run(run_id, 0),
        config=config,
        model_name="decoder",
        model_path="/models/decoder",
        points=(make_token_point(1), make_token_point(2)),
    )
    machine_id = MachineRepository(opened.db).save_inventory(make_inventory())
    model_id = ModelRepository(opened.db).upsert(make_model_info())
    RunRepository(opened.db).save(run, machine_id, model_id)
    return run


def token_scenario(run_ref: str) -> str:
    """Scenario TOML in tokens with an on-prem and an API option over the run ``run_ref``."""
    return f"""
name = "token plan"
currency = "USD"
country = "USA"

[demand]
average_rate = 5.0
peak_factor = 2.0
horizon_months = 24
input_tokens_per_request = 128
output_tokens_per_request = 128
latency_percentile = "p90"
ttft_target_ms = 2000.0
tpot_target_ms = 200.0

[[options]]
kind = "on-prem"
name = "token server"
runs = ["{run_ref}"]
unit_price = 9000.0
unit_power_w = 300
staff_fte = 0.1

[[options]]
kind = "api"
name = "token API"
price_per_1m_input_tokens = 0.15
price_per_1m_output_tokens = 0.6
"""
