"""gan-bench: evaluate and benchmark multi-modal GANs."""

__version__ = "0.1.0"


def __getattr__(name: str):
    """``gan_bench.evaluate_generator``, ``gan_bench.evaluate_samples`` and
    ``gan_bench.Evaluator`` without importing torch on ``import gan_bench``."""
    if name == "evaluate_generator":
        from gan_bench.bench.user_generator import evaluate_generator

        return evaluate_generator
    if name == "Evaluator":
        from gan_bench.bench.in_loop import Evaluator

        return Evaluator
    if name == "evaluate_samples":
        from gan_bench.bench.sample_set import evaluate_samples

        return evaluate_samples
    raise AttributeError(f"module 'gan_bench' has no attribute '{name}'")
