"""``python -m authoring.cli``: the same as the ``authoring`` command."""

from authoring.cli.app import main

main()
