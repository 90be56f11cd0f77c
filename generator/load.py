"""Load YAML files safely, keeping where every value came from.

Records come from strangers by pull request, so the loader refuses anything that is not plain
data before composing it: anything but a regular file (symlinks, FIFOs, devices, folders), files
over the size limit (read no further than the limit), bytes that are not UTF-8, anchors and
aliases (an alias bomb is refused from the event stream, without being expanded), explicit tags
such as ``!!python/object``, the ``<<`` merge key, nesting deeper than any record needs, control
characters and tabs in indentation. After parsing, every key and string value is checked again
(:func:`text_problems`): a YAML escape such as ``"\x7f"`` puts a character into a value that
the file's bytes never showed.
"""
from __future__ import annotations

import functools
import os
import re
import stat
import unicodedata
from types import MappingProxyType
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (AliasEvent, CollectionEndEvent, CollectionStartEvent, MappingStartEvent,
                                ScalarEvent)

from .locate import field_at, name_fields
from .yamldata import YamlProblem, load_positioned
from .problems import Problem, printable
from .spec import DATE_FIELDS, FIGURES, INCOME_GROUPS, TYPOLOGY_BASES
from .vocab import Term, Vocabularies

MAX_FILE_BYTES = 256 * 1024
"""Largest record file accepted; a real record is a few kilobytes."""

MAX_DEPTH = 8
"""Deepest nesting of mappings and lists accepted; the deepest record format needs 6 (see spec.depth)."""

_NOT_READ = object()

# C0 and C1 controls, line/paragraph separators, stray byte-order marks, and the bidirectional
# embedding, override and isolate controls (which can make text read differently than it is).
# Zero-width joiners stay allowed: Indic scripts need them.
# Noncharacters (U+FDD0-U+FDEF and the last two code points of every plane) can never be
# interchanged: an XML parser refuses them, so one in a record would break the feed for everyone.
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}"
                                          for plane in range(17))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069"
                      + NONCHARACTERS + "]")
# The same rule for parsed values, where it also covers tab, carriage return and the bidirectional
# marks (U+061C, U+200E, U+200F), which a YAML escape can put into a value. A newline is allowed
# here; single-line fields refuse it in the validator, which knows the field. Allowed on purpose:
# no-break space (read as a space), zero-width space (a Thai word break), zero-width non-joiner
# and joiner (Indic and Persian scripts need them), word joiner.
_VALUE_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\ufeff"
                            r"\u202a-\u202e\u2066-\u2069\ud800-\udfff" + NONCHARACTERS + "]")


# Characters that show nothing: format controls (zero-width space, word joiner, soft hyphen, variation
# selectors, tags), the Hangul fillers and the blank Braille pattern. A value of only these (and
# spaces) is blank to a reader, so it is refused like an empty one.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3"
                        "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")


def shows_nothing(text: str) -> bool:
    """True when text is empty, spaces, or only characters that show nothing."""
    return not _INVISIBLE.sub("", text).strip()


@dataclass(frozen=True)
class Document:
    """A loaded YAML file: its path for messages, its data, and its text.

    Files are read in one pass over the C parser's events (:mod:`generator.yamldata`), which
    builds the data with the line and column of every key, value and item, so messages point at
    the exact place without a second read. A file that pass refuses is read again with the
    round-trip loader, which names every problem (and :meth:`positioned` stays for data built
    by other means). Both read YAML 1.2 (``NO`` stays a string), so they give the same data.
    """

    path: str
    """Path as shown in messages."""
    data: Any
    """The loaded data (a mapping at the top)."""
    text: str = ""
    """The file's text."""

    def positioned(self) -> "Document":
        """The same document loaded with the round-trip loader, which records ``.lc`` positions."""
        if hasattr(self.data, "lc") or not self.text:
            return self
        yaml = YAML(typ="rt")
        yaml.allow_duplicate_keys = False
        return Document(self.path, yaml.load(self.text), self.text)


