"""opsready: production-readiness documentation as code for a fleet of services."""

__version__ = "0.1.0"
