"""The audits app's pages, one module for each part of the work:

- `allocation`: the month's allocation, moving and placing cases, exemptions, completion
  (URL namespace `audits`, under /audits/);
- `audit`: the auditor's audit form and the pages around it (namespace `audit`, under
  /audit/), with `common` holding what every audit page shares;
- `changes`: an audit's history of changes, a page at a time;
- `review`: sharing, comments and challenges, moderation, QA checks, paired consensus;
- `form_templates`: QA staff's audit forms and learning themes.
"""