@functools.lru_cache(maxsize=64)
def _shown_from(folder: Path) -> Path | None:
    """The folder that paths under ``folder`` are shown from: the git repository holding it, else
    the folder holding its content folder (the one with grid.yaml); None when neither is found."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    for candidate in (folder, *folder.parents):
        if (candidate / "grid.yaml").is_file():
            return candidate.parent
    return None


def display_path(path: Path) -> str:
    """How messages name a file: relative to the repository of the content folder, whatever the
    working directory (so a message, a GitHub annotation and ``git diff`` name it alike).

    Outside a repository, relative to the folder that holds the content folder; a file in
    neither is named relative to the working directory when below it, else as given.
    """
    # the folder is resolved, the name is not: a symlink is named as itself, not as its target
    folder = path.parent.resolve()
    for base in (_shown_from(folder), Path.cwd().resolve()):
        if base is not None:
            try:
                return (folder / path.name).relative_to(base).as_posix()
            except ValueError:
                continue
    return str(path)


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def _bad_date(text: str) -> tuple[int, int] | None:
    """Position of the first date-shaped value that is not a real date."""
    import datetime as dt
    for match in re.finditer(r"(?<![\w\"'])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w\"'])", text):
        try:
            dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return _position(text, match.start())
    return None


_KEY_VALUE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):\s+(.*\S)\s*$")


def _quoting_hint(text: str, line: int, what: str) -> str:
    """How to fix a YAML error; for a plain value holding ': ' (``name: Agra: footwear``), its quoted form."""
    lines = text.split("\n")
    match = _KEY_VALUE.match(lines[line - 1]) if "mapping values are not allowed" in what and line <= len(lines) else None
    if match and ": " in match.group(2) and match.group(2)[0] not in "\"'{[":
        quoted = '"' + match.group(2).replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"a value holding ': ' must be quoted: {match.group(1)}: {quoted}"
    return "check quoting and indentation on this line and the one before"


def _check_text(shown: str, text: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            problems.append(Problem(shown, number, line.index("\t") + 1, "-", "tab character in indentation",
                                    "spaces only", "replace the tab with spaces"))
    match = _CONTROL.search(text)
    if match:
        line, col = _position(text, match.start())
        problems.append(Problem(shown, line, col, "-", f"control character U+{ord(match.group()):04X} in file",
                                "printable text", "delete the character"))
    return problems


def read_regular_file(path: Path, shown: str) -> tuple[bytes, Problem | None]:
    """Read a regular file, at most one byte past the size limit, without following a symlink.

    A FIFO would block a plain ``read`` forever and ``/dev/zero`` never ends, so the file is
    opened non-blocking, checked to be a regular file, and read no further than the limit.
    """
    def refuse(what: str, expected: str = "a regular file", hint: str = "") -> tuple[bytes, Problem]:
        return b"", Problem(shown, 1, 1, "-", what, expected, hint)
    if path.is_symlink():
        return refuse("file is a symbolic link", "a regular file inside the content folder",
                      "copy the record here instead of linking to it")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        return refuse(f"cannot read file ({error.strerror})", "a readable file")
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else \
                "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"
            return refuse(f"'{path.name}' is {kind}", "a regular .yaml file", "move it out of the content folder")
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks), None
    except OSError as error:
        return refuse(f"cannot read file ({error.strerror})", "a readable file")
    finally:
        os.close(fd)


def text_problems(doc: Document) -> list[Problem]:
    """Refuse control, bidirectional-control and surrogate characters in any parsed key or string value."""
    found: list[tuple[Any, Any, str, str, bool]] = []

    def walk(node: Any, field: str) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            name = f"{field}[{key}]" if isinstance(node, list) else f"{field}.{key}" if field else str(key)
            if isinstance(key, str) and (_VALUE_CONTROL.search(key) or "\n" in key):
                found.append((node, key, printable(name), key, True))
            if isinstance(value, str) and _VALUE_CONTROL.search(value):
                found.append((node, key, printable(name), value, False))
            elif isinstance(value, (dict, list)):
                walk(value, name)

    walk(doc.data, "")
    if not found:
        return []
    if not hasattr(doc.data, "lc") and doc.text:
        return text_problems(doc.positioned())
    problems = []
    for node, key, field, value, at_key in found:
        char = _VALUE_CONTROL.search(value) or re.search("\n", value)
        code = ord(char.group())
        name = unicodedata.name(char.group(), "lone surrogate" if 0xD800 <= code <= 0xDFFF else
                                "noncharacter" if re.match(f"[{NONCHARACTERS}]", char.group()) else "control character")
        line, col = key_position(node, key) if at_key else position(node, key)
        problems.append(Problem(doc.path, line, col, field,
                                f"{'key' if at_key else 'value'} holds U+{code:04X} ({name.lower()})",
                                "printable text", "delete the character (it may come from a YAML \\ escape)"))
    return problems


def normalise_text(node: Any) -> None:
    """Put every string value into Unicode NFC, in place, so that a name typed in decomposed form
    (``Phố`` as ``o`` + two combining marks) matches what readers type, in filters and search."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in list(items):
        if isinstance(value, str):
            if not unicodedata.is_normalized("NFC", value):
                node[key] = unicodedata.normalize("NFC", value)
        elif isinstance(value, (dict, list)):
            normalise_text(value)


