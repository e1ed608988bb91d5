"""The domain: ids, the generation record and its figures, errors, the retry policy, the
pending rule, formatting and text safety. No I/O, no Textual, no HTTP.
"""
