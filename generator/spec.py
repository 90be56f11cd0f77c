"""The record formats, declared once.

The validator walks these specs, and :mod:`generator.schema` turns the same specs into JSON
Schema, so an editor and ``clustergrid validate`` agree on what a record may hold. Vocabulary
names refer to keys of ``content/grid.yaml`` (or ``countries``/``approaches``, filled in from
the content at run time).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterator, Mapping

from .lang import LANG_PATTERN

ID_PATTERN = r"^[A-Z]{2}-[0-9]{4}$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"
ASIA_BOX = {"south": -12, "north": 56, "west": 25, "east": 150}
"""The region the map of Asia draws (from Cyprus and Turkey to Japan, Timor-Leste to Kazakhstan):
coordinates outside it are refused, so one far-off point cannot turn the map into a world map."""
MAX_LINE = 1000
"""Longest single-line value (a name, a title, a product, a URL), in characters."""


@dataclass(frozen=True)
class Spec:
    """What one field may hold."""

    kind: str
    """One of: line, prose, int, number, date, bool, enum, list, map, url."""
    title: str = ""
    """Short name shown in editors and on the site."""
    doc: str = ""
    """One sentence on what the field means."""
    required: bool = False
    """Whether a record must have this field."""
    vocab: str = ""
    """For ``enum``: the vocabulary its values come from."""
    pattern: str = ""
    """For ``line``: a regular expression the value must match."""
    pattern_doc: str = ""
    """For ``line`` with a pattern: the expected form in words."""
    items: "Spec | None" = None
    """For ``list``: the spec of each item."""
    fields: Mapping[str, "Spec"] = field(default_factory=dict)
    """For ``map``: its fields."""
    key_vocab: str = ""
    """For ``map`` keyed by a vocabulary: the vocabulary of its keys (each value is ``values``)."""
    values: "Spec | None" = None
    """For ``map`` keyed by a vocabulary: the spec of each value."""
    minimum: float | None = None
    """For numbers: the smallest value allowed."""
    maximum: float | None = None
    """For numbers: the largest value allowed."""
    min_items: int = 0
    """For lists: the fewest items allowed."""
    examples: tuple = ()
    """Example values, for the schema and the skeleton."""
    year: bool = False
    """For ``int``: a calendar year, which may not lie in the future."""


def line(title, doc, **kw) -> Spec:
    """A single line of plain text."""
    return Spec("line", title, doc, **kw)


def prose(title, doc, **kw) -> Spec:
    """Plain text that may run over several lines."""
    return Spec("prose", title, doc, **kw)


def enum(vocab, title, doc, **kw) -> Spec:
    """A word from a vocabulary."""
    return Spec("enum", title, doc, vocab=vocab, **kw)


def lines(title, doc, **kw) -> Spec:
    """A list of single lines of text."""
    return Spec("list", title, doc, items=Spec("line", title), **kw)


def mapping(title, doc, fields, **kw) -> Spec:
    """A mapping with named fields."""
    return Spec("map", title, doc, fields=fields, **kw)


YEAR = dict(minimum=1000, maximum=2100, year=True)

LANG_DOC = ("BCP 47 language tag of `name_local`, for its `lang` attribute. Leave it out when the script and "
            "country tell the language (Tamil script: 'ta'; Han characters in Japan: 'ja', in Taiwan: 'zh-Hant').")

SOURCE = mapping("Source", "A published work that supports what the record says.", {
    "key": line("Key", "Short name by which figures and notes refer to this source.", required=True,
                pattern=KEY_PATTERN, pattern_doc="lowercase letters, digits, '-' or '_' (e.g. 'nadvi1999')",
                examples=("nadvi1999",)),
    "author": line("Author", "Authors or issuing body, as printed.", required=True, examples=("Nadvi, K.",)),
    "year": Spec("int", "Year", "Year of publication; leave out only for an undated web page, and give `accessed`.",
                  **YEAR),
    "accessed": Spec("date", "Accessed", "For an undated web page: the date you consulted it (YYYY-MM-DD)."),
    "title": line("Title", "Title of the work.", required=True,
                  examples=("Collective efficiency and collective failure: the response of the Sialkot surgical instrument cluster to global quality pressure",)),
    "publisher": line("Publisher", "Journal (volume, issue, pages) or publisher.", examples=("World Development 27(9)",)),
    "url": Spec("url", "URL", "Where the work can be checked: an http(s) address, a DOI link preferred.",
                examples=("https://doi.org/10.1016/S0305-750X(99)00071-X",)),
    "pages": line("Pages", "Pages that support the record.", examples=("1605-1626",)),
    "kind": enum("source_kinds", "Kind", "What kind of work this is: `research` (journal article, book, chapter, "
                 "working paper, thesis), `report` (a government, agency or NGO report or diagnostic study), "
                 "`official` (an agency's or government's web page), `press` (newspaper, magazine, news agency) "
                 "or `other` (a company's or association's own page, and the rest).", examples=("research",)),
})

SOURCE_KEY = line("Source", "Key of the source (in `sources`) that supports this.", pattern=KEY_PATTERN,
                  pattern_doc="a key from this record's `sources`", examples=("nadvi1999",))

FIGURE = mapping("Figure", "A size figure with its year and source.", {
    "value": Spec("number", "Value", "The figure as published.", required=True, minimum=0),
    "unit": line("Unit", "Unit, with currency for money (e.g. 'USD million').", examples=("USD million",)),
    "year": Spec("int", "Year", "Year the figure refers to.", required=True, **YEAR),
    "source": replace(SOURCE_KEY, required=True),
    "note": prose("Note", "Caveats on the figure (approximate, estimate, definition).",
                  examples=("Registered units only; the source estimates as many again unregistered.",)),
})

NEED = mapping("Need", "How great the need for intervention is in one area.", {
    "need": enum("needs", "Need", "How great the need is.", required=True),
    "note": prose("Note", "What the need is, as the sources describe it.",
                  examples=("Firms report power cuts of several hours a day.",)),
    "source": SOURCE_KEY,
    "basis": enum("bases", "Basis", "Whose reading the rating is: `source` when a source states or documents the need "
                  "(give `source`), `editors` when it is the editors' reading of the sources.", examples=("source",)),
})

CLUSTER = mapping("Cluster record", "One industrial cluster on the Cluster Grid.", {
    "id": line("Cluster Grid ID", "Unique, stable ID: ISO country code, hyphen, four digits. Never reused.",
               required=True, pattern=ID_PATTERN, pattern_doc="CC-NNNN, e.g. IN-0001", examples=("IN-0001",)),
    "name": line("Name", "Name of the cluster in English.", required=True, examples=("Tiruppur knitwear cluster",)),
    "name_local": line("Local name", "Name of the place the cluster is named after, in the local script and "
                       "spelling with diacritics.", examples=("திருப்பூர்",)),
    "name_local_lang": line("Language of the local name", LANG_DOC, pattern=LANG_PATTERN,
                            pattern_doc="a BCP 47 tag such as 'ta', 'zh-Hant' or 'ur'", examples=("ta",)),
    "country": enum("countries", "Country", "ISO 3166-1 alpha-2 code.", required=True, examples=("IN",)),
    "region": line("Region", "State or province.", examples=("Tamil Nadu",)),
    "district": line("District or town", "District or town.", examples=("Tiruppur",)),
    "setting": enum("location_settings", "Location setting", "Metro, urban, small town or rural.", required=True),
    "coordinates": mapping("Coordinates", "Approximate centre, decimal degrees (WGS 84), inside the map of Asia's box "
                           f"(latitude {ASIA_BOX['south']:g} to {ASIA_BOX['north']:g}, longitude {ASIA_BOX['west']:g} "
                           f"to {ASIA_BOX['east']:g}); propose them with `clustergrid locate`.", {
        "lat": Spec("number", "Latitude", "Latitude in degrees, inside the map of Asia.", required=True,
                    minimum=ASIA_BOX["south"], maximum=ASIA_BOX["north"]),
        "lon": Spec("number", "Longitude", "Longitude in degrees, inside the map of Asia.", required=True,
                    minimum=ASIA_BOX["west"], maximum=ASIA_BOX["east"]),
        "geonames": Spec("int", "GeoNames ID", "GeoNames ID of the place whose coordinates these are (from "
                         "`clustergrid locate`).", minimum=1, examples=(1279259,)),
    }),
    "sector": enum("sectors", "Sector", "Broad sector (Figure 1: sector / sub-sector).", required=True),
    "sub_sector": line("Sub-sector", "Sub-sector, in words.", examples=("Cotton knitwear",)),
    "products": lines("Products", "Main products.", examples=(["T-shirts", "Innerwear"],)),
    "space": mapping("Space", "Figure 1: level of regional development and infrastructure.", {
        "regional_development": prose("Level of regional development", "How developed the region is.",
                                      examples=("A prosperous, industrialised district of a middle-income state.",)),
        "generic_infrastructure": Spec("map", "Generic infrastructure",
                                       "Roads and transport, electricity, banking and finance, communications.",
                                       key_vocab="generic_infrastructure_kinds",
                                       values=prose("Generic infrastructure", "State of this infrastructure.",
                                                     examples=("Frequent power cuts reported in 2010.",))),
        "cluster_infrastructure": lines("Cluster-specific infrastructure",
                                        "Common effluent treatment plant, common facility centre, testing laboratory, …",
                                        examples=(["Common effluent treatment plants"],)),
    }),
    "support_system": Spec("map", "Support system", "Figure 1: the cluster's support system, by role.",
                           key_vocab="support_roles", values=lines("Members", "Names of the bodies in this role.",
                                                                    examples=(["Tiruppur Exporters' Association"],))),
    "determinants": mapping("Determinants", "Figure 2: the three determinants of performance.", {
        "networks": prose("Strength of networks", "Networks within and beyond the cluster.",
                          examples=("Dense subcontracting between firms; links to global buyers through agents.",)),
        "informalisation_labour": prose("Informalisation of labour", "Terms of employment, wages, social security.",
                                        examples=("Most workers are casual, paid by the piece, without social security.",)),
        "informalisation_production": prose("Informalisation of production",
                                            "Sub-standard inputs, copying, non-compliance with regulation.",
                                            examples=("Effluent discharged untreated before the treatment plants opened.",)),
        "macro_policy": prose("Macro policy environment", "Fiscal incentives, infrastructure, trade policy.",
                              examples=("The end of textile quotas in 2005 opened export markets.",)),
    }),
    "markets": Spec("map", "Markets reached", "Figure 2: extent of each layer of market.",
                    key_vocab="markets", values=enum("market_extents", "Extent", "How much of this market.")),
    "typology": mapping("Typology", "Table 6 typology and the paper's five-way policy class.", {
        "sectoral": enum("typology:sectoral", "Sectoral type", "Table 6, sectoral characteristics."),
        "spatial": enum("typology:spatial", "Spatial type", "Table 6, spatial organisation of production."),
        "market_performance": enum("typology:market_performance", "Market performance", "Table 6, market performance."),
        "emergence": enum("typology:emergence", "Emergence", "Table 6, nature of emergence."),
        "policy_class": enum("policy_classes", "Policy class", "The paper's five-way policy classification."),
        "basis": enum("bases", "Basis", "Whose reading the classification is: `source` when the sources classify the "
                      "cluster in these terms, `editors` when it is the editors' reading of the sources.",
                      examples=("editors",)),
        "note": prose("Note on the classification", "What is specific to this record's classification: which sources, "
                      "and any doubt. Whose reading it is goes in `basis`.",
                      examples=("Sialkot's export orientation rests on Nadvi (1999).",)),
    }),
    "size": Spec("map", "Size", "Size figures, each with year and source.", key_vocab="size_measures", values=FIGURE),
    "intervention": Spec("map", "Intervention grid", "Need for intervention, by area (Table 8).",
                         key_vocab="intervention_areas", values=NEED),
    "approaches": Spec("list", "Approaches", "Intervention approaches applied in this cluster.", items=mapping(
        "Approach applied", "One approach applied here.", {
            "id": enum("approaches", "Approach", "ID of an approach record.", required=True),
            "agency": line("Agency", "Who applied it.", examples=("UNIDO",)),
            "since": Spec("int", "Since", "First year.", **YEAR),
            "until": Spec("int", "Until", "Last year.", **YEAR),
            "note": prose("Note", "What was done.", examples=("Diagnostic study and network brokering.",)),
        })),
    "sources": Spec("list", "Sources", "Published works supporting the record.", required=True, min_items=1,
                    items=SOURCE),
    "note": prose("Note", "Caveats, disagreements between sources.",
                  examples=("Sources differ on employment; the lower figure is given.",)),
    "reviewed": Spec("date", "Last reviewed", "Date the record was last checked against its sources.",
                     required=True, examples=("2026-11-28",)),
})

APPROACH = mapping("Approach record", "One intervention approach to cluster development.", {
    "id": line("ID", "Slug, used in the page address.", required=True, pattern=SLUG_PATTERN,
               pattern_doc="lowercase letters, digits and hyphens (e.g. 'ovop')", examples=("ovop",)),
    "name": line("Name", "Name of the approach.", required=True, examples=("One Village One Product (OVOP)",)),
    "name_local": line("Local name", "Name in local script.", examples=("一村一品運動",)),
    "name_local_lang": line("Language of the local name", LANG_DOC, pattern=LANG_PATTERN,
                            pattern_doc="a BCP 47 tag such as 'ja', 'th' or 'zh-Hant'", examples=("ja",)),
    "group": enum("approach_groups", "Group", "Which family of approaches it belongs to.", required=True),
    "in_table3": Spec("bool", "In Table 3", "Whether it is one of the seed's Table 3 approaches."),
    "origin": mapping("Origin", "Where and when it began.", {
        "country": enum("countries", "Country", "ISO 3166-1 alpha-2 code."),
        "place": line("Place", "Place of origin.", examples=("Oita Prefecture",)),
        "year": Spec("int", "Year", "Year it began.", **YEAR),
        "level": enum("approach_levels", "Level", "Level of government or action."),
    }),
    "summary": prose("Summary", "Two or three sentences.", required=True,
                     examples=("Villages develop one local product each, with local leadership.",)),
    "features": lines("Key features", "Key features or focus areas.", examples=(["Local initiative"],)),
    "assessment": prose("Assessment", "The paper's assessment (Table 3's remarks).",
                        examples=("Uninnovative but somewhat helpful sectorally.",)),
    "dimensions": Spec("map", "Comparison dimensions", "Table 4's dimensions, each a list of points.",
                       key_vocab="comparison_dimensions", values=lines("Points", "Points on this dimension.",
                                                                       examples=(["Prefecture-level policies."],))),
    "related": Spec("list", "Related approaches", "IDs of related approaches.",
                    items=enum("approaches", "Approach", "ID of an approach record."), examples=(["otop"],)),
    "variants": prose("Variants", "Variants of the approach.", examples=("One Tambon One Product in Thailand.",)),
    "sources": Spec("list", "Sources", "Published works.", required=True, min_items=1, items=SOURCE),
    "reviewed": Spec("date", "Last reviewed", "Date last checked.", required=True),
})

CONCEPT = mapping("Concept page", "A page on one of the paper's concepts.", {
    "id": line("ID", "Slug, used in the page address.", required=True, pattern=SLUG_PATTERN,
               pattern_doc="lowercase letters, digits and hyphens"),
    "title": line("Title", "Page title.", required=True),
    "order": Spec("int", "Order", "Position in the menu.", required=True, minimum=0, maximum=1000),
    "summary": prose("Summary", "Opening paragraph.", required=True),
    "blocks": Spec("list", "Blocks", "Sections in page order.", required=True, min_items=1, items=mapping(
        "Block", "One section.", {
            "heading": line("Heading", "Section heading.", required=True),
            "text": prose("Text", "Prose (Markdown emphasis and lists allowed, no links or HTML)."),
            "table": mapping("Table", "A table of plain text cells.", {
                "columns": lines("Columns", "Column headings.", required=True, min_items=1),
                "rows": Spec("list", "Rows", "Rows of cells.", required=True,
                             items=lines("Row", "Cells of one row.")),
                "source": line("Source", "Where the table comes from."),
            }),
            "figure": enum("figures", "Figure", "A diagram drawn at build time."),
        })),
    "references": Spec("list", "References", "Works the page cites.", items=SOURCE),
})

TABLE5 = mapping("Table 5", "Tentative cluster counts by country (Das et al. 2007, in Das 2008).", {
    "rows": Spec("list", "Rows", "One row per country.", required=True, items=mapping("Row", "One country.", {
        "country": enum("countries", "Country", "ISO code.", required=True),
        "income_group": enum("income_groups", "Income group", "World Bank income group (WDI 2007).", required=True),
        "total": Spec("int", "Total", "Number of clusters.", required=True, minimum=0),
        "high_tech": Spec("int", "High-tech", "Number of high-tech clusters, when given.", minimum=0),
    })),
    "source": line("Source", "Where the counts come from."),
    "notes": lines("Notes", "The table's caveats."),
})

FIGURES = ("characteristics", "determinants", "value_chain", "grid")
"""Diagrams the generator can draw (each drawn by :data:`generator.figures.DRAWINGS`)."""

TYPOLOGY_BASES = ("sectoral", "spatial", "location", "market_performance", "emergence")
"""Table 6's bases of classification, in order; ``location`` is derived from the setting, never recorded."""

