"""A first contribution, as a newcomer makes it: the guide, the pull-request check and the tools agree.

Each test names the problem of issue 14 ("A first contribution with no contradictions") that it
keeps from coming back.
"""
from __future__ import annotations

import datetime as dt
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator.spec import CLUSTER, SOURCE

from .conftest import CONFIG, CONTENT, FIXTURE, ROOT, Result, run_command, write

EXE = Path(sys.executable).parent / "clustergrid"
TODAY = dt.date.today().isoformat()


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@e", *args], cwd=cwd, check=True,
                          capture_output=True, text=True).stdout.strip()


def merged(*args: str, cwd: Path) -> list[str]:
    """Run clustergrid with stderr merged into stdout, as a terminal shows it; return the lines."""
    proc = subprocess.run([str(EXE), *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "PYTHONUNBUFFERED": "1"})
    return (proc.stdout + proc.stderr).splitlines() if proc.returncode == 0 else \
        [line for line in (proc.stdout + "\n" + proc.stderr).splitlines() if line.strip()]


def scratch_repo(tmp_path: Path, content: Path = FIXTURE) -> Path:
    """A git repository holding a copy of ``content`` committed on main, with origin/main pointing at it."""
    repo = tmp_path / "repo"
    shutil.copytree(content, repo / "content")
    shutil.copy(CONFIG, repo / "mkdocs.yml")
    write(repo / ".gitignore", "site/\nbuild/\n.site*\n")
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "base", cwd=repo)
    git("update-ref", "refs/remotes/origin/main", "HEAD", cwd=repo)
    return repo


# -- 1. One merge policy: the guide's example passes the workflow's own command ----------------

def workflow_validate_command() -> str:
    """The pull-request workflow's validate command, exactly as the workflow runs it."""
    data = YAML(typ="safe").load((ROOT / ".github" / "workflows" / "pull-request.yml").read_text())
    runs = [step["run"] for job in data["jobs"].values() for step in job["steps"]
            if "clustergrid validate" in step.get("run", "")]
    assert len(runs) == 1, "the pull-request check validates records in exactly one step"
    return runs[0].strip()


def run_workflow_check(repo: Path) -> Result:
    """Run the workflow's validate command in ``repo``, the base branch being main."""
    argv = shlex.split(workflow_validate_command().replace("${{ github.base_ref }}", "main"))
    assert argv[0] == ".venv/bin/clustergrid"
    proc = subprocess.run([str(EXE), *argv[1:]], cwd=repo, capture_output=True, text=True, timeout=300)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def guide_section(title: str) -> str:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def guide_example() -> str:
    """The smallest record of CONTRIBUTING.md, placeholders and all."""
    return re.search(r"```yaml\n(.*?)```", guide_section("The smallest record"), re.S).group(1)


FILL = {"name": '"Guide test cluster"', "setting": "urban", "sector": "textiles_garments", "key": "guide2001",
        "author": '"Author, A."', "year": "2001", "title": '"A study of the cluster"', "publisher": '"A publisher"',
        "url": '"https://sample.test/guide"', "reviewed": TODAY}


def filled_example() -> str:
    """The guide's example filled in the way its comments say."""
    def fill(match: re.Match) -> str:
        return f"{match.group(1)}{match.group(2)}: {FILL[match.group(2)]}"
    text = re.sub(r'^(\s*(?:- )?)(\w+): (?:"…"|…)', fill, guide_example(), flags=re.M)
    assert "…" not in text
    return text


def test_the_guide_states_the_workflow_command_and_the_workflow_is_not_stricter():
    command = workflow_validate_command()
    policy = guide_section("What a record needs to be merged")
    assert command.replace("${{ github.base_ref }}", "main") in policy
    assert "--strict" not in command and "--strict --changed-since" not in (ROOT / "CONTRIBUTING.md").read_text()
    assert "No size figure is required" in policy


