"""Comments out of scripts and style sheets as they are served.

The sources keep their comments and JSDoc types (they are what `tsc` checks
and what a reader needs); a phone needs neither. About a third of our gzipped
JavaScript is comments, so the asset store sends every module and style sheet
without them. Nothing else changes: no renaming, no joining of lines, so the
code that runs is the code in the repository, line for line.

A comment that fills its line takes the line with it; one after code leaves
the code; one between tokens leaves a space. Strings, template literals (with
their `${...}`) and regular expressions are copied as they are, so `"//"` or
`/\\/*/` inside them stays.
"""

import re

# After one of these, a slash starts a regular expression, not a division.
_BEFORE_REGEX = set("(,=:[!&|?{};+-*%<>~^")
_KEYWORDS_BEFORE_REGEX = {
    "return", "typeof", "instanceof", "in", "of", "new", "delete", "void",
    "throw", "case", "do", "else", "yield", "await",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z0-9_$]+$")


def strip_css(source: str) -> str:
    """Remove CSS comments; a line that held only a comment goes too."""
    out: list[str] = []
    i = 0
    while i < len(source):
        shared = _string_or_block_comment(source, i, out)
        if shared is not None:
            i = shared
        else:
            out.append(source[i])
            i += 1
    return "".join(out)


def strip_js(source: str) -> str:
    """Remove JavaScript comments, keeping strings, templates and regexes whole."""
    out: list[str] = []
    # One entry per open `${`: how many `{` are open inside it.
    templates: list[int] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        shared = _string_or_block_comment(source, i, out)
        if shared is not None:
            i = shared
        elif char == "`":
            i = _template(source, i + 1, out, templates, opening="`")
        elif char == "}" and templates and templates[-1] == 0:
            templates.pop()
            i = _template(source, i + 1, out, templates, opening="}")
        elif source.startswith("//", i):
            end = source.find("\n", i)
            i = _after_comment(out, source, n if end < 0 else end)
        elif char == "/" and _regex_may_start(out):
            end = _regex_end(source, i)
            out.append(source[i:end])
            i = end
        else:
            if templates:
                if char == "{":
                    templates[-1] += 1
                elif char == "}":
                    templates[-1] -= 1
            out.append(char)
            i += 1
    return "".join(out)


def _string_or_block_comment(source: str, i: int, out: list[str]) -> int | None:
    """What CSS and JavaScript share: copy a quoted string whole, or drop a
    `/* */` comment. Return where to go on, or None when neither starts at `i`."""
    if source[i] in "\"'":
        end = _string_end(source, i)
        out.append(source[i:end])
        return end
    if source.startswith("/*", i):
        end = source.find("*/", i + 2)
        return _after_comment(out, source, len(source) if end < 0 else end + 2)
    return None


def _string_end(source: str, i: int) -> int:
    """The index just past the quoted string that starts at `i`."""
    quote = source[i]
    i += 1
    while i < len(source):
        if source[i] == "\\":
            i += 2
            continue
        if source[i] == quote or source[i] == "\n":
            return i + 1
        i += 1
    return i


def _template(source: str, i: int, out: list[str], templates: list[int], opening: str) -> int:
    """Copy a template literal's text from `i` up to its end or its next `${`."""
    out.append(opening)
    while i < len(source):
        char = source[i]
        if char == "\\":
            out.append(source[i : i + 2])
            i += 2
            continue
        if char == "`":
            out.append(char)
            return i + 1
        if source.startswith("${", i):
            out.append("${")
            templates.append(0)
            return i + 2
        out.append(char)
        i += 1
    return i


def _regex_may_start(out: list[str]) -> bool:
    """Whether a slash here opens a regular expression (from the code before it)."""
    before = "".join(out[-40:]).rstrip()
    if not before:
        return True
    if before[-1] in _BEFORE_REGEX:
        return True
    word = _WORD.search(before)
    return word is not None and word.group() in _KEYWORDS_BEFORE_REGEX


def _regex_end(source: str, i: int) -> int:
    """The index just past the regular expression literal (and its flags) at `i`."""
    i += 1
    in_class = False
    while i < len(source) and source[i] != "\n":
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            i += 1
            while i < len(source) and (source[i].isalnum() or source[i] in "_$"):
                i += 1
            return i
        i += 1
    return i


def _after_comment(out: list[str], source: str, end: int) -> int:
    """Mend the text around a comment that ended at `end`; return where to go on.

    Alone on its line, the comment takes the line (its indent and its newline);
    after code, it takes the spaces before it; between tokens, it leaves a space.
    """
    line_end = source.find("\n", end)
    if line_end < 0:
        line_end = len(source)
    if source[end:line_end].strip():
        if out and not out[-1][-1:].isspace():
            out.append(" ")
        return end
    while out and out[-1] in (" ", "\t"):
        out.pop()
    if _line_so_far(out) == "":
        return min(line_end + 1, len(source))
    return end


def _line_so_far(out: list[str]) -> str:
    """What has been written on the current line."""
    parts: list[str] = []
    for chunk in reversed(out):
        if "\n" in chunk:
            parts.append(chunk[chunk.rfind("\n") + 1 :])
            break
        parts.append(chunk)
    return "".join(reversed(parts))
