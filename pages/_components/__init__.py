"""Shared page pieces: Vietnamese formats, the no-data notice."""
