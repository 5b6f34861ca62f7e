"""Errors and warnings that name where in the input the problem is and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HEADING = "输入有误:"


@dataclass(frozen=True)
class Problem:
    """One problem in the input: file, 1-based row (as a spreadsheet shows it), column, message.

    `kind` names what sort of problem it is (a key of hotline.inputs.report.KINDS, e.g. "total_row"),
    so that the validation report can count and group them.
    """

    file: str | Path | None
    message: str
    row: int | None = None
    column: str | None = None
    fix: str | None = None
    kind: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column is not None:
            where.append(f"列「{self.column}」")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.fix:
            text += f" — {self.fix}"
        return text


class InputError(Exception):
    """Input that cannot be used. Carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def report(self) -> str:
        """The message as `hotline` prints it: a heading, then one problem a line."""
        return f"{HEADING}\n{self}"

    def _render_traceback_(self) -> list[str]:
        """What IPython (JupyterLab, the executed notebook) shows instead of a traceback: the
        same message as the command line, not the 25 frames that led to it."""
        return self.report().splitlines()
