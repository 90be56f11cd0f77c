"""Loading: every kind of unreadable or unsafe file is refused with path:line:col and a hint."""
from __future__ import annotations

import time

import pytest

from generator.load import MAX_FILE_BYTES, load_document

CASES = {
    "malformed": (b"id: [IN\nname: x\n",
                  "bad.yaml:2:5: error: id: malformed YAML: did not find expected ',' or ']' (while parsing a flow sequence "
                  "that starts at line 1); expected valid YAML; "
                  "check quoting and indentation on this line and the one before"),
    "duplicate key": (b"id: IN-0001\nname: x\nname: y\n",
                      "bad.yaml:3:1: error: name: duplicate key 'name'; expected each key once; remove or merge the second one"),
    "tab in indentation": (b"id: IN-0001\nspace:\n\tx: 1\n",
                           "bad.yaml:3:1: error: space: tab character in indentation; expected spaces only; replace the tab with spaces"),
    "empty": (b"", "bad.yaml:1:1: error: -: file is empty; expected a YAML mapping of fields; run 'clustergrid new' for a skeleton"),
    "only comments": (b"# nothing\n\n", "bad.yaml:1:1: error: -: file is empty; expected a YAML mapping of fields; "
                                       "run 'clustergrid new' for a skeleton"),
    "not UTF-8": (b"id: IN-0001\nname: caf\xe9\n",
                  "bad.yaml:2:10: error: -: file is not valid UTF-8 (byte 0xE9); expected UTF-8 text; save the file as UTF-8"),
    "top-level list": (b"- a\n- b\n", "bad.yaml:1:1: error: -: top level is a list; expected a mapping of fields (key: value)"),
    "top-level string": (b"just text\n", "bad.yaml:1:1: error: -: top level is a string; expected a mapping of fields (key: value)"),
    "anchor and alias": (b"a: &x [1]\nb: *x\n",
                         "bad.yaml:1:4: error: a: YAML anchor '&x' is not allowed; expected plain values; remove the anchor"),
    "python tag": (b"a: !!python/object:os.system {}\n",
                   "bad.yaml:1:4: error: a: YAML tag '!!python/object:os.system' is not allowed; "
                   "expected plain values without tags; remove the tag"),
    "custom tag": (b"a: !custom 3\n",
                   "bad.yaml:1:4: error: a: YAML tag '!custom' is not allowed; expected plain values without tags; remove the tag"),
    "control character": (b'a: "x\x01y"\n',
                          "bad.yaml:1:6: error: a: control character U+0001 in file; expected printable text; delete the character"),
    "impossible date": (b"id: IN-0001\nreviewed: 2026-13-45\n",
                        "bad.yaml:2:11: error: reviewed: not a real date: month must be in 1..12; expected a real date "
                        "written YYYY-MM-DD, e.g. 2026-11-28; correct the day or month"),
    "bidi override": ("name: \"abc\u202edef\"\n".encode(),
                      "bad.yaml:1:11: error: name: control character U+202E in file; expected printable text; delete the character"),
    "binary tag": (b"id: !!binary aGVsbG8=\n",
                   "bad.yaml:1:5: error: id: YAML tag '!!binary' is not allowed; expected plain values without tags; remove the tag"),
    "two documents": (b"a: 1\n---\nb: 2\n",
                      "bad.yaml:2:1: error: -: more than one YAML document; expected one mapping per file; "
                      "remove the '---' separator"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_refused_files_give_one_exact_first_message(tmp_path, monkeypatch, name):
    data, expected = CASES[name]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_bytes(data)
    doc, problems = load_document(tmp_path / "bad.yaml")
    assert doc is None
    assert problems[0].format() == expected


def test_alias_bomb_is_refused_fast_without_expanding(tmp_path, monkeypatch):
    # Ten levels of nine aliases each would expand to 9**10 (3.4 billion) items.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 11)]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bomb.yaml").write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    doc, problems = load_document(tmp_path / "bomb.yaml")
    elapsed = time.perf_counter() - started
    assert doc is None
    assert elapsed < 1.0, f"alias bomb took {elapsed:.2f}s"
    assert problems[0].format().startswith("bomb.yaml:1:5: error: a0: YAML anchor '&a0' is not allowed")
    # each name once: a bomb does not flood the output
    assert len(problems) == len({p.message for p in problems})


def test_oversized_file_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "big.yaml").write_bytes(b"note: '" + b"x" * MAX_FILE_BYTES + b"'\n")
    doc, problems = load_document(tmp_path / "big.yaml")
    assert doc is None
    assert problems[0].format() == (f"big.yaml:1:1: error: -: file is {MAX_FILE_BYTES + 9} bytes, over the limit of "
                                    f"{MAX_FILE_BYTES}; expected a record under 256 KiB; split long text or move it to a source")


def test_positions_are_kept_for_values(tmp_path):
    from generator.load import key_position, position
    (tmp_path / "ok.yaml").write_text("id: IN-0001\nspace:\n  regional_development: low\n")
    doc, problems = load_document(tmp_path / "ok.yaml", positions=True)
    assert problems == []
    assert position(doc.data["space"], "regional_development") == (3, 25)
    assert key_position(doc.data, "space") == (2, 1)


def test_a_byte_order_mark_is_accepted(tmp_path):
    (tmp_path / "bom.yaml").write_bytes("\ufeffid: IN-0001\nname: \"नाम\u200d\"\n".encode())
    doc, problems = load_document(tmp_path / "bom.yaml")
    assert problems == []
    assert doc.data == {"id": "IN-0001", "name": "नाम\u200d"}  # zero-width joiners stay: Indic scripts need them
