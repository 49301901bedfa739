"""`check --online`: the external links of a run requested, guarded, cached and judged.
Imported only where requests are made, so never by the offline path and the pre-commit hook."""
