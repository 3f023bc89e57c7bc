"""SIPAS surveys: questionnaire exports (one row a questionnaire) and published results by unit and element."""
