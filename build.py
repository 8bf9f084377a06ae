"""Build the example site at the root of this repository into public/."""

import sys
from pathlib import Path

from policygen.cli import main

if __name__ == "__main__":
    root = Path(__file__).resolve().parent
    sys.exit(main(["build", str(root), "-o", str(root / "public"), *sys.argv[1:]]))
