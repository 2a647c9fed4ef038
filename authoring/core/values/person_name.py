"""Person Name (PN) values: three component groups of five components (PS3.5 6.2.1)."""

from __future__ import annotations

from authoring.errors import InvalidValueError

COMPONENTS = ("family_name", "given_name", "middle_name", "name_prefix", "name_suffix")
GROUPS = ("alphabetic", "ideographic", "phonetic")


class PersonName(str):
    """A person name. It is the ``str`` of its DICOM form and exposes its parts.

    The text is ``alphabetic=ideographic=phonetic``, each group being
    ``family^given^middle^prefix^suffix``; trailing empty parts may be left out.

    >>> name = PersonName("Yamada^Tarou=山田^太郎=やまだ^たろう")
    >>> name.family_name, name.ideographic
    ('Yamada', '山田^太郎')
    """

    __slots__ = ()

    @classmethod
    def from_parts(
        cls,
        family_name: str = "",
        given_name: str = "",
        middle_name: str = "",
        name_prefix: str = "",
        name_suffix: str = "",
        *,
        ideographic: str = "",
        phonetic: str = "",
    ) -> PersonName:
        """Build a name from its alphabetic components and, optionally, the ideographic and
        phonetic groups (each in ``family^given^...`` form). Trailing empty parts are dropped."""
        parts = [family_name, given_name, middle_name, name_prefix, name_suffix]
        for part in parts:
            if "^" in part or "=" in part or "\\" in part:
                raise InvalidValueError("a name component cannot contain '^', '=' or '\\\\': "
                                        f"{part!r}")
        alphabetic = "^".join(parts).rstrip("^")
        groups = [alphabetic, ideographic, phonetic]
        while len(groups) > 1 and not groups[-1]:
            groups.pop()
        return cls("=".join(groups))

    def _group(self, index: int) -> str:
        groups = self.split("=")
        return groups[index] if index < len(groups) else ""

    def _component(self, index: int) -> str:
        parts = self._group(0).split("^")
        return parts[index] if index < len(parts) else ""

    @property
    def alphabetic(self) -> str:
        """The first component group."""
        return self._group(0)

    @property
    def ideographic(self) -> str:
        """The second component group (often in ideographic characters)."""
        return self._group(1)

    @property
    def phonetic(self) -> str:
        """The third component group (phonetic spelling)."""
        return self._group(2)

    @property
    def family_name(self) -> str:
        """Family name complex (first alphabetic component)."""
        return self._component(0)

    @property
    def given_name(self) -> str:
        """Given name complex (second alphabetic component)."""
        return self._component(1)

    @property
    def middle_name(self) -> str:
        """Middle name (third alphabetic component)."""
        return self._component(2)

    @property
    def name_prefix(self) -> str:
        """Name prefix (fourth alphabetic component)."""
        return self._component(3)

    @property
    def name_suffix(self) -> str:
        """Name suffix (fifth alphabetic component)."""
        return self._component(4)

    @property
    def components(self) -> tuple[tuple[str, ...], ...]:
        """Every group split into its components."""
        return tuple(tuple(group.split("^")) for group in self.split("="))

    def __repr__(self) -> str:
        return f"PersonName({str.__repr__(self)})"
