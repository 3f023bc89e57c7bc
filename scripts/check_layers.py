"""Holds the design's one-way flow: etl/ and indicators/ never import Dash or Plotly; indicators/ never imports etl/;
accounts/ (below the pages) never imports Dash, Plotly, the pages, the app or etl/."""
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"etl": {"dash", "plotly", "pages", "app", "accounts"},
             "indicators": {"dash", "plotly", "pages", "app", "etl", "accounts"},
             "accounts": {"dash", "plotly", "pages", "app", "etl"}}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def main() -> int:
    problems = []
    for package, banned in FORBIDDEN.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            bad = imported_roots(path) & banned
            if bad:
                problems.append(f"{path.relative_to(ROOT)} imports {', '.join(sorted(bad))}")
    for p in problems:
        print("Layer rule broken:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
