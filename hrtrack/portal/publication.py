"""Moved to :mod:`hrtrack.followup.publication` (the domain's rule, read by every layer above it)."""

from hrtrack.followup.publication import *  # noqa: F403
from hrtrack.followup.publication import NotPublishable, publish  # noqa: F401
