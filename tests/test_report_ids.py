"""Report ids from file names (issue 16, item 4): safe ids, slugs, the raw-folder listing."""
from __future__ import annotations

import builtins
import os
import shlex
import string

import pytest

from pipelines import report_ids as ri


@pytest.mark.parametrize("name, rid", [
    ("moea-101-achievements.pdf", "moea-101-achievements"),
    ("X.PDF", "X"),                      # any case of the suffix
    ("Report.Pdf", "Report"),
    ("經濟部-101年.pdf", "經濟部-101年"),   # CJK letters are letters
    ("v1.2.pdf", "v1.2"),
    ("a.pdf.pdf", "a.pdf"),
])
def test_a_safe_stem_is_the_id(name, rid):
    assert ri.report_id_of(name) == rid


@pytest.mark.parametrize("name", [
    "...pdf", ".pdf", "..pdf", "a; touch PWNED.pdf", "a\nb.pdf", "a\tb.pdf", "a\x00b.pdf", "-rf.pdf",
    "a..b.pdf", "a...b.pdf", ".hidden.pdf", "$(id).pdf", "`id`.pdf", "a'b.pdf", 'a"b.pdf', " a .pdf",
    "x" * 300 + ".pdf", "\u202egnp.pdf", "e\u0301.pdf", "a\\b.pdf", "_.pdf", "a.pdf ", "ab..pdf",
])
def test_an_unsafe_stem_becomes_a_safe_slug(name):
    rid = ri.report_id_of(name)
    assert ri.is_safe_id(rid), rid
    assert rid not in ("", ".", "..") and "/" not in rid and "\\" not in rid and ".." not in rid
    assert all(c.isprintable() and not c.isspace() for c in rid)
    assert not rid.startswith(("-", ".")) and len(rid) <= ri.MAX_ID_CHARS
    assert shlex.split(ri.quote(rid)) == [rid]
    assert ri.report_id_of(name) == rid  # stable


def test_slugs_keep_what_they_can():
    assert ri.report_id_of("a; touch PWNED.pdf") == "a-touch-PWNED"
    assert ri.report_id_of("經濟部 101年 成果.pdf") == "經濟部-101年-成果"
    assert ri.report_id_of("...pdf").startswith("report-")  # nothing left: a hash of the name
    assert ri.report_id_of("...pdf") != ri.report_id_of(".pdf")


@pytest.mark.parametrize("text", ["", ".", "..", "a/b", "a\nb", "-a", "a.", "a..b", "_a", "a b"])
def test_is_safe_id_refuses(text):
    assert not ri.is_safe_id(text)


def test_quote_quotes_for_the_shell():
    assert ri.quote("a; touch PWNED") == "'a; touch PWNED'"
    assert ri.quote("moea-101") == "moea-101"


def test_shown_escapes_control_characters():
    assert ri.shown("a\nb.pdf") == "a\\nb.pdf"
    assert "\n" not in ri.shown("x\r\n\x1b[31m.pdf")


def _touch(path, data=b"%PDF-1.4\n"):
    with builtins.open(path, "wb") as fh:
        fh.write(data)


