"""``gan-bench train``: train one variant on one dataset."""

from __future__ import annotations

import argparse

from gan_bench.cli.common import subcommand
from gan_bench.defaults import (
    CHECKPOINT_EVERY,
    PRECISIONS,
    TRAIN_STEPS,
    runs_root,
)


def register(sub: argparse._SubParsersAction) -> None:
    parser = subcommand(
        sub,
        "train",
        "train one variant on one dataset",
        "gan-bench train --dataset grid25 --variant mmgan --steps 5000 --set loss=rsgan",
        "gan-bench train --dataset grid25 --variant mmgan --steps 5000 --set loss=rsgan --resume",
    )
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--variant", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=TRAIN_STEPS)
    parser.add_argument(
        "--set", dest="options", action="append", metavar="KEY=VALUE", help="a variant option"
    )
    parser.add_argument(
        "--out",
        default=None,
        help="output folder (default $GAN_BENCH_RUNS or runs/, then DATASET/VARIANT/seedN)",
    )
    parser.add_argument("--resume", action="store_true", help="continue from the folder's last checkpoint")
    parser.add_argument("--checkpoint-every", type=int, default=CHECKPOINT_EVERY)
    parser.add_argument(
        "--snapshot-every",
        type=int,
        default=0,
        metavar="N",
        help="also keep OUT/snapshots/stepK.pt every N steps: the model a run of K steps ends with",
    )
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    parser.add_argument(
        "--precision",
        choices=PRECISIONS,
        default="float32",
        help="arithmetic of the training steps: float32 (default) or bfloat16 autocast (faster on "
        "CPUs with AVX512-BF16 or AMX; trains to different numbers)",
    )
    parser.add_argument("--data-root", default=None)
    parser.set_defaults(handler=_run_train)


def _run_train(args: argparse.Namespace) -> int:
    from gan_bench.bench.train import parse_options, train

    out = args.out or runs_root() / args.dataset / args.variant / f"seed{args.seed}"
    result = train(
        args.dataset,
        args.variant,
        seed=args.seed,
        steps=args.steps,
        options=parse_options(args.options),
        out_dir=out,
        resume=args.resume,
        checkpoint_every=args.checkpoint_every,
        device=args.device,
        data_root=args.data_root,
        precision=args.precision,
        snapshot_every=args.snapshot_every,
    )
    print(
        f"trained {args.steps} steps in {result.seconds:.1f} s; "
        f"model {result.model_path} sha256 {result.model_sha256}"
    )
    return 0
