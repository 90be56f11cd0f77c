"""Downloads, feed, similar clusters, gaps and the map outlines: read back and checked against the model."""
from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET

import pytest

from generator import enrich as e
from generator import explore as ex
from generator import export as xp
from generator.build import read_catalog
from generator.feed import FEED, FEED_SIZE, render_feed
from generator.gaps import cell_gaps, country_gaps, thinnest_records
from generator.geo import Projection, _clip, decode_polygons
from generator.pages import PageBuilder
from generator.render import Renderer, SiteSettings, render_pages
from generator.similar import similar_clusters

from .conftest import CONTENT, FIXTURE

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module", params=["content", "fixture"])
def catalog(request):
    """The real knowledge base and the fixture one."""
    found, _ = read_catalog(CONTENT if request.param == "content" else FIXTURE)
    return found


@pytest.fixture(scope="module")
def files(catalog):
    return xp.site_files(catalog, e.completeness_by_id(catalog))


# -- JSON and CSV round trips ------------------------------------------------------------------

def test_every_record_reads_back_from_the_json_as_the_model(catalog, files):
    envelope, records = xp.read_clusters_json(files[xp.CLUSTERS_JSON])
    assert envelope["schema_version"] == xp.SCHEMA_VERSION and envelope["licence"] == "CC BY 4.0"
    assert envelope["count"] == len(catalog.clusters) == len(records)
    assert envelope["content_hash"] == xp.content_hash(records)
    for record, cluster in zip(records, catalog.clusters):
        assert xp.cluster_from_record(record) == cluster
        beside = json.loads(files[xp.cluster_json_page(cluster.id)])
        assert beside["cluster"] == record


def _csv_expected(c, catalog) -> dict:
    """What the CSV should hold for one cluster, read straight off the model."""
    v = catalog.vocab
    lines = lambda items: "\n".join(" ".join(str(x).splitlines()) for x in items) or None  # noqa: E731
    done = e.completeness(c, catalog)
    want = {"id": c.id, "name": c.name, "name_local": c.name_local, "country": c.country,
            "country_name": v.label("countries", c.country), "region": c.region, "district": c.district,
            "setting": c.setting, "latitude": c.coordinates[0] if c.coordinates else None,
            "longitude": c.coordinates[1] if c.coordinates else None, "sector": c.sector, "sub_sector": c.sub_sector,
            "products": lines(c.products), "regional_development": c.regional_development,
            "cluster_infrastructure": lines(c.cluster_infrastructure),
            "policy_class": c.typology.get("policy_class"), "typology.basis": c.typology_basis,
            "typology.note": c.typology_note, "approaches": lines(u.approach_id for u in c.approaches),
            "sources": lines(s.key for s in c.sources), "note": c.note, "reviewed": c.reviewed.isoformat(),
            "grid_recorded": done.recorded, "grid_total": done.total}
    for kind in v.keys("generic_infrastructure_kinds"):
        want[f"generic_infrastructure.{kind}"] = dict(c.generic_infrastructure).get(kind)
    for role in v.keys("support_roles"):
        want[f"support_system.{role}"] = lines(dict(c.support_system).get(role, ()))
    for k in ("networks", "informalisation_labour", "informalisation_production", "macro_policy"):
        want[f"determinants.{k}"] = c.determinants.get(k)
    for m in v.keys("markets"):
        want[f"markets.{m}"] = c.markets.get(m)
    figures = {f.measure: f for f in c.size}
    for m in v.keys("size_measures"):
        f = figures.get(m)
        want.update({f"size.{m}.value": f.value if f else None, f"size.{m}.unit": f.unit if f else None,
                     f"size.{m}.year": f.year if f else None, f"size.{m}.source": f.source.key if f else None,
                     f"size.{m}.note": f.note if f else None})
    for basis in v.basis_labels:
        want[f"typology.{basis}"] = c.typology.get(basis)
    for area in v.keys("intervention_areas"):
        n = c.intervention.get(area)
        want.update({f"intervention.{area}.need": n.level if n else None,
                     f"intervention.{area}.basis": n.basis if n else None,
                     f"intervention.{area}.source": n.source.key if n and n.source else None,
                     f"intervention.{area}.note": n.note if n else None})
    return want


def test_every_record_reads_back_from_the_csv_as_the_model(catalog, files):
    data = files[xp.CLUSTERS_CSV]
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark for spreadsheets
    rows = xp.read_clusters_csv(data)
    assert [r["id"] for r in rows] == [c.id for c in catalog.clusters]
    for row, cluster in zip(rows, catalog.clusters):
        want = _csv_expected(cluster, catalog)
        assert set(row) == set(want), set(row) ^ set(want)
        assert row == want, {k: (row[k], want[k]) for k in want if row[k] != want[k]}


def test_csv_keeps_local_scripts():
    found, _ = read_catalog(CONTENT)
    data = xp.site_files(found, e.completeness_by_id(found))[xp.CLUSTERS_CSV].decode("utf-8")
    local = [c.name_local for c in found.clusters if c.name_local and not c.name_local.isascii()]
    assert local and all(name in data for name in local)


