"""``gan-bench variants``: the GAN variants and their options."""

from __future__ import annotations

import argparse

from gan_bench.cli.common import subcommand


def register(sub: argparse._SubParsersAction) -> None:
    parser = subcommand(
        sub, "variants", "list the GAN variants and their options with defaults", "gan-bench variants"
    )
    parser.set_defaults(handler=_run_variants)


def _run_variants(args: argparse.Namespace) -> int:
    from gan_bench.gans import list_variants

    for name, spec in list_variants().items():
        print(f"{name}: {spec['summary']}")
        for key, default in spec["options"].items():
            print(f"    {key} = {default!r}".ljust(34) + f"  ({spec['expects'][key]})")
    return 0
