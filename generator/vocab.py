"""The vocabularies of ``content/grid.yaml`` and ``content/countries.yaml``, as typed values."""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping


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
