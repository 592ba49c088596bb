"""Audits: allocation, the audit form and the audit's life.

The app has two halves, each with its own modules:

- allocation (SPEC §4, §6): `models.py`, `selectors.py`, `views.py`, `forms.py`, `urls.py`
  (URL namespace `audits`, under /audits/), with `allocator.py`, `eligibility.py` and
  `deadlines.py`;
- the audit form and the audit's life (SPEC §5-§7): `audit_models.py` (imported by
  `models.py`), `audit_selectors.py`, `audit_views.py`, `audit_forms.py`, `audit_urls.py`
  (namespace `audit`, under /audit/), with `form_presets/`, `grading.py` and `lifecycle.py`.

Every write of either half is in `services/`, exported from `audits.services`.
"""
