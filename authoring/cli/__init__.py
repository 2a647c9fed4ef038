"""The ``authoring`` command line (typer): thin commands over the library."""
