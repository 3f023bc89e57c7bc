"""One-time steps that bring a database loaded by an earlier version up to the current rules, recorded in the table
schema_steps once taken. A database this version creates has nothing loaded before them: it starts with every step
recorded, so its first load does not run them over its own fresh rows."""
__all__ = ["FLAGS_FALSE_WHERE_REPORTED", "record_every_step", "record_step", "step_taken"]

# etl/dossiers/flag_step.py: empty flag and fee cells of a file with the column, stored NULL until "no" and "not
# reported" were told apart.
FLAGS_FALSE_WHERE_REPORTED = "flags_false_where_reported"
_STEPS = (FLAGS_FALSE_WHERE_REPORTED,)
# Outside etl/schema.sql: a database without the table has simply not taken any step yet.
_TABLE_SQL = "CREATE TABLE IF NOT EXISTS schema_steps (step VARCHAR PRIMARY KEY, done_at TIMESTAMP NOT NULL)"


def step_taken(con, step: str) -> bool:
    con.execute(_TABLE_SQL)
    return bool(con.execute("SELECT count(*) FROM schema_steps WHERE step = ?", [step]).fetchall()[0][0])


def record_step(con, step: str) -> None:
    con.execute(_TABLE_SQL)
    con.execute("INSERT OR IGNORE INTO schema_steps VALUES (?, current_timestamp)", [step])


def record_every_step(con) -> None:
    """For a database created now, before anything is loaded into it."""
    for step in _STEPS:
        record_step(con, step)
