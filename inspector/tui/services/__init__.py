"""App-owned services: they act (write the history, copy), widgets only draw."""