def test_the_guides_example_filled_in_passes_the_workflow_check_on_the_real_content(tmp_path):
    repo = scratch_repo(tmp_path, CONTENT)
    git("checkout", "-q", "-b", "contribution", cwd=repo)
    write(repo / "content" / "clusters" / "IN-0042.yaml", filled_example())
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "Add a cluster as the guide says", cwd=repo)
    result = run_workflow_check(repo)
    assert result.code == 0, result.out + result.err
    assert ": error: " not in result.out


def required_by_guide() -> tuple[list[str], list[str]]:
    """The top-level and per-source fields the guide calls required."""
    line = next(l for l in guide_section("What a record needs to be merged").splitlines() if "**Required fields:**" in l)
    top, per_source = line.split("in each source", 1)
    return re.findall(r"`(\w+)`", top), re.findall(r"`(\w+)`", per_source.split("(or", 1)[0])


def test_the_guides_required_fields_are_the_validators():
    top, per_source = required_by_guide()
    assert set(top) == {name for name, spec in CLUSTER.fields.items() if spec.required}
    # 'year' is required by a rule (an undated web page gives url and accessed instead)
    assert set(per_source) == {name for name, spec in SOURCE.fields.items() if spec.required} | {"year"}


def _without(path: tuple) -> str:
    yaml = YAML(typ="rt")
    data = yaml.load(filled_example())
    node = data
    for step in path[:-1]:
        node = node[step]
    del node[path[-1]]
    import io
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def policy_repo(tmp_path_factory) -> Path:
    return scratch_repo(tmp_path_factory.mktemp("policy"))


REQUIRED_CASES = [(f"{name} missing", (name,), f"{name}: missing required field")
                  for name in required_by_guide()[0]] + \
                 [(f"source {name} missing", ("sources", 0, name), f"sources[0].{name}: missing required field")
                  for name in required_by_guide()[1]] + \
                 [("no checkable source", ("sources", 0, "url"), "sources: no source has a URL, DOI or ISBN")]


@pytest.mark.parametrize("name,path,expected", REQUIRED_CASES, ids=[c[0] for c in REQUIRED_CASES])
def test_each_thing_the_guide_requires_fails_the_workflow_check_when_missing(policy_repo, name, path, expected):
    write(policy_repo / "content" / "clusters" / "IN-0042.yaml", _without(path))
    result = run_workflow_check(policy_repo)
    assert result.code == 1, name
    assert "content/clusters/IN-0042.yaml" in result.out.splitlines()[0]
    assert any(f": error: {expected}" in line for line in result.out.splitlines()), result.out


def test_a_placeholder_left_from_the_guide_fails_the_workflow_check(policy_repo):
    write(policy_repo / "content" / "clusters" / "IN-0042.yaml", filled_example().replace('"A publisher"', '"…"'))
    result = run_workflow_check(policy_repo)
    assert result.code == 1
    assert "error: sources[0].publisher: placeholder text '…'" in result.out


@pytest.mark.parametrize("publisher", ["World Development 27(9), doi:10.1016/S0000-0000(00)00000-0",
                                       "Oxford University Press, ISBN 978-0-00-000000-0"])
def test_a_doi_or_isbn_in_the_publisher_line_makes_a_source_checkable(policy_repo, publisher):
    text = _without(("sources", 0, "url")).replace("A publisher", publisher)
    write(policy_repo / "content" / "clusters" / "IN-0042.yaml", text)
    result = run_workflow_check(policy_repo)
    assert result.code == 0, result.out


def test_unchanged_records_without_a_checkable_source_or_size_do_not_fail_the_check(policy_repo):
    # the fixture's JP-0001 has no URL and no size figure; it is not part of this change
    (policy_repo / "content" / "clusters" / "IN-0042.yaml").unlink(missing_ok=True)
    result = run_workflow_check(policy_repo)
    assert result.code == 0, result.out
    named = subprocess.run([str(EXE), "validate", "content/clusters/JP-0001.yaml"], cwd=policy_repo,
                           capture_output=True, text=True)
    assert named.returncode == 1 and "sources: no source has a URL, DOI or ISBN" in named.stdout


# -- 2. The contributor's one error comes first -------------------------------------------------

