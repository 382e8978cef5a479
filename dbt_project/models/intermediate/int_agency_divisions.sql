{#-
  One row per body as written (agency + province of stg_report_metadata): its division, body and stable
  agency_key (rules: macros/agency_divisions.sql, the one owner of agency-name normalisation).
  Incremental by name: a row depends on the name, its province and the division seed only, so a run matches
  only the names it does not hold yet and deletes those no report names any more (pre-hook); a full build
  matches every name. Seven readers (dim_report, dim_agency, tests, the batch plan) read the table instead
  of each matching every name again.
-#}

{{ agency_divisions(known=this if is_increment() else none) }}
