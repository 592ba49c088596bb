"""Large-data benchmarks that print their figures. `python -m benchmarks` runs them all;
`python -m benchmarks.<name>` runs one. Not tests: they measure, they do not assert."""
