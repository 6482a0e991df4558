"""Benchmark suite at production scale (issue 10).

``manage.py bench_data --scale N`` fills a PostgreSQL database with generated
data (one generator per area in :mod:`bench.generators`); ``python -m bench``
serves it with gunicorn and measures the scenarios of :mod:`bench.scenarios`.
"""
