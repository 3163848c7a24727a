"""A small .xlsx reader for the tests, from the standard library alone (openpyxl is not installed and
XlsxWriter cannot read): the sheets by name, each as rows of cell values (shared or inline strings,
numbers as floats, missing cells as None)."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _text(node: ET.Element) -> str:
    return "".join(t.text or "" for t in node.iter("{%s}t" % NS["m"]))


def _column(ref: str) -> int:
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):  # type: ignore[union-attr]
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_xlsx(data: bytes) -> dict[str, list[list[object]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            shared = [_text(si) for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS)]
        rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
        out: dict[str, list[list[object]]] = {}
        for sheet in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", NS):  # type: ignore[union-attr]
            target = rels[sheet.get(REL)]
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            rows: list[list[object]] = []
            for row in ET.fromstring(z.read(path)).iter("{%s}row" % NS["m"]):
                index = int(row.get("r")) - 1
                while len(rows) <= index:
                    rows.append([])
                cells = rows[index]
                for c in row.findall("m:c", NS):
                    col = _column(c.get("r"))
                    kind = c.get("t")
                    v = c.find("m:v", NS)
                    if kind == "inlineStr":
                        value: object = _text(c.find("m:is", NS))
                    elif kind == "s":
                        value = shared[int(v.text)]
                    elif kind == "str":
                        value = v.text if v is not None else ""
                    elif v is not None:
                        value = float(v.text)
                    else:
                        value = None
                    if c.find("m:f", NS) is not None:
                        value = ("FORMULA", c.find("m:f", NS).text)
                    while len(cells) <= col:
                        cells.append(None)
                    cells[col] = value
            out[sheet.get("name")] = rows
        return out
