"""The data model: data elements, data sets, sequences and private blocks."""
