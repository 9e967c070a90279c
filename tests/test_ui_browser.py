"""The Dagster UI in a real browser: `dagster dev` on a free port against a temporary DAGSTER_HOME,
raw folder and warehouse, driven by headless Chromium through Playwright (never a downloaded
browser: Debian's /usr/bin/chromium, which `make test` installs with apt-get). Screenshots go to warehouse/ui-*.png."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dagster as dg
import pytest

from pipelines.partitions import reports_partitions

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "raw" / "moea-101-achievements.pdf"
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "warehouse"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

STARTUP_S = 240     # dagster dev: code server, daemon and webserver (~35 s on 2 cores)
RUN_S = 900         # the whole report through every asset and check (~3.5 min on 2 cores)
UI_MS = 120_000     # a page or element appearing


def test_raw_folder_sensor_registers_new_pdfs(tmp_path):
    """The sensor that makes `make ui` work on a fresh clone: each new PDF becomes a partition."""
    from pipelines.definitions import raw_folder_sensor
    from pipelines.resources import ReportFiles

    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "notes.txt").write_text("not a report")
    files = ReportFiles(raw_dir=str(tmp_path))
    with dg.instance_for_test() as instance:
        first = raw_folder_sensor(dg.build_sensor_context(instance=instance, resources={"files": files}))
        assert not first.run_requests
        [request] = first.dynamic_partitions_requests
        assert (request.partitions_def_name, list(request.partition_keys)) == ("reports", ["a"])
        instance.add_dynamic_partitions("reports", ["a"])
        (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4")
        second = raw_folder_sensor(dg.build_sensor_context(instance=instance, resources={"files": files}))
        assert list(second.dynamic_partitions_requests[0].partition_keys) == ["b"]
        instance.add_dynamic_partitions("reports", ["b"])
        third = raw_folder_sensor(dg.build_sensor_context(instance=instance, resources={"files": files}))
        assert isinstance(third, dg.SkipReason)
        (tmp_path / "a.pdf").unlink()  # a PDF that leaves the folder leaves the UI's partitions
        fourth = raw_folder_sensor(dg.build_sensor_context(instance=instance, resources={"files": files}))
        [request] = fourth.dynamic_partitions_requests
        assert isinstance(request, dg.DeleteDynamicPartitionsRequest) and list(request.partition_keys) == ["a"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_webserver(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"dagster dev exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/server_info", timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    pytest.fail(f"dagster dev did not serve {url} within {STARTUP_S} s:\n{log.read_text()[-4000:]}")


def _own_group() -> None:
    """In the child before exec: its own process group (so it can be stopped as one), and SIGINT
    back to its default (dagster dev maps SIGTERM onto SIGINT, which a background shell ignores)."""
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _stop(proc: subprocess.Popen) -> None:
    """Stop dagster dev and everything it started (its own process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers: code server, daemon, run workers
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


@pytest.fixture
def dagster_ui(tmp_path):
    """`dagster dev` serving this repo's workspace on a free port, with a temporary DAGSTER_HOME,
    raw folder (a copy of the report) and warehouse; yields (url, paths)."""
    home, raw = tmp_path / "dagster_home", tmp_path / "raw"
    warehouse = tmp_path / "warehouse" / "report.duckdb"
    home.mkdir()
    raw.mkdir()
    shutil.copy(REPORT, raw / REPORT.name)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    # The "Join the Dagster community" dialog is shown until this file exists; it would cover the page.
    (home / ".nux").mkdir()
    (home / ".nux" / "nux.yaml").write_text("seen: 1\n")
    # Register the partition now rather than wait for the daemon to run raw_folder_sensor.
    with dg.DagsterInstance.from_config(str(home)) as instance:
        instance.add_dynamic_partitions(reports_partitions.name, [REPORT.stem])

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DAGSTER_HOME": str(home), "MOEA_RAW_DIR": str(raw), "MOEA_WAREHOUSE": str(warehouse),
           "DAGSTER_DISABLE_TELEMETRY": "1", "GX_ANALYTICS_ENABLED": "false"}
    log = tmp_path / "dagster-dev.log"
    dagster = Path(sys.executable).with_name("dagster")
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(dagster), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=_own_group)
    try:
        _wait_for_webserver(proc, url, log)
        yield url, {"home": home, "raw": raw, "warehouse": warehouse, "log": log}
    finally:
        _stop(proc)


def _run_errors(home: Path) -> str:
    """The failed steps' errors of every run in a DAGSTER_HOME (for a failing test's message)."""
    from dagster._core.events import DagsterEventType

    lines = []
    with dg.DagsterInstance.from_config(str(home)) as instance:
        for run in instance.get_runs():
            for record in instance.all_logs(run.run_id, of_type=DagsterEventType.STEP_FAILURE):
                error = record.dagster_event.step_failure_data.error
                lines.append(f"{record.step_key}: {error.to_string() if error else record.message}")
    return "\n".join(lines)[-6000:] or "(no step failed)"


