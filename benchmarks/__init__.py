"""Benchmarks: plain scripts that report ratios against a floor measured in the same run."""
