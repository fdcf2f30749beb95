"""Real human recordings from package registries, and what the sandbox makes of them."""
