"""``python -m gan_bench.cli``: the same as ``gan-bench``."""

import sys

from gan_bench.cli import main

sys.exit(main())