def _definitions():
    from pipelines.definitions import defs

    graph = defs.get_repository_def().asset_graph
    assets = sorted(k.to_user_string() for k in graph.get_all_asset_keys())
    checks = sorted((k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys)
    return assets, checks


def _open_asset_graph(page, url: str, assets: list[str]):
    """The global asset graph with every group expanded; checks each asset's name is shown and
    returns the "Materialize all…" button."""
    from playwright.sync_api import expect

    page.goto(f"{url}/asset-groups", timeout=UI_MS)
    materialize_all = page.get_by_role("button", name="Materialize all…")
    expect(materialize_all).to_be_enabled()
    # The graph's settings menu offers "Expand all groups" unless they already are (the choice is
    # remembered between visits).
    settings = page.get_by_role("button", name="settings", exact=True)
    settings.click()
    menu = page.get_by_role("menu")
    expect(menu).to_contain_text(re.compile("(Expand|Collapse) all groups"))
    expand = menu.get_by_role("menuitem", name=re.compile("Expand all groups"))
    if expand.count():
        expand.click()
    page.keyboard.press("Escape")  # close the menu
    expect(menu).to_be_hidden()
    for name in assets:
        expect(page.get_by_text(name, exact=True), f"asset {name} on the graph").to_be_visible()
    return materialize_all


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(),
                    reason="no browser: /usr/bin/chromium is missing (`make test` installs Debian's chromium "
                           "with apt-get; its log is /tmp/moea-chromium-install.log)")
def test_ui_materialises_every_asset(dagster_ui):
    from playwright import sync_api  # pinned in requirements.lock: missing is a failure, not a skip
    expect = sync_api.expect
    url, paths = dagster_ui
    assets, checks = _definitions()
    assert assets and checks
    SHOTS.mkdir(exist_ok=True)

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.set_default_timeout(UI_MS)
        try:
            # The asset graph, every group expanded: each asset is shown by name.
            materialize_all = _open_asset_graph(page, url, assets)

            # Materialize all… -> the report's partition -> launch one run.
            materialize_all.click()
            dialog = page.get_by_role("dialog")
            expect(dialog.get_by_text(f"Launch runs to materialize {len(assets)} assets")).to_be_visible()
            dialog.get_by_text("Select a partition or create one").click()
            page.get_by_text(REPORT.stem, exact=True).filter(visible=True).click()
            page.keyboard.press("Escape")  # close the partition list, keep the dialog
            dialog.get_by_role("button", name="Launch 1 run").click()
            toast = page.get_by_text(re.compile(r"^Launched run"))
            expect(toast).to_be_visible()
            page.get_by_role("button", name="View").or_(page.get_by_role("link", name="View")).first.click()
            page.wait_for_url(re.compile(r"/runs/[0-9a-f-]{36}"))

            # The run page: wait for its status to settle.
            # The page follows the run live; it is reloaded now and then in case that stream drops.
            status = page.get_by_text(re.compile(r"^(Success|Failure|Canceled)$"))
            started = last_load = time.monotonic()
            while not status.first.is_visible():
                if time.monotonic() - started > RUN_S:
                    page.screenshot(path=SHOTS / "ui-run.png")
                    pytest.fail(f"the run did not finish within {RUN_S} s (see warehouse/ui-run.png)")
                if time.monotonic() - last_load > 120:
                    page.reload(timeout=UI_MS)
                    last_load = time.monotonic()
                page.wait_for_timeout(5000)
            page.screenshot(path=SHOTS / "ui-run.png")
            if status.first.inner_text() != "Success":
                pytest.fail(f"the run ended {status.first.inner_text()} (see warehouse/ui-run.png):\n"
                            + _run_errors(paths["home"]))

            # Every asset check shows on its asset's Checks tab as evaluated: Succeeded, or Failed
            # with the warning icon (a WARN-severity failure; an ERROR one shows "cancel").
            for asset in sorted({a for a, _ in checks}):
                page.goto(f"{url}/assets/{asset}?view=checks", timeout=UI_MS)
                names = [c for a, c in checks if a == asset]
                expect(page.get_by_text(f"Checks ({len(names)})", exact=True)).to_be_visible()
                search = page.get_by_role("textbox", name="Filter checks")
                for name in names:
                    search.fill(name)  # one row at a time: the list is virtualised
                    row = page.locator("[class*=checkRow]").filter(has=page.get_by_text(name, exact=True))
                    expect(row, f"check {name} on {asset}").to_contain_text(re.compile(r"Succeeded|Failed"))
                    if "Failed" in row.inner_text():
                        expect(row.get_by_role("img", name="warning_outline"),
                               f"check {name} on {asset} failed with severity ERROR").to_be_visible()
                search.fill("")
            # The chapter check's own page: its latest evaluation passed.
            page.goto(f"{url}/assets/outline_sections?view=checks", timeout=UI_MS)
            page.locator("[class*=checkRow]").filter(has=page.get_by_text("report_kind_recognised", exact=True)).click()
            expect(page.get_by_text(re.compile("Traditional-Chinese report of the family"))).to_be_visible()  # its description
            expect(page.get_by_text("Evaluation result")).to_be_visible()
            expect(page.get_by_text("Passed", exact=True)).to_be_visible()
            page.screenshot(path=SHOTS / "ui-asset-checks.png")

            # Back on the graph: every asset materialised.
            _open_asset_graph(page, url, assets)
            page.wait_for_timeout(3000)  # let the nodes take their materialised colour
            page.screenshot(path=SHOTS / "ui-asset-graph.png")
        except Exception:
            page.screenshot(path=SHOTS / "ui-failure.png")
            raise
        finally:
            browser.close()

    # The run wrote to the temporary warehouse (the repo's own is untouched).
    import duckdb

    with duckdb.connect(str(paths["warehouse"]), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM dim_report WHERE report_id = ?", [REPORT.stem]).fetchone() == (1,)
