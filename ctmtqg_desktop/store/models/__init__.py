"""The mapped tables, one module per area.

Which tables exist is said once, by the areas' declarations (``Area.records`` in
``services/<area>/__init__.py``, listed in ``services/areas.py``); Alembic's environment and
every walk over the synced tables (``services.area.synced_records``) read it there.
"""