def one_error_repo(tmp_path: Path) -> Path:
    """The real content (about a hundred warnings) plus one new record with one error."""
    repo = scratch_repo(tmp_path, CONTENT)
    write(repo / "content" / "clusters" / "IN-0042.yaml", filled_example().replace("setting: urban", "setting: towne"))
    return repo


ONE_ERROR = "content/clusters/IN-0042.yaml:5:10: error: setting: unknown value: 'towne'"


def test_validate_takes_file_names(tmp_path):
    repo = one_error_repo(tmp_path)
    result = run_command("validate", "content/clusters/IN-0042.yaml", cwd=repo)
    assert result.code == 1
    assert result.out.splitlines()[0].startswith(ONE_ERROR)
    assert len(result.out.splitlines()) <= 3  # its own problems only; other files' warnings are a count
    assert re.search(r"^\d+ warnings in \d+ other files; `clustergrid validate --all` to list them$", result.err, re.M)
    good = run_command("validate", "content/clusters/IN-0001.yaml", cwd=repo)
    assert good.code == 0 and ": error: " not in good.out
    assert good.err.strip().endswith("ok: content/clusters/IN-0001.yaml has no errors (4 warnings)")


def test_validate_refuses_a_file_that_is_not_a_record(tmp_path):
    repo = one_error_repo(tmp_path)
    result = run_command("validate", "mkdocs.yml", cwd=repo)
    assert result.code == 1
    assert result.err.startswith("error: mkdocs.yml: not a record file under content/")


@pytest.mark.parametrize("command", [["validate"], ["build"], ["make"]])
def test_a_single_error_is_in_the_first_five_lines(tmp_path, command):
    repo = one_error_repo(tmp_path)
    if command == ["make"]:
        venv = Path(sys.executable).parent.parent
        shutil.copy(ROOT / "Makefile", repo / "Makefile")
        shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
        import os
        os.utime(repo / "pyproject.toml", (0, 0))  # older than the venv's stamp: make installs nothing
        proc = subprocess.run(["make", "site", f"VENV={venv}"], cwd=repo, capture_output=True, text=True, timeout=300)
        lines = [l for l in (proc.stdout + proc.stderr).splitlines() if l.strip()]
    else:
        lines = merged(*command, cwd=repo)
    assert any(line.startswith(ONE_ERROR) for line in lines[:5]), "\n".join(lines[:8])
    assert len(lines) <= 6, "\n".join(lines)  # warnings are counted, not listed


