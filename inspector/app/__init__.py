"""The application layer: sessions, lookups, the recording policy, facts and explanations.

No Textual here; both front-ends (cli, tui) render what this layer builds.
"""
