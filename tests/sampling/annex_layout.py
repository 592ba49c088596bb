"""Ofsted's Annex A layout, as the tests write it: every column of each of the eleven lists
in the published order, and the values in Annex A's own lettered code lists.

Synthetic only: no real child, name or ID.
"""

from __future__ import annotations

COMMON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
TEAM = ["Allocated Team", "Allocated Worker"]
DISABILITY = "Does the Child have a Disability"

LAYOUT: dict[int, list[str]] = {
    1: [*COMMON, "Date of Contact", "Contact Source"],
    2: [
        *COMMON,
        "Assessment start date",
        "Assessment completion date",
        "Organisation completing assessment",
    ],
    3: [
        *COMMON,
        "Date of referral",
        "Referral Source",
        "Referral NFA?",
        "Number of Referrals in Last 12 Months",
        *TEAM,
    ],
    4: [
        *COMMON,
        DISABILITY,
        "Continuous Assessment Start Date",
        "Child Seen During Continuous Assessment",
        "Continuous Assessment Date of Authorisation",
        "Was the child assessed as requiring LA children's social care support?",
        *TEAM,
    ],
    5: [
        *COMMON,
        DISABILITY,
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months",
        *TEAM,
    ],
    6: [
        *COMMON,
        DISABILITY,
        "CIN Start Date",
        "Primary Need Code",
        "Date Child Was Last Seen",
        "CIN Closure Date",
        "Reason for Closure",
        "Case Status",
        *TEAM,
    ],
    7: [
        *COMMON,
        DISABILITY,
        "Child Protection Plan Start Date",
        "Initial Category of Abuse",
        "Latest Category of Abuse",
        "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?",
        "Date of latest review conference",
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last "
        "Six Months (Y/N)",
        "Number of Previous Child Protection Plans",
        *TEAM,
    ],
    8: [
        *COMMON,
        "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
        DISABILITY,
        "Date Started to be Looked After",
        "Child's Category of Need",
        "Is this a second or subsequent period of being a Looked After Child within the "
        "last 12 months (Y/N)",
        "Start date of current legal status",
        "Child's Legal Status",
        "Date of Latest Statutory Review",
        "Date of Last Social Work Visit",
        "What is the permanence plan for this child?",
        "Date of Last IRO Visit / Contact to the Child",
        "Date of Last Health Assessment",
        "Date of Last Dental Check",
        "Number of Placements in the Last 12 months",
        "Date Ceased to be Looked After",
        "Reason Ceased to be Looked After",
        "Start Date of Most Recent Placement",
        "Placement Type",
        "Placement Provider",
        "Placement postcode",
        "URN of Placement",
        "Placement Location",
        "LA of Placement",
        "Number of Episodes the Child has been 'Missing' from their Placement in the last "
        "12 months",
        "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
        "Was the child offered a Return Interview after their last missing episode (Y/N)?",
        "Did the child accept a Return Interview after their last missing episode (Y/N)?",
        *TEAM,
    ],
    9: [
        *COMMON,
        "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
        DISABILITY,
        *TEAM,
        "Allocated Personal Advisor",
        "Eligibility Category",
        "Latest Pathway Plan Review Date",
        "LA in Touch",
        "Latest Date of Contact",
        "Type of Accommodation",
        "Suitability of Accommodation",
        "Activity Status",
    ],
    10: [
        "Child Unique ID",
        "Family identifier",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        DISABILITY,
        "Date the Child Entered Care",
        "Date of Decision that Child Should be Placed for Adoption",
        "Date of Placement Order",
        "Date Placed for Adoption",
    ],
    11: [
        "Individual adopter identifier",
        "Family identifier",
        "Gender",
        "Ethnicity",
        "Disability",
        "Date enquiry received",
    ],
}
SHEET_NAMES = {
    1: "List 1 - Contacts",
    2: "List 2 - Early Help",
    3: "List 3 - Referrals",
    4: "List 4 - Assessments",
    5: "List 5 - Section 47",
    6: "List 6 - Children in need",
    7: "List 7 - Child protection",
    8: "List 8 - Children in care",
    9: "List 9 - Care leavers",
    10: "List 10 - Adoption",
    11: "List 11 - Adopters",
}
START = {
    3: "Date of referral",
    6: "CIN Start Date",
    7: "Child Protection Plan Start Date",
    8: "Date Started to be Looked After",
}

