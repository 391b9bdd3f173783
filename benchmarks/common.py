"""What every figure shares: a result with its samples, baseline and budget, the environment
handed to a figure's own process, and the protocol that brings its results back.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

RESULTS_MARK = "BENCH-RESULTS "
T = TypeVar("T")


@dataclass(frozen=True)
class Budget:
    """A figure passes when its median is at most ``max_value`` and its ratio to the baseline
    at most ``max_ratio`` (either may be absent)."""

    max_value: float | None = None
    max_ratio: float | None = None

    def text(self, unit: str) -> str:
        parts = []
        if self.max_value is not None:
            parts.append(f"≤ {self.max_value:g} {unit}")
        if self.max_ratio is not None:
            parts.append(f"≤ {self.max_ratio:g}×")
        return ", ".join(parts)

    def check(self, value: float | None, ratio: float | None) -> bool | None:
        if value is None:
            return None
        if self.max_value is not None and value > self.max_value:
            return False
        return not (self.max_ratio is not None and (ratio is None or ratio > self.max_ratio))


@dataclass
class Result:
    """One line of the table: the median of ``samples`` against the median of the baseline's."""

    figure: str
    name: str
    unit: str
    samples: list[float]
    baseline_name: str = ""
    baseline_samples: list[float] = field(default_factory=list)
    budget: Budget | None = None
    note: str = ""
    error: str = ""

    @property
    def value(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def baseline(self) -> float | None:
        return statistics.median(self.baseline_samples) if self.baseline_samples else None

    @property
    def ratio(self) -> float | None:
        value, baseline = self.value, self.baseline
        if value is None or not baseline:
            return None
        return value / baseline

    @property
    def passed(self) -> bool | None:
        if self.error:
            return False if self.budget is not None else None
        return self.budget.check(self.value, self.ratio) if self.budget else None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["budget"] = (
            {**asdict(self.budget), "text": self.budget.text(self.unit)} if self.budget else None
        )
        data.update(value=self.value, baseline=self.baseline, ratio=self.ratio, passed=self.passed)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        budget = data.get("budget")
        return cls(
            figure=data["figure"],
            name=data["name"],
            unit=data["unit"],
            samples=list(data["samples"]),
            baseline_name=data.get("baseline_name", ""),
            baseline_samples=list(data.get("baseline_samples", [])),
            budget=Budget(budget["max_value"], budget["max_ratio"]) if budget else None,
            note=data.get("note", ""),
            error=data.get("error", ""),
        )


@dataclass(frozen=True)
class BenchEnv:
    """What a figure's process is told: the database to read (never written), its as-of time,
    an administrator to act as, how many times to measure, and where scratch copies go."""

    db: str
    as_of: str  # ISO 8601 with zone
    login: str
    repeats: int
    data_dir: str
    project_root: str

    @property
    def as_of_time(self) -> datetime:
        return datetime.fromisoformat(self.as_of)

    @property
    def db_path(self) -> Path:
        return Path(self.db)

    def to_arg(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_arg(cls, text: str) -> BenchEnv:
        return cls(**json.loads(text))


def ms(seconds: float) -> float:
    return seconds * 1000.0


def timed(fn: Callable[[], object]) -> float:
    """Seconds ``fn()`` took."""
    return clocked(fn)[0]


def clocked(fn: Callable[[], T]) -> tuple[float, T]:
    """Seconds ``fn()`` took, and what it returned."""
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def peak_rss_mb() -> float:
    """The peak resident memory of this process so far (Linux reports KiB, macOS bytes)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def log(message: str) -> None:
    """Progress goes to stderr so stdout stays the results channel."""
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


Measure = Callable[[BenchEnv], list[Result]]


def child_main(measure: Measure) -> None:
    """The entry point of a figure's process: ``python -m benchmarks.<figure> '<env json>'``.

    A figure runs in its own process so its peak memory is its own and a crash in one figure
    does not lose the others.
    """
    env = BenchEnv.from_arg(sys.argv[1])
    os.chdir(env.project_root)
    try:
        results = measure(env)
    except Exception:  # noqa: BLE001 - reported as the figure's error, the run goes on
        traceback.print_exc()
        raise SystemExit(1) from None
    print(RESULTS_MARK + json.dumps([r.to_json() for r in results]), flush=True)
