"""Errors and warnings that name where in the input the problem is and how to fix it."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

HEADING = "输入有误:"


@dataclass(frozen=True)
class Problem:
    """One problem in the input: file, 1-based row (as a spreadsheet shows it), column, message.

    `kind` names what sort of problem it is (a key of hotline.inputs.validation_report.KINDS, e.g. "total_row"),
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


OUTPUT_HEADING = "无法写出通报:"
# errno → (what happened, how to fix it), in the analyst's words.
_OS_WORDS = {
    errno.ENOSPC: ("磁盘已满", "腾出磁盘空间（或用 --out 换到空间充足的磁盘）后重新运行"),
    errno.EDQUOT: ("超出了磁盘配额", "清理空间或请管理员调整配额后重新运行"),
    errno.EROFS: ("所在磁盘是只读的", "用 --out 换一个可写的输出目录"),
    errno.EACCES: ("没有写入权限", "用 --out 换一个可写的目录，或请管理员开放该目录的写权限"),
    errno.EPERM: ("没有写入权限", "用 --out 换一个可写的目录，或请管理员开放该目录的写权限"),
    errno.ENOTDIR: ("路径中有一段是文件而不是文件夹", "删除或改名路径中与文件夹同名的文件，或用 --out 换一个目录"),
    errno.EEXIST: ("已有同名的文件挡住了要建的文件夹", "删除或改名这个文件，或用 --out 换一个目录"),
    errno.EISDIR: ("这是一个文件夹，不能写成文件", "删除或改名这个文件夹"),
    errno.ENAMETOOLONG: ("路径或文件名太长", "把工作区或输出目录放到层级更浅、名字更短的位置"),
    errno.ENOENT: ("路径不存在", "检查 --out 或 HOTLINE_OUTPUT 指向的目录"),
}


class OutputError(Exception):
    """An output that cannot be written (disk full, read-only, a file where a folder must be…),
    said in words with the path and how to fix it, never as the operating system's text."""

    def __init__(self, path: str | Path | None, message: str, fix: str):
        self.path, self.message, self.fix = path, message, fix
        super().__init__(f"{path}: {message} — {fix}" if path is not None else f"{message} — {fix}")

    @classmethod
    def from_os_error(cls, exc: OSError, path: str | Path | None = None) -> OutputError:
        """The OSError `exc` in words (its errno), naming its file (or `path` when it names none)."""
        message, fix = _OS_WORDS.get(exc.errno or 0, (f"系统无法写入（{exc.strerror or exc}）", "检查输出目录后重新运行"))
        return cls(exc.filename or path, message, fix)

    def report(self) -> str:
        return f"{OUTPUT_HEADING}\n{self}"

    def _render_traceback_(self) -> list[str]:
        return self.report().splitlines()
