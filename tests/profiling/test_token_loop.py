"""The generative token loop on the bundled tiny decoder, and the onnxruntime-genai probe.

Real onnxruntime-genai generations (skipped only when the probe says the library cannot load);
the probe's failure paths run real child interpreters that fail on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from planner.core.errors import ProfilingError
from planner.core.generative import GenerationRecord, GenerativeModelInfo
from planner.models.genai_inspect import inspect_genai_folder
from planner.models.genai_runtime import LoadedDecoder, load_decoder, prompt_token_ids
from planner.models.genai_sample import sample_folder
from planner.profiling import genai_probe
from planner.profiling.genai_probe import probe_genai
from planner.profiling.token_loop import generate_concurrent, generate_one

GENAI = probe_genai()
needs_genai = pytest.mark.skipif(not GENAI.available, reason=f"onnxruntime-genai: {GENAI.reason}")


@pytest.fixture(scope="module")
def info() -> GenerativeModelInfo:
    return inspect_genai_folder(sample_folder())


@pytest.fixture(scope="module")
def decoder(info: GenerativeModelInfo) -> LoadedDecoder:
    return load_decoder(info, intra_op_threads=1)


def _check_times(record: GenerationRecord, output_tokens: int) -> None:
    assert len(record.output_ids) == output_tokens
    assert len(record.token_times_s) == output_tokens
    assert len(record.inter_token_s) == output_tokens - 1
    assert 0 < record.prefill_s <= record.ttft_s <= record.e2e_s
    assert all(gap > 0 for gap in record.inter_token_s)


def test_prompts_are_deterministic_exact_and_avoid_special_ids(info: GenerativeModelInfo) -> None:
    prompts = prompt_token_ids(info, 300, seed=3, sequences=2)
    assert prompts.shape == (2, 300)
    assert prompts.dtype == np.int32
    np.testing.assert_array_equal(prompts, prompt_token_ids(info, 300, seed=3, sequences=2))
    assert not np.array_equal(prompts, prompt_token_ids(info, 300, seed=4, sequences=2))
    assert prompts.min() >= 0 and prompts.max() < info.vocab_size
    assert not np.isin(prompts, [*info.eos_token_ids, info.pad_token_id]).any()


@needs_genai
@pytest.mark.parametrize(("prompt_tokens", "output_tokens"), [(1, 1), (16, 40), (200, 9)])
def test_one_generation_gives_exactly_the_requested_tokens(
    decoder: LoadedDecoder, info: GenerativeModelInfo, prompt_tokens: int, output_tokens: int
) -> None:
    prompt = prompt_token_ids(info, prompt_tokens, seed=1)[0]
    record = generate_one(decoder, prompt, output_tokens)
    _check_times(record, output_tokens)
    assert (record.prompt_tokens, record.sequences) == (prompt_tokens, 1)
    assert (record.tpot_s is None) == (output_tokens == 1)
    assert generate_one(decoder, prompt, output_tokens).output_ids == record.output_ids


@needs_genai
def test_end_of_sequence_never_cuts_a_fixed_length_run(
    decoder: LoadedDecoder, info: GenerativeModelInfo
) -> None:
    import onnxruntime_genai as og

    prompt = np.array([159, 387, 127, 378, 60, 306, 116, 294], dtype=np.int32)
    params = og.GeneratorParams(decoder.model)
    params.set_search_options(max_length=8 + 64, do_sample=False)
    free = og.Generator(decoder.model, params)
    free.append_tokens(prompt)
    while not free.is_done():
        free.generate_next_token()
    assert len(free.get_sequence(0)) < 8 + 64  # left free, the sample ends this one early
    record = generate_one(decoder, prompt, 64)
    assert len(record.output_ids) == 64
    assert not set(record.output_ids) & {*info.eos_token_ids, info.pad_token_id}


@needs_genai
def test_concurrent_sequences_give_one_record_each(
    decoder: LoadedDecoder, info: GenerativeModelInfo
) -> None:
    prompts = prompt_token_ids(info, 24, seed=5, sequences=3)
    records = generate_concurrent(decoder, prompts, 12)
    assert len(records) == 3
    for row, record in zip(prompts, records, strict=True):
        _check_times(record, 12)
        assert record.sequences == 3
        assert record.output_ids == generate_one(decoder, row, 12).output_ids
    assert len({record.output_ids for record in records}) == 3


@needs_genai
def test_record_round_trips(decoder: LoadedDecoder, info: GenerativeModelInfo) -> None:
    record = generate_one(decoder, prompt_token_ids(info, 4, seed=0)[0], 3)
    assert GenerationRecord.from_dict(record.to_dict()) == record


@pytest.mark.parametrize(
    ("prompt_shape", "output_tokens", "message"),
    [
        ((1, 1000), 25, r"prompt \(1000\) plus output \(25\) tokens exceed the context length"),
        ((1, 8), 0, "output length must be at least 1 token"),
        ((1, 0), 8, "prompts must be"),
    ],
)
def test_bad_lengths_are_refused_before_generating(
    info: GenerativeModelInfo, prompt_shape: tuple[int, int], output_tokens: int, message: str
) -> None:
    unloaded = LoadedDecoder(info=info, model=None)
    with pytest.raises(ProfilingError, match=message):
        generate_concurrent(unloaded, np.ones(prompt_shape, dtype=np.int32), output_tokens)


def test_out_of_vocabulary_prompt_ids_are_refused(info: GenerativeModelInfo) -> None:
    unloaded = LoadedDecoder(info=info, model=None)
    with pytest.raises(ProfilingError, match=r"must lie in \[0, 512\)"):
        generate_one(unloaded, np.array([3, 512]), 4)


def test_probe_finds_the_installed_library() -> None:
    import importlib.util

    installed = importlib.util.find_spec("onnxruntime_genai") is not None
    assert GENAI.available == installed
    if installed:
        assert GENAI.reason is not None and GENAI.reason.startswith("onnxruntime-genai ")


@pytest.fixture
def fresh_probe() -> Iterator[None]:
    genai_probe.forget_probe()
    yield
    genai_probe.forget_probe()


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (None, "onnxruntime-genai is not installed; install it"),
        ("import os; os.abort()", r"killed the child process \(SIGABRT\); its native library"),
        ("raise ImportError('libfoo.so: cannot open')", "failed: ImportError: libfoo.so"),
        ("import absent_dependency_of_genai", "failed: ModuleNotFoundError: No module named"),
        ("import os; os._exit(3)", r"ended the child process \(exit status 3\)"),
    ],
)
def test_probe_reports_why_the_import_failed(
    fresh_probe: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    source: str | None,
    reason: str,
) -> None:
    """A stand-in module (imported in the spawned child, found through sys.path) fails as a
    broken onnxruntime_genai would; None: no such module at all."""
    if source is not None:
        (tmp_path / "genai_stand_in.py").write_text(source)
        monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(genai_probe, "_MODULE", "genai_stand_in")
    found = probe_genai()
    assert not found.available
    assert found.reason is not None
    assert re.search(reason, found.reason)


def test_a_background_probe_answers_a_later_call_without_probing_again(
    fresh_probe: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    real = genai_probe._import_in_child

    monkeypatch.setattr(genai_probe, "_MODULE", "json")  # any importable module will do
    genai_probe.probe_genai_in_background()
    first = probe_genai()  # waits for the background probe, or finds its answer
    assert first.available and first.reason is not None
    monkeypatch.setattr(genai_probe, "_import_in_child", lambda *a: started.append("again"))
    assert probe_genai() is first and started == []
    assert real is not None
