"""The statutory tables (表二 proactive disclosure, 表三 requests, 表四 review and litigation).

Every input format is first turned into one common grid model (`grid.py`); tables are then found and read
cell by cell by their row and column labels (`catalog.py`, `cells.py`), never by counting numbers.
"""
