"""Demo data: nothing yet beyond the CBSA offices the migration loads."""


def seed():
    return None
