"""The bulletin notebook (bulletin.ipynb, its jupytext twin bulletin.py), shipped as package data."""
