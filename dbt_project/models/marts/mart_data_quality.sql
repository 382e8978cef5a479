{#-
  Per body and year: how far its figures can be trusted. Every report of the body for the year counts
  (dim_report, quarantined files too when they were staged with metadata): checks failed and not evaluable
  (check_results, cross-report checks among them), conflicting values (report_summary.conflict_count), the
  headline figures stated and how many of them come from prose only (no table gave them), quarantined files,
  and the table cells read from scanned pages: by OCR, by an identity-guided second reading, and too doubtful
  to be a figure (TEXT).
-#}

with

reports as (

    select * from {{ ref('dim_report') }}

),

agencies as (

    select * from {{ ref('dim_agency') }}

),

report_summary as (

    select * from {{ ref('report_summary') }}

),

check_results as (

    select * from {{ ref('check_results') }}

),

agency_reports as (

    select * from {{ ref('int_agency_reports') }}

),

document_readings as (

    select * from {{ ref('int_document_readings') }}

),

document_checks as (

    select
        document_id,
        count(*) filter (where status = 'FAIL') as checks_failed,
        count(*) filter (where status = 'FAIL' and (check_name = 'cross_year_carry_over' or check_name like 'same_year_%'))
            as cross_report_checks_failed,
        count(*) filter (where status = 'NOT_EVALUABLE') as checks_not_evaluable

    from check_results
    group by document_id

),

final as (

    select
        reports.agency_key,
        reports.report_year,
        agencies.agency,
        cast(count(*) filter (where not reports.is_quarantined) as integer) as reports,
        cast(count(*) filter (where reports.is_quarantined) as integer) as quarantined_files,
        cast(coalesce(sum(document_checks.checks_failed), 0) as integer) as checks_failed,
        cast(coalesce(sum(document_checks.cross_report_checks_failed), 0) as integer) as cross_report_checks_failed,
        cast(coalesce(sum(document_checks.checks_not_evaluable), 0) as integer) as checks_not_evaluable,
        cast(coalesce(sum(report_summary.conflict_count), 0) as integer) as conflicts,
        cast(coalesce(sum(agency_reports.figures_stated), 0) as integer) as figures_stated,
        cast(coalesce(sum(agency_reports.figures_from_prose), 0) as integer) as figures_from_prose_only,
        cast(coalesce(sum(document_readings.cells_ocr), 0) as integer) as table_cells_ocr,
        cast(coalesce(sum(document_readings.cells_ocr_reread), 0) as integer) as table_cells_ocr_reread,
        cast(coalesce(sum(document_readings.cells_ocr_low_confidence), 0) as integer) as table_cells_ocr_low_confidence

    from reports
    inner join agencies
        on reports.agency_key = agencies.agency_key
    left join document_checks
        on reports.document_id = document_checks.document_id
    left join report_summary
        on reports.document_id = report_summary.document_id
    left join agency_reports
        on reports.document_id = agency_reports.document_id
    left join document_readings
        on reports.document_id = document_readings.document_id
    where reports.report_year is not null
    group by reports.agency_key, reports.report_year, agencies.agency

)

select * from final
order by agency_key, report_year
