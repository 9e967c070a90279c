"""The stage store: each stage's output for each report, on disk beside the warehouse, as data.

An entry holds data, never code: the parsing stages' small frozen dataclasses (pages, lines,
sections, quantities, tables …) go to JSON with type tags, DataFrames to Parquet. Decoding builds
only dataclasses defined in `pipelines.report` and a fixed set of plain types, so a planted file
can at worst be refused, never run.

An entry's file name is derived from its key (report, stage, fingerprint); the sha256 of its bytes
is recorded beside it on write and checked before use, so a torn, edited or planted file is
rebuilt, never served. `rm -r warehouse/` resets the store with everything else.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib
import io
import json
import logging
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from .atomic import write_atomic

log = logging.getLogger(__name__)

MISSING = object()  # what `get` returns when there is no valid entry
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
_TYPE_MODULES = "pipelines.report."  # the only modules whose dataclasses an entry may name


class StoreError(ValueError):
    """An entry that cannot be decoded into the data it claims to hold."""


def _check_name(part: str, what: str) -> str:
    if not _SAFE_NAME.match(part) or part in (".", ".."):
        raise ValueError(f"unsafe {what} for the stage store: {part!r}")
    return part


# ---------------------------------------------------------------------------------------- codec
def _encode(obj: Any, blobs: list[bytes]) -> Any:
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        return {"$f": repr(obj)}  # repr round-trips exactly, NaN and infinities included
    if isinstance(obj, Decimal):
        return {"$d": str(obj)}
    if isinstance(obj, tuple):
        return {"$t": [_encode(v, blobs) for v in obj]}
    if isinstance(obj, list):
        return [_encode(v, blobs) for v in obj]
    if isinstance(obj, dict):
        return {"$m": [[_encode(k, blobs), _encode(v, blobs)] for k, v in obj.items()]}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        cls = type(obj)
        return {"$c": f"{cls.__module__}:{cls.__qualname__}",
                "v": {f.name: _encode(getattr(obj, f.name), blobs) for f in dataclasses.fields(obj)}}
    if type(obj).__name__ == "DataFrame":
        blobs.append(_frame_to_parquet(obj))
        return {"$df": len(blobs) - 1}
    raise TypeError(f"the stage store holds plain data only, not {type(obj).__name__}")


def _dataclass_named(name: str) -> type:
    module, _, qualname = name.partition(":")
    if not module.startswith(_TYPE_MODULES) or "." in qualname:
        raise StoreError(f"entry names a type outside {_TYPE_MODULES}*: {name!r}")
    cls = getattr(importlib.import_module(module), qualname, None)
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise StoreError(f"entry names {name!r}, which is not a data type of the parser")
    return cls


def _decode(obj: Any, blobs: list[bytes]) -> Any:
    if not isinstance(obj, (dict, list)):
        return obj
    if isinstance(obj, list):
        return [_decode(v, blobs) for v in obj]
    if "$f" in obj:
        return float(obj["$f"])
    if "$d" in obj:
        return Decimal(obj["$d"])
    if "$t" in obj:
        return tuple(_decode(v, blobs) for v in obj["$t"])
    if "$m" in obj:
        return {_decode(k, blobs): _decode(v, blobs) for k, v in obj["$m"]}
    if "$c" in obj:
        return _dataclass_named(obj["$c"])(**{k: _decode(v, blobs) for k, v in obj["v"].items()})
    if "$df" in obj:
        return _frame_from_parquet(blobs[obj["$df"]])
    raise StoreError(f"unknown tag in entry: {sorted(obj)[:3]}")


def _frame_to_parquet(df) -> bytes:
    """Object columns (Decimals, None-or-int, text) are kept exact as tagged JSON text; typed
    columns stay native Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = df.copy()
    tagged = [c for c in out.columns if out[c].dtype == object]
    for c in tagged:
        out[c] = [json.dumps(_encode(v, []), ensure_ascii=False) for v in out[c]]
    table = pa.Table.from_pandas(out, preserve_index=True)
    meta = {**(table.schema.metadata or {}), b"moea:tagged_columns": json.dumps(tagged).encode()}
    buf = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(meta), buf)
    return buf.getvalue()


