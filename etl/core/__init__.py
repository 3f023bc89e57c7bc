"""What every kind of file shares: reading a file into grids, finding the header, telling data rows from the
rest, the vocabularies under etl/vocab/, the database connection and publishing a load."""
