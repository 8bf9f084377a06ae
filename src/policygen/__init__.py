"""policygen: a static site generator for multilingual, versioned legal policies."""

__version__ = "0.1.0"
