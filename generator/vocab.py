"""The vocabularies of ``content/grid.yaml`` and ``content/countries.yaml``, as typed values."""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

from .load import Document, position
from .problems import Problem
from .spec import FIGURES, INCOME_GROUPS, TYPOLOGY_BASES

_LABELLED = ("markets", "market_extents", "policy_classes", "sectors", "needs", "support_roles",
             "generic_infrastructure_kinds", "approach_groups", "approach_levels", "comparison_dimensions", "bases")
_DESCRIBED = ("location_settings", "intervention_areas", "size_measures")


@dataclass(frozen=True)
class Term:
    """One word of a vocabulary: its key, its label and any extra facts from grid.yaml."""

    key: str
    """The word used in records."""
    label: str
    """How the site shows it."""
    extra: Mapping[str, Any]
    """Other facts: ``feature`` for a typology type, ``hint`` for an intervention area, …"""


@dataclass(frozen=True)
class Vocabularies:
    """Every vocabulary, by name; order is the order of grid.yaml."""

    terms: Mapping[str, tuple[Term, ...]]
    """Vocabulary name -> its terms, e.g. ``sectors`` or ``typology:sectoral``."""
    basis_labels: Mapping[str, str]
    """Typology basis -> its label (Table 6's four bases, with rural/urban apart)."""

    def keys(self, name: str) -> tuple[str, ...]:
        """Return the allowed words of one vocabulary."""
        return tuple(t.key for t in self.terms.get(name, ()))

    def label(self, name: str, key: str) -> str:
        """Return the label of one word."""
        for term in self.terms.get(name, ()):
            if term.key == key:
                return term.label
        raise KeyError(f"{name}:{key}")

    def term(self, name: str, key: str) -> Term:
        """Return one term."""
        for term in self.terms.get(name, ()):
            if term.key == key:
                return term
        raise KeyError(f"{name}:{key}")

    def with_terms(self, name: str, keys: tuple[str, ...]) -> "Vocabularies":
        """Return a copy with one more vocabulary (for ids known only from the content)."""
        terms = dict(self.terms)
        terms[name] = tuple(Term(k, k, MappingProxyType({})) for k in keys)
        return Vocabularies(MappingProxyType(terms), self.basis_labels)


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

    for name in _LABELLED + _DESCRIBED:
        section = data.get(name)
        if not isinstance(section, dict) or not section:
            bad(name, "missing or empty vocabulary")
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
            terms[f"typology:{basis}"] = tuple(
                Term(str(k), str(v.get("label", k)), MappingProxyType(_plain(v)))
                for k, v in entry["types"].items() if isinstance(v, dict))
    table = countries.data.get("countries") if isinstance(countries.data, dict) else None
    if not isinstance(table, dict):
        problems.append(Problem(countries.path, 1, 1, "countries", "missing country table", "countries: {CC: {name: …}}"))
    else:
        terms["countries"] = tuple(Term(str(k), str(v.get("name", k)), MappingProxyType(_plain(v)))
                                   for k, v in table.items() if isinstance(v, dict))
    terms["figures"] = tuple(Term(f, f, MappingProxyType({})) for f in FIGURES)
    terms["income_groups"] = tuple(Term(k, v, MappingProxyType({})) for k, v in INCOME_GROUPS.items())
    if problems:
        return None, problems
    return Vocabularies(MappingProxyType(terms), MappingProxyType(basis_labels)), []
