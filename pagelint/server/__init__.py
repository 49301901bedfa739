"""`pagelint server`: the linter as a Language Server Protocol server, for editors."""
