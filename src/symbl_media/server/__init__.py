"""The sandbox: a Symbl-compatible Async and Conversation API server that runs offline."""
