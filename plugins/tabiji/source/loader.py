"""Read YAML files into plain data, remembering where every key and value was written.

We compose the YAML node graph (PyYAML, LibYAML when available) and build the data
ourselves instead of letting YAML resolve types: every scalar stays the text the writer
typed (``no`` is ``"no"``, ``2026-04-01`` is ``"2026-04-01"``), and the model converts
the few numeric or date fields. Plain ``null``, ``~`` and empty values become None.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from yaml.composer import Composer

try:  # LibYAML is several times faster; positions are the same.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from tabiji.core.names import BIDI_CONTROLS, describe, unsafe_chars
from tabiji.core.problems import Position, Problem

DataPath = tuple[str | int, ...]
NULLS = {"", "~", "null", "Null", "NULL"}
MAX_NODES = 200_000  # bounds alias expansion ("billion laughs") and huge documents
MAX_DEPTH = 64
MAX_BYTES = 5_000_000


@dataclass
class Document:
    """One YAML file: its data, and the position of every value and key in it."""

    path: str  # as shown in messages: relative to the working directory when possible
    data: Any
    values: dict[DataPath, Position] = field(default_factory=dict)
    keys: dict[DataPath, Position] = field(default_factory=dict)
    blob: str = ""  # the git blob id (SHA-1) of the bytes read from a working tree: the map's history reuses the parse
    # (schema, model) once the data validated cleanly: a document that serve's parse cache keeps
    # is not validated again (the models are frozen)
    validated: Any = field(default=None, compare=False, repr=False)

    def position(self, path: DataPath, key: bool = False) -> Position:
        """The position of ``path``, or of its closest enclosing value that has one."""
        marks = self.keys if key else self.values
        for cut in range(len(path), -1, -1):
            found = marks.get(path[:cut]) or (self.values.get(path[:cut]) if key else None)
            if found:
                return found
        return Position(1, 1)


class _TooLarge(Exception):
    """The document has more values than MAX_NODES, or ``node`` is nested deeper than MAX_DEPTH."""

    def __init__(self, node: yaml.Node | None = None):
        super().__init__()
        self.node = node


class _GuardedComposer(Composer):
    """PyYAML's composer fed by the pure-Python parser one event at a time, stopping at
    MAX_DEPTH + 1 levels: our limit then holds whatever limit (or none) the installed
    LibYAML has (LibYAML 0.2.6 stops flow nesting at 1,000 with its own message, and the
    pure composer would recurse past Python's stack on 10,000 levels)."""

    def __init__(self, text: str):
        self._events = yaml.parse(text, Loader=yaml.SafeLoader)
        self._next: yaml.Event | None = None
        self._depth = self._raw = 0
        Composer.__init__(self)

    def peek_event(self) -> yaml.Event:
        if self._next is None:
            self._next = next(self._events)
        return self._next

    def check_event(self, *choices: type) -> bool:
        return not choices or isinstance(self.peek_event(), choices)

    def get_event(self) -> yaml.Event:
        event, self._next = self.peek_event(), None
        return event

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        return ""  # tags are not used: _build reads every scalar as text

    def descend_resolver(self, parent: object, index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        # Levels are counted as _build counts them (keys are not a level), so the position
        # reported is the same; the raw count bounds keys that are themselves collections.
        key = parent is not None and index is None
        self._depth += 0 if key else 1
        self._raw += 1
        try:
            if self._depth > MAX_DEPTH + 1 or self._raw > 4 * MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise _TooLarge(yaml.ScalarNode("", "", mark, mark))
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 0 if key else 1
            self._raw -= 1

    def compose(self) -> list[yaml.Node]:
        self.get_event()  # StreamStart
        nodes = []
        while not self.check_event(yaml.StreamEndEvent):
            nodes.append(self.compose_document())
        return nodes


class _UntaggedLoader(_Loader):  # type: ignore[misc,valid-type]
    """LibYAML's composer without tag resolution: _build reads every scalar as text, and
    resolving each scalar's implicit tag (regular expressions, in Python) was a third of the
    compose time of a large map."""

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        return ""

    def descend_resolver(self, parent: object, index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


def _compose(text: str) -> list[yaml.Node]:
    """The documents' node graphs. LibYAML first (fast); when it fails, or without it, the
    guarded pure-Python composer decides, so limits and errors do not depend on the version."""
    if _Loader is not yaml.SafeLoader:
        try:
            return list(yaml.compose_all(text, Loader=_UntaggedLoader))
        except yaml.YAMLError:
            pass
    return _GuardedComposer(text).compose()


def _pos(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


# unsafe_chars(text, allow="\n\t" + BIDI_CONTROLS) is empty exactly when this finds nothing:
# one C-speed search per scalar, the precise check only for the rare text that needs it.
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                          + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
                          + "]").search
_Scalar, _Sequence = yaml.ScalarNode, yaml.SequenceNode


def _scalar(doc: Document, node: yaml.ScalarNode, path: DataPath, problems: list[Problem]) -> Any:
    if not node.style and node.value in NULLS:  # LibYAML marks plain as ""
        return None
    # A quoted "\x00" or "\x7f" would reach <title>, front matter or a review comment. Bidi
    # controls are text (Arabic, Hebrew) and are shown isolated; only file names refuse them.
    if _UNSAFE_TEXT(node.value):
        bad = unsafe_chars(node.value, allow="\n\t" + BIDI_CONTROLS)
        if bad:
            problems.append(Problem(doc.path, _pos(node), _dotted(path) or "(document)",
                                    "text without control characters or noncharacters",
                                    f"text holding {describe(bad)}"))
    return node.value


def _build(doc: Document, node: yaml.Node, path: DataPath, problems: list[Problem], budget: list[int],
           depth: int = 0) -> Any:
    # Scalars, most of the nodes, are handled in their parent's loop (no call per value);
    # the budget, depth and position bookkeeping is the same for them.
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    if depth > MAX_DEPTH:
        raise _TooLarge(node)
    values = doc.values
    mark = node.start_mark
    values[path] = Position(mark.line + 1, mark.column + 1)
    if type(node) is _Scalar or isinstance(node, _Scalar):
        return _scalar(doc, node, path, problems)
    depth += 1
    if isinstance(node, _Sequence):
        out: list[Any] = []
        for i, item in enumerate(node.value):
            if type(item) is _Scalar and depth <= MAX_DEPTH:
                budget[0] -= 1
                if budget[0] < 0:
                    raise _TooLarge
                here = path + (i,)
                mark = item.start_mark
                values[here] = Position(mark.line + 1, mark.column + 1)
                out.append(_scalar(doc, item, here, problems))
            else:
                out.append(_build(doc, item, path + (i,), problems, budget, depth))
        return out
    keys = doc.keys
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, _Scalar):
            problems.append(Problem(doc.path, _pos(key_node), _dotted(path), "expected a plain text key",
                                    "a list or mapping used as a key"))
            continue
        key = key_node.value
        if key == "<<":
            problems.append(Problem(doc.path, _pos(key_node), _dotted(path),
                                    "explicit fields (merge keys '<<' are not supported)", "'<<'"))
            continue
        here = path + (key,)
        if key in result:
            first = keys[here]
            problems.append(Problem(doc.path, _pos(key_node), _dotted(here),
                                    f"each key once in a mapping (first given at line {first.line})",
                                    f"duplicate key '{key}'"))
            continue
        mark = key_node.start_mark
        keys[here] = Position(mark.line + 1, mark.column + 1)
        if type(value_node) is _Scalar and depth <= MAX_DEPTH:
            budget[0] -= 1
            if budget[0] < 0:
                raise _TooLarge
            mark = value_node.start_mark
            values[here] = Position(mark.line + 1, mark.column + 1)
            result[key] = _scalar(doc, value_node, here, problems)
        else:
            result[key] = _build(doc, value_node, here, problems, budget, depth)
    return result


def _dotted(path: DataPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def load_text(text: str, path: str) -> tuple[Document, list[Problem]]:
    """Parse one YAML document; return it with the problems found while reading."""
    doc = Document(path, None)
    problems: list[Problem] = []
    if "\t" in text.split("\n", 1)[0] or any(line.startswith("\t") for line in text.splitlines()):
        for number, line in enumerate(text.splitlines(), 1):
            if line.startswith("\t"):
                problems.append(Problem(path, Position(number, 1), "(document)",
                                        "spaces for indentation", "a tab character"))
                return doc, problems
    try:
        nodes = _compose(text)
    except _TooLarge as err:
        assert err.node is not None
        problems.append(Problem(path, _pos(err.node), "(document)", f"values nested at most {MAX_DEPTH} deep",
                                "values nested deeper than that"))
        return doc, problems
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        problems.append(Problem(path, where, "(document)", "valid YAML", f"a syntax error: {err.problem}"))
        return doc, problems
    except yaml.reader.ReaderError as err:  # a character YAML does not allow: say where it is
        before = text[: err.position]
        where = Position(before.count("\n") + 1, err.position - (before.rfind("\n") + 1) + 1)
        code = err.character if isinstance(err.character, int) else ord(err.character)
        problems.append(Problem(path, where, "(document)", "valid YAML",
                                f"the control character U+{code:04X}, which YAML does not allow"))
        return doc, problems
    except yaml.YAMLError as err:
        problems.append(Problem(path, Position(1, 1), "(document)", "valid YAML", str(err).splitlines()[0]))
        return doc, problems
    if len(nodes) > 1:
        problems.append(Problem(path, _pos(nodes[1]), "(document)", "one YAML document per file",
                                f"{len(nodes)} documents"))
        return doc, problems
    if not nodes:
        problems.append(Problem(path, Position(1, 1), "(document)", "a mapping of fields", "an empty file"))
        return doc, problems
    try:
        doc.data = _build(doc, nodes[0], (), problems, [MAX_NODES])
    except _TooLarge as err:
        if err.node is not None:
            problems.append(Problem(path, _pos(err.node), "(document)", f"values nested at most {MAX_DEPTH} deep",
                                    "values nested deeper than that"))
        else:
            problems.append(Problem(path, _pos(nodes[0]), "(document)",
                                    f"at most {MAX_NODES} values nested at most {MAX_DEPTH} deep",
                                    "a document larger than that (aliases expanding without bound?)"))
        doc.data = None
    return doc, problems


HIDES = "the rest of this file is checked once this is fixed"


def hiding(problem: Problem) -> Problem:
    """``problem`` saying plainly that it keeps the file's other checks from running."""
    if HIDES in problem.hint:
        return problem
    return dataclasses.replace(problem, hint=f"{problem.hint}; {HIDES}" if problem.hint else HIDES)


def _unread(doc: Document, problems: list[Problem]) -> tuple[Document, list[Problem]]:
    """A file that could not be read as data hides every other problem it may have."""
    if doc.data is None and problems and not (len(problems) == 1 and problems[0].found == "an empty file"):
        problems = [hiding(p) for p in problems]
    return doc, problems


def load_file(file: Path, shown_as: str) -> tuple[Document, list[Problem]]:
    """Read a file as UTF-8 (a BOM is allowed) and parse it."""
    try:
        # O_NOFOLLOW: a file swapped for a symlink after discovery is still never read through.
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_BYTES:
                return _unread(Document(shown_as, None), [Problem(shown_as, Position(1, 1), "(document)",
                                                          f"a file of at most {MAX_BYTES // 1_000_000} MB",
                                                          f"{size / 1_000_000:.1f} MB")])
            raw = handle.read()
    except OSError as err:
        return _unread(Document(shown_as, None), [Problem(shown_as, Position(1, 1), "(document)", "a readable file",
                                                  err.strerror or str(err))])
    doc, problems = load_bytes(raw, shown_as)
    doc.blob = blob_id(raw)
    return doc, problems


def blob_id(raw: bytes) -> str:
    """The id git gives these bytes as a blob (in a SHA-1 repository)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def load_bytes(raw: bytes, shown_as: str) -> tuple[Document, list[Problem]]:
    """Decode a file's bytes as UTF-8 (a BOM is allowed) and parse them; also used for files
    read from a git revision."""
    if len(raw) > MAX_BYTES:
        return _unread(Document(shown_as, None), [Problem(shown_as, Position(1, 1), "(document)",
                                                  f"a file of at most {MAX_BYTES // 1_000_000} MB",
                                                  f"{len(raw) / 1_000_000:.1f} MB")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        return _unread(Document(shown_as, None), [Problem(shown_as, Position(line, column), "(document)",
                                                  "UTF-8 text (save the file as UTF-8)",
                                                  f"byte 0x{raw[err.start]:02x}, not UTF-8")])
    if "\x00" in text:
        return _unread(Document(shown_as, None), [Problem(shown_as, Position(1, 1), "(document)", "UTF-8 text",
                                                  "binary data")])
    return _unread(*load_text(text, shown_as))


def display_path(file: Path) -> str:
    """Paths in messages are relative to the working directory, like a compiler's."""
    try:
        return os.path.relpath(file)
    except ValueError:  # another drive on Windows
        return str(file)
