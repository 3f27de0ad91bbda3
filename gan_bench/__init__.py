"""gan-bench: evaluate and benchmark multi-modal GANs."""

__version__ = "0.1.0"
