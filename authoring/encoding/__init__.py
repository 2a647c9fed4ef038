"""Value encoding: bytes to Python values and back, per VR, in a byte order and character
set; encapsulated pixel data items."""
