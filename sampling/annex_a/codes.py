"""Annex A's code lists, read in each of the three forms councils' systems write them.

Ofsted's Annex A template gives each coded column a list of lettered values (`a) Male`,
`b) No`, `a) WBRI`, `c) Child in need plan`). Exports write that lettered value, the bare
code (`WBRI`, `E1`, `C2`) or the label (`White British`, `Placement order`). A `CodeList`
reads all three and gives the value stored; the models' choices give the label shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import CaseType, Ethnicity, Gender, LegalStatus
from .cells import squash

# "a) ", "p1) ", "s)": the letter Annex A puts before each value of a code list.
_LETTERED = re.compile(r"^\s*([a-z]{1,2}\d?)\)\s*(.*)$", re.IGNORECASE)
# "E1: Placement order", "C2 - FCO", "WBRI White British": a code, then its words.
_CODE_FIRST = re.compile(r"^([A-Za-z]{1,4}\d{0,2})(?:\s*[:\-–]\s*|\s+)(.+)$")


class NotInList(ValueError):
    """The value is none of the list's codes or labels."""


@dataclass
class CodeList:
    """One Annex A code list: its name (for messages) and, for each stored value, the
    letter Annex A gives it, its code and its labels."""

    name: str
    blank: object  # what a blank cell means
    _by_code: dict[str, object] = field(default_factory=dict)
    _by_label: dict[str, object] = field(default_factory=dict)
    _by_letter: dict[str, object] = field(default_factory=dict)

    def add(self, value: object, *, letter: str = "", codes=(), labels=()) -> CodeList:
        if letter:
            self._by_letter[letter] = value
        for code in codes:
            self._by_code[squash(code)] = value
        for label in labels:
            self._by_label[squash(label)] = value
        return self

    def read(self, raw: str) -> object:
        """The stored value for a cell's text (already cleaned), or NotInList."""
        if not raw:
            return self.blank
        letter = ""
        rest = raw
        lettered = _LETTERED.match(raw)
        if lettered:
            letter, rest = lettered.group(1).lower(), lettered.group(2).strip()
        key = squash(rest)
        for table in (self._by_label, self._by_code):
            if key in table:
                return table[key]
        coded = _CODE_FIRST.match(rest)
        if coded:
            code, words = squash(coded.group(1)), squash(coded.group(2))
            if code in self._by_code:
                return self._by_code[code]
            if words in self._by_label:
                return self._by_label[words]
        if letter and not rest and letter in self._by_letter:
            return self._by_letter[letter]
        if letter in self._by_letter and not key:
            return self._by_letter[letter]
        raise NotInList(raw)


GENDER = (
    CodeList("gender", blank=Gender.UNKNOWN)
    .add(Gender.MALE, letter="a", codes=("M", "1"), labels=("Male", "Boy", "Man"))
    .add(Gender.FEMALE, letter="b", codes=("F", "2"), labels=("Female", "Girl", "Woman"))
    .add(
        Gender.UNKNOWN,
        letter="c",
        codes=("U", "0"),
        labels=(
            "Not stated/recorded",
            "Not stated",
            "Not recorded",
            "Unknown",
            "Not known",
            "Unborn",
        ),
    )
    .add(
        Gender.OTHER,
        letter="d",
        codes=("I", "9", "X"),
        labels=("Neither", "Indeterminate", "Other", "Non-binary"),
    )
)

YES_NO_UNKNOWN = (
    CodeList("yes, no or unknown", blank=None)
    .add(True, letter="a", codes=("Y", "1", "True"), labels=("Yes", "Disabled"))
    .add(False, letter="b", codes=("N", "0", "False"), labels=("No", "Not disabled", "None"))
    .add(None, letter="c", codes=("U",), labels=("Unknown", "Not known", "Not recorded"))
)

# The DfE's extra words for each ethnicity code, as exports write them (group first).
_ETHNIC_GROUP_WORDS = {
    "W": ("White", "White -"),
    "M": ("Mixed", "Mixed -", "Mixed/Multiple", "Mixed or multiple ethnic groups -"),
    "A": ("Asian", "Asian -", "Asian or Asian British", "Asian or Asian British -"),
    "B": ("Black", "Black -", "Black or Black British", "Black or Black British -"),
    "C": ("Chinese -", "Asian or Asian British - "),
    "O": ("Other -", "Other ethnic group -"),
}
_ETHNIC_EXTRA = {
    Ethnicity.WBRI: ("White British", "British", "White English", "White - English/Welsh/Scottish"),
    Ethnicity.WIRI: ("Irish", "White Irish"),
    Ethnicity.WIRT: ("Irish Traveller", "Traveller of Irish Heritage"),
    Ethnicity.WOTH: ("White Other", "Other White", "Any other White"),
    Ethnicity.WROM: ("Gypsy", "Roma", "Gypsy Roma", "Gypsy or Roma"),
    Ethnicity.MWBC: ("Mixed White and Black Caribbean",),
    Ethnicity.MWBA: ("Mixed White and Black African",),
    Ethnicity.MWAS: ("Mixed White and Asian",),
    Ethnicity.MOTH: ("Mixed Other", "Other Mixed", "Any other mixed"),
    Ethnicity.AIND: ("Asian Indian",),
    Ethnicity.APKN: ("Asian Pakistani",),
    Ethnicity.ABAN: ("Asian Bangladeshi",),
    Ethnicity.AOTH: ("Asian Other", "Other Asian", "Any other Asian"),
    Ethnicity.BCRB: ("Caribbean", "Black Caribbean"),
    Ethnicity.BAFR: ("African", "Black African"),
    Ethnicity.BOTH: ("Black Other", "Other Black", "Any other Black"),
    Ethnicity.CHNE: ("Chinese",),
    Ethnicity.OOTH: ("Other", "Other ethnic group", "Any other ethnicity"),
    Ethnicity.REFU: ("Refused", "Declined", "Did not wish to disclose"),
    Ethnicity.NOBT: ("Not obtained", "Not yet obtained", "Information not obtained"),
}


