"""Reading a markdown page the way its reader does: its fenced blocks, and the commands of a
console block with the output each one shows.

A console block is a terminal transcript: a line starting with "$ " is a command (a trailing
backslash continues it on the next line), the lines up to the next command are what it printed,
and a line "..." stands for any number of lines the page leaves out.
"""
import re
from dataclasses import dataclass, field


@dataclass
class Block:
    lang: str  # the word after the opening fence ("console", "sh", "json", "js", "" ...)
    text: str
    line: int  # the page's line number of the opening fence, for messages


@dataclass
class Command:
    text: str  # continuation lines joined, as the shell reads them
    output: list = field(default_factory=list)  # the lines the page shows after it
    line: int = 0


def blocks(markdown):
    """The fenced blocks of a page, in order."""
    out = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)```(\S*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        indent, lang, start = m.group(1), m.group(2), i
        body = []
        i += 1
        while i < len(lines) and not re.match(r"^\s*```\s*$", lines[i]):
            line = lines[i]
            body.append(line[len(indent):] if line.startswith(indent) else line)
            i += 1
        if i == len(lines):
            raise ValueError(f"line {start + 1}: a fenced block that never closes")
        out.append(Block(lang, "\n".join(body) + "\n", start + 1))
        i += 1
    return out


def commands(block):
    """The commands of a console block, each with the output the page shows for it."""
    out = []
    lines = block.text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            text = line[2:]
            start = i
            while text.endswith("\\") and i + 1 < len(lines):
                i += 1
                text = text[:-1] + " " + lines[i].strip()
            out.append(Command(text, [], block.line + 1 + start))
        elif out:
            out[-1].output.append(line)
        elif line.strip():
            raise ValueError(f"line {block.line + 1 + i}: output before any command: {line!r}")
        i += 1
    return out


def matches(patterns, lines):
    """Whether `lines` match `patterns` (compiled regexes, or None for "..." = any lines)."""
    def walk(p, l):
        if p == len(patterns):
            return l == len(lines)
        if patterns[p] is None:
            return any(walk(p + 1, k) for k in range(l, len(lines) + 1))
        return l < len(lines) and patterns[p].fullmatch(lines[l]) is not None and walk(p + 1, l + 1)
    return walk(0, 0)
