"""The engine: suites (``benchmarks.toml``), the metric registry, evaluation, training and
bundling of the reference models, the runner and its executors, and the results table."""
