"""Fuzzing in the suite: mutated copies of real DOCX/PDF/XLSX through `extractor check`.

Hypothesis draws the format and the mutation's random stream (tests/fuzzlib.mutate: byte
flips, truncation, zip member deletion / corruption / flags, XML mangling, absurd spans,
dimensions and merged ranges); each case runs in a warm worker process under RLIMIT_AS
(2 GiB above the warm process) and a time limit. Fixed seed (derandomize) and a bounded
number of examples here; `make fuzz` runs tests/fuzz_run.py with FUZZ_EXAMPLES cases.

The contract: exit code 0, 1 or 2; stderr nothing but coded lines ([E…]/[W…]); no
traceback; no E110.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
from fuzzlib import Worker, mutate, sample_bytes  # noqa: E402

EXAMPLES = 24
SAMPLES = {fmt: sample_bytes(fmt) for fmt in ("docx", "xlsx", "pdf")}


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    running = Worker(timeout=30.0)
    yield running
    running.close()


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str, bytes]:
    fmt = draw(st.sampled_from(sorted(SAMPLES)))
    rng = random.Random(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    what, data = mutate(fmt, SAMPLES[fmt], rng)
    return fmt, what, data


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=mutated())
def test_mutated_files_fail_well(case: tuple[str, str, bytes], worker: Worker, tmp_path_factory) -> None:
    fmt, what, data = case
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / f"case.{fmt}"
    path.write_bytes(data)
    outcome = worker.run(path, folder / "out")
    faults = outcome.faults()
    assert not faults, f"{fmt} {what}: {faults}\n{outcome.stderr}"
    assert outcome.rss_mb < 2048
