"""Great Expectations Data Docs that work with no network.

The pages GX renders load their scripts, styles and fonts from CDNs (jQuery, Bootstrap,
bootstrap-table, Font Awesome, Vega, …); offline the index is empty (bootstrap-table builds its
rows) and the status icons are missing (Font Awesome). After each render, `make_offline` copies
those files from pinned Python packages (and `vendor/` for the one no package ships) into
<docs>/static/vendor/, and rewrites each page's CDN references to relative paths.

No Great Expectations import: this only reads and writes files.
"""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .suites import REPO

VENDOR = "static/vendor"  # under the docs folder


@dataclass(frozen=True)
class Asset:
    """A file the pages load: where its copy goes (under static/vendor/) and where it comes from
    (a file of an installed package, or of the repository's vendor/ folder)."""

    target: str
    package: str | None  # an importable name, or None for REPO/vendor
    source: str  # a path inside the package (or vendor/); a folder is copied whole


_BT = "bootstrap-table-1.19.1"
ASSETS: dict[str, Asset] = {
    "jquery": Asset("jquery/jquery.min.js", "xstatic.pkg.jquery", "data/jquery.min.js"),
    "bootstrap_css": Asset("bootstrap/css/bootstrap.min.css", "xstatic.pkg.bootstrap", "data/css/bootstrap.min.css"),
    # the bundle carries Popper, which the pages load on their own from a CDN
    "bootstrap_js": Asset("bootstrap/js/bootstrap.bundle.min.js", "xstatic.pkg.bootstrap",
                          "data/js/bootstrap.bundle.min.js"),
    "datepicker_js": Asset("bootstrap-datepicker/bootstrap-datepicker.js", "xstatic.pkg.bootstrap_datepicker",
                           "data/bootstrap-datepicker.js"),
    "datepicker_css": Asset("bootstrap-datepicker/bootstrap-datepicker3.standalone.css",
                            "xstatic.pkg.bootstrap_datepicker", "data/bootstrap-datepicker3.standalone.css"),
    "fontawesome_css": Asset("fontawesome/css/all.min.css", "fontawesomefree", "static/fontawesomefree/css/all.min.css"),
    "fontawesome_fonts": Asset("fontawesome/webfonts", "fontawesomefree", "static/fontawesomefree/webfonts"),
    "vega": Asset("vega/vega5.js", "js_lib_vega_embed", "static/js_lib_vega_embed/vega5.js"),
    "vega_lite": Asset("vega/vega-lite5.js", "js_lib_vega_embed", "static/js_lib_vega_embed/vega-lite5.js"),
    "vega_embed": Asset("vega/vega-embed6.js", "js_lib_vega_embed", "static/js_lib_vega_embed/vega-embed6.js"),
    "bt_css": Asset(f"{_BT}/bootstrap-table.min.css", None, f"{_BT}/bootstrap-table.min.css"),
    "bt_js": Asset(f"{_BT}/bootstrap-table.min.js", None, f"{_BT}/bootstrap-table.min.js"),
    "bt_filter_css": Asset(f"{_BT}/bootstrap-table-filter-control.min.css", None,
                           f"{_BT}/extensions/filter-control/bootstrap-table-filter-control.min.css"),
    "bt_filter_js": Asset(f"{_BT}/bootstrap-table-filter-control.min.js", None,
                          f"{_BT}/extensions/filter-control/bootstrap-table-filter-control.min.js"),
    "bt_license": Asset(f"{_BT}/LICENSE", None, f"{_BT}/LICENSE"),
}

# Each CDN address the GX 1.x templates write (pattern) -> the asset that replaces it, or None to
# drop the tag: Popper is in the Bootstrap bundle; the dark theme (bootstrap-prefers-dark) is in
# no package, and the pages read well without it.
CDN: tuple[tuple[str, str | None], ...] = (
    (r"https://code\.jquery\.com/jquery-3\.7\.1\.min\.js", "jquery"),
    (r"https://maxcdn\.bootstrapcdn\.com/bootstrap/4\.3\.1/css/bootstrap\.min\.css", "bootstrap_css"),
    (r"https://stackpath\.bootstrapcdn\.com/bootstrap/4\.3\.1/js/bootstrap\.min\.js", "bootstrap_js"),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/popper\.js/[^\"']+", None),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/bootstrap-datepicker/[\d.]+/js/bootstrap-datepicker\.min\.js",
     "datepicker_js"),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/bootstrap-datepicker/[\d.]+/css/bootstrap-datepicker\.min\.css",
     "datepicker_css"),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/font-awesome/[\d.]+/css/all\.min\.css", "fontawesome_css"),
    (r"https://cdn\.jsdelivr\.net/npm/vega@5", "vega"),
    (r"https://cdn\.jsdelivr\.net/npm/vega-lite@5", "vega_lite"),
    (r"https://cdn\.jsdelivr\.net/npm/vega-embed@6", "vega_embed"),
    (r"https://cdn\.jsdelivr\.net/npm/@forevolve/bootstrap-dark@[^\"']+", None),
    (r"https://unpkg\.com/bootstrap-table@[\d.]+/dist/bootstrap-table\.min\.css", "bt_css"),
    (r"https://unpkg\.com/bootstrap-table@[\d.]+/dist/bootstrap-table\.min\.js", "bt_js"),
    (r"https://unpkg\.com/bootstrap-table@[\d.]+/dist/extensions/filter-control/"
     r"bootstrap-table-filter-control(?:\.min)?\.css", "bt_filter_css"),
    (r"https://unpkg\.com/bootstrap-table@[\d.]+/dist/extensions/filter-control/"
     r"bootstrap-table-filter-control\.min\.js", "bt_filter_js"),
)
# GX's logos, fetched from its web assets bucket: the copy GX itself writes to static/images.
LOGO = re.compile(r"https://great-expectations-web-assets\.s3\.[\w.-]+\.amazonaws\.com/[\w.-]+\.png(?:\?[^\"')]*)?")
LOGO_FILE = "static/images/logo-long.png"
# what a page or style sheet still naming a CDN or the bucket contains (pages rewritten already don't)
_REMOTE = re.compile(r"https://(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|code\.jquery\.com|"
                     r"maxcdn\.bootstrapcdn\.com|stackpath\.bootstrapcdn\.com|great-expectations-web-assets\.)")


