"""The researcher's panel: one row per document with the standard indicators (indicators.py), the same
department recognised across documents (departments.py), and checks only a panel allows (yoy.py)."""
