"""Dossier exports of the one-stop systems (hồ sơ TTHC): their header fields, typing, rejects and upsert."""
