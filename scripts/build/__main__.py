"""``python -m scripts.build``: see :mod:`scripts.build` (design) and :mod:`scripts.build.cli`."""
import sys

from .cli import main

sys.exit(main())
