"""Reference files: the unit list, the procedure catalogue, plan targets, and the holiday calendar."""
