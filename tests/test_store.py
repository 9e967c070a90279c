"""The stage store holds data, never code: exact round trips, verified bytes, refused plants."""
import errno
import json
import os
import pickle
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, strategies as st

from pipelines import atomic
from pipelines.report.model import Page, RawTable, TextLine, Unit
from pipelines.store import MISSING, StageStore, decode, encode

PAGE = Page(index=3, width=595.3, height=841.9, char_count=812, image_count=1,
            lines=(TextLine("101 年出口 3,011.1 億美元", 72.0, 300.25, 100.5, 112.5, 12.0, "MSung"),),
            tables=(RawTable((1.0, 2.0, 3.0, 4.0), (("甲", None), ("3", "0.5")), ("附表一",), "lines",
                             spans=((0, 1, 0, 2, "甲"),)),))


def test_parser_types_round_trip_exactly():
    value = ([PAGE], (Unit("億美元", "money", "USD", Decimal("100000000"), "USD"), {"k": (1, None)}))
    assert decode(*encode(value)) == value


@given(st.lists(st.decimals(allow_nan=False, allow_infinity=False) | st.floats(allow_nan=False)
                | st.integers() | st.text() | st.none() | st.booleans()))
def test_scalars_round_trip_exactly(values):
    back = decode(*encode(tuple(values)))
    assert back == tuple(values)
    assert [type(v) for v in back] == [type(v) for v in values]
    assert [str(v) for v in back] == [str(v) for v in values]  # Decimal('1.50') stays 1.50


def test_frames_round_trip_with_decimals_as_written():
    df = pd.DataFrame({"quantity": [Decimal("1.50"), None, Decimal("3011.1E8")],
                       "year": pd.Series([2012, None, 2011], dtype=object),
                       "n": [1, 2, 3], "share": [0.5, float("nan"), 1.25], "text": ["甲", None, "丙"]})
    back = decode(*encode({"fact": df}))["fact"]
    assert list(back.columns) == list(df.columns) and list(back.dtypes) == list(df.dtypes)
    assert [str(v) for v in back["quantity"]] == ["1.50", "None", "3.0111E+11"]
    assert list(back["year"]) == [2012, None, 2011] and list(back["text"]) == ["甲", None, "丙"]
    assert back["share"].equals(df["share"])


def test_code_objects_are_refused_on_write():
    with pytest.raises(TypeError, match="plain data only"):
        encode({"f": open})


def test_a_document_naming_a_foreign_type_is_refused(tmp_path):
    store = StageStore(tmp_path)
    store.put("r1", "report_pages", "abc", [PAGE])
    doc = tmp_path / "r1" / "report_pages-abc.json"
    forged = doc.read_text(encoding="utf-8").replace("pipelines.report.model:Page", "os:system")
    _plant(store, doc, forged.encode())
    assert store.get("r1", "report_pages", "abc") is MISSING
    assert not doc.exists()  # discarded, to be rebuilt


def test_a_planted_pickle_is_never_loaded(tmp_path):
    """A pickle put where an entry belongs is rejected by its digest, never unpickled."""
    store = StageStore(tmp_path)
    store.put("r1", "quantities", "abc", ["real"])
    doc = tmp_path / "r1" / "quantities-abc.json"
    doc.write_bytes(pickle.dumps(["forged"]))
    assert store.get("r1", "quantities", "abc") is MISSING


def test_an_edited_entry_fails_its_digest_and_is_rebuilt(tmp_path):
    store = StageStore(tmp_path)
    store.put("r1", "quantities", "abc", [Decimal("9.66")])
    doc = tmp_path / "r1" / "quantities-abc.json"
    doc.write_text(doc.read_text(encoding="utf-8").replace("9.66", "96.6"), encoding="utf-8")
    assert store.get("r1", "quantities", "abc") is MISSING


def test_the_key_is_the_file_name_not_a_field_inside(tmp_path):
    store = StageStore(tmp_path)
    store.put("r1", "quantities", "abc", [1])
    assert store.get("r1", "quantities", "other") is MISSING
    store.put("r1", "quantities", "def", [2])  # a new fingerprint replaces the stage's old entry
    assert store.get("r1", "quantities", "abc") is MISSING and store.get("r1", "quantities", "def") == [2]


@pytest.mark.parametrize("bad", ["..", ".", "", "a/b", "a\nb", "../x"])
def test_unsafe_report_ids_never_reach_the_file_system(tmp_path, bad):
    with pytest.raises(ValueError, match="unsafe"):
        StageStore(tmp_path).put(bad, "quantities", "abc", [1])


def test_a_full_disk_leaves_no_temporary_file(tmp_path, monkeypatch):
    def full(fd):  # the disk fills while the bytes are flushed
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        atomic.write_atomic(tmp_path / "x.json", b"{}" * 10000)
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_no_pickle_load_in_the_pipeline():
    sources = Path(__file__).resolve().parent.parent / "pipelines"
    offenders = [str(p) for p in sources.rglob("*.py") if "pickle.load" in p.read_text(encoding="utf-8")]
    assert offenders == []


def _plant(store: StageStore, doc: Path, data: bytes) -> None:
    """Rewrite an entry's document and its recorded digest, as an attacker with write access could."""
    digests_file = doc.with_suffix(".sha256")
    digests = json.loads(digests_file.read_text())
    digests["doc"] = atomic.write_atomic(doc, data)
    digests_file.write_text(json.dumps(digests))
