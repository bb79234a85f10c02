"""HL7 FHIR R4 for safehome: a checklist as an SDC Questionnaire, an assessment as a Bundle.

On the service layer, beside the store and the PDFs: the domain core knows nothing of FHIR.
Everything here is plain JSON-ready data (dicts and lists); the tests parse every export with
the ``fhir.resources`` R4B models. Files only: nothing here opens a connection.

- :func:`questionnaire`: sections as groups, items with ``linkId`` = item id, answer options
  with codes (LOINC Yes/No for yes/no items), the Stay Independent points as ``itemWeight``, the
  profile facts as a group of their own so that ``enableWhen`` can point at them, ``required``.
- :func:`bundle`: a ``collection`` of the Patient, the QuestionnaireResponse (every answer and
  note), an Observation per measure (Stay Independent total, each functional test), a
  RiskAssessment holding the separate outputs and their reasons, and a CarePlan of the actions.
- :func:`assessment_data`: a QuestionnaireResponse of one of our Questionnaires (alone or in a
  Bundle) back into an answers file's data, refusing anything it cannot read exactly.

Resource ids are UUIDs made from the assessment's own stored UUID: exporting twice gives the
same ids. "Not applicable" travels as the standard data-absent-reason ``not-applicable`` on the
item, a free-text question answered with nothing to add as ``asked-declined``; a note as
safehome's ``note`` extension.
"""

from __future__ import annotations

from safehome.exchange.fhir.common import (
    BASE as BASE,
    LOINC as LOINC,
    STEADI_PANEL as STEADI_PANEL,
    YES_NO as YES_NO,
    ITEM_WEIGHT as ITEM_WEIGHT,
    ABSENT as ABSENT,
    UNIT as UNIT,
    MIN_VALUE as MIN_VALUE,
    MAX_VALUE as MAX_VALUE,
    NOTE as NOTE,
    ANSWER_CODES as ANSWER_CODES,
    INTERPRETATION as INTERPRETATION,
    UCUM as UCUM,
    PROFILE_GROUP as PROFILE_GROUP,
    ON_PATIENT as ON_PATIENT,
    IDENTIFYING as IDENTIFYING,
    SEX_TO_GENDER as SEX_TO_GENDER,
    MASKED as MASKED,
    url_of as url_of,
    stable_id as stable_id,
    PROFILE_FIELDS as PROFILE_FIELDS,
)
from safehome.exchange.fhir.questionnaire import questionnaire as questionnaire
from safehome.exchange.fhir.results import response as response, RISK_OUTPUTS as RISK_OUTPUTS, bundle as bundle
from safehome.exchange.fhir.reading import is_fhir as is_fhir, assessment_data as assessment_data
