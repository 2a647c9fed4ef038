"""Core types of DICOM independent of any file: tags, VRs, VM, UIDs, values, character
sets."""
