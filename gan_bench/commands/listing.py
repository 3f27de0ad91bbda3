"""``gan-bench list``: what this installation holds, as plain text.

Suites (with how many of their checkpoints are bundled, and whether their data is here),
datasets, variants, and the bundled checkpoints themselves.
"""

from __future__ import annotations

from gan_bench.bench.config import data_availability, load_config
from gan_bench.bench.run_id import RunId
from gan_bench.data import list_datasets
from gan_bench.gans import list_variants
from gan_bench.store.manifest import read_manifest

SECTIONS = ("suites", "datasets", "variants", "checkpoints")


def _suites(config_path: str | None) -> list[str]:
    config = load_config(config_path)
    bundled = read_manifest()["models"]
    lines = ["suites (* = in the default run):"]
    for name, suite in config.suites.items():
        keys = [RunId(name, run.dataset, run.name, seed).model_key for run, seed in suite.grid()]
        have = sum(key in bundled for key in keys)
        missing = data_availability([suite])
        data = "data here" if not missing else "data missing: " + ", ".join(missing)
        star = "*" if name in config.default_suites else " "
        lines.append(
            f"{star} {name:16s} {len(suite.runs):3d} runs, {len(keys):3d} models ({have} bundled), "
            f"datasets {', '.join(suite.datasets)} ({data})"
        )
        lines.append(f"    {suite.description}")
    return lines


def _datasets() -> list[str]:
    return ["datasets:"] + [f"  {name:15s} {text}" for name, text in list_datasets().items()]


def _variants() -> list[str]:
    return ["variants (options: gan-bench variants):"] + [
        f"  {name:10s} {spec['summary']}" for name, spec in list_variants().items()
    ]


def _checkpoints() -> list[str]:
    models = read_manifest()["models"]
    lines = [f"bundled checkpoints ({len(models)}):"]
    for key, entry in models.items():
        lines.append(
            f"  {key:55s} {entry['variant']:9s} {entry['steps']:6d} steps  {entry.get('storage', '')}"
        )
    return lines


def listing(what: str = "all", config_path: str | None = None) -> str:
    """The text of ``gan-bench list [what]``; ``all`` gives every section but the checkpoint
    list, which the suites section counts instead."""
    if what not in ("all", *SECTIONS):
        raise ValueError(f"list: expected one of all, {', '.join(SECTIONS)}; got '{what}'")
    parts = {
        "suites": lambda: _suites(config_path),
        "datasets": _datasets,
        "variants": _variants,
        "checkpoints": _checkpoints,
    }
    chosen = SECTIONS[:3] if what == "all" else (what,)
    return "\n\n".join("\n".join(parts[name]()) for name in chosen)
