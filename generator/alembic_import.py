#!/usr/bin/env python3
"""Reads an Alembic versions/ directory into the JSON of pcs-migrate's importer.

A placeholder: the reader itself is written in its own branch and replaces
this file.  `pcs-migrate import-alembic --from-json FILE` takes the JSON
directly meanwhile.
"""
import sys

sys.stderr.write('alembic_import.py: the Alembic reader is not built into this '
                 'pcs-migrate yet; give the JSON with --from-json FILE\n')
sys.exit(2)
