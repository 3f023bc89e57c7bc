"""The four roles (operations.md, "Who sees what") as data: what each is called, sees and may open."""
from __future__ import annotations

from dataclasses import dataclass

ROLE_LABELS = {"admin": "quản trị", "analyst": "chuyên viên", "leader": "lãnh đạo", "unit": "đơn vị"}
ROLES = tuple(ROLE_LABELS)
ALL_UNITS_ROLES = frozenset({"admin", "analyst", "leader"})
LOADING_ROLES = frozenset({"admin", "analyst"})   # who may load data (the upload on the Dữ liệu page)


@dataclass(frozen=True)
class RestrictedPage:
    """A page only some roles may open; its callbacks are those whose outputs carry id_prefix (the pages'
    convention: every component id starts with the page's name, design.md)."""
    path: str
    id_prefix: str
    roles: frozenset[str]


# Dữ liệu: the rejected rows are other units' dossier rows, many without a unit the scope could be decided on
# (the unit name is what was wrong), and the history names every unit's files: not for a unit account.
AUDIT_PATH = "/nhat-ky"
# The upload on Dữ liệu (components du-lieu-upload-…) loads data: only LOADING_ROLES. Listed before the page,
# whose prefix it shares (the first match decides); its path is never a request's (a '#' is not sent).
UPLOAD_PATH = "/du-lieu#nap-du-lieu"
RESTRICTED_PAGES = (
    RestrictedPage(AUDIT_PATH, "nhat-ky-", frozenset({"admin"})),
    RestrictedPage(UPLOAD_PATH, "du-lieu-upload-", LOADING_ROLES),
    RestrictedPage("/du-lieu", "du-lieu-", ALL_UNITS_ROLES),
)


@dataclass(frozen=True)
class Viewer:
    """Who is asking: username and role None in the open trial mode (no account exists yet)."""
    username: str | None
    role: str | None
    unit_code: str | None = None

    @property
    def is_trial(self) -> bool:
        return self.role is None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def sees_all_units(self) -> bool:
        """False for a unit account: its figures must be limited to unit_code and the units under it."""
        return self.role is None or self.role in ALL_UNITS_ROLES

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, "dùng thử")


def page_for_path(path: str) -> RestrictedPage | None:
    path = "/" + path.strip("/")
    return next((p for p in RESTRICTED_PAGES if path == p.path or path.startswith(p.path + "/")), None)


def page_for_component(component_id: str) -> RestrictedPage | None:
    return next((p for p in RESTRICTED_PAGES if component_id.startswith(p.id_prefix)), None)


def may_load(viewer: Viewer | None) -> bool:
    """Whether the viewer may upload and load files: an account of LOADING_ROLES, or the open trial mode."""
    return viewer is not None and (viewer.is_trial or viewer.role in LOADING_ROLES)


def may_open(viewer: Viewer, page: RestrictedPage | None) -> bool:
    """The open trial mode opens everything (it serves this machine only); an account opens what its role may."""
    return page is None or viewer.is_trial or viewer.role in page.roles
