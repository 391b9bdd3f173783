"""The benchmark suite: what people feel on the large demo database, against baselines measured
in the same run. Run it with ``python -m benchmarks.run`` (see benchmarks/README.md).
"""