TYPOLOGY_FIELDS = TYPOLOGY_BASES + ("policy_class",)
"""The fields of a record's classification: Table 6's bases and the policy class."""

SPACE_CELLS = tuple(CLUSTER.fields["space"].fields)
"""Identification cells read from a record's ``space``."""

DETERMINANT_CELLS = tuple(CLUSTER.fields["determinants"].fields)
"""Identification cells read from a record's ``determinants``."""

TYPOLOGY_CELLS = tuple(f"typology:{b}" for b in TYPOLOGY_BASES) + ("policy_class",)
"""Identification cells of the classification."""

_NOT_CELLS = ("name_local_lang", "space", "determinants", "typology", "intervention", "approaches", "sources",
              "note", "reviewed")

IDENTIFICATION_CELLS = tuple(k for k in CLUSTER.fields if k not in _NOT_CELLS) + SPACE_CELLS + \
    DETERMINANT_CELLS + TYPOLOGY_CELLS
"""The cells a row of grid.yaml's ``identification_grid`` may name: every field of a cluster record
that describes the cluster, the fields of its ``space`` and ``determinants``, and its classification."""

INCOME_GROUPS = {"LI": "Low income", "LMI": "Lower middle income", "UMI": "Upper middle income", "HI": "High income"}


def dated_fields(spec: Spec, data: Any, path: str = "") -> Iterator[tuple[dict, str, str, Spec]]:
    """(mapping, key, field path, spec) of every year and date field that ``data`` holds under ``spec``.

    The rules checked against the clock walk a record with this, so the fields they check are the
    ones the spec declares as years (``year=True``) or dates (kind ``date``), and no other list.
    """
    if spec.kind == "map" and isinstance(data, dict):
        children = spec.fields.items() if spec.fields else \
            ((key, spec.values) for key in data) if spec.values is not None else ()
        for key, sub in children:
            if key not in data:
                continue
            here = f"{path}.{key}" if path else str(key)
            if sub.year or sub.kind == "date":
                yield data, key, here, sub
            yield from dated_fields(sub, data[key], here)
    elif spec.kind == "list" and isinstance(data, list) and spec.items is not None:
        for index, item in enumerate(data):
            yield from dated_fields(spec.items, item, f"{path}[{index}]")


def _date_names(spec: Spec) -> Iterator[str]:
    for name, sub in spec.fields.items():
        if sub.kind == "date":
            yield name
        for child in (sub, sub.items, sub.values):
            if child is not None and child.fields:
                yield from _date_names(child)


DATE_FIELDS = frozenset(name for record in (CLUSTER, APPROACH, CONCEPT) for name in _date_names(record))
"""Names of the fields that hold a day (``reviewed``, ``accessed``), from the specs."""
