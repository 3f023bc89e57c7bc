"""The command-line parser of every CCHC command: help and usage errors in Vietnamese, exit code 64 as the README says."""
import argparse
import re
import sys

# sysexits.h EX_USAGE: "the command was used incorrectly". argparse's own 2 is taken: `etl import` exits 2 when a
# file could not be imported, and a script must be able to tell the two apart.
USAGE_ERROR = 64

# argparse's English messages (Python 3.11–3.13 wording) and what a civil servant reads instead.
_MESSAGES = [
    (r"the following arguments are required: (.+)", r"thiếu tham số bắt buộc \1"),
    (r"unrecognized arguments: (.+)", r"không hiểu tham số \1"),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)", r"tham số \1 không nhận giá trị \2 (chọn một trong \3)"),
    (r"argument (\S+): invalid \w+ value: (.+)", r"tham số \1 không nhận giá trị \2"),
    (r"argument (\S+): expected one argument", r"tham số \1 cần một giá trị"),
    (r"argument (\S+): expected at least one argument", r"tham số \1 cần ít nhất một giá trị"),
    (r"ambiguous option: (\S+) could match (.+)", r"tham số \1 không rõ là \2"),
    (r"argument (\S+): (.+)", r"tham số \1: \2"),   # an ArgumentTypeError of ours: already Vietnamese
]


# A value given after an option named like a password is never printed back (probe 55: «--password X» refused, the
# password shown on the screen and kept in the terminal's scroll-back).
_SECRET_VALUE = re.compile(r"(--?\S*(?:password|passwd|mat-khau|secret)\S*)(=|\s+)(?!-)\S+", re.IGNORECASE)


def vietnamese_usage_message(message: str) -> str:
    message = _SECRET_VALUE.sub(r"\1\2…", message)
    for pattern, replacement in _MESSAGES:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class VietnameseHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout with the usage line headed in Vietnamese (argparse writes "usage: " itself)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)


class CommandParser(argparse.ArgumentParser):
    """argparse.ArgumentParser that speaks Vietnamese: the help's headings and its -h line, and usage errors (also
    in sub-commands, which inherit the class) saying what was wrong, with exit USAGE_ERROR instead of argparse's 2."""

    def __init__(self, *args, add_help: bool = True, formatter_class=VietnameseHelpFormatter, allow_abbrev: bool = False,
                 **kwargs):
        if not issubclass(formatter_class, VietnameseHelpFormatter):
            formatter_class = type(f"Vietnamese{formatter_class.__name__}", (VietnameseHelpFormatter, formatter_class), {})
        # argparse's own -h says "show this help message and exit": added here with Vietnamese words instead
        # No abbreviated options: "--password" would be taken for "--password-stdin", a script's typo for another
        # option; an option is written in full, as the README writes it.
        super().__init__(*args, add_help=False, formatter_class=formatter_class, allow_abbrev=allow_abbrev, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="in hướng dẫn này rồi thoát")

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"Lỗi: lệnh không hợp lệ: {vietnamese_usage_message(message)}.\n")
