"""Policy packs: the YAML files in `packs/` and the loader that turns them into a PackSet."""
