"""The demo businesses as CRA knows them (registry/demo_data/*.csv). Safe to run again."""

from pathlib import Path

from .loader import load_registry

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"


def seed(stdout=None):
    counts = load_registry(DEMO_DATA)
    if stdout:
        stdout.write(f"  {counts['entities.csv']} registry businesses ready")
