"""Reading and writing: Part 10 files, raw data sets, transfer syntaxes, DICOM JSON."""
