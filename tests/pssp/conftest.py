import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded documents go to a throwaway MEDIA_ROOT, never the real var/private."""
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT
