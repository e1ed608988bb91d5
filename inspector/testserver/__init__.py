"""A local stand-in for OpenRouter, used by the tests, the demo and the screenshots.

``FakeOpenRouter`` is a real HTTP server (see :mod:`inspector.testserver.server`);
:mod:`inspector.testserver.catalog` names the seeded ids and scripted scenarios.
Importing this package starts nothing and reads no file.
"""

from inspector.testserver.server import (
    TEST_KEY,
    FakeOpenRouter,
    RecordedRequest,
    Scenario,
    Step,
)

__all__ = ["TEST_KEY", "FakeOpenRouter", "RecordedRequest", "Scenario", "Step"]
