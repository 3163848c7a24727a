"""The imperative shell: gather facts -> core -> record, one transaction per use case."""