def _check_events(shown: str, text: str) -> list[Problem]:
    """Refuse anchors, aliases, tags, merge keys and deep nesting by scanning parser events.

    Nothing is composed or expanded, and the scan stops at the first level past
    :data:`MAX_DEPTH`, so neither an alias bomb nor a 50,000-deep list reaches recursive code.
    """
    problems = []
    documents = 0
    seen: set[tuple[str, str]] = set()
    # one entry per open collection: [is_mapping, nodes seen so far]; a mapping's even nodes are keys
    stack: list[list] = []
    for event in YAML(typ="safe").parse(text):
        kind = type(event).__name__
        if isinstance(event, (ScalarEvent, CollectionStartEvent, AliasEvent)) and stack:
            is_key = stack[-1][0] and stack[-1][1] % 2 == 0
            stack[-1][1] += 1
            if is_key and isinstance(event, ScalarEvent) and event.value == "<<" and not event.style:
                m = event.start_mark
                problems.append(Problem(shown, m.line + 1, m.column + 1, "<<", "YAML merge key '<<' is not allowed",
                                        "plain values", "write the merged fields out in full"))
        if isinstance(event, CollectionStartEvent):
            stack.append([isinstance(event, MappingStartEvent), 0])
            if len(stack) > MAX_DEPTH:
                m = event.start_mark
                problems.append(Problem(shown, m.line + 1, m.column + 1, "-",
                                        f"nesting deeper than {MAX_DEPTH} levels", "the shape the record format gives",
                                        "check the brackets and indentation"))
                break
        elif isinstance(event, CollectionEndEvent) and stack:
            stack.pop()
        if kind == "DocumentStartEvent":
            documents += 1
            if documents == 2:
                m = event.start_mark
                problems.append(Problem(shown, m.line + 1, m.column + 1, "-", "more than one YAML document",
                                        "one mapping per file", "remove the '---' separator"))
        mark = event.start_mark
        where = (shown, mark.line + 1, mark.column + 1, "-")
        # Each anchor, alias and tag is named once: an alias bomb repeats the same few names.
        if isinstance(event, AliasEvent):
            if ("alias", event.anchor) not in seen:
                seen.add(("alias", event.anchor))
                problems.append(Problem(*where, f"YAML alias '*{event.anchor}' is not allowed",
                                        "plain values", "write the value out in full"))
        elif isinstance(event, (ScalarEvent, CollectionStartEvent)):
            if event.anchor and ("anchor", event.anchor) not in seen:
                seen.add(("anchor", event.anchor))
                problems.append(Problem(*where, f"YAML anchor '&{event.anchor}' is not allowed",
                                        "plain values", "remove the anchor"))
            tag = str(event.tag) if event.tag else ""
            if tag and ("tag", tag) not in seen:
                seen.add(("tag", tag))
                shown_tag = tag.replace("tag:yaml.org,2002:", "!!")
                problems.append(Problem(*where, f"YAML tag '{shown_tag}' is not allowed",
                                        "plain values without tags", "remove the tag"))
        if len(problems) >= 20:
            break
    return problems


