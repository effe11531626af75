from dps.formats.en_GB.formats import *  # noqa: F403 - English pages read as British
