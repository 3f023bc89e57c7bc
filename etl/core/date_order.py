"""The leading day and month of a date cell, as both the questionnaire and the dossier loaders look at them to tell a
file written month first ('03/14/2022', Windows or a survey tool set to English (United States)) from day first."""

# A date cell written d/m/yyyy or m/d/yyyy (words before the first digit dropped): its two leading numbers (groups 1
# and 3) with the separators after them (2 and 4), and the year (5).
LEADING_DATE = r"^(\d{1,2})(\s*[/.-]\s*)(\d{1,2})(\s*[/.-]\s*)(\d{4})"
