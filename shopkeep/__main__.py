from shopkeep.cli import main

main()
