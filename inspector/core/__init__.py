"""The core: everything below the user interface. Nothing here imports Textual."""
