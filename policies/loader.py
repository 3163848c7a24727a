"""Read policy-pack files and keep a PackSet that is swapped whole on reload.

A file that fails validation never replaces a good version: on reload, a file that was valid
before and is broken now keeps serving its last good content (and the problem is reported);
a new broken file is simply not loaded. The swap is one reference assignment, so a request
sees either the old set or the new one, never a mix.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from guard.core.pack import PackSet
from guard.core.pack_schema import PackIssue
from guard.core.pack_set import assemble

log = logging.getLogger(__name__)
PACK_SUFFIXES = (".yaml", ".yml")


# libyaml's parser (PyYAML's C extension, in its wheels) reads the shipped cn-bank pack about 20 times faster than the
# pure-Python one (0.54 s -> 0.03 s, the same document): every process start, reload and draft sent over HTTP reads it.
# The constructor stays PyYAML's safe one, in Python, so the values are the same either way.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):  # type: ignore[valid-type, misc]
    """SafeLoader that refuses duplicate keys: in a policy file the second one silently winning hides a mistake."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, Any] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {key_node.start_mark.line + 1})", key_node.start_mark
            )
        seen[key] = True
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    """A date or date-time as YAML reads one, or a ConstructorError naming the value and where it is: a date that does
    not exist (2027-02-30, 25:00) reached the constructor's ValueError, which crashed validate, reload, the start of a
    server and a draft sent over HTTP instead of being refused as the file's problem."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a date or time that exists ({exc})", node.start_mark) from None


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


# A pack is a few dozen KiB of YAML written by people. These limits refuse hostile files (50,000
# nested brackets overflowing the parser's recursion; a few hundred bytes of nested aliases that
# expand to billions of values) with a reason, before they cost a worker its life or its memory.
MAX_PACK_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64  # nesting of mappings and sequences
MAX_VALUES = 250_000  # values once every alias is expanded (the shipped cn-bank has about 5,000)
# Characters of text once every alias is expanded: a 1 MB scalar aliased 100,000 times is 100,000 values, under
# MAX_VALUES, but every phrase pattern and message is normalized and stored whole, so it held a worker for hours
# (OWASP "Denial of Service" / XML entity expansion: bound what the document expands to, not only its bytes). A
# pack's expanded text may be as large as a pack file may be (the shipped cn-bank expands to about 170,000).
MAX_EXPANDED_CHARS = 2 * 1024 * 1024


class _TooBig(Exception):
    pass


def _check_shape(text: str) -> None:
    """Raise _TooBig when the document nests deeper than MAX_DEPTH (read as events, which needs no
    recursion), or expands to more than MAX_VALUES values or MAX_EXPANDED_CHARS characters through its aliases."""
    depth = 0
    anchors: dict[str, tuple[int, int]] = {}  # anchor -> (values, characters) under it, expanded
    stack: list[tuple[str | None, int, int]] = []  # (anchor of the open collection, values so far, characters so far)
    total_chars = 0
    for event in yaml.parse(text, Loader=_StrictLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooBig(f"line {event.start_mark.line + 1}: nested deeper than {MAX_DEPTH} levels")
            stack.append((event.anchor, 0, 0))
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            anchor, count, chars = stack.pop()
            count += 1
            if anchor is not None:
                anchors[anchor] = (count, chars)
            expanded = 0  # its text was counted value by value
        elif isinstance(event, yaml.ScalarEvent):
            count, chars = 1, len(event.value)
            expanded = chars
            if event.anchor is not None:
                anchors[event.anchor] = (1, chars)
        elif isinstance(event, yaml.AliasEvent):
            count, chars = anchors.get(event.anchor, (1, 0))
            expanded = chars
        else:
            continue
        if stack:
            anchor, so_far, chars_so_far = stack[-1]
            stack[-1] = (anchor, so_far + count, chars_so_far + chars)
        total_chars += expanded
        if count > MAX_VALUES or (stack and stack[-1][1] > MAX_VALUES):
            raise _TooBig(f"line {event.start_mark.line + 1}: its aliases expand to more than {MAX_VALUES:,} values")
        if total_chars > MAX_EXPANDED_CHARS:
            raise _TooBig(f"line {event.start_mark.line + 1}: its aliases expand to more than {MAX_EXPANDED_CHARS:,} "
                          "characters of text")


def read_document(path: Path) -> tuple[Any, PackIssue | None]:
    """Parse one YAML file; a syntax or encoding problem, or a file too large, too deep or expanding
    too far through aliases, becomes a PackIssue with its line."""
    try:
        size = path.stat().st_size
        if size > MAX_PACK_BYTES:
            return None, PackIssue(path.name, "", f"the file is {size:,} bytes; a pack may have at most {MAX_PACK_BYTES:,}")
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, PackIssue(path.name, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        return None, PackIssue(path.name, "", f"cannot be read: {exc.strerror}")
    return parse_document(path.name, text)


def parse_document(name: str, text: str) -> tuple[Any, PackIssue | None]:
    """Parse one pack document's text (a file's, or a draft sent over HTTP) as `read_document` does."""
    try:
        _check_shape(text)
        return yaml.load(text, Loader=_StrictLoader), None
    except _TooBig as exc:
        return None, PackIssue(name, "", f"refused: {exc}")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        # what was open when it went wrong, and where it opened (a flow sequence opened on line 1 and never closed is
        # reported at the end of the text, where the parser noticed)
        context, opened = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and opened and (opened.line, opened.column) != ((mark.line, mark.column) if mark else None):
            problem += f" ({context} opened at line {opened.line + 1}, column {opened.column + 1})"
        return None, PackIssue(name, "", f"YAML syntax error at {where}{problem}")
    except (RecursionError, MemoryError) as exc:  # a last line of defence: the other packs keep serving
        return None, PackIssue(name, "", f"refused: the file cannot be read safely ({type(exc).__name__})")


def pack_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.iterdir() if p.suffix in PACK_SUFFIXES and p.is_file())


@dataclass
class LoadReport:
    packs: PackSet
    issues: list[PackIssue] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # broken files still serving their last good content
    lost: list[str] = field(default_factory=list)  # broken files with no last good content known (not served from here)

    @property
    def ok(self) -> bool:
        return not self.issues


def load_documents(paths: list[Path]) -> tuple[list[tuple[str, Any]], list[PackIssue]]:
    docs, issues = [], []
    for path in paths:
        raw, issue = read_document(path)
        if issue is not None:
            issues.append(issue)
        else:
            docs.append((path.name, raw))
    return docs, issues


def validate_path(path: Path, default_id: str, beside: Path | None = None) -> LoadReport:
    """Validate a file or directory without serving it (`guard policies validate`).

    With `beside` (the served directory), the files named are judged as they would load there: beside that
    directory's other files, so that a draft's `extends: cn-bank` resolves against the cn-bank it would extend
    (a file of the same name there is the one it replaces). Only the named files' packs and problems are reported.
    """
    if not path.exists():
        return LoadReport(PackSet({}, default_id), [PackIssue(str(path), "", "no such file or directory")])
    docs, issues = load_documents(pack_files(path))
    if beside is None or not beside.is_dir() or (path.is_dir() and path.resolve() == beside.resolve()):
        packs, more, _ = assemble(docs, default_id)
        return LoadReport(packs, issues + more)
    named = {s for s, _ in docs} | {i.source for i in issues}
    others, _ = load_documents([p for p in pack_files(beside) if p.name not in named])
    packs, more, _ = assemble(docs + others, default_id)
    ids = {p.id for p in packs.all_versions() if p.source in named}
    mine = PackSet({i: t for i, t in packs.timelines.items() if i in ids}, packs.default_id)
    return LoadReport(mine, issues + [i for i in more if i.source in named])


class PackRegistry:
    """The packs this process serves, reloadable at run time."""

    def __init__(self, directory: Path, default_id: str):
        self.directory = directory
        self.default_id = default_id
        self._good: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.current: PackSet = PackSet({}, default_id)
        self.last_report: LoadReport | None = None

    def seed(self, documents: dict[str, Any]) -> None:
        """Last good contents known from elsewhere (the store): used for files that are broken now."""
        with self._lock:
            for source, raw in documents.items():
                self._good.setdefault(source, raw)

    def good_documents(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._good)

    def adopt(self, documents: dict[str, Any]) -> PackSet:
        """Serve exactly these documents (what `guard policies reload` validated), without reading files."""
        with self._lock:
            packs, issues, _ = assemble(sorted(documents.items()), self.default_id)
            for issue in issues:
                log.error("policy pack refused on reload: %s", issue)
            self._good = dict(documents)
            self.current = packs
            self.last_report = LoadReport(packs, issues, [])
            return packs

    def load(self) -> LoadReport:
        with self._lock:
            paths = pack_files(self.directory) if self.directory.is_dir() else []
            docs, read_issues = load_documents(paths)
            names = {p.name for p in paths}
            packs, issues, failed = assemble(docs, self.default_id)
            bad = failed | {i.source for i in read_issues}
            kept = sorted(s for s in bad if s in self._good)
            if kept:
                fixed = [(s, r) for s, r in docs if s not in kept] + [(s, self._good[s]) for s in kept]
                packs, _, failed_again = assemble(fixed, self.default_id)
                bad = (bad - set(kept)) | failed_again
            all_docs = dict(docs)
            for source in names:
                if source not in bad and source not in kept and source in all_docs:
                    self._good[source] = all_docs[source]
            for source in list(self._good):
                if source not in names:
                    del self._good[source]  # the file was removed on purpose
            issues = read_issues + issues
            if not self.directory.is_dir():
                issues.append(PackIssue(str(self.directory), "", "policy directory does not exist"))
            if packs.timelines.get(self.default_id) is None:
                issues.append(PackIssue(str(self.directory), "", f"the default pack {self.default_id!r} has no valid version"))
            for issue in issues:
                log.error("policy pack refused: %s", issue)
            for source in kept:
                log.error("policy pack %s is broken; its last good content keeps serving", source)
            self.current = packs
            self.last_report = LoadReport(packs, issues, kept, sorted(s for s in bad if s in names and s not in kept))
            return self.last_report
