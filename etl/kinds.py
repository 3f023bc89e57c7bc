"""The kinds of file `etl import` takes, in the order --kind auto tries them. Adding a kind (plans, PAR
workbooks…) is a sub-package of etl/ that provides a Kind (etl/core/kind.py) and one line in KINDS."""
from etl.core.kind import Kind
from etl.dossiers.kind import KIND as DOSSIERS
from etl.index766.kind import INPUTS as INDEX766_INPUTS, PUBLISHED as INDEX766_PUBLISHED
from etl.par.kind import FRAMEWORK as PAR_FRAMEWORK
from etl.par.kind import SCORES as PAR_SCORES
from etl.plans.kind import PLAN_TASKS, TASK_PROGRESS
from etl.ratings.kind import KIND as RATINGS
from etl.references.kind import PROCEDURES, SUCCESSIONS, TARGETS, UNITS
from etl.surveys.kind import KIND as SURVEY

# On a tie the kind listed first wins a sheet.
KINDS: tuple[Kind, ...] = (
    DOSSIERS,
    RATINGS,
    SURVEY,
    UNITS,
    SUCCESSIONS,
    PROCEDURES,
    TARGETS,
    INDEX766_INPUTS,
    INDEX766_PUBLISHED,
    PAR_FRAMEWORK,
    PAR_SCORES,
    PLAN_TASKS,
    TASK_PROGRESS,
)
KIND_NAMES = tuple(k.name for k in KINDS)
KIND_LABELS = {k.name: k.label for k in KINDS}


def kind_named(name: str) -> Kind:
    for kind in KINDS:
        if kind.name == name:
            return kind
    raise ValueError(f"unknown kind {name!r} (one of {', '.join(KIND_NAMES)})")


def mapping_fields() -> frozenset[str]:
    """Every field name a --mapping file may give a header for, whatever the kind of file: a name outside them is a
    typo («recieved_at») the command says, instead of loading as if the line were not there."""
    from etl.core.vocab import read_vocab
    from etl.index766.vocab import INPUT_FIELDS, PUBLISHED_FIELDS
    from etl.par.vocab import FRAMEWORK_ALIASES, LONG_ALIASES
    from etl.ratings.fields import FIELD_LABELS as RATING_FIELDS
    from etl.references import procedures, successions, targets, units
    from etl.surveys.vocab import AGGREGATE_FIELDS, RESPONSE_FIELDS
    names = set(INPUT_FIELDS) | set(PUBLISHED_FIELDS) | set(RESPONSE_FIELDS) | set(AGGREGATE_FIELDS)
    names |= set(FRAMEWORK_ALIASES) | set(LONG_ALIASES) | set(RATING_FIELDS)
    for module in (procedures, successions, targets, units):
        names |= set(module.ALIASES)
    for vocab in ("header_aliases.csv", "survey_aliases.csv", "plan_aliases.csv", "index766_aliases.csv"):
        names |= {row["field"] for row in read_vocab(vocab)}
    return frozenset(names)
