"""Benchmarks: in-process latency by stage, the floor, HTTP under load, growth, memory.

`make bench` (or `python -m bench.run`) runs everything and writes bench/results/.
"""
