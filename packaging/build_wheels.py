"""Build the wheels PyPI accepts (issue 27): ``gan-bench`` and one data-only wheel per image suite.

PyPI takes at most 100 MB a file, and ``models/`` is larger. So:
- ``gan-bench`` carries the code, the suites, the papers' numbers, the manifest of every
  bundled checkpoint, the classifiers and the toy models: the ``models/`` entries that
  ``pyproject.toml`` force-includes;
- ``gan-bench-models-<suite>`` carries ``models/<suite>/`` for every other folder of
  ``models/`` (the image suites), as the namespace package ``gan_bench_models`` (spaCy's
  model packages are the example). ``gan_bench.defaults.packaged_model_dirs`` finds them.
Every wheel is checked below the limit; the script fails naming the one that is not.

Run: python packaging/build_wheels.py --out dist
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYPI_LIMIT = 100 * 10**6  # bytes a file, PyPI's default
DATA_WHEEL = """[build-system]
requires = ["hatchling>=1.18"]
build-backend = "hatchling.build"

[project]
name = "gan-bench-models-{suite}"
version = "{version}"
description = "The bundled {suite} checkpoints of gan-bench (data only): pip install gan-bench-models-{suite}"
requires-python = ">=3.11"
license = {{ text = "MIT" }}

[tool.hatch.build.targets.wheel]
bypass-selection = true

[tool.hatch.build.targets.wheel.force-include]
"{source}" = "gan_bench_models/{suite}"
"""


def main_wheel_models(pyproject: dict) -> set[str]:
    """The ``models/`` entries the ``gan-bench`` wheel force-includes."""
    mapping = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    return {Path(source).relative_to("models").parts[0] for source in mapping if source.startswith("models/")}


def image_suites(pyproject: dict) -> list[str]:
    """The folders of ``models/`` the ``gan-bench`` wheel leaves to their own wheels."""
    shipped = main_wheel_models(pyproject)
    return sorted(p.name for p in (REPO / "models").iterdir() if p.is_dir() and p.name not in shipped)


def _wheel(source: Path, out: Path) -> Path:
    """The wheel of the project at ``source``, moved into ``out`` (replacing an older build)."""
    with tempfile.TemporaryDirectory() as tmp:
        pip = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp, str(source)]
        subprocess.run(pip, check=True)
        [built] = Path(tmp).glob("*.whl")
        return Path(shutil.move(built, out / built.name))


def build(out: Path) -> list[Path]:
    """Every wheel into ``out``; raises naming a wheel above PyPI's limit."""
    out.mkdir(parents=True, exist_ok=True)
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    version = pyproject["project"]["version"]
    wheels = [_wheel(REPO, out)]
    for suite in image_suites(pyproject):
        with tempfile.TemporaryDirectory() as tmp:
            source = (REPO / "models" / suite).as_posix()
            (Path(tmp) / "pyproject.toml").write_text(
                DATA_WHEEL.format(suite=suite, version=version, source=source)
            )
            wheels.append(_wheel(Path(tmp), out))
    too_large = [
        f"{w.name} ({w.stat().st_size / 1e6:.1f} MB)" for w in wheels if w.stat().st_size >= PYPI_LIMIT
    ]
    if too_large:
        raise SystemExit(f"above PyPI's {PYPI_LIMIT / 1e6:.0f} MB a file: {', '.join(too_large)}")
    return wheels


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=REPO / "dist")
    args = parser.parse_args()
    for wheel in build(args.out):
        print(f"{wheel.stat().st_size / 1e6:6.1f} MB  {wheel}")


if __name__ == "__main__":
    main()
