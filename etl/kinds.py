"""The kinds of file `etl import` takes, in the order --kind auto tries them. Adding a kind (plans, PAR
workbooks…) is a sub-package of etl/ that provides a Kind (etl/core/kind.py) and one line in KINDS."""
from etl.core.kind import Kind
from etl.dossiers.kind import KIND as DOSSIERS
from etl.references.kind import PROCEDURES, SUCCESSIONS, TARGETS, UNITS
from etl.surveys.kind import KIND as SURVEY

# On a tie the kind listed first wins a sheet.
KINDS: tuple[Kind, ...] = (
    DOSSIERS,
    SURVEY,
    UNITS,
    SUCCESSIONS,
    PROCEDURES,
    TARGETS,
)
KIND_NAMES = tuple(k.name for k in KINDS)
KIND_LABELS = {k.name: k.label for k in KINDS}
# The kind whose missing header a file recognized as no kind is told about: a dossier export, the usual file.
DEFAULT_KIND = DOSSIERS


def kind_named(name: str) -> Kind:
    for kind in KINDS:
        if kind.name == name:
            return kind
    raise ValueError(f"unknown kind {name!r} (one of {', '.join(KIND_NAMES)})")
