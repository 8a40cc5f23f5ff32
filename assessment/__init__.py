"""Persistence and services: the database tables, the access checks, the workflow, users and the audit trail.

Every front end (app, command line, reports) reads and writes through these services, which check the
acting user's grants themselves (``access.py``); the answers document itself is in :mod:`answers`.
"""
