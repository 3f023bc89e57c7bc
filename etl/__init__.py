"""Loading: read one-stop-system exports and reference files into the CCHC DuckDB database."""