def load_document(path: Path, positions: bool = False) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file, returning the document or the problems that stop it loading.

    With ``positions`` the data keeps line and column numbers (slower; see :class:`Document`).
    """
    shown = display_path(path)
    raw, problem = read_regular_file(path, shown)
    if problem is not None:
        return None, [problem]
    if len(raw) > MAX_FILE_BYTES:
        size = max(len(raw), path.lstat().st_size)  # only the first MAX_FILE_BYTES + 1 bytes were read
        return None, [Problem(shown, 1, 1, "-", f"file is {size} bytes, over the limit of {MAX_FILE_BYTES}",
                              "a record under 256 KiB", "split long text or move it to a source")]
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line, col = _position(raw.decode("utf-8", errors="replace"), error.start)
        return None, [Problem(shown, line, col, "-", f"file is not valid UTF-8 (byte 0x{raw[error.start]:02X})",
                              "UTF-8 text", "save the file as UTF-8")]
    if not text.strip() or all(not l.strip() or l.lstrip().startswith("#") for l in text.splitlines()):
        return None, [Problem(shown, 1, 1, "-", "file is empty", "a YAML mapping of fields",
                              "run 'clustergrid new' for a skeleton")]
    problems = _check_text(shown, text)
    if problems:
        return None, name_fields(problems, text)
    data = _NOT_READ
    if not positions:
        # The fast path: one pass over libyaml's events builds the data with every position. Any
        # refusal or error falls through to the slower path below, which names every problem.
        try:
            data = load_positioned(text, MAX_DEPTH)
        except (YamlProblem, YAMLError):
            data = _NOT_READ
    try:
        if data is _NOT_READ:
            problems = _check_events(shown, text)
            if problems:
                return None, name_fields(problems, text)
            yaml = YAML(typ="rt")
            yaml.allow_duplicate_keys = False
            data = yaml.load(text)
    except DuplicateKeyError as error:
        mark = error.problem_mark
        key = re.search(r'found duplicate key "(.*?)"', str(error))
        name = key.group(1) if key else "?"
        return None, [Problem(shown, mark.line + 1, mark.column + 1, name, f"duplicate key '{name}'",
                              "each key once", "remove or merge the second one")]
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = (error.problem or error.context or "malformed YAML").strip()
        if error.context_mark and error.context and "end of stream" in what:
            # an unclosed quote or bracket: the line where it opened is the one to fix
            mark, what = error.context_mark, f"{error.context.strip()} that is never closed"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        # the key being read is the one whose value was opened (the context), else the one on this line
        opened = error.context_mark.line + 1 if error.context_mark and error.context else line
        if opened < line:
            what += f" ({error.context.strip()} that starts at line {opened})"
        return None, [Problem(shown, line, col, field_at(text, opened) or "-", f"malformed YAML: {what}", "valid YAML",
                              _quoting_hint(text, line, what))]
    except YAMLError as error:
        return None, [Problem(shown, 1, 1, "-", f"malformed YAML: {error}", "valid YAML")]
    except (ValueError, OverflowError) as error:
        # a value YAML recognises but cannot build, such as the date 2026-13-45
        line, col = _bad_date(text) or (1, 1)
        field = field_at(text, line) or "-"
        dated = field.rsplit(".", 1)[-1] in DATE_FIELDS
        return None, [Problem(shown, line, col, field, f"not a real date: {error}",
                              "a real date written YYYY-MM-DD, e.g. 2026-11-28",
                              "correct the day or month" if dated else "correct the date, or quote it if it is text")]
    normalise_text(data)
    found = text_problems(Document(shown, data, text))
    if found:
        return None, found
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        kind = {"CommentedSeq": "a list", "PositionedList": "a list", "list": "a list", "str": "a string", "int": "a number",
                "float": "a number", "bool": "true or false", "date": "a date"}.get(kind, kind)
        return None, [Problem(shown, 1, 1, "-", f"top level is {kind}", "a mapping of fields (key: value)")]
    return Document(shown, data, text), []


def position(node: Any, key: Any = None) -> tuple[int, int]:
    """Return the 1-based (line, col) of a mapping key's value, a list item, or the node itself."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return 1, 1
    try:
        if key is None:
            return lc.line + 1, lc.col + 1
        if isinstance(key, int):
            line, col = lc.item(key)
        else:
            line, col = lc.value(key) if key in node else (lc.line, lc.col)
        return line + 1, col + 1
    except (KeyError, IndexError, TypeError):
        return lc.line + 1, lc.col + 1


def key_position(node: Any, key: str) -> tuple[int, int]:
    """Return the 1-based (line, col) of a mapping key itself."""
    try:
        line, col = node.lc.key(key)
        return line + 1, col + 1
    except (AttributeError, KeyError, TypeError):
        return position(node)


_LABELLED = ("markets", "market_extents", "policy_classes", "sectors", "needs", "support_roles",
             "generic_infrastructure_kinds", "approach_groups", "approach_levels", "comparison_dimensions", "bases", "source_kinds")
_DESCRIBED = ("location_settings", "intervention_areas", "size_measures")


