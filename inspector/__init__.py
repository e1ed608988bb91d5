"""orinspect: inspect OpenRouter generations from the terminal."""

__version__ = "0.1.0"
