"""Check records against their specs, then against each other.

Every check adds :class:`Problem` values to a list; nothing stops at the first problem, so a
contributor sees everything wrong in one run.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Callable, Iterable

from .clock import current_date
from .escape import RenderError, safe_url
from .lang import derive_lang
from .load import RESERVED_NAMES, Content, Document, key_position, position, shows_nothing
from .problems import Problem, choices, did_you_mean, one_of
from .spec import APPROACH, CLUSTER, CONCEPT, IDENTIFICATION_CELLS, ID_PATTERN, MAX_LINE, TABLE5, Spec, dated_fields
from .vocab import Vocabularies

MAX_NUMBER = 10 ** 15
"""Largest magnitude of any number, so every figure converts to a float and prints exactly."""
SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)
TYPE_NAMES = {"line": "a single line of text", "prose": "text", "int": "a whole number", "number": "a number",
              "date": "a date (YYYY-MM-DD)", "bool": "true or false", "enum": "a word", "list": "a list",
              "map": "a mapping", "url": "an http(s) URL"}


def _url_refusal(value: str) -> str:
    """Why the build would refuse this URL ('' when it takes it): the build's own rule, run here."""
    try:
        safe_url(value)
    except RenderError as error:
        return str(error).split(": ", 1)[-1]
    return ""


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        shown = f"{value}" if not isinstance(value, int) or abs(value) < 10 ** 30 else f"with {len(str(abs(value)))} digits"
        return f"the number {shown}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "…"
        return f"'{short}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


