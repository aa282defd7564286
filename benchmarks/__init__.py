"""Benchmarks of the checker, the site build and the search (not part of the installed package)."""
