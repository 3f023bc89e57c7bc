"""Shared helpers every layer may use: Vietnamese formats, the workbook style sheet, text keys (no project imports)."""
