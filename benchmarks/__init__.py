"""Benchmarks (a regular package, so that a top-level ``benchmarks`` another distribution
installs, such as pysbd 0.3.4's, cannot shadow this folder)."""
