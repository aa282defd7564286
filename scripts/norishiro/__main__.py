import sys

from norishiro.cli import main

sys.exit(main())
