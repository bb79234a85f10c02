"""safehome benchmarks: every figure is measured against a floor run in the same command.

Run with ``make bench`` (or ``python -m bench [--quick]``). Data sets are generated here,
seeded, in a temporary folder. Prints one table: figure, ours, floor, ratio, target; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench.clinic import bench_sync
from bench.common import as_installed
from bench.encryption import bench_autosave_sealed, bench_cold_sealed, bench_passphrase, use_file_keyring
from bench.documents import bench_batch, bench_fhir, bench_pack, bench_pdf, bench_pdf_french
from bench.web import bench_web
from bench.records import bench_autosave, bench_list, bench_scoring, bench_scoring_all_cores
from bench.startup import (
    bench_browser,
    bench_help,
    bench_help_french,
    bench_key_latency,
    bench_memory,
    bench_score_cold,
    bench_start,
)


@dataclass(frozen=True)
class Target:
    """A goal written once: its words in the table and the check of the figures come from it."""

    words: str
    met: Callable[[float, float], bool]  # (ours, floor) -> met

    @staticmethod
    def ratio_at_most(limit: float, why: str = "") -> Target:
        return Target(f"ratio <= {limit:g}{why}", lambda ours, floor: ours / floor <= limit)

    @staticmethod
    def ratio_at_least(limit: float, words: str) -> Target:
        return Target(words, lambda ours, floor: ours / floor >= limit)

    @staticmethod
    def below(limit: float, words: str) -> Target:
        return Target(words, lambda ours, floor: ours < limit)

    @staticmethod
    def at_least(limit: float, words: str) -> Target:
        return Target(words, lambda ours, floor: ours >= limit)

    @staticmethod
    def above_floor_under(limit: float, words: str) -> Target:
        return Target(words, lambda ours, floor: ours - floor < limit)

    @staticmethod
    def both(first: Target, second: Target, words: str) -> Target:
        return Target(words, lambda ours, floor: first.met(ours, floor) and second.met(ours, floor))


INFORMATION = "(for information)"


@dataclass(frozen=True)
class Row:
    figure: str
    ours: str
    floor: str
    ratio: float | None
    target: Target | str  # a goal, or words for a figure that is there for information
    met: bool | None

    @staticmethod
    def measured(figure: str, ours: float, floor: float, shown: Callable[[float], str], target: Target | str) -> Row:
        met = target.met(ours, floor) if isinstance(target, Target) else None
        return Row(figure, shown(ours), shown(floor), ours / floor if floor else None, target, met)

    def cells(self) -> tuple[str, ...]:
        words = self.target.words if isinstance(self.target, Target) else self.target
        mark = "" if self.met is None else ("ok" if self.met else "MISSED")
        return (self.figure, self.ours, self.floor, "-" if self.ratio is None else f"{self.ratio:.2f}", words, mark)


def ms(value: float) -> str:
    return f"{value * 1000:.0f} ms"


def ms2(value: float) -> str:
    return f"{value * 1000:.2f} ms"


def ms1(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def seconds(value: float) -> str:
    return f"{value:.1f} s"


def measure(quick: bool) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        as_installed(tmp)
        use_file_keyring(tmp / "keyring")
        ours, floor = bench_autosave_sealed(tmp, 2000)
        rows.append(Row.measured("encrypted store: autosave p99", ours, floor, ms2, Target.ratio_at_most(1.3)))
        for count in (10, 2000 if quick else 10_000):
            ours, floor = bench_cold_sealed(tmp, count, 9)
            rows.append(
                Row.measured(
                    f"encrypted store: safehome list, {count:,}, cold", ours, floor, ms, Target.ratio_at_most(1.3)
                )
            )
        ours, floor = bench_passphrase()
        rows.append(Row.measured("  a passphrase stretched, once a process", ours, floor, ms, INFORMATION))
        if os.environ.get("SAFEHOME_BENCH_ONLY") == "encryption":
            return rows
        ours, floor = bench_start(tmp, 5)
        rows.append(Row.measured("app start to first screen (headless)", ours, floor, ms, Target.ratio_at_most(1.3)))
        ours, floor = bench_help(10)
        rows.append(
            Row.measured(
                "safehome --help, cold process", ours, floor, ms, Target.above_floor_under(0.3, "< 300 ms above floor")
            )
        )
        ours, floor = bench_help_french(10)
        rows.append(Row.measured("safehome --help in French vs English", ours, floor, ms, Target.ratio_at_most(1.2)))
        ours, floor = bench_pdf_french(7)
        rows.append(
            Row.measured(
                "home handout PDF in French vs English", ours, floor, ms, Target.ratio_at_most(1.3, " (20% more text)")
            )
        )
        ours, floor, inner, inner_floor = bench_fhir(tmp, 1000)
        rows.append(Row.measured("export --all, 1,000: FHIR vs JSON", ours, floor, seconds, Target.ratio_at_most(3)))
        rows.append(Row.measured("  one Bundle vs one JSON, no files", inner, inner_floor, ms2, INFORMATION))
        ours, floor = bench_score_cold(tmp, 7)
        rows.append(Row.measured("safehome score FILE, cold process", ours, floor, ms, Target.ratio_at_most(1.5)))
        ours, floor = bench_scoring(3000)
        rows.append(
            Row.measured(
                "scoring a full home visit, 1 core",
                ours,
                floor,
                lambda v: f"{v:,.0f}/s",
                Target.at_least(5_000, ">= 5,000/s"),
            )
        )
        every = bench_scoring_all_cores(20_000)
        rows.append(
            Row.measured(f"scoring, {os.cpu_count()} processes", every, floor, lambda v: f"{v:,.0f}/s", INFORMATION)
        )
        ours, floor = bench_pdf(15)
        fast = Target.both(Target.ratio_at_most(2), Target.below(0.1, ""), "ratio <= 2, < 100 ms")
        rows.append(Row.measured("home plan PDF, example", ours, floor, ms, fast))
        ours, floor, files = bench_pack(tmp, 5)
        rows.append(
            Row.measured(
                f"whole report (p): last answer to last of {files} files, 3 photos",
                ours,
                floor,
                ms,
                Target.both(Target.ratio_at_most(3), Target.below(2.0, ""), "vs the 2 PDFs; <= 3x, < 2 s"),
            )
        )
        count = 200 if quick else 1000
        batch, linear, cores = bench_batch(tmp, count)
        parallel = Target(">= 0.8 of linear", lambda batch, linear: linear / batch >= 0.8)
        rows.append(
            Row(
                f"report --all, {count} plans, {cores} cores",
                seconds(batch),
                seconds(linear),
                linear / batch,
                parallel,
                parallel.met(batch, linear),
            )
        )
        ours, floor = bench_autosave(tmp, 2000)
        rows.append(Row.measured("autosave one answer, p99", ours, floor, ms2, Target.ratio_at_most(2)))
        listed = 2000 if quick else 10_000
        warm, cold = bench_list(tmp, listed)
        rows.append(
            Row.measured(f"safehome list, {listed:,} assessments", warm, 0.0, ms, Target.below(0.1, "< 100 ms"))
        )
        rows.append(Row.measured("  the same as a cold process", cold, 0.0, ms, INFORMATION))
        ours, floor = bench_key_latency(tmp)
        rows.append(Row.measured("answer key to screen (median of 156)", ours, floor, ms1, Target.ratio_at_most(1.5)))
        browser = bench_browser(tmp)
        if browser is None:
            rows.append(Row("browser figures", "-", "-", None, "(Chromium not installed: skipped)", None))
        else:
            first, terminal_first, key, terminal_key = browser
            rows.append(
                Row.measured(
                    "browser: page load to first screen",
                    first,
                    terminal_first,
                    ms,
                    Target.ratio_at_most(3, " vs terminal start"),
                )
            )
            rows.append(
                Row.measured(
                    "browser: answer key to first frame", key, terminal_key, ms1, "(vs terminal key to screen)"
                )
            )
        answer, bare, per_tab, server_mib, size = bench_web(tmp)
        rows.append(
            Row.measured(
                f"web: answer saved + next page, p95 (floor: bare {size // 1024} KiB aiohttp page)",
                answer,
                bare,
                ms1,
                Target.below(0.05, "< 50 ms"),
            )
        )
        rows.append(
            Row.measured(
                "web: memory per tab, 20 tabs", per_tab, 5.0, lambda v: f"{v:.2f} MiB", Target.below(5, "< 5 MiB")
            )
        )
        rows.append(
            Row.measured("  the web server before them", server_mib, 0.0, lambda v: f"{v:.0f} MiB", INFORMATION)
        )
        synced = bench_sync(tmp, 1000)
        if synced is None:
            rows.append(Row("clinic sync figures", "-", "-", None, "(no PostgreSQL reachable: skipped)", None))
        else:
            ours, floor, quiet = synced
            rows.append(
                Row.measured(
                    "sync 1,000 to an empty server",
                    ours,
                    floor,
                    lambda v: f"{v:.2f} s",
                    Target.ratio_at_most(3, " vs bare COPY"),
                )
            )
            rows.append(Row.measured("  sync with nothing to do, 1,000", quiet, 0.0, ms, Target.below(0.5, "< 0.5 s")))
        ours, floor = bench_memory(tmp)
        rows.append(
            Row.measured(
                "peak memory, full home visit + PDF", ours, floor, lambda v: f"{v:.0f} MB", Target.ratio_at_most(1.5)
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="smaller data sets (200 PDFs, 2,000 list rows)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    rows = measure(args.quick)
    print(
        f"safehome benchmarks, {date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    header = ("figure", "ours", "floor", "ratio", "target", "")
    table = [header] + [row.cells() for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for line in table:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
    if args.json:
        keys = ("figure", "ours", "floor", "ratio", "target", "met")
        Path(args.json).write_text(json.dumps([dict(zip(keys, row.cells(), strict=True)) for row in rows], indent=2))
    missed = [row.figure.strip() for row in rows if row.met is False]
    if missed:
        print(f"{len(missed)} target(s) missed: " + "; ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
