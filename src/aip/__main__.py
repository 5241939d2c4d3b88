"""``python -m aip`` runs the command line."""

from aip.cli import main

main()
