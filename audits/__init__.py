"""Audits: allocation, the audit form and the audit's life (SPEC §4-§7).

`models`, `selectors`, `views` and `forms` are packages with a module for each part of
the work (allocation; the audit form; its review); `urls.py` holds both URL namespaces,
`audits` (allocation, under /audits/) and `audit` (under /audit/). Every write is in
`services/`, exported from `audits.services`.
"""
