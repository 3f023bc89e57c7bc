"""The command-line parser of every CCHC command: usage errors in Vietnamese, exit code 64 as the README says."""
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


def vietnamese_usage_message(message: str) -> str:
    for pattern, replacement in _MESSAGES:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class CommandParser(argparse.ArgumentParser):
    """argparse.ArgumentParser whose usage errors (also in sub-commands, which inherit the class) say what was
    wrong in Vietnamese and exit USAGE_ERROR instead of argparse's 2."""

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"Lỗi: lệnh không hợp lệ: {vietnamese_usage_message(message)}.\n")
