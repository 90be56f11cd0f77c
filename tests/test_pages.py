"""What the built pages say to a reader: the cluster profile, the footer, languages, the home page."""
from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from generator.build import read_catalog
from generator.lang import derive_lang

from .conftest import CONTENT


def article(page: Path) -> str:
    """The text of a built page's article, tags dropped and character references decoded."""
    text = page.read_text(encoding="utf-8")
    body = text.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_cluster_pages_say_not_recorded_at_most_three_times(real_site):
    counts = {p.name: article(p).lower().count("not recorded")
              for p in sorted((real_site / "clusters").glob("??-????.html"))}
    assert len(counts) > 30
    assert max(counts.values()) <= 3, {k: v for k, v in counts.items() if v > 3}


def test_cluster_pages_stay_small(real_site):
    sizes = {p.name: p.stat().st_size for p in (real_site / "clusters").glob("??-????.html")}
    assert max(sizes.values()) <= 40_000, max(sizes.items(), key=lambda kv: kv[1])


def test_cluster_page_profile_and_quiet_bookkeeping(real_site):
    page = (real_site / "clusters" / "IN-0006.html").read_text(encoding="utf-8")
    text = article(real_site / "clusters" / "IN-0006.html")
    assert '<div class="cg-profile">' in page
    for label in ("Place", "Sector", "Types", "Markets reached", "Size", "Grid completeness"):
        assert f"<dt>{label}</dt>" in page, label
    assert "Basis of the classification: Editors' reading of the sources." in " ".join(text.split())
    assert "source key" not in text
    assert "content/clusters/" not in text  # no file path for readers (edit links only with extra.repository)
    assert '<a href="#src-' in page


def test_footer_carries_licence_citation_links_and_build_date(real_site):
    catalog, _ = read_catalog(CONTENT)
    newest = max([c.reviewed for c in catalog.clusters] + [a.reviewed for a in catalog.approaches])
    for page in ("index.html", "clusters/IN-0001.html"):
        text = (real_site / page).read_text(encoding="utf-8")
        footer = " ".join(text.split('<footer class="md-footer">', 1)[1].split("</footer>", 1)[0].split())
        assert "https://creativecommons.org/licenses/by/4.0/" in footer and "CC BY 4.0" in footer
        assert "Fostering Competitive Clusters in Asia" in footer and "No. 437" in footer
        assert "contribute.html" in footer and "data.html" in footer
        assert f"Built {newest.isoformat()}" in footer


@pytest.mark.parametrize("name,country,expected", [
    ("ಬೆಂಗಳೂರು", "IN", "kn"), ("मध्यपुर थिमी", "NP", "ne"), ("आगरा", "IN", "hi"), ("中关村", "CN", "zh-Hans"),
    ("新竹科學園區", "TW", "zh-Hant"), ("燕三条", "JP", "ja"), ("小鹿田焼", "JP", "ja"), ("대덕연구단지", "KR", "ko"),
    ("سیالکوٹ", "PK", "ur"), ("บ้านถวาย", "TH", "th"), ("বগুড়া", "BD", "bn"), ("මොරටුව", "LK", "si"),
    ("ਜਲੰਧਰ", "IN", "pa"), ("Bát Tràng", "VN", "vi"),
    ("中关村", "MY", None), ("Hello", "IN", None), ("中关村 ಬೆಂಗಳೂರು", "IN", None)])
def test_local_name_language_from_script_and_country(name, country, expected):
    assert derive_lang(name, country) == expected


def test_every_local_name_in_the_content_gets_a_language():
    catalog, _ = read_catalog(CONTENT)
    from generator.enrich import local_lang
    missing = [r.id for r in (*catalog.clusters, *catalog.approaches) if r.name_local and not local_lang(r)]
    assert missing == []


def test_underivable_local_name_asks_for_its_language(cli, content):
    path = content / "clusters" / "IN-0001.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^name_local: .*$", 'name_local: "Tiruppur"', text)
    path.write_text(text, encoding="utf-8")
    result = cli("validate", "--all", "--content", str(content))
    assert any("warning: name_local: cannot tell the language of the local name from its script and the country; "
               "expected name_local_lang: a BCP 47 tag" in line for line in result.lines), result.out
    path.write_text(text.replace('name_local: "Tiruppur"', 'name_local: "Tiruppur"\nname_local_lang: ta'), encoding="utf-8")
    assert "name_local" not in cli("validate", "--all", "--content", str(content)).out


def test_home_page_explains_and_orders_recent_reviews(real_site):
    text = " ".join(article(real_site / "index.html").split())
    assert "What is a cluster?" in text and "Identification grid" in text and "Intervention grid" in text
    page = (real_site / "index.html").read_text(encoding="utf-8")
    assert '<figure class="cg-figure">' in page
    recent = html.unescape(page.split('id="recently-reviewed"', 1)[1].split("</table>", 1)[0])
    rows = re.findall(r"<td>(\d{4}-\d{2}-\d{2})</td>.*?\((\w\w-\d{4})\)</a>.*?(\d+) of \d+</td>", recent, re.S)
    assert len(rows) == 10
    keys = [(-dt.date.fromisoformat(day).toordinal(), -int(done), ident) for day, ident, done in rows]
    assert keys == sorted(keys)
