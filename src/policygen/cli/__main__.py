"""`python -m policygen.cli`."""

import sys

from . import main

sys.exit(main())
