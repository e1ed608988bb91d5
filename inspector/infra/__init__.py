"""Infrastructure: the HTTP client, the key store, the history store, the clipboard, settings."""