class Checker:
    """Walks one document against a spec, collecting problems."""

    def __init__(self, doc: Document, vocab: Vocabularies):
        self.doc = doc
        self.vocab = vocab
        self.problems: list[Problem] = []

    def report(self, parent: Any, key: Any, field: str, message: str, expected: str = "", hint: str = "",
               at_key: bool = False, severity: str = "error") -> None:
        """Record a problem at the position of ``parent[key]``."""
        line, col = key_position(parent, key) if at_key else position(parent, key)
        self.problems.append(Problem(self.doc.path, line, col, field, message, expected, hint, severity))

    def check(self, value: Any, spec: Spec, field: str, parent: Any, key: Any) -> None:
        """Check one value and, recursively, what it contains."""
        kind = spec.kind
        if value is None and kind not in ("map", "list"):
            # an empty value has no position of its own: point at its key
            self.report(parent, key, field, "value is empty", self.expected(spec),
                        "give a value" if spec.required else "give a value or remove the field",
                        at_key=isinstance(key, str))
            return
        if kind in ("line", "prose", "url"):
            if not isinstance(value, str):
                self.report(parent, key, field, f"wrong type: {_describe(value)}", TYPE_NAMES[kind],
                            "put the text in quotes" if kind != "url" else "")
                return
            if not value.strip():
                self.report(parent, key, field, "value is blank", TYPE_NAMES[kind], "give a value or remove the field")
            elif shows_nothing(value):
                self.report(parent, key, field, "value shows nothing: it holds only invisible characters",
                            TYPE_NAMES[kind], "give a value a reader can see, or remove the field")
            elif kind in ("line", "url") and "\n" in value:
                self.report(parent, key, field, "line break in a single-line field", TYPE_NAMES[kind],
                            "write it on one line (a folded '>' block or a YAML '\\n' escape adds a line break)")
            elif kind in ("line", "url") and len(value) > MAX_LINE:
                self.report(parent, key, field, f"{len(value)} characters, over the limit of {MAX_LINE}", TYPE_NAMES[kind],
                            "shorten it, or move the detail to a note")
            elif kind == "url" and not re.match(r"^https?://", value, re.IGNORECASE):
                self.report(parent, key, field, f"not an http(s) URL: {_describe(value)}",
                            "an address starting with http:// or https://")
            elif kind == "url" and not SAFE_URL.match(value):
                self.report(parent, key, field, f"URL contains a space, quote, backslash or angle bracket: {_describe(value)}",
                            "an address with those characters percent-encoded (%20, %22, %3C, %3E)")
            elif kind == "url" and (refused := _url_refusal(value)):
                self.report(parent, key, field, f"URL cannot be used: {refused}",
                            "an http(s) address with a host name, e.g. https://example.org/page")
            elif spec.pattern and not re.fullmatch(spec.pattern, value):
                self.report(parent, key, field, f"{_describe(value)} is not of the right form", spec.pattern_doc)
        elif kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                self.report(parent, key, field, f"wrong type: {_describe(value)}", "a whole number")
            else:
                self._range(value, spec, field, parent, key)
        elif kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.report(parent, key, field, f"wrong type: {_describe(value)}", "a number, without units or commas")
            else:
                self._range(value, spec, field, parent, key)
        elif kind == "date":
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                self.report(parent, key, field, f"wrong type: {_describe(value)}", "a date written YYYY-MM-DD, unquoted")
        elif kind == "bool":
            if not isinstance(value, bool):
                self.report(parent, key, field, f"wrong type: {_describe(value)}", "true or false")
        elif kind == "enum":
            allowed = self.vocab.keys(spec.vocab)
            if not isinstance(value, str) or value not in allowed:
                noun = "country code" if spec.vocab == "countries" else "value"
                what = "not an ISO 3166-1 alpha-2 code" if spec.vocab == "countries" else f"unknown {noun}"
                self.report(parent, key, field, f"{what}: {_describe(value)}",
                            "an ISO 3166-1 alpha-2 code such as IN, CN or TH" if spec.vocab == "countries"
                            else choices(allowed, spec.vocab, value), did_you_mean(value, allowed))
        elif kind == "list":
            if not isinstance(value, list):
                self.report(parent, key, field, f"wrong type: {_describe(value)}", "a list")
                return
            if len(value) < spec.min_items:
                self.report(parent, key, field, "list is empty" if not value else "too few items",
                            f"at least {spec.min_items} item(s)")
            for index, item in enumerate(value):
                self.check(item, spec.items, f"{field}[{index}]", value, index)
        elif kind == "map":
            self._map(value, spec, field, parent, key)

    @staticmethod
    def _expected_range(spec: Spec) -> str:
        low = -MAX_NUMBER if spec.minimum is None else spec.minimum
        high = MAX_NUMBER if spec.maximum is None else spec.maximum
        return f"a value from {low:g} to {high:g}"

    def expected(self, spec: Spec) -> str:
        """What a field may hold, for a message: the allowed words of a vocabulary, else its type."""
        if spec.kind != "enum":
            return TYPE_NAMES[spec.kind]
        if spec.vocab == "countries":
            return "an ISO 3166-1 alpha-2 code such as IN, CN or TH (all of them: content/countries.yaml)"
        return choices(self.vocab.keys(spec.vocab), spec.vocab)

    def _range(self, value, spec, field, parent, key) -> None:
        if isinstance(value, float) and not math.isfinite(value):
            self.report(parent, key, field, f"{_describe(value)} is not a finite number", self._expected_range(spec))
            return
        if abs(value) > MAX_NUMBER:
            self.report(parent, key, field, f"{_describe(value)} is too large", self._expected_range(spec))
            return
        if spec.minimum is not None and value < spec.minimum or spec.maximum is not None and value > spec.maximum:
            low = "" if spec.minimum is None else f"{spec.minimum:g}"
            high = "" if spec.maximum is None else f"{spec.maximum:g}"
            where = " (inside the map of Asia)" if field.startswith("coordinates.") else ""
            self.report(parent, key, field, f"{_describe(value)} is out of range",
                        f"a value from {low} to {high}{where}" if low and high else f"at least {low}")

    def _map(self, value, spec, field, parent, key) -> None:
        if not isinstance(value, dict):
            if value is None:
                self.report(parent, key, field, "value is empty", "a mapping", "fill it in or remove the field",
                            at_key=isinstance(key, str))
            else:
                self.report(parent, key, field, f"wrong type: {_describe(value)}", "a mapping (key: value)")
            return
        prefix = f"{field}." if field else ""
        if spec.key_vocab:
            allowed = self.vocab.keys(spec.key_vocab)
            for name, item in value.items():
                if name not in allowed:
                    self.report(value, name, f"{prefix}{name}", f"unknown field '{name}'", one_of(allowed),
                                did_you_mean(name, allowed), at_key=True)
                else:
                    self.check(item, spec.values, f"{prefix}{name}", value, name)
            return
        for name, item in value.items():
            sub = spec.fields.get(name)
            if sub is None:
                self.report(value, name, f"{prefix}{name}", f"unknown field '{name}'", one_of(spec.fields),
                            did_you_mean(str(name), spec.fields), at_key=True)
            else:
                self.check(item, sub, f"{prefix}{name}", value, name)
        for name, sub in spec.fields.items():
            if sub.required and name not in value:
                self.report(parent, key, f"{prefix}{name}", "missing required field",
                            self.expected(sub) if sub.kind == "enum" else sub.doc.rstrip("."),
                            f"add '{name}:'" if field else f"add '{name}:' at the top level")


