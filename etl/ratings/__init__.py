"""Dossier ratings from an evaluation system's file keyed by dossier code (surveys.md, "dossier ratings")."""
