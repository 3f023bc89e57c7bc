"""What leaves the building: workbooks, CSV, JSON and documents written from computed figures."""