class OfflineDocsError(RuntimeError):
    """A file the offline pages need is not installed (run `make install`)."""


def _source(asset: Asset) -> Path:
    if asset.package is None:
        path = REPO / "vendor" / asset.source
    else:
        spec = importlib.util.find_spec(asset.package)
        if spec is None or not spec.submodule_search_locations:
            raise OfflineDocsError(f"package {asset.package!r} is not installed: the Data Docs cannot be made "
                                   "to work offline (run `make install`)")
        path = Path(next(iter(spec.submodule_search_locations))) / asset.source
    if not path.exists():
        raise OfflineDocsError(f"{path} is missing: the Data Docs cannot be made to work offline")
    return path


def copy_assets(docs_dir: Path) -> None:
    """Copy every asset into <docs>/static/vendor/ (once: a copy already there is kept)."""
    for asset in ASSETS.values():
        target = docs_dir / VENDOR / asset.target
        if target.exists():
            continue
        source = _source(asset)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.tmp{os.getpid()}")
        if source.is_dir():
            shutil.copytree(source, tmp, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, tmp)
        try:
            os.replace(tmp, target)
        except OSError:  # another process put its copy there first
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)
            if not target.exists():
                raise


@lru_cache(maxsize=1)
def _cdn_patterns() -> list[tuple[re.Pattern, str | None]]:
    """Per CDN address: the whole tag that names it (a <script> with its closing tag, or a <link>)."""
    out = []
    for url, asset in CDN:
        tag = (rf"<script\b[^>]*\bsrc=[\"']{url}[\"'][^>]*>\s*</script>"
               rf"|<link\b[^>]*\bhref=[\"']{url}[\"'][^>]*/?>")
        out.append((re.compile(tag), asset))
    return out


def _local_tag(asset_name: str, prefix: str) -> str:
    href = f"{prefix}{VENDOR}/{ASSETS[asset_name].target}"
    if href.endswith(".css"):
        return f'<link rel="stylesheet" href="{href}">'
    return f'<script src="{href}"></script>'


def rewrite_page(text: str, prefix: str) -> str:
    """The page with every CDN tag replaced by one naming the local copy (`prefix` leads from the
    page to the docs folder), GX's remote logos by its local one."""
    for pattern, asset in _cdn_patterns():
        text = pattern.sub("" if asset is None else _local_tag(asset, prefix), text)
    return LOGO.sub(prefix + LOGO_FILE, text)


def make_offline(docs_dir: Path) -> list[Path]:
    """Copy the assets, and rewrite every page (and GX's style sheets) of the site that still names
    a CDN; a page rewritten already is left alone. Returns the files rewritten."""
    docs_dir = Path(docs_dir)
    if not docs_dir.is_dir():
        return []
    copy_assets(docs_dir)
    changed = []
    files = [p for p in docs_dir.rglob("*.html") if not p.relative_to(docs_dir).as_posix().startswith(VENDOR)]
    for path in files + sorted((docs_dir / "static" / "styles").glob("*.css")):
        text = path.read_text(encoding="utf-8")
        if not _REMOTE.search(text):
            continue
        depth = len(path.relative_to(docs_dir).parts) - 1
        tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
        tmp.write_text(rewrite_page(text, "../" * depth), encoding="utf-8")
        os.replace(tmp, path)
        changed.append(path)
    return changed


def remote_references(text: str) -> list[str]:
    """The addresses a page would fetch from the network: the src of scripts and images, the href
    of stylesheets and the url() of inline styles (links a person may follow are not fetched)."""
    found = re.findall(r"<(?:script|img)\b[^>]*\bsrc=[\"'](https?://[^\"']+)", text)
    found += re.findall(r"<link\b[^>]*\bhref=[\"'](https?://[^\"']+)", text)
    found += re.findall(r"url\(\s*[\"']?(https?://[^\"')]+)", text)
    return found
