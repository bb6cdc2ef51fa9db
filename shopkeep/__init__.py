"""shopkeep: keep the customers your shop already won."""

__version__ = "0.1.0"
