"""The dictionary compiler: importers of the standard, the normalized representation,
rendering through Jinja2 templates and black, and the build that ties them together."""
