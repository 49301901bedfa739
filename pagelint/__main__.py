import sys

from pagelint.cli import main

if __name__ == "__main__":  # not when a spawned process (the server's large pages) imports it
    sys.exit(main())
