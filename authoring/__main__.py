"""``python -m authoring`` runs the command line."""

from authoring.cli.app import main

main()
