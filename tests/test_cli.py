"""The command line: exit codes, exact first lines, help with examples, no tracebacks."""
from __future__ import annotations


import pytest

from generator.cli import parser

from .conftest import FIXTURE, ROOT, run_command, write


def test_validate_clean_content_exits_0(cli, content):
    result = cli("validate", "--content", str(content))
    assert result.code == 0
    assert "ok: 3 clusters, 3 approaches, 1 concept page" in result.err


def test_validate_bad_content_exits_1_with_every_problem(cli, content, monkeypatch):
    monkeypatch.chdir(content.parent)
    write(content / "clusters" / "IN-0002.yaml", "id: IN-0002\nname: x\ncountry: IN\nsetting: town\n")
    result = cli("validate", "--content", "content")
    assert result.code == 1
    errors = [line for line in result.lines if ": error: " in line]
    assert errors[0] == ("content/clusters/IN-0002.yaml:1:1: error: reviewed: missing required field; expected Date the "
                               "record was last checked against its sources; add 'reviewed:' at the top level")
    assert any(": setting: unknown value: 'town'" in line for line in result.lines)
    assert "4 errors" in result.err and "nothing was built" not in result.err


def test_validate_as_a_process_prints_no_traceback(tmp_path):
    bad = tmp_path / "content"
    import shutil
    shutil.copytree(FIXTURE, bad)
    (bad / "clusters" / "IN-0002.yaml").write_bytes(b"\xff\xfe broken: [\n")
    (bad / "approaches" / "x.yaml").write_text("a: &x 1\nb: *x\n")
    result = run_command("validate", "--content", "content", cwd=tmp_path)
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    errors = [line for line in result.out.splitlines() if ": error: " in line]
    assert errors[0] == ("content/approaches/x.yaml:1:4: error: a: YAML anchor '&x' is not allowed; "
                                          "expected plain values; remove the anchor")


def test_missing_content_folder_is_a_clear_error(cli, tmp_path):
    result = cli("validate", "--content", str(tmp_path / "nowhere"))
    assert result.code == 1
    assert result.lines[0].endswith("error: -: content folder not found; expected a folder with grid.yaml, countries.yaml, "
                                    "clusters/ and approaches/; pass --content DIR")


