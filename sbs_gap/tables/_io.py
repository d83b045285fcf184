"""Writing and reading the tables: atomic files, CSV and Markdown text."""
from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from ..errors import InputError

__all__ = ["write_atomic", "format_value", "parse_value", "csv_text", "markdown_text",
           "read_table", "check_output_folder"]


def write_atomic(path: Path, text: str) -> None:
    """Write text so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600): give it the mode a plain
        # open() would, so tables are readable by others as usual
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask, read without changing it (os.umask would set it,
    a process-wide change); 0o022 where /proc does not say."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def check_output_folder(folder) -> Path:
    """The folder tables will be written to, checked before anything is
    computed: it exists or can be created, and is writable."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".sbs-write-test.")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise InputError(f"cannot write tables to {str(folder)!r}: "
                         f"{exc.strerror or exc}") from None
    return folder


def format_value(value) -> str:
    """CSV text of a field: JSON spelling for booleans, empty for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_value(text: str):
    """Inverse of :func:`format_value` (integers, booleans, null, names)."""
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    if text.lstrip("-").isdigit():
        return int(text)
    return text


def csv_text(rows, names) -> str:
    """CSV of dataclass rows, the columns ``names``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(names)
    for r in rows:
        record = asdict(r)
        writer.writerow([format_value(record[k]) for k in names])
    return buf.getvalue()


def read_table(path: Path) -> list[dict]:
    """Rows of a table CSV as dicts of typed values."""
    with open(path, newline="", encoding="utf-8") as f:
        return [{k: parse_value(v) for k, v in row.items()} for row in csv.DictReader(f)]


def markdown_text(title: str, intro: str, rows, names) -> str:
    """A Markdown table of dataclass rows (``-`` for null)."""
    lines = [f"# {title}", "", intro, "",
             "| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    for r in rows:
        record = asdict(r)
        lines.append("| " + " | ".join("-" if record[k] is None else format_value(record[k])
                                       for k in names) + " |")
    return "\n".join(lines) + "\n"
