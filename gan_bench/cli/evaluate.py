"""``gan-bench eval``: a user's generator, samples or one checkpoint through a suite's protocol."""

from __future__ import annotations

import argparse

from gan_bench.cli.common import subcommand


def register(sub: argparse._SubParsersAction) -> None:
    parser = subcommand(
        sub,
        "eval",
        "evaluate your own generator, samples (or one checkpoint) with a suite's protocol",
        "cd examples && gan-bench eval --generator my_generator:sample --dataset mnist5k --out mine",
        "gan-bench eval --images generated/ --dataset mnist5k --out mine",
        "gan-bench eval --array samples.npz --dataset fashion-mnist --allow-fewer",
        "gan-bench eval --checkpoint runs/grid25/mmgan/seed0/model.pt --metrics modes,emd",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--generator",
        metavar="MODULE:NAME",
        help="a function sample(n, seed) -> samples, or an object with sample(n, seed, *, mode=None, "
        "scale=1.0) and n_modes: mode= (with n_modes) adds mode_alignment and a grid row per mode, "
        "scale= the latent-scale sweep; each is optional",
    )
    source.add_argument(
        "--images", metavar="DIR", help="a folder of generated PNG/JPEG images (recursive, sorted)"
    )
    source.add_argument(
        "--array",
        metavar="FILE",
        help="generated samples in a .npy/.npz: uint8 [0, 255] or float [0, 1], NCHW or NHWC",
    )
    source.add_argument("--checkpoint", metavar="PATH", help="a model.pt written by gan-bench train")
    parser.add_argument(
        "--allow-fewer",
        action="store_true",
        help="score a sample set smaller than the suite's sizes (the real N is written beside each number)",
    )
    parser.add_argument("--dataset", help="dataset to score against (default: the checkpoint's)")
    parser.add_argument("--predict-cluster", metavar="MODULE:FUNCTION", help="x -> cluster index per sample")
    parser.add_argument(
        "--suite", help="suite whose metrics and sample sizes to use (default: one with the dataset)"
    )
    parser.add_argument("--metrics", help="comma-separated metric names (default: the suite's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--name", help="run name in the results (default: the function or file name)")
    parser.add_argument("--out", default="reports-eval", help="report folder (default reports-eval/)")
    parser.add_argument("--config", default=None, help="benchmarks.toml to take the suite from")
    parser.set_defaults(handler=_run_eval)


def _run_eval(args: argparse.Namespace) -> int:
    from gan_bench.commands.eval import evaluate_command

    rows = evaluate_command(
        generator=args.generator,
        checkpoint=args.checkpoint,
        images=args.images,
        array=args.array,
        allow_fewer=args.allow_fewer,
        dataset=args.dataset,
        predict_cluster=args.predict_cluster,
        suite=args.suite,
        metrics=args.metrics.split(",") if args.metrics else None,
        seed=args.seed,
        name=args.name,
        out=args.out,
        config_path=args.config,
        progress=True,
    )
    for row in rows.itertuples(index=False):
        print(f"{row.dataset} {row.run} seed {row.seed}: {row.metric} = {row.value:.6g} (n={row.n_samples})")
    print(f"report in {args.out}/index.html")
    return 0