VOCAB_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
"""A vocabulary word: it names listing pages (``sectors/agro-food.html``), CSS classes and JSON keys."""
COUNTRY_KEY = re.compile(r"^[A-Z]{2}$")
MAX_TERMS = 100
"""Most terms one vocabulary of grid.yaml may hold (the largest, sectors, has 15)."""
MAX_COUNTRIES = 300
"""Most entries countries.yaml may hold (ISO 3166-1 has 249)."""
RESERVED_NAMES = frozenset({"index", "assets", "search", "schema", "404"})
"""Names a page of the site already takes in every folder, never a vocabulary word or a page ID."""


def _key_problems(path: str, section: Any, name: str, pattern: re.Pattern, expected: str,
                  limit: int) -> list[Problem]:
    """Keys of one vocabulary: safe words of bounded length, never reserved, at most ``limit`` of them."""
    problems = []
    if len(section) > limit:
        line, col = position(section)
        problems.append(Problem(path, line, col, name, f"{len(section)} terms, over the limit of {limit}",
                                f"at most {limit} terms", "remove the terms no record needs"))
    for key in list(section)[:limit + 1]:
        field = f"{name}.{printable(str(key))}"
        if not isinstance(key, str) or not pattern.match(key):
            line, col = key_position(section, key)
            shown = printable(str(key)) if len(str(key)) <= 40 else printable(str(key)[:37]) + "…"
            problems.append(Problem(path, line, col, field, f"'{shown}' is not a safe key", expected))
        elif key in RESERVED_NAMES:
            line, col = key_position(section, key)
            problems.append(Problem(path, line, col, field, f"'{key}' is a reserved page name",
                                    "a word other than " + ", ".join(sorted(RESERVED_NAMES))))
    return problems


def _label_problems(path: str, section: dict, name: str, field: str = "label") -> list[Problem]:
    problems = []
    for key, value in section.items():
        label = value.get(field) if isinstance(value, dict) else value
        if isinstance(label, str) and shows_nothing(label):
            line, col = position(section, key)
            problems.append(Problem(path, line, col, f"{name}.{printable(str(key))}", "label shows nothing",
                                    "a label a reader can see"))
    return problems


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def load_vocabularies(grid: Document, countries: Document) -> tuple[Vocabularies | None, list[Problem]]:
    """Turn grid.yaml and countries.yaml into vocabularies, or report what is wrong with them."""
    problems: list[Problem] = []
    data = grid.data
    terms: dict[str, tuple[Term, ...]] = {}

    def bad(key: str, message: str) -> None:
        line, col = position(data, key) if key in data else (1, 1)
        problems.append(Problem(grid.path, line, col, key, message, "a mapping of word: label"))

    word = "lowercase letters, digits and '_', starting with a letter, at most 40 characters (e.g. agro_food)"
    for name in _LABELLED + _DESCRIBED:
        section = data.get(name)
        if not isinstance(section, dict) or not section:
            bad(name, "missing or empty vocabulary")
            continue
        found = _key_problems(grid.path, section, name, VOCAB_KEY, word, MAX_TERMS) + \
            _label_problems(grid.path, section, name)
        if found:
            problems.extend(found)
            continue
        items = []
        for key, value in section.items():
            if isinstance(value, str):
                items.append(Term(str(key), value, MappingProxyType({})))
            elif isinstance(value, dict) and isinstance(value.get("label"), str):
                items.append(Term(str(key), value["label"], MappingProxyType(_plain(value))))
            else:
                bad(name, f"term '{key}' has no label")
        terms[name] = tuple(items)
    basis_labels = {}
    bases = data.get("typology_bases")
    if not isinstance(bases, dict):
        bad("typology_bases", "missing typology bases")
    else:
        for basis in TYPOLOGY_BASES:
            entry = bases.get(basis)
            if not isinstance(entry, dict) or not isinstance(entry.get("types"), dict):
                bad("typology_bases", f"basis '{basis}' is missing or has no types")
                continue
            basis_labels[basis] = str(entry.get("label", basis))
            found = _key_problems(grid.path, entry["types"], f"typology_bases.{basis}.types", VOCAB_KEY, word, MAX_TERMS)
            if found:
                problems.extend(found)
                continue
            terms[f"typology:{basis}"] = tuple(
                Term(str(k), str(v.get("label", k)), MappingProxyType(_plain(v)))
                for k, v in entry["types"].items() if isinstance(v, dict))
    table = countries.data.get("countries") if isinstance(countries.data, dict) else None
    if not isinstance(table, dict):
        problems.append(Problem(countries.path, 1, 1, "countries", "missing country table", "countries: {CC: {name: …}}"))
    else:
        found = _key_problems(countries.path, table, "countries", COUNTRY_KEY,
                              "an ISO 3166-1 alpha-2 code: two capital letters", MAX_COUNTRIES) + \
            _label_problems(countries.path, table, "countries", field="name")
        problems.extend(found)
        terms["countries"] = tuple(Term(str(k), str(v.get("name", k)), MappingProxyType(_plain(v)))
                                   for k, v in table.items() if isinstance(v, dict))
    terms["figures"] = tuple(Term(f, f, MappingProxyType({})) for f in FIGURES)
    terms["income_groups"] = tuple(Term(k, v, MappingProxyType({})) for k, v in INCOME_GROUPS.items())
    if problems:
        return None, problems
    return Vocabularies(MappingProxyType(terms), MappingProxyType(basis_labels)), []


