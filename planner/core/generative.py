"""Typed description of a generative (decoder) model and of one timed generation.

Pure data, safe on any thread or process: :class:`GenerativeModelInfo` is what inspecting an
ONNX Runtime GenAI folder learns (``planner.models.genai_inspect``); :class:`GenerationRecord`
is what the profiling worker measures for one sequence (``planner.profiling.token_loop``).
Both round-trip through ``to_dict``/``from_dict`` for storage and messages.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Self

from planner.core.errors import InputError


@dataclass(frozen=True, slots=True)
class GenerativeModelInfo:
    """A decoder model folder in the ONNX Runtime GenAI layout.

    ``path`` is the folder; ``onnx_file`` the decoder graph inside it, which ``sha256`` covers
    (external weight files are counted in ``size_bytes`` but not hashed). ``parameters``
    counts the elements of floating-point and low-bit weight tensors. ``kv_bytes_per_token``
    is what one token of one sequence adds to the KV cache: keys and values of every layer,
    ``2 * layers * kv_heads * head_size * bytes of cache_dtype``. ``note`` is what the
    folder says of itself (planner's sample: "random weights: for timing only"), shown
    wherever the model appears.
    """

    path: str
    name: str
    model_type: str
    onnx_file: str
    layers: int
    attention_heads: int
    kv_heads: int
    head_size: int
    hidden_size: int
    vocab_size: int
    context_length: int
    parameters: int
    cache_dtype: str
    kv_bytes_per_token: int
    sha256: str
    size_bytes: int
    eos_token_ids: tuple[int, ...]
    pad_token_id: int
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["eos_token_ids"] = list(self.eos_token_ids)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        values = {field.name: data[field.name] for field in fields(cls) if field.name != "note"}
        values["note"] = str(data.get("note", ""))
        values["eos_token_ids"] = tuple(int(t) for t in values["eos_token_ids"])
        return cls(**values)


@dataclass(frozen=True, slots=True)
class GenerationRecord:
    """One greedy generation of a fixed number of tokens, timed on the worker.

    Times are seconds from ``start`` (just before the generator is created, so per-request
    set-up counts): ``prefill_s`` when the prompt has been read, ``token_times_s[i]`` when
    output token ``i`` was available. The first token comes from the prompt's logits, so the
    time to first token is ``token_times_s[0]``; every later token costs one decode step.
    ``sequences`` is how many sequences ran together in the batch this one belonged to.
    """

    prompt_tokens: int
    output_ids: tuple[int, ...]
    prefill_s: float
    token_times_s: tuple[float, ...]
    sequences: int

    @property
    def ttft_s(self) -> float:
        """Time to first token: set-up, prefill and the first token."""
        return self.token_times_s[0]

    @property
    def e2e_s(self) -> float:
        """End-to-end latency: start to the last output token."""
        return self.token_times_s[-1]

    @property
    def inter_token_s(self) -> tuple[float, ...]:
        """The gaps between consecutive output tokens (one fewer than the tokens)."""
        times = self.token_times_s
        return tuple(later - earlier for earlier, later in zip(times, times[1:], strict=False))

    @property
    def tpot_s(self) -> float | None:
        """Mean time per output token after the first; ``None`` for a one-token output."""
        if len(self.token_times_s) < 2:
            return None
        return (self.token_times_s[-1] - self.token_times_s[0]) / (len(self.token_times_s) - 1)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["output_ids"] = list(self.output_ids)
        data["token_times_s"] = list(self.token_times_s)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(
            prompt_tokens=int(data["prompt_tokens"]),
            output_ids=tuple(int(t) for t in data["output_ids"]),
            prefill_s=float(data["prefill_s"]),
            token_times_s=tuple(float(t) for t in data["token_times_s"]),
            sequences=int(data["sequences"]),
        )


@dataclass(frozen=True)
class GenerativeSettings:
    """What a generative run sweeps besides its sequences (``RunConfig.concurrency``).

    Every prompt length is measured with every output length; outputs are fixed length
    (greedy decoding with min = max), so runs compare.
    """

    prompt_tokens: tuple[int, ...] = (128,)
    output_tokens: tuple[int, ...] = (128,)
    ttft_target_ms: float | None = None
    tpot_target_ms: float | None = None
    target_percentile: float = 90.0

    def __post_init__(self) -> None:
        for name, lengths in (("prompt", self.prompt_tokens), ("output", self.output_tokens)):
            if not lengths or min(lengths) < 1:
                raise InputError(f"{name} token lengths must be positive whole numbers")

    @property
    def has_targets(self) -> bool:
        return self.ttft_target_ms is not None or self.tpot_target_ms is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "prompt_tokens": list(self.prompt_tokens),
            "output_tokens": list(self.output_tokens),
            "ttft_target_ms": self.ttft_target_ms,
            "tpot_target_ms": self.tpot_target_ms,
            "target_percentile": self.target_percentile,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GenerativeSettings:
        def optional(key: str) -> float | None:
            value = data.get(key)
            return None if value is None else float(value)

        return cls(
            prompt_tokens=tuple(int(n) for n in data["prompt_tokens"]),
            output_tokens=tuple(int(n) for n in data["output_tokens"]),
            ttft_target_ms=optional("ttft_target_ms"),
            tpot_target_ms=optional("tpot_target_ms"),
            target_percentile=float(data.get("target_percentile", 90.0)),
        )
