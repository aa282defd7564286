"""のりしろ (Norishiro): practice stories of comprehensive community support."""

__version__ = "0.1.0"