@pytest.mark.parametrize("text, written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"), ("'quoted", "''quoted"), ("Tiruppur", "Tiruppur"), ("a=b", "a=b"),
])
def test_formula_cells_are_neutralised_and_read_back(text, written):
    assert xp.neutralise(text) == written
    assert xp.unneutralise(written) == text


def test_a_hostile_name_is_neutralised_in_the_csv_and_read_back(tmp_path):
    import shutil
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    path = content / "clusters" / "TH-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('name: "Fixture woodcarving village"',
                                                              'name: "=cmd|\' /C calc\'!A0"'), encoding="utf-8")
    found, _ = read_catalog(content)
    data = xp.site_files(found, e.completeness_by_id(found))[xp.CLUSTERS_CSV].decode("utf-8-sig")
    assert ",'=cmd|" in data and ",=cmd" not in data
    rows = xp.read_clusters_csv(data.encode("utf-8-sig"))
    assert rows[-1]["name"] == "=cmd|' /C calc'!A0"


def test_content_hash_changes_with_any_record_and_only_then(catalog):
    done = e.completeness_by_id(catalog)
    records = [xp.cluster_record(c, catalog, done[c.id]) for c in catalog.clusters]
    assert xp.content_hash(records) == xp.content_hash(json.loads(json.dumps(records)))
    records[0]["name"] += " (changed)"
    assert xp.content_hash(records) != json.loads(xp.site_files(catalog, done)[xp.CLUSTERS_JSON])["content_hash"]


def test_approaches_json_holds_every_approach(catalog, files):
    data = json.loads(files[xp.APPROACHES_JSON])
    assert [a["id"] for a in data["approaches"]] == [a.id for a in catalog.approaches]
    assert data["content_hash"] == xp.content_hash(data["approaches"])
    first = catalog.approaches[0]
    assert data["approaches"][0]["summary"] == first.summary
    assert data["approaches"][0]["sources"][0]["title"] == first.sources[0].title


def test_downloads_list_their_real_sizes(catalog, files):
    listed = {d.path: d for d in xp.downloads(files)}
    assert listed[xp.CLUSTERS_CSV].size == len(files[xp.CLUSTERS_CSV])
    assert listed[FEED].size == len(files[FEED])
    per_cluster = [d for d in listed.values() if d.files > 1 or d.path.startswith("clusters/")]
    assert per_cluster[0].files == len(catalog.clusters)
    assert xp.format_size(999) == "999 bytes" and xp.format_size(15_300) == "15.3 KB"


# -- The feed ----------------------------------------------------------------------------------

def test_feed_parses_as_atom_with_ids_and_updated(catalog):
    root = ET.fromstring(render_feed(catalog))
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    entries = root.findall(f"{ATOM}entry")
    assert 0 < len(entries) <= FEED_SIZE
    assert len(entries) == min(FEED_SIZE, len(catalog.clusters))
    ids = [x.findtext(f"{ATOM}id") for x in entries]
    assert len(set(ids)) == len(ids)
    stamps = [x.findtext(f"{ATOM}updated") for x in entries]
    assert stamps == sorted(stamps, reverse=True)
    assert root.findtext(f"{ATOM}updated") == stamps[0]
    for x in entries:
        assert x.findtext(f"{ATOM}title") and x.find(f"{ATOM}link").get("href").startswith("clusters/")
        assert x.findtext(f"{ATOM}updated").endswith("T00:00:00Z")


def test_feed_keeps_the_newest_fifty_and_escapes_text(catalog):
    base = catalog.clusters[0]
    clones = tuple(dataclasses.replace(base, id=f"ZZ-{i:04d}", name=f"<b>&{i}", reviewed=base.reviewed.replace(year=2000 + i % 20))
                   for i in range(120))
    big = dataclasses.replace(catalog, clusters=clones)
    root = ET.fromstring(render_feed(big, "https://example.org/grid/"))
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == FEED_SIZE
    assert all(x.findtext(f"{ATOM}updated").startswith("2019") for x in entries[:6])
    assert entries[0].findtext(f"{ATOM}title").endswith("<b>&19")  # text, parsed back, not markup
    assert entries[0].findtext(f"{ATOM}id") == "https://example.org/grid/clusters/ZZ-0019.html"


# -- Similar clusters and gaps -----------------------------------------------------------------

def test_similar_clusters_are_elsewhere_share_a_sector_or_type_and_say_why():
    found, _ = read_catalog(CONTENT)
    similar = similar_clusters(found, e.completeness_by_id(found))
    assert any(similar.values())
    for c in found.clusters:
        matches = similar[c.id]
        assert len(matches) <= 5
        assert len({m.cluster.id for m in matches}) == len(matches)
        for m in matches:
            assert m.cluster.country != c.country
            same_sector = m.cluster.sector == c.sector
            same_type = "sectoral" in c.typology and m.cluster.typology.get("sectoral") == c.typology["sectoral"]
            assert same_sector or same_type
            if m.why.startswith("same sector ("):
                assert same_sector, m.why
            if "sectoral type (" in m.why:
                assert same_type, m.why


