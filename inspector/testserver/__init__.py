"""A local stand-in for OpenRouter, used by the tests, the demo and the screenshots.

``FakeOpenRouter`` is a real HTTP server (see :mod:`inspector.testserver.server`);
:mod:`inspector.testserver.catalog` names the seeded ids, scripted scenarios, model listings
and bills. Importing this package starts nothing and reads no file. It imports nothing of
the project but itself (the layers rule: the test server stands apart from the app).
"""

from inspector.testserver.server import (
    TEST_KEY,
    FakeOpenRouter,
    RecordedRequest,
    Scenario,
    Step,
)

__all__ = ["TEST_KEY", "FakeOpenRouter", "RecordedRequest", "Scenario", "Step"]
