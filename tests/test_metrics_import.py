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
