"""Importing a list into the blacklist: the file's text encoding, named or told from its bytes as for
call logs and scripts (guard/services/audits/encoding.py: a byte-order mark, UTF-8, GB18030 or
Big5-HKSCS), then `blacklist.importer`.

Chinese banks' systems and Excel export lists in GBK (GB18030) or, in Taiwan and Hong Kong, Big5: read
as UTF-8, every row with a Chinese reason would be rejected and its number stay callable. A file whose
encoding cannot be told (too little Chinese to tell GB18030 from Big5, UTF-16 without a byte-order
mark) is refused before anything is written, asking for the encoding instead of guessing, unless its header's
Chinese names columns in one of the two readings only.
"""

from __future__ import annotations

from typing import IO, Any

from blacklist import importer
from blacklist.importer import ImportReport
from blacklist.removals import RemovalReport, remove_csv
from guard.core.headers import NameTable
from guard.services.audits.encoding import label
from guard.services.imports import confirmed, seekable, told
from guard.services.suppression import refusals
from guard.store import blacklist as blacklist_store
from guard.store.db import Store

_HEADER_NAMES = NameTable(importer.HEADER_NAMES)  # a header of Chinese names tells GB18030 from Big5 (imports.told)
_NAME_IT = ("name the encoding (`guard blacklist import --encoding …`, or `?encoding=…` on POST /v1/blacklist/import): "
            "utf-8, gb18030 or big5")
_NAME_IT_REMOVAL = ("name the encoding (`guard blacklist remove --encoding …`, or `?encoding=…` on POST /v1/blacklist/removals): "
                    "utf-8, gb18030 or big5")


def import_list(store: Store, binary: IO[bytes], *, codec: str | None = None, encoding_field: str = "encoding",
                **options: Any) -> ImportReport:
    """Import a CSV list read in `codec` (a codec from `encoding.resolve`, named by the user in `encoding_field`), or
    else in the one its bytes tell; `options` as `blacklist.importer.import_csv` takes them. ImportError_ for a file
    whose encoding cannot be told, that the codec named misreads, or that cannot be imported as a whole."""
    with seekable(binary) as stream:
        codec = confirmed(stream, codec, encoding_field) if codec else told(stream, _NAME_IT, _HEADER_NAMES)
        # A row of the person's own refusal withdraws their consents, as the entry added alone does (one path)
        report = importer.import_csv(store, stream, codec=codec, codec_label=label(codec), on_refusals=lambda conn, entries:
                                     refusals.withdraw_consents(conn, entries, options["now"], options.get("key_id")), **options)
    # On record, a list that listed nothing (every row rejected) included: when each list was obtained is what the US
    # rules' 31 days are counted from (guard/core/registry_age.py).
    blacklist_store.record_import(store, {
        "at": options["now"], "by": options.get("key_id"), "source": options.get("default_source", "registry"),
        "region": options["region"].upper(), "rows": report.rows, "accepted": report.accepted,
        "unchanged": report.unchanged, "rejected": report.rejected})
    return report


def remove_list(store: Store, binary: IO[bytes], *, codec: str | None = None, encoding_field: str = "encoding",
                **options: Any) -> RemovalReport:
    """Close a source's entries of a file of numbers that left its list (`blacklist.removals.remove_csv`), the file read
    in `codec` or in the one its bytes tell, as an import reads it."""
    with seekable(binary) as stream:
        codec = confirmed(stream, codec, encoding_field) if codec else told(stream, _NAME_IT_REMOVAL, _HEADER_NAMES)
        return remove_csv(store, stream, codec=codec, codec_label=label(codec), **options)


def last_registry_imports(store: Store) -> dict:
    """The instant of the newest registry list imported, by the region its numbers were read in."""
    return blacklist_store.last_imports(store, "registry")