def _ethnicity_list() -> CodeList:
    codes = CodeList("DfE ethnicity", blank="")
    for choice in Ethnicity:
        words = [choice.label, *_ETHNIC_EXTRA.get(choice, ())]
        labels = words + [
            f"{prefix} {word}"
            for prefix in _ETHNIC_GROUP_WORDS.get(choice.value[0], ())
            for word in words
        ]
        # Annex A letters them a) WBRI to s) REFU, then NOBT (t) in some templates): the
        # code after the letter decides, so no letter is recorded here.
        codes.add(choice.value, codes=(choice.value,), labels=labels)
    return codes


ETHNICITY = _ethnicity_list()

_LEGAL_EXTRA = {
    LegalStatus.C1: ("ICO", "Interim care order"),
    LegalStatus.C2: ("FCO", "Full care order", "Care order"),
    LegalStatus.D1: ("Freeing order",),
    LegalStatus.E1: ("Placement order",),
    LegalStatus.V2: (
        "Section 20",
        "S20",
        "Single period under S20",
        "Accommodated under section 20",
        "Single period of accommodation under section 20 (Children Act 1989)",
    ),
    LegalStatus.V3: ("Short term breaks, episodes recorded",),
    LegalStatus.V4: ("Short term breaks, agreements recorded",),
    LegalStatus.L1: ("Police protection", "Police protection LA accommodation"),
    LegalStatus.L2: ("EPO", "Emergency protection order"),
    LegalStatus.L3: ("Child assessment order", "Child assessment order LA accommodation"),
    LegalStatus.J1: ("Remanded to LA or youth detention", "Remand"),
    LegalStatus.J2: ("LA accommodation under PACE", "PACE"),
    LegalStatus.J3: ("Youth rehabilitation order",),
}
LEGAL_STATUS = CodeList("looked-after legal status", blank="")
for _choice, _extra in _LEGAL_EXTRA.items():
    LEGAL_STATUS.add(_choice.value, codes=(_choice.value,), labels=(_choice.label, *_extra))

ELIGIBILITY = (
    CodeList("care leaver eligibility", blank="")
    .add(LegalStatus.RELEVANT, letter="a", labels=("Relevant child", "Relevant"))
    .add(
        LegalStatus.FORMER_RELEVANT,
        letter="b",
        labels=("Former relevant child", "Former relevant", "Former relevant young person"),
    )
    .add(
        LegalStatus.QUALIFYING,
        letter="c",
        labels=("Qualifying care leaver", "Qualifying", "Qualifying young person"),
    )
    .add(LegalStatus.ELIGIBLE, letter="d", labels=("Eligible child", "Eligible"))
)

# List 6's Case Status: a case type, or None for an episode that has closed.
CLOSED = "closed"
CASE_STATUS = (
    CodeList("List 6 case status", blank="")
    .add(CaseType.CLA, letter="a", labels=("Looked after child", "Looked after", "CLA", "LAC"))
    .add(
        CaseType.CP,
        letter="b",
        labels=("Child Protection plan", "Child protection", "CP plan", "CPP", "CP"),
    )
    .add(CaseType.CIN, letter="c", labels=("Child in need plan", "Child in need", "CIN", "Open"))
    .add(CaseType.CIN, letter="d", labels=("Open assessment", "Assessment"))
    .add(CLOSED, letter="e", labels=("Closed episode", "Closed"))
    # Words some councils' exports use for the children List 6 also carries.
    .add(CaseType.CWD, labels=("Disabled child", "Children with disabilities", "CWD"))
    .add(CaseType.EARLY_HELP, labels=("Early help",))
    .add(CaseType.CARE_LEAVER, labels=("Care leaver",))
)

YES_NO = (
    CodeList("yes or no", blank=None)
    .add(True, letter="a", codes=("Y", "1"), labels=("Yes", "NFA"))
    .add(False, letter="b", codes=("N", "0"), labels=("No",))
)


__all__ = [
    "CASE_STATUS",
    "CLOSED",
    "ELIGIBILITY",
    "ETHNICITY",
    "GENDER",
    "LEGAL_STATUS",
    "YES_NO",
    "YES_NO_UNKNOWN",
    "CodeList",
    "NotInList",
]
