#!/usr/bin/env python3
"""Shows a long build's progress from its `[n/N]` lines (ninja's, SwiftPM's) and keeps the whole
output in a log file.

    some-build | build-progress.py --log build.log [--label NAME] [--warnings] [--tty | --plain]

On a terminal (stderr, or `--tty`) the latest step is one line rewritten in place:
`  NAME [n/N] p% <what>`. Otherwise (`--plain`, CI, a pipe) a plain line each time the build
passes another 10 %. Lines that report an error (and with `--warnings` a warning) are always
shown in full. Every input
line goes to the log. The output goes to stderr, like the scripts' other messages; the exit status
is 0 (a failed build is the pipeline's status, with `set -o pipefail`).
"""
import argparse
import re
import shutil
import sys

STEP = re.compile(r"^\[(\d+)/(\d+)\]\s*(.*)$")
ERROR = re.compile(r"(\berror:|^FAILED:|\bfatal error\b)", re.IGNORECASE)
WARNING = re.compile(r"\bwarning:", re.IGNORECASE)


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else "..." + text[-(width - 3):]


class Progress:
    def __init__(self, out, label: str, tty: bool, width: int):
        self.out = out
        self.label = label
        self.tty = tty
        self.width = width
        self.next_tenth = 1  # plain mode: the next 10 % mark to report
        self.line_open = False  # tty mode: a progress line is on screen without its newline
        self.last = None
        self.unreported = False  # plain mode: a step seen since the last line written

    def step(self, done: int, total: int, what: str) -> None:
        self.last = (done, total)
        percent = 100 * done // total if total else 100
        if self.tty:
            head = f"  {self.label} [{done}/{total}] {percent:3d}% "
            text = head + shorten(what, max(10, self.width - len(head) - 1))
            self.out.write("\r\x1b[K" + text)
            self.line_open = True
        elif total and done * 10 >= self.next_tenth * total:
            while done * 10 >= self.next_tenth * total:
                self.next_tenth += 1
            self.write_plain()
            return
        else:
            self.unreported = True
        self.out.flush()

    def write_plain(self) -> None:
        done, total = self.last
        self.out.write(f"  {self.label} [{done}/{total}] {100 * done // total if total else 100}%\n")
        self.out.flush()
        self.unreported = False

    def message(self, line: str) -> None:
        self.close_line()
        self.out.write(line + "\n")
        self.out.flush()

    def close_line(self) -> None:
        if self.line_open:
            self.out.write("\n")
            self.line_open = False

    def finish(self) -> None:
        """The last step seen, when plain output has not shown it (SwiftPM's total grows as it
        plans, so its last step need not reach a 10 % mark)."""
        self.close_line()
        if not self.tty and self.unreported:
            self.write_plain()
        self.out.flush()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", required=True, help="where every input line goes")
    parser.add_argument("--label", default="build")
    parser.add_argument("--warnings", action="store_true", help="show warning lines too")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--tty", action="store_true", help="one updating line, as on a terminal")
    mode.add_argument("--plain", action="store_true", help="a line every 10 percent")
    args = parser.parse_args(argv)
    tty = args.tty or (not args.plain and sys.stderr.isatty())
    width = shutil.get_terminal_size((100, 24)).columns
    progress = Progress(sys.stderr, args.label, tty, width)
    with open(args.log, "a", encoding="utf-8", errors="replace") as log:
        for raw in sys.stdin.buffer:
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            log.write(line + "\n")
            match = STEP.match(line)
            if match:
                progress.step(int(match.group(1)), int(match.group(2)), match.group(3))
            elif ERROR.search(line) or (args.warnings and WARNING.search(line)):
                progress.message(line)
    progress.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
