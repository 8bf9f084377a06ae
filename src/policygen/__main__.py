"""`python -m policygen`: the policygen command."""

import sys

from .cli import main

sys.exit(main())
