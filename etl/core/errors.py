"""The one exception type the loader raises for a file it cannot take, with a Vietnamese message."""


class ImportFailure(Exception):
    """A file could not be imported at all; nothing from it was loaded. The message is for a civil servant."""