def test_listing_accepts_regular_files_and_links_to_them_refuses_the_rest(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    _touch(raw / "good.pdf")
    _touch(tmp_path / "elsewhere.bin")
    (raw / "linked.pdf").symlink_to(tmp_path / "elsewhere.bin")
    _touch(raw / "UPPER.PDF")
    _touch(raw / "notes.txt")
    os.mkfifo(raw / "pipe.pdf")
    (raw / "d.pdf").mkdir()
    (raw / "dangling.pdf").symlink_to(tmp_path / "missing.pdf")
    (raw / "dev.pdf").symlink_to("/dev/null")
    monkeypatch.setattr(builtins, "open", lambda *a, **k: (_ for _ in ()).throw(AssertionError(a)))
    monkeypatch.setattr(os, "open", lambda *a, **k: (_ for _ in ()).throw(AssertionError(a)))
    listing = ri.list_reports(raw)
    assert [(r.report_id, r.file_name) for r in listing.reports] == [
        ("UPPER", "UPPER.PDF"), ("good", "good.pdf"), ("linked", "linked.pdf")]
    reasons = {r.path.name: r.reason for r in listing.refused}
    assert reasons["pipe.pdf"].startswith("a named pipe (FIFO), not a PDF file: refused, not read")
    assert reasons["d.pdf"].startswith("a folder, not a PDF file")
    assert reasons["dev.pdf"].startswith("a character device, not a PDF file")
    assert reasons["dangling.pdf"] == (f"a symbolic link to {tmp_path / 'missing.pdf'}, which does not exist; "
                                       "fix or remove the link")
    assert {r.report_id for r in listing.refused} == {"pipe", "d", "dangling", "dev"}
    assert all("\n" not in r.message for r in listing.refused)
    assert listing.ids == {"UPPER", "good", "linked", "pipe", "d", "dangling", "dev"}


def test_two_files_with_one_id_are_both_refused(tmp_path):
    _touch(tmp_path / "a b.pdf")
    _touch(tmp_path / "a-b.pdf")
    _touch(tmp_path / "X.pdf")
    _touch(tmp_path / "X.PDF")
    _touch(tmp_path / "ok.pdf")
    listing = ri.list_reports(tmp_path)
    assert [r.report_id for r in listing.reports] == ["ok"]
    messages = sorted(r.message for r in listing.refused)
    assert messages == [
        "X.PDF: its report id 'X' is also the id of X.pdf: refused both; rename one of them",
        "X.pdf: its report id 'X' is also the id of X.PDF: refused both; rename one of them",
        "a b.pdf: its report id 'a-b' is also the id of a-b.pdf: refused both; rename one of them",
        "a-b.pdf: its report id 'a-b' is also the id of a b.pdf: refused both; rename one of them",
    ]
    assert isinstance(listing.find("X"), ri.Refused) and listing.find("ok").file_name == "ok.pdf"


def test_a_newline_in_a_name_stays_on_one_line(tmp_path):
    _touch(tmp_path / "a\nb.pdf")
    os.mkfifo(tmp_path / "p\nq.pdf")
    listing = ri.list_reports(tmp_path)
    assert [r.report_id for r in listing.reports] == ["a-b"]
    assert listing.refused[0].message.startswith("p\\nq.pdf: a named pipe")


def test_every_printable_ascii_name_gets_a_safe_id():
    for c in string.printable:
        rid = ri.report_id_of(f"x{c}y.pdf")
        assert ri.is_safe_id(rid), (c, rid)


# --- through the CLI: unsafe names, refused files, a vanished file, the kept hint, drop ---------

MINI_CHAPTERS = [
    ("壹、工業", ["一、產業創新研發", "1、101 年促成 7 家廠商研發投資達 9.66 億元，較 100 年成長 12.5％。"]),
    ("貳、貿易", ["一、對外貿易概況", "1、101 年出口 3,011.1 億美元，進口 2,707.3 億美元。"]),
]
UNSAFE = "a; touch PWNED"


@pytest.fixture
def site(tmp_path, monkeypatch):
    from pipelines import warehouse as wh
    from tests.pdfgen import Style, make_report

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)  # a `touch PWNED` run by mistake would land here
    raw = tmp_path / "raw"
    raw.mkdir()
    make_report(raw / "we ird\nname.PDF", MINI_CHAPTERS, Style(chars_per_line=24))
    os.mkfifo(raw / "pipe.pdf")
    (raw / "d.pdf").mkdir()
    (raw / "dangling.pdf").symlink_to(tmp_path / "missing.pdf")
    _touch(raw / "X.pdf")
    _touch(raw / "X.PDF")
    db = tmp_path / "wh" / "report.duckdb"
    with wh.connect(db) as con:  # a report loaded by an older version under an unsafe id
        wh.ensure_schema(con)
        con.execute("INSERT INTO dim_report (report_id, file_name, sha256, page_count, extractor_version) "
                    "VALUES (?, ?, 'x', 1, 'old')", [UNSAFE, UNSAFE + ".pdf"])
    return {"raw": raw, "db": db, "root": tmp_path}


def _cli(capsys, *args):
    from pipelines import cli

    capsys.readouterr()
    rc = cli.main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.slow
