"""The dossier model shared by loading and figures: the measure table, per-dossier facts, the aggregate build."""
