import json
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "example-vb-2019-socialnamnden.json"


@pytest.fixture(scope="session")
def demo_document():
    return json.loads(DEMO.read_text(encoding="utf-8"))
