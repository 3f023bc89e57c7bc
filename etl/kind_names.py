"""The names of the file kinds a load recognizes, without importing their loaders: the command line offers them
before it reads a file (etl.kinds holds the kinds themselves; tests/test_read_ahead.py keeps the two equal)."""

KIND_NAMES = ("dossiers", "ratings", "survey", "units", "successions", "procedures", "targets", "index766_inputs",
              "index766_published", "par_framework", "par_scores", "plan_tasks", "task_progress")
