"""The terminal UI (Textual). Core modules never import this package."""
