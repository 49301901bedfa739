import sys

from pagelint.cli import main

sys.exit(main())
