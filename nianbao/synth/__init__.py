"""Synthetic 年报 with ground truth: `nianbao synth --n N --out DIR --seed S`.

A report is drawn as true figures (`figures`), laid out as blocks and tables with the catalog's labels
(`layout`, `wording`), damaged the way real files are (`noise`) and written in one format (`render_*`).
Each report gets a JSON sidecar of every true figure (`truth`) in a parallel folder that a build never
reads; `check` compares what the parser recovers with the sidecar. Deterministic for a seed.
"""
