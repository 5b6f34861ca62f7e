"""``python -m hotline …``: the ``hotline`` command, where its script is not on PATH (e.g. Windows,
or a virtual environment that is not activated)."""

import sys

from hotline.cli import main

if __name__ == "__main__":
    sys.exit(main())
