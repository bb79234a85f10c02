"""The verbs every face uses: open, check, compare, report, export, forget, sync, log a fault.

The CLI, the app and the web face parse input and show output; everything they *do* is here,
once, in one module per area (``opening``, ``documents``, ``people``, ``clinic``, ``preferences``,
``faults``; ``session`` for one assessment being filled in; ``desk`` for the laptop's records as
the faces see them). This package names them all, so a face says ``service.write_report``.
Heavy libraries are imported inside the verb that needs them, never at start-up.
"""

from __future__ import annotations

from safehome.core.options import ReportOptions as ReportOptions
from safehome.core.terms import AUDIENCES as AUDIENCES
from safehome.core.terms import PAPERS as PAPERS
from safehome.service.desk import Desk as Desk
from safehome.service.keys import (
    Asker as Asker,
    MIN_PASSPHRASE as MIN_PASSPHRASE,
    passphrase_problem as passphrase_problem,
    set_asker as set_asker,
    use_passphrase_file as use_passphrase_file,
    lock as lock,
    unlock as unlock,
    rekey as rekey,
    database_file as database_file,
    store_uses_passphrase as store_uses_passphrase,
)
from safehome.storage.errors import StoreError as StoreError
from safehome.service.opening import (
    Opened as Opened,
    open_store as open_store,
    checked as checked,
    validate_checklist as validate_checklist,
    open_file as open_file,
    open_stored as open_stored,
    open_assessment as open_assessment,
    version_note as version_note,
    document_language as document_language,
    in_language as in_language,
    compare as compare,
    previous_comparison as previous_comparison,
)
from safehome.service.documents import (
    reports_folder as reports_folder,
    DEFAULTS as DEFAULTS,
    check_output as check_output,
    write_output as write_output,
    default_report_path as default_report_path,
    free_path as free_path,
    render_report as render_report,
    write_report as write_report,
    reminder_ics as reminder_ics,
    BatchOutcome as BatchOutcome,
    write_all_reports as write_all_reports,
    questionnaire_json as questionnaire_json,
    bundle_json as bundle_json,
)
from safehome.service.photos import (
    file_photos as file_photos,
    referenced as referenced,
    folder_photos as folder_photos,
)
from safehome.service.pack import (
    letter_bytes as letter_bytes,
    letter_kind as letter_kind,
    write_file_pack as write_file_pack,
)
from safehome.service.people import (
    Deleted as Deleted,
    Purged as Purged,
    PURGE_DAYS as PURGE_DAYS,
    delete_person as delete_person,
    find_people as find_people,
)
from safehome.service.clinic import (
    Connected as Connected,
    ClinicSetUp as ClinicSetUp,
    init_clinic as init_clinic,
    connect_clinic as connect_clinic,
    connected_lines as connected_lines,
    SyncReport as SyncReport,
    SyncFailed as SyncFailed,
    sync as sync,
    discard_unsent as discard_unsent,
    sync_status as sync_status,
    conflict_lines as conflict_lines,
    RECENT_CHANGES as RECENT_CHANGES,
    sync_lines as sync_lines,
    local_minute as local_minute,
)
from safehome.service.preferences import (
    PREFERENCES as PREFERENCES,
    preference as preference,
    run_language as run_language,
    set_preference as set_preference,
)
from safehome.service.faults import (
    ERROR_LOG as ERROR_LOG,
    LOG_SEPARATOR as LOG_SEPARATOR,
    scrub_log as scrub_log,
    fault_text as fault_text,
    log_fault as log_fault,
)
