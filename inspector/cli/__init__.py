"""The command line: ``get``, ``history``, ``key``. Never imports Textual."""
