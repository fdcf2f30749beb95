"""The Symbl client: settings, tokens, a retrying transport, typed calls. Only this package
speaks HTTP to Symbl (or to a Symbl-compatible endpoint such as the sandbox)."""
