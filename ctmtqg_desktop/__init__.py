"""CTMTQG Desktop: national target programme work for Vietnamese communes, offline first."""

__version__ = "0.1.0"

APP_NAME = "CTMTQG Desktop"
