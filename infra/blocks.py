"""YAML text cut into blocks by indentation, so that an expansion copies comments and layout unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    """One key (or list item) of a mapping: the comments above it, its own line, and the lines below it."""

    leading: list[str]
    head: str | None  # None for the comments and blank lines after the last block
    body: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return (self.head or "").strip().split(":", 1)[0].removeprefix("- ").strip()

    @property
    def value(self) -> str:
        """What follows the key on its own line, without a trailing comment."""
        head = self.head or ""
        return strip_comment(head.split(":", 1)[1]) if ":" in head else ""

    def lines(self) -> list[str]:
        return [*self.leading, *([] if self.head is None else [self.head]), *self.body]


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def strip_comment(text: str) -> str:
    return text.split(" #", 1)[0].strip()


def comment_of(line: str) -> str:
    """The trailing comment of a line, with the spaces before it ("  # why"), or nothing."""
    code, sep, comment = line.partition(" #")
    return f"  #{comment}" if sep and code.strip() else ""


def split(lines: list[str], indent: int) -> list[Block]:
    """The blocks of a mapping or list whose keys (or `- ` items) sit at `indent`.

    Comment lines at or left of `indent` belong to the next block; blank lines at the end of a block move to
    the front of the next, so each block ends with its last line of content.
    """
    blocks: list[Block] = []
    pending: list[str] = []
    for line in lines:
        stripped = line.strip()
        starts = stripped and not stripped.startswith("#") and indent_of(line) == indent
        if starts:
            blocks.append(Block(pending, line))
            pending = []
        elif blocks and stripped and indent_of(line) > indent:
            blocks[-1].body.extend(pending)
            blocks[-1].body.append(line)
            pending = []
        else:
            pending.append(line)
    if pending and blocks:
        blocks.append(Block(pending, None))  # what follows the last block: comments, blank lines
    return blocks


def shift(lines: list[str], by: int) -> list[str]:
    """The lines indented `by` more spaces (blank lines stay blank)."""
    return [(" " * by + line) if line.strip() else "" for line in lines]
