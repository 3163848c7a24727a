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


class _StrictLoader(yaml.SafeLoader):
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
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_document(path: Path) -> tuple[Any, PackIssue | None]:
    """Parse one YAML file; a syntax or encoding problem becomes a PackIssue with its line."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, PackIssue(path.name, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        return None, PackIssue(path.name, "", f"cannot be read: {exc.strerror}")
    try:
        return yaml.load(text, Loader=_StrictLoader), None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return None, PackIssue(path.name, "", f"YAML syntax error at {where}{problem}")


def pack_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.iterdir() if p.suffix in PACK_SUFFIXES and p.is_file())


@dataclass
class LoadReport:
    packs: PackSet
    issues: list[PackIssue] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # broken files still serving their last good content

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


def validate_path(path: Path, default_id: str) -> LoadReport:
    """Validate a file or directory without serving it (`guard policies validate`)."""
    if not path.exists():
        return LoadReport(PackSet({}, default_id), [PackIssue(str(path), "", "no such file or directory")])
    docs, issues = load_documents(pack_files(path))
    packs, more, _ = assemble(docs, default_id)
    return LoadReport(packs, issues + more)


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
            self.last_report = LoadReport(packs, issues, kept)
            return self.last_report