def test_unsafe_names_and_refused_files_through_the_cli(site, capsys):
    raw, db = site["raw"], site["db"]
    rc, out, err = _cli(capsys, "run", "--raw-dir", str(raw), "--warehouse", str(db), "--workers", "1", "--quiet")
    lines = out.splitlines()
    assert rc == 1, out + err
    assert "Traceback" not in out + err and err == ""
    assert lines[0] == f"loaded 1 of 6 report(s) into {db}", out
    assert [x for x in lines if x.startswith("  ok ")][0].startswith("  ok     we-ird-name: "), out
    none = "; the warehouse holds no rows of it"
    failed = sorted(x for x in lines if x.startswith("  FAILED "))
    assert failed == sorted([
        "  FAILED d.pdf: a folder, not a PDF file: refused, not read; remove it or move it out of the folder" + none,
        "  FAILED pipe.pdf: a named pipe (FIFO), not a PDF file: refused, not read; remove it or move it out "
        "of the folder" + none,
        f"  FAILED dangling.pdf: a symbolic link to {site['root'] / 'missing.pdf'}, which does not exist; "
        "fix or remove the link" + none,
        "  FAILED X.PDF: its report id 'X' is also the id of X.pdf: refused both; rename one of them" + none,
        "  FAILED X.pdf: its report id 'X' is also the id of X.PDF: refused both; rename one of them" + none,
    ]), out
    assert f"  kept   {UNSAFE}: its PDF is no longer in {raw}; `python -m pipelines drop '{UNSAFE}'` removes it" in lines
    assert (raw / "pipe.pdf").exists() and not (site["root"] / "PWNED").exists()
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        ids = [r for r, in con.execute("SELECT report_id FROM dim_report ORDER BY 1").fetchall()]
    assert ids == sorted([UNSAFE, "we-ird-name"])

    # the loaded PDF became a dangling symlink: the no-op check does not abort; one line says what is kept
    (raw / "we ird\nname.PDF").unlink()
    (raw / "we ird\nname.PDF").symlink_to(site["root"] / "moved-away.pdf")
    rc, out, _ = _cli(capsys, "run", "--raw-dir", str(raw), "--warehouse", str(db), "--workers", "1", "--quiet")
    assert rc == 1, out
    assert (f"  FAILED we ird\\nname.PDF: a symbolic link to {site['root'] / 'moved-away.pdf'}, which does not "
            "exist; fix or remove the link; its rows from an earlier run are kept unchanged") in out.splitlines(), out

    rc, out, err = _cli(capsys, "drop", UNSAFE, "--warehouse", str(db))
    assert (rc, out, err) == (0, f"dropped {UNSAFE} from {db}\n", "")


@pytest.mark.slow
def test_a_pdf_that_vanished_between_listing_and_reading(tmp_path, capsys, monkeypatch):
    from pipelines import cli

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    raw = tmp_path / "raw"
    raw.mkdir()
    gone = ri.ReportFile("gone", raw / "gone.pdf", "gone.pdf")
    monkeypatch.setattr(cli, "list_reports", lambda folder: ri.Listing([gone], []))
    db = tmp_path / "wh" / "report.duckdb"
    rc, out, err = _cli(capsys, "run", "--raw-dir", str(raw), "--warehouse", str(db), "--quiet")
    assert rc == 1 and err == "", out + err
    assert out.splitlines()[:2] == [f"loaded 0 of 1 report(s) into {db}",
                                    "  FAILED gone.pdf: file not found: it was moved or deleted; "
                                    "the warehouse holds no rows of it"], out


def test_the_sensor_registers_safe_ids_and_skips_refused_files(tmp_path):
    import dagster as dg

    from pipelines.partitions import reports_partitions
    from pipelines.resources import ReportFiles
    from pipelines.sensors import raw_folder_sensor

    _touch(tmp_path / "Good.PDF")
    _touch(tmp_path / "a; touch PWNED.pdf")
    os.mkfifo(tmp_path / "pipe.pdf")
    files = ReportFiles(raw_dir=str(tmp_path), warehouse_path=str(tmp_path / "wh" / "report.duckdb"))
    with dg.DagsterInstance.ephemeral() as instance:
        result = raw_folder_sensor(dg.build_sensor_context(instance=instance, resources={"files": files}))
        (request,) = result.dynamic_partitions_requests
        assert request.partitions_def_name == reports_partitions.name
        assert sorted(request.partition_keys) == ["Good", "a-touch-PWNED"]
    assert files.pdf_path("a-touch-PWNED") == tmp_path / "a; touch PWNED.pdf"
    assert files.pdf_path("Good") == tmp_path / "Good.PDF"
    with pytest.raises(dg.Failure) as caught:
        files.pdf_path("pipe")  # never opened: a FIFO would block the reader
    assert caught.value.description.startswith("pipe.pdf: a named pipe (FIFO), not a PDF file")


@pytest.mark.slow
def test_debug_prints_a_failed_reports_traceback(tmp_path, capsys, monkeypatch):
    from pipelines import cli

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    raw = tmp_path / "raw"
    raw.mkdir()
    monkeypatch.setattr(cli, "list_reports",
                        lambda folder: ri.Listing([ri.ReportFile("gone", raw / "gone.pdf", "gone.pdf")], []))
    rc, out, err = _cli(capsys, "run", "--raw-dir", str(raw), "--warehouse", str(tmp_path / "w.duckdb"),
                        "--quiet", "--debug")
    assert rc == 1
    assert err.startswith("--- gone (run ") and "Failure" in err and 'File "' in err, err
