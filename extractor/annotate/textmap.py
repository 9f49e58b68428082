"""Map offsets in a reader's normalised text back to the raw text it came from.

Locators count characters in Block.text / Cell.text, which readers.structure.normalize_text
made from the raw run text (full-width letters and digits to ASCII, zero-width characters
dropped, space runs collapsed, lines stripped, empty lines dropped). To mark a figure in
the original file, each normalised character needs the raw character it stands for.
"""

from __future__ import annotations

from ..readers.structure import FULLWIDTH_ALNUM, SPACES, ZERO_WIDTH, normalize_text


def normalized_with_map(raw: str) -> tuple[str, list[int]]:
    """(normalize_text(raw), raw index of each normalised character).

    A collapsed space stands for the first raw space of its run, a line break for the
    first raw break between the two kept lines."""
    text = raw.translate(FULLWIDTH_ALNUM).replace("\r", "\n")
    kept = [i for i, ch in enumerate(text) if not ZERO_WIDTH.fullmatch(ch)]
    out: list[str] = []
    where: list[int] = []
    pending_break: int | None = None
    for line in _lines(text, kept):
        pieces = _collapse(text, line)
        if not pieces:
            continue
        if out:
            out.append("\n")
            where.append(pending_break if pending_break is not None else pieces[0][1])
        for ch, index in pieces:
            out.append(ch)
            where.append(index)
        pending_break = _break_after(text, line)
    return "".join(out), where


def _lines(text: str, kept: list[int]) -> list[list[int]]:
    """Kept raw indexes split at line breaks (the breaks themselves left out)."""
    lines: list[list[int]] = [[]]
    for index in kept:
        if text[index] == "\n":
            lines.append([])
        else:
            lines[-1].append(index)
    return lines


def _break_after(text: str, line: list[int]) -> int | None:
    """Raw index of the line break that ends this line, if any."""
    if not line:
        return None
    index = line[-1] + 1
    while index < len(text) and text[index] != "\n":
        index += 1
    return index if index < len(text) else None


def _collapse(text: str, line: list[int]) -> list[tuple[str, int]]:
    """The line's characters with space runs collapsed to one space and the ends stripped."""
    pieces: list[tuple[str, int]] = []
    in_space = False
    for index in line:
        ch = text[index]
        if SPACES.fullmatch(ch):
            if not in_space:
                pieces.append((" ", index))
            in_space = True
            continue
        in_space = False
        pieces.append((ch, index))
    while pieces and pieces[0][0] == " ":
        pieces.pop(0)
    while pieces and pieces[-1][0] == " ":
        pieces.pop()
    return pieces


def raw_span(raw: str, start: int, end: int, expected: str) -> tuple[int, int] | None:
    """The raw [start, end) holding normalised [start, end), when that text is `expected`
    and the mapping reproduces the reader's normalisation exactly; None otherwise."""
    text, where = normalized_with_map(raw)
    if text != normalize_text(raw) or not 0 <= start < end <= len(text) or text[start:end] != expected:
        return None
    return where[start], where[end - 1] + 1
