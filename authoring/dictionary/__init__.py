"""Runtime lookups over the compiled data dictionary (``authoring._generated``).

Each table is imported on first use, so ``import authoring`` does not pay for it.
"""

from authoring.dictionary.elements import (
    ElementInfo,
    element_info,
    is_repeating,
    keyword_for_tag,
    name_for_tag,
    tag_for_keyword,
    vm_for_tag,
    vr_for_tag,
)
from authoring.dictionary.private import PrivateElementInfo, private_element_info
from authoring.dictionary.uids import UIDInfo, uid_info

__all__ = [
    "ElementInfo",
    "PrivateElementInfo",
    "UIDInfo",
    "element_info",
    "is_repeating",
    "keyword_for_tag",
    "name_for_tag",
    "private_element_info",
    "tag_for_keyword",
    "uid_info",
    "vm_for_tag",
    "vr_for_tag",
]
