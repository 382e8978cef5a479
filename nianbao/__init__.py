"""nianbao: parse China's 政府信息公开工作年度报告 into a DuckDB warehouse.

The parsing modules are pure Python (no Prefect import) so they can be used and tested on their own;
`flows/` only orchestrates them.
"""

PARSER_VERSION = "0.1.0"
