"""Persistence: SQLAlchemy models, engine, workspace folder, unit of work, change journal.

Only this package (and services, through a unit of work) touches SQLAlchemy.
"""