def check_document(doc: Document, spec: Spec, vocab: Vocabularies) -> list[Problem]:
    """Check one document against its spec."""
    checker = Checker(doc, vocab)
    checker.check(doc.data, spec, "", doc.data, None)
    return checker.problems


# -- Rules on one record, after its spec check -------------------------------------------------

Rule = Callable[[Document, Vocabularies], Iterable[Problem]]


def _problem(doc: Document, node: Any, key: Any, field: str, message: str, expected: str = "", hint: str = "",
             severity: str = "error") -> Problem:
    line, col = position(node, key)
    return Problem(doc.path, line, col, field, message, expected, hint, severity)


def rule_id_matches_file(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """The file name is the record's ID."""
    data = doc.data
    ident = data.get("id")
    stem = PurePath(doc.path).name.removesuffix(".yaml")
    if isinstance(ident, str) and ident != stem:
        yield _problem(doc, data, "id", "id", f"ID '{ident}' does not match the file name '{stem}.yaml'",
                       f"the file to be named '{ident}.yaml'", f"rename the file or change the ID to '{stem}'")


MAX_PAGE_ID = 60
"""Longest approach or concept ID: it is a file name, and page addresses add to it."""


def rule_page_id_is_free(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """An approach or concept ID names a page: never a reserved name, nor one that another page's
    address takes (``X-clusters`` is approach X's listing, ``A-vs-B`` a comparison), nor too long."""
    data = doc.data
    ident = data.get("id")
    if not isinstance(ident, str):
        return
    if ident in RESERVED_NAMES:
        yield _problem(doc, data, "id", "id", f"'{ident}' is a reserved page name",
                       "an ID other than " + ", ".join(sorted(RESERVED_NAMES)))
    elif len(ident) > MAX_PAGE_ID:
        yield _problem(doc, data, "id", "id", f"{len(ident)} characters, over the limit of {MAX_PAGE_ID}",
                       f"an ID of at most {MAX_PAGE_ID} characters")
    elif "approach" in PurePath(doc.path).parent.name and (ident.endswith("-clusters") or "-vs-" in ident):
        yield _problem(doc, data, "id", "id", f"'{ident}' would take the address of another page",
                       "an ID that does not end in '-clusters' or hold '-vs-' (the listing and comparison pages)")


def rule_id_matches_country(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """A cluster ID starts with the record's country code."""
    data = doc.data
    ident, country = data.get("id"), data.get("country")
    if isinstance(ident, str) and country in vocab.keys("countries") and re.match(r"^[A-Z]{2}-", ident) \
            and ident[:2] != country:
        yield _problem(doc, data, "id", "id", f"ID prefix '{ident[:2]}' differs from country '{country}'",
                       f"an ID starting with '{country}-'")


def rule_source_keys(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """Source keys are unique, and every figure and note refers to a listed source."""
    data = doc.data
    sources = data.get("sources") if isinstance(data.get("sources"), list) else []
    keys = [s.get("key") for s in sources if isinstance(s, dict) and isinstance(s.get("key"), str)]
    seen = set()
    for index, source in enumerate(sources):
        if not isinstance(source, dict):
            continue
        key = source.get("key")
        if isinstance(key, str) and key in seen:
            yield _problem(doc, source, "key", f"sources[{index}].key", f"duplicate source key '{key}'",
                           "a key used once in this record")
        seen.add(key)
        if "year" not in source and "accessed" not in source:
            yield _problem(doc, sources, index, f"sources[{index}].year", "missing required field",
                           "the year of publication", "add 'year:' (or, for an undated web page, 'url:' and 'accessed:')")
        elif "year" not in source and "url" not in source:
            yield _problem(doc, sources, index, f"sources[{index}].url", "undated source has no URL",
                           "an http(s) URL for a source cited by its access date")
        if "url" not in source and "publisher" not in source:
            yield _problem(doc, sources, index, f"sources[{index}]", "source has neither publisher nor URL",
                           "a publisher or an http(s) URL so readers can find it")
        elif "url" not in source:
            yield _problem(doc, sources, index, f"sources[{index}]", "source has no URL",
                           "a URL where readers can check it", severity="warning")
    for section in ("size", "intervention"):
        block = data.get(section)
        if not isinstance(block, dict):
            continue
        for name, item in block.items():
            if isinstance(item, dict) and isinstance(item.get("source"), str) and item["source"] not in keys:
                yield _problem(doc, item, "source", f"{section}.{name}.source",
                               f"unknown source key '{item['source']}'", one_of([k for k in keys if isinstance(k, str)]),
                               did_you_mean(item["source"], [k for k in keys if isinstance(k, str)]))


def rule_money_has_unit(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """Turnover and exports name their currency."""
    size = doc.data.get("size")
    if not isinstance(size, dict):
        return
    for name in ("turnover", "exports"):
        item = size.get(name)
        if isinstance(item, dict) and "unit" not in item:
            yield _problem(doc, size, name, f"size.{name}.unit", "missing unit", "a unit with currency, e.g. 'USD million'")


def rule_years_in_order(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """An approach's 'until' is not before its 'since'."""
    data = doc.data
    for index, use in enumerate(data.get("approaches") or []):
        if isinstance(use, dict) and isinstance(use.get("since"), int) and isinstance(use.get("until"), int) \
                and use["until"] < use["since"]:
            yield _problem(doc, use, "until", f"approaches[{index}].until", "'until' is before 'since'",
                           f"a year from {use['since']} on")


def rule_no_duplicate_approaches(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """Each approach is listed once per record."""
    uses = doc.data.get("approaches")
    if not isinstance(uses, list):
        return
    counts = Counter(u.get("id") for u in uses if isinstance(u, dict) and isinstance(u.get("id"), str))
    for index, use in enumerate(uses):
        if isinstance(use, dict) and isinstance(use.get("id"), str) and counts[use.get("id")] > 1:
            yield _problem(doc, uses, index, f"approaches[{index}].id", f"approach '{use.get('id')}' listed twice",
                           "each approach once (merge the entries)")
            counts[use.get("id")] = 0


def rule_size_has_figures(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """A record with no size figure is flagged, so contributors can look for one."""
    if "size" not in doc.data:
        yield _problem(doc, doc.data, None, "size", "no size figures recorded",
                       "units, employment, turnover or exports with year and source", severity="warning")


def rule_typology_has_basis(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """A classification says whose reading it is."""
    typology = doc.data.get("typology")
    if isinstance(typology, dict) and len(typology) > 0 and "basis" not in typology:
        yield _problem(doc, doc.data, "typology", "typology.basis", "classification has no basis",
                       "basis: source (the sources classify it so) or basis: editors (the editors' reading)",
                       severity="warning")


def rule_need_has_source(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """A need rating rests on a source, or says that it is the editors' reading."""
    needs = doc.data.get("intervention")
    if not isinstance(needs, dict):
        return
    for area, cell in needs.items():
        if not isinstance(cell, dict) or cell.get("need") == "unknown":
            continue
        if cell.get("basis") == "editors" or "source" in cell:
            continue
        yield _problem(doc, needs, area, f"intervention.{area}", "need rating has no source",
                       "source: KEY (a source that states or documents the need), "
                       "or basis: editors if it is the editors' reading")


# -- Rules a contributor meets first (see CONTRIBUTING.md) ------------------------------------

CHECKABLE = re.compile(r"\b(?:doi:\s*)?10\.\d{4,9}/\S+|\bISBN(?:-1[03])?:?\s*[0-9][0-9 -]{8,}[0-9Xx]\b", re.IGNORECASE)
"""A DOI or an ISBN in a publisher line: a source readers can find without a URL."""

PLACEHOLDERS: tuple[tuple[re.Pattern, str], ...] = (
    # An ellipsis standing for a whole value or the end of an address ("https://doi.org/…"); real
    # headlines and quotations may contain one.
    (re.compile(r"^\s*(?:…|\.\.\.)\s*$|(?<=/)(?:…|\.\.\.)"), "an ellipsis"),
    (re.compile(r"\bTODO\b|\bTBD\b|\bFIXME\b"), "a to-do marker"),
    (re.compile(r"\bexample\.(?:org|com|net)\b", re.IGNORECASE), "an example domain"),
    (re.compile(r"XXXX|\bxxxx\b"), "an XXXX filler"),
)
"""Text left over from an example or a skeleton, never real content."""


def _strings(node: Any, field: str) -> Iterable[tuple[Any, Any, str, str]]:
    """Yield (parent, key, field, text) for every string in a record."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        sub = f"{field}[{key}]" if isinstance(key, int) else f"{field}.{key}" if field else str(key)
        if isinstance(value, str):
            yield node, key, sub, value
        else:
            yield from _strings(value, sub)


def rule_no_placeholders(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """Placeholder text (…, TODO, example.org, XXXX) copied from an example is refused."""
    for parent, key, field, text in _strings(doc.data, ""):
        for pattern, what in PLACEHOLDERS:
            match = pattern.search(text)
            if match:
                yield _problem(doc, parent, key, field, f"placeholder text '{match.group()}' ({what}) in {_describe(text)}",
                               "the real value, as your source gives it", "replace it, or remove the field")
                break


def rule_has_checkable_source(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """At least one source can be checked: it has a URL, or a DOI or ISBN in its publisher line (policy)."""
    sources = doc.data.get("sources")
    if not isinstance(sources, list) or not sources:
        return
    for source in sources:
        if isinstance(source, dict) and (source.get("url") or CHECKABLE.search(str(source.get("publisher") or ""))):
            return
    line, col = position(doc.data, "sources")
    yield Problem(doc.path, line, col, "sources", "no source has a URL, DOI or ISBN",
                  "at least one source readers can check: a 'url:' (a doi.org link is best), "
                  "or a DOI or ISBN in its 'publisher:' line", "add one to a source you have seen",
                  severity="warning", policy=True)


def rule_years_not_in_future(doc: Document, spec: Spec, today: dt.date) -> Iterable[Problem]:
    """No year is after the current year (the fields the spec marks ``year=True``)."""
    for node, key, field, sub in dated_fields(spec, doc.data):
        value = node[key]
        if sub.year and isinstance(value, int) and not isinstance(value, bool) and value > today.year:
            yield _problem(doc, node, key, field, f"year {value} is in the future",
                           f"a year up to {today.year}", "give the year the work or figure refers to")


def rule_dates_not_in_future(doc: Document, spec: Spec, today: dt.date) -> Iterable[Problem]:
    """No day (a review or access date: the spec's ``date`` fields) is in the future.

    One day of grace: a contributor east of the checking machine may already be in tomorrow.
    """
    latest = today + dt.timedelta(days=1)
    for node, key, field, sub in dated_fields(spec, doc.data):
        value = node[key]
        if sub.kind == "date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime) \
                and value > latest:
            yield _problem(doc, node, key, field, f"date {value.isoformat()} is in the future",
                           f"a date up to {today.isoformat()}", "give the day you actually checked it")


DATED_RULES = (rule_years_not_in_future, rule_dates_not_in_future)
"""Rules checked against the clock: each takes the record's spec and the day the run treats as today
(see :mod:`generator.clock`)."""


def check_dates(doc: Document, spec: Spec, today: dt.date) -> list[Problem]:
    """Run the rules checked against the clock, in order (years first, then dates)."""
    return [problem for rule in DATED_RULES for problem in rule(doc, spec, today)]


def rule_local_name_has_language(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """A local name's language is stated, or can be told from its script and the country."""
    data = doc.data
    name = data.get("name_local")
    if not isinstance(name, str) or not name.strip() or "name_local_lang" in data:
        return
    country = data.get("country") or (data.get("origin") or {}).get("country")
    if derive_lang(name, country if isinstance(country, str) else None) is None:
        yield _problem(doc, data, "name_local", "name_local", "cannot tell the language of the local name "
                       "from its script and the country",
                       "name_local_lang: a BCP 47 tag such as 'ur', 'zh-Hant' or 'ms'",
                       "add name_local_lang beside name_local", severity="warning")


CLUSTER_RULES: tuple[Rule, ...] = (rule_id_matches_file, rule_id_matches_country, rule_source_keys,
                                   rule_money_has_unit, rule_years_in_order, rule_no_duplicate_approaches,
                                   rule_size_has_figures, rule_typology_has_basis,
                                   rule_need_has_source, rule_no_placeholders, rule_has_checkable_source,
                                   rule_local_name_has_language)


def rule_not_related_to_itself(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """An approach does not list itself as related."""
    data = doc.data
    related = data.get("related")
    if not isinstance(related, list):
        return
    for index, other in enumerate(related):
        if other == data.get("id"):
            yield _problem(doc, related, index, f"related[{index}]", "approach lists itself", "IDs of other approaches")


def rule_concept_prose_is_plain(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """Concept prose has no links, HTML or attribute lists; table rows have one cell per column."""
    blocks = doc.data.get("blocks")
    for index, block in enumerate(blocks if isinstance(blocks, list) else []):
        if not isinstance(block, dict):
            continue
        text = block.get("text")
        if isinstance(text, str) and re.search(r"\]\(|<[a-zA-Z/!]|\{:", text):
            yield _problem(doc, block, "text", f"blocks[{index}].text",
                           "links, HTML and attribute lists are not allowed in concept prose",
                           "plain prose with *emphasis* and lists; cite works under references")
        table = block.get("table")
        if isinstance(table, dict) and isinstance(table.get("columns"), list) and isinstance(table.get("rows"), list):
            width = len(table["columns"])
            for r, row in enumerate(table["rows"]):
                if isinstance(row, list) and len(row) != width:
                    yield _problem(doc, table["rows"], r, f"blocks[{index}].table.rows[{r}]",
                                   f"row has {len(row)} cells", f"{width} cells, one per column")


APPROACH_RULES: tuple[Rule, ...] = (rule_id_matches_file, rule_page_id_is_free, rule_source_keys, rule_not_related_to_itself,
                                    rule_no_placeholders, rule_local_name_has_language)
CONCEPT_RULES: tuple[Rule, ...] = (rule_id_matches_file, rule_page_id_is_free, rule_source_keys, rule_concept_prose_is_plain)


def with_positions(spec: Spec):
    """Run a record check fast; when it finds problems, run it again on the positioned document.

    With ``warning_positions=False`` only errors cause the (slow) positioned run: a build that
    only counts warnings need not pay for their exact lines. The wrapped check also gets the date
    checks of ``spec``'s year and date fields, against ``today`` (read by the caller once per run).
    """
    def wrap(check: Callable[[Document, Vocabularies], list[Problem]]):
        def run(doc: Document, vocab: Vocabularies, today: dt.date | None = None,
                warning_positions: bool = True) -> list[Problem]:
            when = today or current_date()
            problems = check(doc, vocab) + check_dates(doc, spec, when)
            placed = problems if warning_positions else [p for p in problems if p.severity == "error"]
            if placed and not hasattr(doc.data, "lc"):
                positioned = doc.positioned()
                problems = check(positioned, vocab) + check_dates(positioned, spec, when)
            return problems
        run.__doc__ = check.__doc__
        return run
    return wrap


def run_rules(doc: Document, vocab: Vocabularies, rules: tuple[Rule, ...], problems: list[Problem]) -> list[Problem]:
    """Run the rules after the spec check.

    Rules expect the shapes the spec allows. On a record whose shape is already reported wrong, a
    rule that trips over it is skipped: its error is on the list already. On a well-shaped record
    a failing rule is a bug, and is raised.
    """
    shaped = not any(p.severity == "error" for p in problems)
    for rule in rules:
        try:
            problems.extend(rule(doc, vocab))
        except (TypeError, AttributeError, KeyError, ValueError):
            if shaped:
                raise
    return problems


@with_positions(CLUSTER)
def validate_cluster(doc: Document, vocab: Vocabularies) -> list[Problem]:
    """Check one cluster record on its own."""
    return run_rules(doc, vocab, CLUSTER_RULES, check_document(doc, CLUSTER, vocab))


@with_positions(APPROACH)
def validate_approach(doc: Document, vocab: Vocabularies) -> list[Problem]:
    """Check one approach record on its own."""
    return run_rules(doc, vocab, APPROACH_RULES, check_document(doc, APPROACH, vocab))


@with_positions(CONCEPT)
def validate_concept(doc: Document, vocab: Vocabularies) -> list[Problem]:
    """Check one concept page on its own."""
    return run_rules(doc, vocab, CONCEPT_RULES, check_document(doc, CONCEPT, vocab))


def rule_one_table5_row_per_country(doc: Document, vocab: Vocabularies) -> Iterable[Problem]:
    """Table 5 has one row per country: a second would be listed twice and drawn once."""
    rows = doc.data.get("rows")
    seen: dict[str, int] = {}
    for index, row in enumerate(rows if isinstance(rows, list) else ()):
        country = row.get("country") if isinstance(row, dict) else None
        if not isinstance(country, str):
            continue
        if country in seen:
            yield _problem(doc, rows, index, f"rows[{index}].country", f"second row for country '{country}'",
                           "one row per country", f"merge it with rows[{seen[country]}]")
        else:
            seen[country] = index


@with_positions(TABLE5)
def validate_table5(doc: Document, vocab: Vocabularies) -> list[Problem]:
    """Check the seed's Table 5 counts."""
    return run_rules(doc, vocab, (rule_one_table5_row_per_country,), check_document(doc, TABLE5, vocab))


def validate_unique_ids(docs: Iterable[Document], kind: str) -> list[Problem]:
    """No two records share an ID."""
    problems = []
    first: dict[str, Document] = {}
    for doc in docs:
        ident = doc.data.get("id")
        if not isinstance(ident, str):
            continue
        if ident in first:
            line, col = position(doc.positioned().data, "id")
            problems.append(Problem(doc.path, line, col, "id", f"duplicate {kind} ID '{ident}'",
                                    "an ID used by one record only", f"'{ident}' is already used by {first[ident].path}"))
        else:
            first[ident] = doc
    return problems


def read_retired(doc: Document) -> tuple[dict[str, str], list[Problem]]:
    """Read content/retired.yaml: ``retired:`` lists IDs, each alone or as ``{id: ..., note: ...}``."""
    problems: list[Problem] = []
    expected = "a list of cluster IDs (CC-NNNN), each alone or as {id: CC-NNNN, note: \"why\"}"
    data = doc.data
    entries = data.get("retired") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        line, col = position(data, "retired") if isinstance(data, dict) else (1, 1)
        return {}, [Problem(doc.path, line, col, "retired", "missing or not a list", expected,
                            "see 'Retired IDs' in docs-src/record-format.md")]
    retired: dict[str, str] = {}
    for index, entry in enumerate(entries):
        ident = entry.get("id") if isinstance(entry, dict) else entry
        note = entry.get("note", "") if isinstance(entry, dict) else ""
        unknown = [k for k in entry if k not in ("id", "note")] if isinstance(entry, dict) else []
        if not isinstance(ident, str) or not re.fullmatch(ID_PATTERN, ident) or unknown or not isinstance(note, str):
            line, col = position(entries, index)
            problems.append(Problem(doc.path, line, col, f"retired[{index}]", f"not a retired ID: {_describe(entry)}",
                                    expected))
        else:
            retired[ident] = note
    return retired, problems


def validate_retired_ids(docs: Iterable[Document], retired: dict[str, str], retired_path: str) -> list[Problem]:
    """No live record uses a retired ID: IDs are never reused."""
    problems = []
    for doc in docs:
        ident = doc.data.get("id")
        if isinstance(ident, str) and ident in retired:
            line, col = position(doc.positioned().data, "id")
            why = f" ({retired[ident]})" if retired[ident] else ""
            problems.append(Problem(doc.path, line, col, "id", f"ID '{ident}' is retired{why}, listed in {retired_path}",
                                    "an ID never used before",
                                    f"IDs are never reused: get the next free one with: clustergrid new --country {ident[:2]}"))
    return problems


def grid_rows(grid: Document) -> tuple[tuple[dict, ...], list[Problem]]:
    """The Identification grid rows of grid.yaml: each names a group, a label and a known cell."""
    rows = grid.data.get("identification_grid")
    if not isinstance(rows, list) or not rows:
        return (), [Problem(grid.path, 1, 1, "identification_grid", "missing Identification grid rows",
                            "a list of {group, label, cell}")]
    out, problems = [], []
    for index, row in enumerate(rows):
        line, col = position(rows, index)
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in ("group", "label", "cell")):
            problems.append(Problem(grid.path, line, col, f"identification_grid[{index}]", "row is incomplete",
                                    "group, label and cell, each text"))
        elif row["cell"] not in IDENTIFICATION_CELLS:
            problems.append(Problem(grid.path, line, col, f"identification_grid[{index}].cell",
                                    f"unknown cell '{row['cell']}'", "one of: " + ", ".join(sorted(IDENTIFICATION_CELLS))))
        else:
            out.append({"group": str(row["group"]), "label": str(row["label"]), "cell": str(row["cell"])})
    return tuple(out), problems


@dataclass(frozen=True)
class Checked:
    """What validating a content folder gives the model: vocabularies, grid rows, and every problem."""

    vocab: Vocabularies
    """The vocabularies, with the approach IDs added."""
    identification_rows: tuple[dict, ...]
    """Identification grid rows from grid.yaml."""
    problems: list[Problem]
    """Every problem found, errors and warnings."""


def validate_content(content: Content, today: dt.date | None = None, warning_positions: bool = True) -> Checked:
    """Run every check on every document, then the checks across documents.

    The clock is read once here (or ``today`` is given, in tests) and every date rule uses it.
    ``warning_positions=False`` skips the positioned re-read for files with warnings only.
    """
    today = today or current_date()
    approach_ids = tuple(str(d.data["id"]) for d in content.approaches if isinstance(d.data.get("id"), str))
    vocab = content.vocab.with_terms("approaches", approach_ids)
    rows, problems = grid_rows(content.grid)
    retired: dict[str, str] = {}
    if content.retired is not None:
        retired, found = read_retired(content.retired)
        problems.extend(found)
    for doc in content.clusters:
        problems.extend(validate_cluster(doc, vocab, today, warning_positions))
    for doc in content.approaches:
        problems.extend(validate_approach(doc, vocab, today, warning_positions))
    for doc in content.concepts:
        problems.extend(validate_concept(doc, vocab, today, warning_positions))
    if content.table5 is not None:
        problems.extend(validate_table5(content.table5, vocab, today, warning_positions))
    problems.extend(validate_unique_ids(content.clusters, "cluster"))
    problems.extend(validate_unique_ids(content.approaches, "approach"))
    problems.extend(validate_unique_ids(content.concepts, "concept"))
    problems.extend(validate_retired_ids(content.clusters, retired, content.retired_path))
    return Checked(vocab, rows, problems)
