"""VOC Desktop: guided on-site customer interviews, stored locally."""

__version__ = "0.1.0"
