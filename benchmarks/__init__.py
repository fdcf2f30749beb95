"""The project's benchmarks (run from the repository's root: ``python -m benchmarks.X``).

A regular package, not a namespace one, on purpose: pysbd (in the bench extra) installs a
top-level ``benchmarks`` package of its own, and a regular package anywhere on ``sys.path``
wins over a namespace package, which made ``benchmarks.realspeech`` unimportable.
"""