def test_serve_prints_errors_in_full_and_warnings_as_a_count(tmp_path):
    import socket
    repo = one_error_repo(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_command("serve", "--port", str(port), cwd=repo, timeout=120)
    assert result.code == 1  # nothing was ever built, so there is nothing to serve
    assert result.out.splitlines()[0].startswith(ONE_ERROR) and len(result.out.splitlines()) == 1
    assert re.search(r"^1 error, \d+ warnings \(list them with: clustergrid validate --all\)", result.err, re.M)


# -- 3. Empty and missing fields: one piece of advice, with the allowed values ------------------

def test_the_skeletons_empty_fields_get_their_allowed_values_and_no_contradiction(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    before = set((tmp_path / "content" / "clusters").iterdir())
    assert run_command("new", "--country", "IN", "--name", "Test cluster", cwd=tmp_path).code == 0
    (created,) = set((tmp_path / "content" / "clusters").iterdir()) - before
    path = f"content/clusters/{created.name}"
    lines = run_command("validate", path, cwd=tmp_path).out.splitlines()
    setting = next(l for l in lines if ": setting: " in l)
    sector = next(l for l in lines if ": sector: " in l)
    assert setting.endswith("setting: value is empty; expected one of: metro, rural, small_town, urban; give a value")
    assert sector.endswith("sector: value is empty; expected one of 15 values, such as agro_food, automotive, "
                           "ceramics_glass (all of them: 'sectors:' in content/grid.yaml); give a value")
    text = (tmp_path / path).read_text()
    write(tmp_path / path, re.sub(r"^setting:.*\n", "", text, flags=re.M).replace("sector:", "sector: textile"))
    lines = run_command("validate", path, cwd=tmp_path).out.splitlines()
    assert any(l.endswith("error: setting: missing required field; expected one of: metro, rural, small_town, urban; "
                          "add 'setting:' at the top level") for l in lines)
    assert any(l.endswith("error: sector: unknown value: 'textile'; expected one of 15 values, closest: "
                          "textiles_garments (all of them: 'sectors:' in content/grid.yaml)") or
               ("closest: textiles_garments" in l and "content/grid.yaml" in l) for l in lines), lines


# -- 4. Every message names its field -------------------------------------------------------------

def test_an_impossible_date_names_its_field_and_does_not_advise_quoting(content, cli, monkeypatch):
    monkeypatch.chdir(content.parent)
    path = content / "clusters" / "TH-0001.yaml"
    write(path, re.sub(r"^reviewed: .*$", "reviewed: 2026-13-01", path.read_text(), flags=re.M))
    result = cli("validate", "content/clusters/TH-0001.yaml")
    line = next(l for l in result.lines if l.startswith("content/clusters/TH-0001.yaml"))
    assert re.fullmatch(r"content/clusters/TH-0001\.yaml:\d+:11: error: reviewed: not a real date: month must be in "
                        r"1\.\.12; expected a real date written YYYY-MM-DD, e.g\. 2026-11-28; correct the day or month", line)


def test_a_yaml_syntax_error_names_the_line_and_the_key(content, cli, monkeypatch):
    monkeypatch.chdir(content.parent)
    write(content / "clusters" / "IN-0009.yaml", 'id: IN-0009\nname: "Unclosed\ncountry: IN\n')
    result = cli("validate", "content/clusters/IN-0009.yaml")
    assert result.lines[0].startswith("content/clusters/IN-0009.yaml:2:7: error: name: malformed YAML: ")


def test_a_bad_git_ref_is_named(tmp_path):
    repo = scratch_repo(tmp_path)
    result = run_command("validate", "--changed-since", "origin/nosuch", cwd=repo)
    assert result.code == 1
    assert result.err.startswith("error: --changed-since: unknown git ref 'origin/nosuch'; ")
    assert ".:1:1" not in result.out + result.err


# A record for each message the loader and validator produce, so the walk below meets them all.
MESSAGE_CORPUS = {
    "IN-0101.yaml": b"id: IN-0101\nname: [unclosed\n",
    "IN-0102.yaml": b"id: IN-0102\nnote: &a x\nother: *a\n",
    "IN-0103.yaml": b"id: !!str IN-0103\n",
    "IN-0104.yaml": b"id: IN-0104\nspace:\n\tx: 1\n",
    "IN-0105.yaml": b'id: IN-0105\nname: "a\x01b"\n',
    "IN-0106.yaml": b"id: IN-0106\nreviewed: 2026-02-30\n",
    "IN-0107.yaml": b"id: IN-0107\nname: x\nname: y\n",
    "IN-0108.yaml": b"id: IN-0108\n---\nid: IN-0108\n",
    "IN-0110.yaml": b"id: IN-0110\nproducts: " + b"[" * 12 + b"]" * 12 + b"\n",
    "IN-0109.yaml": b"id: IN-0109\nname:\ncountry: IN\nsetting:\nsector: textil\nsectr: x\nmarkets: {locl: major}\n"
                    b"sources:\n  - {key: a, author: A, title: T, year: 2031}\n  - {key: a, author: B, title: U}\n"
                    b"size: {units: {value: 1, year: 2001, source: zz}, turnover: {value: 2, year: 2001, source: a}}\n"
                    b"intervention: {trade_ipr: {need: high}}\n"
                    b"approaches: [{id: otop, since: 2001, until: 2000}, {id: otop}]\n"
                    b"note: \"TODO\"\nreviewed: 2099-01-01\n",
    "PK-0110.yaml": b"id: IN-0111\nname: x\ncountry: TH\nsetting: rural\nsector: crafts\nsources: []\nreviewed: 2026-01-01\n",
    "IN-0112.yaml": b"- just\n- a list\n",
    "IN-0113.yaml": b"",
    "IN-0114.yaml": b"id: IN-0114\nname: caf\xe9\n",
}
WHOLE_FILE = ("file is empty", "file is not valid UTF-8", "top level is", "cannot read file", "file is ",
              "unexpected file", "content folder not found", "more than one YAML document", "hidden file",
              "unexpected folder")
"""Messages about a file as a whole, where '-' is the right field."""


def _literal_head(node) -> str | None:
    import ast
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return node.values[0].value
    return None


def dash_message_sites() -> list[str]:
    """The start of every message the generator reports with '-' as its field (read from the source)."""
    import ast
    heads = []
    for path in sorted((ROOT / "generator").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Problem" and len(node.args) >= 5:
                field = node.args[3]
                if isinstance(field, ast.Constant) and field.value == "-":
                    heads.append(_literal_head(node.args[4]) or "")
            # problems built with *where (path, line, col, "-") in the event scan
            if isinstance(node, ast.Tuple) and len(node.elts) == 4 and isinstance(node.elts[3], ast.Constant) \
                    and node.elts[3].value == "-":
                heads.append("<YAML event>")
    return heads


def test_no_message_has_dash_as_its_field_when_a_field_applies(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    for name, data in MESSAGE_CORPUS.items():
        (tmp_path / "content" / "clusters" / name).write_bytes(data)
    write(tmp_path / "content" / "retired.yaml", "retired: [IN-0109, {id: 12}]\n")
    (tmp_path / "content" / "clusters" / "notes.txt").write_text("x")
    result = run_command("validate", "--all", cwd=tmp_path)
    lines = [l for l in result.out.splitlines() if re.match(r"^\S+:\d+:\d+: (error|warning): ", l)]
    assert len(lines) > 30
    produced = []
    for line in lines:
        field, message = re.match(r"^\S+:\d+:\d+: \w+: (.*?): (.*)$", line).groups()
        produced.append((field, message))
        assert field.strip(), line
        if field == "-":
            assert message.startswith(WHOLE_FILE), f"a field applies here: {line}"
    # every site in the code that reports '-' either is a whole-file message or is renamed at run time
    for head in dash_message_sites():
        # '' is read_regular_file's refuse(what, …): messages about the file itself (symlink, FIFO, …)
        if head == "" or head.startswith(WHOLE_FILE):
            continue
        seen = [f for f, m in produced if head != "<YAML event>" and m.startswith(head.split("{")[0])]
        if head == "<YAML event>":
            seen = [f for f, m in produced if m.startswith(("YAML anchor", "YAML alias", "YAML tag"))]
        assert seen, f"no corpus record produces the message starting {head!r}"
        assert "-" not in seen, f"message {head!r} is reported with '-' as its field"


# -- 5. Failures that say what happened and what to do ------------------------------------------

def test_a_failed_push_shows_gits_first_and_last_lines_and_the_remote(content, tmp_path):
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    (tmp_path / "such.git").mkdir()  # a folder, but no repository: git refuses the push
    result = run_command("publish", "--remote", "such.git", "--content", "content", cwd=tmp_path)
    assert result.code == 1
    message = result.err.strip().splitlines()[-1]
    remote = str((tmp_path / "such.git").resolve())
    assert message.startswith(f"error: git push to remote '{remote}' failed: fatal: '{remote}' does not appear "
                              "to be a git repository … ")
    assert message.endswith("and the repository exists.")


def _busy_port():
    import socket
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock, sock.getsockname()[1]


@pytest.mark.parametrize("command", [["serve"], ["preview", "content/clusters/TH-0001.yaml"]])
def test_a_busy_port_given_with_port_is_refused_before_building(content, tmp_path, command):
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    sock, port = _busy_port()
    with sock:
        result = run_command(*command, "--port", str(port), "--content", "content", cwd=tmp_path, timeout=60)
    assert result.code == 1
    assert result.err.strip() == f"error: port {port} is in use; try `--port {port + 1}`"
    assert not (tmp_path / "site").exists() and not (tmp_path / "build").exists()


def test_without_port_the_next_free_port_is_taken(tmp_path, monkeypatch):
    from generator import serve
    sock, port = _busy_port()
    with sock:
        monkeypatch.setattr(serve, "DEFAULT_PORT", port)
        server = serve.open_server(tmp_path, None)
        try:
            assert server.server_address[1] > port
        finally:
            server.server_close()
        with pytest.raises(serve.PortInUse, match=rf"^port {port} is in use; try `--port {port + 1}`$"):
            serve.open_server(tmp_path, port)


def test_preview_announces_the_next_free_port_and_the_records_page(content, tmp_path):
    import signal
    import socket
    import time
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", 8000))
        holder.listen()
    except OSError:
        pass  # taken by someone else: busy either way
    proc = subprocess.Popen([str(EXE), "preview", "content/clusters/TH-0001.yaml", "--content", "content"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        deadline = time.time() + 120
        while time.time() < deadline:
            line = proc.stderr.readline()
            lines.append(line)
            if line.startswith("serving ") or not line:
                break
        text = "".join(lines)
        match = re.search(r"^port 8000 is in use; using (\d+) instead$", text, re.M)
        assert match, text
        assert f"serving http://127.0.0.1:{match.group(1)}/clusters/TH-0001.html (Ctrl-C to stop)" in text
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
        holder.close()


# -- 6. The validator's gaps ----------------------------------------------------------------------

def _problems(content: Path, today: dt.date) -> list[str]:
    from generator.load import load_content
    from generator.validate import validate_content
    loaded, found = load_content(content)
    return [p.format() for p in found + validate_content(loaded, today).problems]


def test_years_and_review_dates_are_judged_by_an_injected_clock(content, monkeypatch):
    monkeypatch.chdir(content.parent)
    path = content / "clusters" / "IN-0001.yaml"
    text = path.read_text()
    write(path, re.sub(r"^reviewed: .*$", "reviewed: 2031-01-05", text.replace("year: 2009", "year: 2031", 1), flags=re.M))
    in_2026 = [p for p in _problems(content, dt.date(2026, 11, 28)) if "IN-0001" in p and ": error: " in p]
    assert any(re.search(r"error: sources\[0\]\.year: year 2031 is in the future; expected a year up to 2026", p)
               for p in in_2026), in_2026
    assert any("error: reviewed: date 2031-01-05 is in the future; expected a date up to 2026-11-28" in p
               for p in in_2026)
    assert [p for p in _problems(content, dt.date(2031, 1, 5)) if "IN-0001" in p and "future" in p] == []


def test_the_clock_can_be_fixed_for_a_whole_command(content, monkeypatch, cli):
    monkeypatch.chdir(content.parent)
    monkeypatch.setenv("CLUSTERGRID_TODAY", "2020-01-01")
    result = cli("validate", "content/clusters/IN-0001.yaml")
    assert result.code == 1 and "is in the future; expected a date up to 2020-01-01" in result.out


def _example_blocks() -> list[tuple[str, str]]:
    blocks = []
    for doc in ("README.md", "CONTRIBUTING.md", "docs-src/record-format.md"):
        for block in re.findall(r"```yaml\n(.*?)```", (ROOT / doc).read_text(encoding="utf-8"), re.S):
            if re.search(r"^id: [A-Z]{2}-\d{4}", block, re.M):
                blocks.append((doc, block))
    return blocks


@pytest.mark.parametrize("doc,block", _example_blocks(), ids=[f"{d}:{i}" for i, (d, _) in enumerate(_example_blocks())])
def test_the_docs_example_records_with_placeholders_are_refused(doc, block, tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    ident = re.search(r"^id: ([A-Z]{2}-\d{4})", block, re.M).group(1)
    write(tmp_path / "content" / "clusters" / f"{ident}.yaml", block)
    result = run_command("validate", "--strict", f"content/clusters/{ident}.yaml", cwd=tmp_path)
    assert result.code == 1
    assert "placeholder text" in result.out, (doc, result.out)


def test_a_live_record_with_a_retired_id_is_an_error(content, cli, monkeypatch):
    monkeypatch.chdir(content.parent)
    write(content / "retired.yaml", 'retired:\n  - {id: TH-0001, note: "Duplicate of JP-0001"}\n')
    result = cli("validate", "content/clusters/TH-0001.yaml")
    assert result.code == 1
    assert re.search(r"^content/clusters/TH-0001\.yaml:\d+:5: error: id: ID 'TH-0001' is retired \(Duplicate of JP-0001\), "
                     r"listed in content/retired\.yaml; expected an ID never used before; IDs are never reused: get the "
                     r"next free one with: clustergrid new --country TH$", result.out, re.M), result.out


def test_the_retired_format_is_documented_with_an_example_the_tools_read(tmp_path):
    from generator.load import load_document
    from generator.validate import read_retired
    guide = (ROOT / "docs-src" / "record-format.md").read_text(encoding="utf-8")
    section = guide.split("## Retired IDs\n", 1)[1]
    example = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    path = write(tmp_path / "retired.yaml", example)
    doc, problems = load_document(path, positions=True)
    retired, problems = read_retired(doc)
    assert problems == [] and set(retired) == {"IN-0009", "TH-0004"}
    write(path, "retired: [IN-9]\n")
    retired, problems = read_retired(load_document(path, positions=True)[0])
    assert [p.field for p in problems] == ["retired[0]"]


# -- 7. Publishing --------------------------------------------------------------------------------

def test_publish_refuses_uncommitted_content_and_makes_no_empty_commit(tmp_path):
    repo = scratch_repo(tmp_path)
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(remote), cwd=tmp_path)
    record = repo / "content" / "clusters" / "TH-0001.yaml"
    record.write_text(record.read_text().replace("Fixture woodcarving village", "Edited village"))
    write(repo / "content" / "clusters" / "IN-0042.yaml", filled_example())
    refused = run_command("publish", "--remote", str(remote), cwd=repo)
    assert refused.code == 1
    assert refused.err.strip() == ("error: content/ has uncommitted changes: content/clusters/IN-0042.yaml, "
                                   "content/clusters/TH-0001.yaml; commit them first (the published site should match a "
                                   "commit), or pass --allow-dirty")
    assert run_command("publish", "--remote", str(remote), "--allow-dirty", cwd=repo).code == 0
    first = git("rev-parse", "gh-pages", cwd=remote)
    again = run_command("publish", "--remote", str(remote), "--allow-dirty", "--no-build", cwd=repo)
    assert again.code == 0
    assert again.err.strip() == "nothing to publish: gh-pages already holds this build (no commit made)"
    assert git("rev-parse", "gh-pages", cwd=remote) == first


# -- 8. What users expect -------------------------------------------------------------------------

def test_version_names_mkdocs_and_material():
    from importlib.metadata import version
    result = run_command("--version", cwd=ROOT)
    assert result.code == 0
    assert result.out.strip() == (f"clustergrid {version('clustergrid')} (MkDocs {version('mkdocs')}, "
                                  f"Material for MkDocs {version('mkdocs-material')})")


def _on_a_terminal(*args: str, cwd: Path) -> str:
    import os
    import pty
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(EXE), *args], cwd=cwd, stdout=slave, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=300)
    os.close(master)
    return out.decode(errors="replace")


def test_progress_shows_on_a_terminal_only_and_not_with_quiet(content, tmp_path):
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    shown = _on_a_terminal("build", "--content", "content", cwd=tmp_path)
    assert re.search(r"^\[1\] reading records …", shown, re.M), shown
    assert re.search(r"^\[2\] checking 3 cluster records, 3 approach records …", shown, re.M)
    assert "building the site with MkDocs" in shown
    quiet = _on_a_terminal("build", "--quiet", "--content", "content", cwd=tmp_path)
    assert "[1]" not in quiet and "Built" not in quiet
    piped = run_command("build", "--content", "content", cwd=tmp_path)
    assert piped.code == 0 and "[1]" not in piped.err


def test_preview_prints_the_records_page_and_agrees_in_number(content, tmp_path):
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    result = run_command("preview", "--no-serve", "content/clusters/TH-0001.yaml", "--content", "content", cwd=tmp_path)
    assert result.code == 0, result.err
    page = tmp_path / "build" / "preview" / "clusters" / "TH-0001.html"
    assert result.err.strip().endswith(f"file://{page}")
    home = (tmp_path / "build" / "preview-docs" / "index.md").read_text()
    assert "**1** cluster in **1** country, and **3** intervention approaches." in home


def test_home_nouns_agree_with_their_counts():
    from generator.pages import home_nouns
    assert home_nouns(1, 1, 1) == {"clusters": "cluster", "countries": "country", "approaches": "approach"}
    assert home_nouns(2, 0, 3) == {"clusters": "clusters", "countries": "countries", "approaches": "approaches"}


def test_the_build_hint_names_the_folder_that_was_built(content, tmp_path):
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    result = run_command("build", "--site-dir", "elsewhere", "--content", "content", cwd=tmp_path)
    assert result.code == 0
    assert "Or serve it:       clustergrid serve --site-dir elsewhere" in result.err
    assert "make serve" not in result.err


def _tracked_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    for name in subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\n"):
        if name and (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    return copy


def test_make_clean_removes_every_ignored_artefact(tmp_path):
    copy = _tracked_copy(tmp_path)
    git("init", "-q", cwd=copy)
    artefacts = [".venv/bin/python", "site/index.html", "site.old/x", ".site-x/y", ".site.build-1-abc/index.html",
                 "build/docs/index.md", "build/preview/index.html", ".cache/x", "generator/__pycache__/cli.pyc",
                 "tests/__pycache__/x.pyc", "clustergrid.egg-info/PKG-INFO", ".pytest_cache/v", "cluster-grid-site.zip"]
    for name in artefacts:
        write(copy / name, "x")
    ignored = git("status", "--ignored", "--porcelain", cwd=copy)
    assert len([l for l in ignored.splitlines() if l.startswith("!!")]) >= 10
    subprocess.run(["make", "clean"], cwd=copy, check=True, capture_output=True)
    assert [l for l in git("status", "--ignored", "--porcelain", cwd=copy).splitlines() if l.startswith("!!")] == []


def test_the_zip_unpacks_into_one_folder_named_after_the_site(tmp_path):
    import os
    import zipfile
    copy = _tracked_copy(tmp_path)
    os.utime(copy / "pyproject.toml", (0, 0))  # older than the venv's stamp: make installs nothing
    venv = Path(sys.executable).parent.parent
    proc = subprocess.run(["make", "zip", f"VENV={venv}"], cwd=copy, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    names = zipfile.ZipFile(copy / "cluster-grid-site.zip").namelist()
    assert "cluster-grid-site/index.html" in names
    assert {name.split("/", 1)[0] for name in names} == {"cluster-grid-site"}


def test_setup_uses_no_deprecated_packaging_metadata():
    import tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    # a TOML table for project.license makes setuptools print a deprecation warning on every install
    assert isinstance(project["project"]["license"], str)
    assert any(re.fullmatch(r"setuptools>=(7[7-9]|[89]\d)(\.\d+)*", r) for r in project["build-system"]["requires"])


def test_validate_works_from_inside_the_content_folder_and_from_another_folder(content, cli):
    (content.parent / "docs-src").mkdir()
    for here, args in ((content / "clusters", ()), (content / "clusters", ("IN-0001.yaml",)),
                       (content.parent / "docs-src", ())):
        result = cli("validate", *args, cwd=here)
        assert result.code == 0, (here, result.err)
        assert "content folder not found" not in result.out + result.err


def test_an_unquoted_value_with_a_colon_gets_its_quoted_form_as_the_fix(content, cli, monkeypatch):
    monkeypatch.chdir(content.parent)
    path = content / "clusters" / "IN-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('name: "Fixture knitwear cluster"',
                                                            'name: Tiruppur: knitwear "cluster"'), encoding="utf-8")
    result = cli("validate", "--content", "content")
    assert result.code == 1
    assert result.lines[0] == ("content/clusters/IN-0001.yaml:3:15: error: name: malformed YAML: mapping values are not "
                               "allowed in this context; expected valid YAML; a value holding ': ' must be quoted: "
                               'name: "Tiruppur: knitwear \\"cluster\\""')