def test_similar_clusters_picks_other_countries_even_when_one_country_dominates():
    found, _ = read_catalog(FIXTURE)
    base = found.clusters[0]
    many = tuple(dataclasses.replace(base, id=f"IN-{i:04d}") for i in range(2, 400))
    elsewhere = dataclasses.replace(base, id="VN-0001", country="VN")
    big = dataclasses.replace(found, clusters=(base, *many, elsewhere))
    done = {c.id: e.Completeness(1 if c.country == "IN" else 0, 37) for c in big.clusters}
    similar = similar_clusters(big, done)
    assert [m.cluster.id for m in similar["IN-0001"]] == ["VN-0001"]
    assert [m.cluster.id for m in similar["VN-0001"]] == ["IN-0001", "IN-0002", "IN-0003", "IN-0004", "IN-0005"]


def test_gaps_list_cells_records_and_countries_fewest_first():
    found, _ = read_catalog(CONTENT)
    cells = cell_gaps(found)
    assert [c.recorded for c in cells] == sorted(c.recorded for c in cells)
    done = e.completeness_by_id(found)
    thin = thinnest_records(found, done)
    assert thin[0][1].recorded == min(d.recorded for d in done.values())
    countries = country_gaps(found)
    assert {g.country for g in countries} == {r.country for r in found.table5}
    assert [g.percent for g in countries] == sorted(g.percent for g in countries)


# -- Explore page at scale -----------------------------------------------------------------------

def test_explore_page_drops_its_html_table_above_the_threshold_and_says_where_to_go():
    found, _ = read_catalog(FIXTURE)
    base = found.clusters[0]
    n = ex.STATIC_ROWS_MAX + 1
    big = dataclasses.replace(found, clusters=tuple(dataclasses.replace(base, id=f"IN-{i:04d}") for i in range(1, n + 1)))
    files = {k: b"" for k in (xp.CLUSTERS_JSON, xp.CLUSTERS_CSV, xp.APPROACHES_JSON)}
    [(path, model)] = list(PageBuilder(big, SiteSettings(), files).explore())
    explore = Renderer().render(path, model)
    assert path == ex.PAGE
    assert "<noscript>" in explore and "clusters.csv" in explore and "<tr><td>" not in explore
    small = render_pages(found, SiteSettings())[ex.PAGE]
    assert small.count("<tr><td>") == len(found.clusters) and "<noscript>" not in small


def test_explore_rows_carry_sourced_and_editors_high_needs_apart():
    found, _ = read_catalog(CONTENT)
    rows = ex.explore_rows(found, e.completeness_by_id(found))
    for row, c in zip(rows, found.clusters):
        assert set(row["needs"]) == {a for a, n in c.intervention.items() if n.level == "high" and n.basis == "source"}
        assert set(row["needs_ed"]) == {a for a, n in c.intervention.items() if n.level == "high" and n.basis == "editors"}


# -- Map outlines --------------------------------------------------------------------------------

def test_topojson_decoder_follows_shared_and_reversed_arcs():
    topology = {"type": "Topology", "transform": {"scale": [1, 1], "translate": [10, 20]},
                "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
                "objects": {"countries": {"type": "GeometryCollection", "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "A"}},
                    {"type": "MultiPolygon", "arcs": [[[~1]]], "properties": {"name": "B"}}]}}}
    (a, rings_a), (b, rings_b) = decode_polygons(topology, "countries")
    assert a == "A" and rings_a == [[(10, 20), (12, 20), (12, 22), (10, 22), (10, 20)]]
    assert b == "B" and rings_b == [[(10, 20), (10, 22), (12, 22)]]


def test_clipping_keeps_rings_inside_the_box():
    ring = [(-10.0, -10.0), (50.0, -10.0), (50.0, 50.0), (-10.0, 50.0)]
    clipped = _clip(ring, 20.0, 30.0)
    assert clipped and all(0 <= x <= 20 and 0 <= y <= 30 for x, y in clipped)
    p = Projection(60.0, 150.0, -11.0, 50.0, width=360)
    assert p(60.0, 50.0) == (0.0, 0.0)
    assert p(150.0, -11.0)[0] == pytest.approx(360) and p(150.0, -11.0)[1] == pytest.approx(p.height)


def test_map_of_very_many_clusters_draws_one_point_per_country_and_class():
    from generator.charts import MAP_POINTS_MAX, asia_map
    found, _ = read_catalog(FIXTURE)
    base = found.clusters[0]
    many = tuple(dataclasses.replace(base, id=f"IN-{i:04d}", coordinates=(8 + i % 20, 70 + i % 25))
                 for i in range(1, MAP_POINTS_MAX + 2))
    drawn = asia_map(dataclasses.replace(found, clusters=many), "map.md", "explore.md")
    assert drawn.aggregated and drawn.located == len(many)
    assert drawn.svg.count("<circle") == 1
    assert "explore.html#country=IN&amp;policy=export_oriented" in drawn.svg
    small = asia_map(found, "map.md", "explore.md")
    assert not small.aggregated and small.svg.count("<circle") == sum(1 for c in found.clusters if c.coordinates)
