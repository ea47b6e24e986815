"""Benchmarks (`make bench` / `python -m tests.bench.run`); no test modules, pytest skips them."""
