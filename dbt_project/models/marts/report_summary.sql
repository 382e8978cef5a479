{#-
  One row per document: who, which year, and the figure per measure
  (int_report_figures: the table's where a table gives it, else the chosen
  prose figure). The first 20 columns are what eval/score.py reads;
  provenance and conflict flags follow.
  granted_or_partial (a lump) is never copied into granted / partially_granted.
-#}

{%- set measures = summary_measures() %}

with

reports as (

    select * from {{ ref('dim_report') }}

),

report_metadata as (

    select * from {{ ref('stg_report_metadata') }}

),

report_figures as (

    select * from {{ ref('int_report_figures') }}

),

check_results as (

    select * from {{ ref('check_results') }}

),

failed_checks as (

    select
        document_id,
        count(*) filter (where status = 'FAIL') as checks_failed

    from check_results
    group by document_id

),

final as (

    select
        reports.source_file,
        report_metadata.agency,
        report_metadata.admin_level,
        report_metadata.province,
        reports.report_year,
        reports.published_on,
        {%- for measure in measures %}
        report_figures.{{ measure }},
        {%- endfor %}
        reports.document_id,
        reports.format_era,
        reports.script,
        reports.parser_version,
        {%- for measure in measures %}
        report_figures.{{ measure }}_source,
        report_figures.{{ measure }}_conflict,
        {%- endfor %}
        cast(report_figures.conflict_count as integer) as conflict_count,
        cast(coalesce(failed_checks.checks_failed, 0) as integer) as checks_failed

    from reports
    left join report_metadata
        on reports.document_id = report_metadata.document_id
    left join report_figures
        on reports.document_id = report_figures.document_id
    left join failed_checks
        on reports.document_id = failed_checks.document_id

)

select * from final {{ in_build_batch() }}
order by source_file, document_id
