"""Importing the metrics is light: the heavy libraries load on first use only."""

import subprocess
import sys
from pathlib import Path

HEAVY = ("torchvision", "pytorch_fid", "ot", "pandas", "matplotlib", "sklearn")


def test_importing_the_metrics_loads_no_heavy_library():
    code = f"import sys, gan_bench.metrics; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_heavy_libraries_load_when_a_function_needs_them():
    code = (
        "import sys, numpy as np, gan_bench.metrics as m; "
        "m.emd(np.zeros((3, 2)), np.ones((3, 2))); m.nmi([0, 1, 1], [1, 0, 0]); "
        "print('ot' in sys.modules, 'sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True True"


def test_weights_file_name_is_pytorch_fids():
    from pytorch_fid.inception import FID_WEIGHTS_URL

    from gan_bench.metrics.inception import WEIGHTS_FILENAME

    assert WEIGHTS_FILENAME == Path(FID_WEIGHTS_URL).name


def test_reading_the_suites_and_listing_them_imports_no_torch(tmp_path):
    """``gan-bench list``, ``gan-bench variants`` and loading ``benchmarks.toml`` read the
    torch-free declarations (variants, datasets, metrics) alone (issue 28: list in <= 2 s; its
    time is in tests/benchmarks/bench_list.py). A suite with a bad option or metric is still
    refused there, from the declarations."""
    code = (
        "import sys\n"
        "from gan_bench.cli import main\n"
        "assert main(['list']) == 0 and main(['variants']) == 0\n"
        "from gan_bench.bench.config import load_config\n"
        "load_config()\n"
        "print([m for m in ('torch', 'pandas', 'scipy', 'sklearn') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'default_suites = ["s"]\n[suites.s]\nseeds = [0]\ndatasets = ["grid25"]\nmetrics = ["modes"]\n'
        '[[suites.s.runs]]\nname = "r"\nvariant = "nemgan"\ndatasets = ["grid25"]\nsteps = 10\n'
        'options = { mode = "Q" }\n'
    )
    code = (
        "import sys\n"
        "from gan_bench.bench.config import load_config\n"
        "try:\n"
        f"    load_config({str(bad)!r})\n"
        "except ValueError as err:\n"
        "    print(err)\n"
        "print('torch' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    said, torch_loaded = out.stdout.strip().splitlines()
    assert "option mode expects one of" in said and "'Q'" in said and torch_loaded == "False"
