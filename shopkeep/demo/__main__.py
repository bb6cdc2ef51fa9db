import sys

from shopkeep.demo.command import main

sys.exit(main())
