"""PDF action plans (ReportLab). Imported only when a PDF is made, never by the core."""

from safehome.reports.layout import render_plan

__all__ = ["render_plan"]
