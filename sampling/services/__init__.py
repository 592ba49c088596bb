"""Every write and rule of the sampling app. Import from here, not from the modules.

For the audits app (which may import sampling, never the reverse):

- `case_mark_audit_started(case_id=…, today=…)` and `case_mark_audit_finished(case_id=…, today=…,
  audited=True)` keep `Case.audit_open` and `Case.last_audited_on`, which the sampling
  exclusions read (SPEC §3, Leeds 4.4) and the import reads when a case closes (Bury 9.6).
- `monthly_sample_size(pool=[(user, quota), …])` and `audit_pool(period=…)`: the sample's
  size from the available pool (Bury 6.2); `audit_pool` uses
  `accounts.selectors.available_pool(period=…)` when that exists.
"""

from .cases import (
    case_hold_for_audit,
    case_mark_audit_finished,
    case_mark_audit_started,
    case_release_from_audit,
)
from .draw import (
    allocate,
    audit_pool,
    draw,
    frame_cases,
    frame_snapshots,
    monthly_sample_size,
    sample_confirm,
    sample_draw_monthly,
    sample_draw_thematic,
    sample_redraw,
    sampling_day,
    sweep_draft_monthly_sample,
)
from .folder import sweep_import_frame_folder
from .frame import (
    FrameFileRefused,
    frame_import_enqueue,
    frame_import_file,
    frame_import_run,
    frame_import_start,
    frame_imports_enqueue,
    frame_imports_start,
)
from .names import name_map

__all__ = [
    "FrameFileRefused",
    "allocate",
    "audit_pool",
    "case_hold_for_audit",
    "case_mark_audit_finished",
    "case_mark_audit_started",
    "case_release_from_audit",
    "draw",
    "frame_cases",
    "frame_import_enqueue",
    "frame_imports_enqueue",
    "frame_imports_start",
    "frame_import_file",
    "frame_import_run",
    "frame_import_start",
    "frame_snapshots",
    "monthly_sample_size",
    "name_map",
    "sample_confirm",
    "sample_draw_monthly",
    "sample_draw_thematic",
    "sample_redraw",
    "sampling_day",
    "sweep_draft_monthly_sample",
    "sweep_import_frame_folder",
]