def _frame_from_parquet(data: bytes):
    import pandas as pd
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data))
    tagged = json.loads((table.schema.metadata or {}).get(b"moea:tagged_columns", b"[]"))
    df = table.to_pandas()
    for c in tagged:  # dtype=object, or pandas would turn None-or-int into floats
        df[c] = pd.Series([_decode(json.loads(v), []) for v in df[c]], index=df.index, dtype=object)
    return df


def encode(obj: Any) -> tuple[bytes, list[bytes]]:
    """(the JSON document, the Parquet blobs it refers to)."""
    blobs: list[bytes] = []
    doc = json.dumps(_encode(obj, blobs), ensure_ascii=False, separators=(",", ":"))
    return doc.encode("utf-8"), blobs


def decode(doc: bytes, blobs: list[bytes]) -> Any:
    return _decode(json.loads(doc.decode("utf-8")), blobs)


# ---------------------------------------------------------------------------------------- store
class StageStore:
    """Entries under <root>/<report_id>/<stage>-<fingerprint>.json (+ .N.parquet blobs), each with
    a `.sha256` file listing the digest of every file of the entry."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _base(self, report_id: str, stage: str, fingerprint: str) -> Path:
        return (self.root / _check_name(report_id, "report id")
                / f"{_check_name(stage, 'stage')}-{_check_name(fingerprint, 'fingerprint')}")

    def _files(self, report_id: str, stage: str) -> list[Path]:
        folder = self.root / _check_name(report_id, "report id")
        return sorted(folder.glob(f"{_check_name(stage, 'stage')}-*")) if folder.is_dir() else []

    def has(self, report_id: str, stage: str, fingerprint: str) -> bool:
        return self._base(report_id, stage, fingerprint).with_suffix(".sha256").is_file()

    def get(self, report_id: str, stage: str, fingerprint: str) -> Any:
        """The entry's value, or MISSING when there is none or it fails verification."""
        base = self._base(report_id, stage, fingerprint)
        digests_file = base.with_suffix(".sha256")
        if not digests_file.is_file():
            return MISSING
        try:
            digests = json.loads(digests_file.read_text(encoding="utf-8"))
            doc = self._verified(base.with_suffix(".json"), digests["doc"])
            blobs = [self._verified(base.with_suffix(f".{i}.parquet"), d) for i, d in enumerate(digests["blobs"])]
            return decode(doc, blobs)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("stage store: discarding %s (%s); it will be rebuilt", base.name, exc)
            self._remove(report_id, stage)
            return MISSING

    @staticmethod
    def _verified(path: Path, sha256: str) -> bytes:
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise StoreError(f"{path.name}: its bytes do not match the digest recorded when it was written")
        return data

    def put(self, report_id: str, stage: str, fingerprint: str, value: Any) -> None:
        """Write the entry (replacing the stage's entries of other fingerprints)."""
        base = self._base(report_id, stage, fingerprint)
        doc, blobs = encode(value)
        self._remove(report_id, stage)
        digests = {"blobs": [write_atomic(base.with_suffix(f".{i}.parquet"), b) for i, b in enumerate(blobs)],
                   "doc": write_atomic(base.with_suffix(".json"), doc)}
        write_atomic(base.with_suffix(".sha256"), json.dumps(digests).encode())  # last: the entry is complete

    def _remove(self, report_id: str, stage: str) -> None:
        for f in self._files(report_id, stage):
            f.unlink(missing_ok=True)

    def forget(self, report_id: str) -> None:
        shutil.rmtree(self.root / _check_name(report_id, "report id"), ignore_errors=True)