@dataclass(frozen=True)
class Content:
    """Every document of a content folder, loaded but not yet validated."""

    vocab: Vocabularies
    """Vocabularies from grid.yaml and countries.yaml."""
    grid: Document
    """grid.yaml, positioned (its Identification grid rows are checked by the validator)."""
    clusters: tuple[Document, ...]
    """Cluster documents, by path."""
    approaches: tuple[Document, ...]
    """Approach documents, by path."""
    concepts: tuple[Document, ...]
    """Concept documents, by path."""
    table5: Document | None
    """Table 5 counts."""
    retired: Document | None = None
    """retired.yaml, positioned, when there is one."""
    retired_path: str = "content/retired.yaml"
    """Where the retired IDs are (or would be) listed, for messages."""


def _load_folder(folder: Path, problems: list[Problem]) -> list[Document]:
    """Every record file of one folder of the content, in name order; anything else is reported."""
    docs = []
    if not folder.is_dir():
        return docs
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            problems.append(Problem(display_path(path), 1, 1, "-", f"hidden file '{path.name}'",
                                    "only .yaml record files here", "delete it or move it out of the content folder"))
            continue
        if path.is_dir() and not path.is_symlink() and path.suffix != ".yaml":
            problems.append(Problem(display_path(path), 1, 1, "-", f"unexpected folder '{path.name}'",
                                    "only .yaml record files here, no sub-folders", "move its files up or out"))
            continue
        if path.suffix != ".yaml":
            problems.append(Problem(display_path(path), 1, 1, "-", f"unexpected file '{path.name}'",
                                    "only .yaml record files here", "rename it to .yaml or move it away"))
            continue
        doc, found = load_document(path)
        problems.extend(found)
        if doc is not None:
            docs.append(doc)
    return docs


def load_content(content_dir: Path, clusters: bool = True) -> tuple[Content | None, list[Problem]]:
    """Load every file of the content folder; return what loaded (None without the vocabularies) and every problem.

    ``clusters=False`` leaves the cluster records out (a preview reads only its own record).
    """
    problems: list[Problem] = []
    _shown_from.cache_clear()  # a long-running serve may see the folder become a repository
    if not content_dir.is_dir():
        return None, [Problem(str(content_dir), 1, 1, "-", "content folder not found",
                              "a folder with grid.yaml, countries.yaml, clusters/ and approaches/",
                              "pass --content DIR")]
    grid, found = load_document(content_dir / "grid.yaml", positions=True)
    problems.extend(found)
    countries, found = load_document(content_dir / "countries.yaml", positions=True)
    problems.extend(found)
    vocab = None
    if grid and countries:
        vocab, found = load_vocabularies(grid, countries)
        problems.extend(found)
    table5 = retired = None
    if (content_dir / "table5.yaml").exists():
        table5, found = load_document(content_dir / "table5.yaml")
        problems.extend(found)
    if (content_dir / "retired.yaml").exists():
        retired, found = load_document(content_dir / "retired.yaml", positions=True)
        problems.extend(found)
    cluster_docs = _load_folder(content_dir / "clusters", problems) if clusters else []
    approaches = _load_folder(content_dir / "approaches", problems)
    concepts = _load_folder(content_dir / "concepts", problems)
    if vocab is None:
        return None, problems
    return Content(vocab, grid, tuple(cluster_docs), tuple(approaches), tuple(concepts), table5, retired,
                   display_path(content_dir / "retired.yaml")), problems
