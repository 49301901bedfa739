"""One lint run: discovery, the linter, the pool of processes, suppressions and fixing."""
