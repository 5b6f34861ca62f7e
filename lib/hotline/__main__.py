"""``python -m hotline …``: the ``hotline`` command, where its script is not on PATH (e.g. Windows,
or a virtual environment that is not activated)."""

from hotline.cli import script

if __name__ == "__main__":
    script()