def test_github_actions_annotations(cli, content, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.chdir(content.parent)
    write(content / "clusters" / "IN-0002.yaml", "id: IN-0002\n")
    result = cli("validate", "--content", "content")
    assert result.code == 1
    assert any(line.startswith("::error file=content/clusters/IN-0002.yaml,line=1,col=1,title=name::")
               for line in result.lines)


@pytest.mark.parametrize("command", ["validate", "build", "new", "serve", "publish"])
def test_every_subcommand_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as done:
        parser().parse_args([command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "example:" in out and "--content DIR" in out


def test_new_writes_a_commented_skeleton_with_the_next_free_id(cli, content, monkeypatch):
    monkeypatch.chdir(content.parent)
    write(content / "clusters" / "IN-0007.yaml", (content / "clusters" / "IN-0001.yaml").read_text().replace("IN-0001", "IN-0007"))
    result = cli("new", "--country", "in", "--name", 'Tiruppur "knitwear" cluster', "--content", "content")
    assert result.code == 0
    path = content / "clusters" / "IN-0008.yaml"
    assert result.out.strip() == str(path.relative_to(content.parent))
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schema/cluster.schema.json\n")
    assert 'name: "Tiruppur \\"knitwear\\" cluster"' in text
    assert "# Location setting: Metro, urban, small town or rural. (metro | urban | small_town | rural)" in text
    # the skeleton is not yet a valid record: the contributor is told what to fill in
    check = cli("validate", "--content", "content")
    assert check.code == 1
    assert any(line.startswith("content/clusters/IN-0008.yaml:") and "setting: value is empty" in line for line in check.lines)


def test_new_never_reuses_a_retired_id(cli, content, monkeypatch):
    monkeypatch.chdir(content.parent)
    write(content / "retired.yaml", "# IDs of removed records, never to be reused\nretired: [TH-0004]\n")
    result = cli("new", "--country", "TH", "--name", "Next", "--content", "content")
    assert result.code == 0
    assert (content / "clusters" / "TH-0005.yaml").exists()


def test_new_refuses_a_bad_country(cli, content):
    result = cli("new", "--country", "XX", "--name", "x", "--content", str(content))
    assert result.code == 1
    assert "error: --country: 'XX' is not an ISO 3166-1 alpha-2 code; expected e.g. IN, CN, TH" in result.err


def test_failed_build_leaves_the_previous_site_alone(cli, content, tmp_path, monkeypatch):
    import shutil
    from .conftest import CONFIG
    monkeypatch.chdir(tmp_path)
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    assert cli("build", "--content", "content").code == 0
    before = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    write(content / "clusters" / "IN-0001.yaml", "id: IN-0001\nname: [broken\n")
    result = cli("build", "--content", "content")
    assert result.code == 1
    assert "nothing was built, and the previous site is unchanged" in result.err
    after = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_strict_with_changed_since_judges_only_changed_records(content, tmp_path, monkeypatch, cli):
    import subprocess
    monkeypatch.chdir(tmp_path)
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "base")
    # the fixture has warnings (sources without URLs) in files this change does not touch
    assert cli("validate", "--strict", "--content", "content").code == 1
    assert cli("validate", "--strict", "--changed-since", "main", "--content", "content").code == 0
    write(content / "clusters" / "IN-0002.yaml", (content / "clusters" / "TH-0001.yaml").read_text()
          .replace("TH-0001", "IN-0002").replace("country: TH", "country: IN"))
    result = cli("validate", "--strict", "--changed-since", "main", "--content", "content")
    assert result.code == 1
    assert {line.split(":")[0] for line in result.lines} == {"content/clusters/IN-0002.yaml"}


ODD_RECORDS = {
    "IN-0101": "1: x\nid: IN-0101\n",
    "IN-0102": "id: IN-0102\nname: {a: 1}\ncountry: [IN]\nsetting: {}\nsector: 3\nsources: {a: b}\n",
    "IN-0105": "id: IN-0105\nsize: [1,2]\nintervention: {finance_credit: high}\nmarkets: {local: 3}\n"
               "approaches: [ovop]\ntypology: note\ncoordinates: {lat: x}\n",
    "IN-0106": "id: IN-0106\nsources:\n  - key: [x]\n    year: 99999999999999999999\n",
    "IN-0107": "? [complex, key]\n: value\n",
    "IN-0110": "id: IN-0110\nreviewed: 2026-01-01T10:00:00\nname: .nan\ncountry: null\n",
}


def test_oddly_shaped_records_get_messages_not_tracebacks(tmp_path):
    import shutil
    shutil.copytree(FIXTURE, tmp_path / "content")
    for ident, text in ODD_RECORDS.items():
        write(tmp_path / "content" / "clusters" / f"{ident}.yaml", text)
    result = run_command("validate", "--content", "content", cwd=tmp_path)
    assert result.code == 1
    assert "Traceback" not in result.out + result.err and "unexpected" not in result.err
    reported = {line.split(":")[0] for line in result.out.splitlines() if ": error: " in line}
    assert reported == {f"content/clusters/{ident}.yaml" for ident in ODD_RECORDS}


def test_messages_name_files_from_the_repository_whatever_the_working_directory(content, tmp_path, monkeypatch, cli):
    import subprocess
    write(content / "clusters" / "IN-0002.yaml", "id: IN-0002\nname: [broken\n")
    # no repository: paths start at the folder that holds the content folder
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = cli("validate", "--content", str(content), cwd=outside)
    assert result.code == 1
    assert any(line.startswith("content/clusters/IN-0002.yaml:3:") for line in result.lines), result.lines
    # in a repository, from a sub-folder: paths start at the repository's top, as git diff names them
    (content / "clusters" / "IN-0002.yaml").unlink()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "base"], cwd=tmp_path, check=True)
    write(content / "clusters" / "IN-0003.yaml", "id: IN-0003\nname: [broken\n")
    deep = content / "clusters"
    result = cli("validate", "--changed-since", "main", "--content", "..", cwd=deep)
    assert result.code == 1
    named = {line.split(":")[0] for line in result.lines if ": error: " in line}
    assert named == {"content/clusters/IN-0003.yaml"}, result.lines


def test_the_readme_command_reference_is_the_argument_parser_s():
    """The README's table of commands is written from the parser (`make readme`): it cannot drift."""
    from generator.cli import parser
    from generator.clidoc import END, START, command_reference, with_reference
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = command_reference(parser())
    assert readme[readme.index(START):readme.index(END)] == f"{START}\n{table}", "run: make readme"
    assert with_reference(readme, table) == readme
    for name in ("validate", "build", "new", "publish", "schema", "fmt", "locate", "preview", "serve"):
        assert f"| `clustergrid {name}" in table
    assert "--force-branch" in table and "--cname" in table and "--no-build" in table
