"""The marketing blacklist: entries, lookups, audited removals and list imports (see service, importer)."""
