"""jixiao (绩效): budget performance self-evaluation reports into checked, structured data."""

__version__ = "0.1.0"