# Every value of the code lists the frame reads, in Annex A's three forms:
# (lettered, bare code, label, what is stored).
GENDERS = [
    ("a) Male", "M", "Male", "m"),
    ("b) Female", "F", "Female", "f"),
    ("c) Not stated/recorded", "U", "Not stated/recorded", "u"),
    ("d) Neither", "I", "Neither", "o"),
]
YES_NO_UNKNOWN = [
    ("a) Yes", "Y", "Yes", True),
    ("b) No", "N", "No", False),
    ("c) Unknown", "U", "Unknown", None),
]
ETHNICITIES = [
    ("a) WBRI", "WBRI", "White British"),
    ("b) WIRI", "WIRI", "White Irish"),
    ("c) WIRT", "WIRT", "Traveller of Irish heritage"),
    ("d) WOTH", "WOTH", "Any other White background"),
    ("e) WROM", "WROM", "Gypsy/Roma"),
    ("f) MWBC", "MWBC", "White and Black Caribbean"),
    ("g) MWBA", "MWBA", "White and Black African"),
    ("h) MWAS", "MWAS", "White and Asian"),
    ("i) MOTH", "MOTH", "Any other Mixed background"),
    ("j) AIND", "AIND", "Indian"),
    ("k) APKN", "APKN", "Pakistani"),
    ("l) ABAN", "ABAN", "Bangladeshi"),
    ("m) AOTH", "AOTH", "Any other Asian background"),
    ("n) BCRB", "BCRB", "Black Caribbean"),
    ("o) BAFR", "BAFR", "Black African"),
    ("p) BOTH", "BOTH", "Any other Black background"),
    ("q) CHNE", "CHNE", "Chinese"),
    ("r) OOTH", "OOTH", "Any other ethnic group"),
    ("s) REFU", "REFU", "Refused"),
    ("t) NOBT", "NOBT", "Information not yet obtained"),
]
LEGAL_STATUSES = [
    ("C1: Interim care order", "C1", "Interim care order"),
    ("C2: Full care order", "C2", "Full care order"),
    ("D1: Freeing order granted", "D1", "Freeing order granted"),
    ("E1: Placement order granted", "E1", "Placement order"),
    ("V2: Single period under S20", "V2", "Section 20"),
    ("V3: Short term breaks, episodes recorded", "V3", "Short term breaks, episodes recorded"),
    ("V4: Short term breaks, agreements recorded", "V4", "Short term breaks, agreements recorded"),
    ("L1: Police protection LA accommodation", "L1", "Police protection"),
    ("L2: EPO", "L2", "Emergency protection order"),
    ("L3: Child assessment order LA accommodation", "L3", "Child assessment order"),
    ("J1: Remanded to LA or youth detention", "J1", "Remanded to LA or youth detention"),
    ("J2: LA accommodation under PACE", "J2", "LA accommodation under PACE"),
    ("J3: Youth rehabilitation order", "J3", "Youth rehabilitation order"),
]
ELIGIBILITY = [
    ("a) Relevant child", "Relevant child", "relevant"),
    ("b) Former relevant child", "Former relevant child", "former_relevant"),
    ("c) Qualifying care leaver", "Qualifying care leaver", "qualifying"),
    ("d) Eligible child", "Eligible child", "eligible"),
]
CASE_STATUSES = [
    ("a) Looked after child", "Looked after child", "cla"),
    ("b) Child Protection plan", "Child Protection plan", "cp"),
    ("c) Child in need plan", "Child in need plan", "cin"),
    ("d) Open assessment", "Open assessment", "cin"),
]
