{#-
  One row per report of a named body and a known year (not quarantined): its headline figures
  (int_report_figures: the table's where a table gives it, else prose), the figures only a table gives (denial
  by reason: the 表三 denied.<reason> line totals; 纠正 of 表四's review and suit blocks), and which report
  stands for the body in that year (is_chosen: the one stating the most figures, then the latest published,
  then the smallest document_id). The other reports of the year stay visible in report_count and in the
  cross-report checks.
-#}

{%- set measures = summary_measures() %}

with

reports as (

    select * from {{ ref('dim_report') }}

),

report_figures as (

    select * from {{ ref('int_report_figures') }}

),

row_totals as (

    select * from {{ ref('int_table_row_totals') }} {{ in_build_scope() }}

),

table_cells as (

    select * from {{ ref('int_table_cells') }} {{ in_build_scope() }}

),

denial_reasons as (

    select
        document_id,
        {%- for reason in denial_reasons() %}
        max(line_value) filter (where line_key = 'denied.{{ reason }}') as denied_{{ reason }}{{ ',' if not loop.last }}
        {%- endfor %}

    from row_totals
    where table_id = 't3'
    group by document_id

),

corrections as (

    select
        document_id,
        max(identity_value) filter (where conformed_measure = 'reconsideration_corrected') as reconsideration_corrected,
        max(identity_value) filter (where conformed_measure = 'litigation_direct_corrected') as direct_corrected,
        max(identity_value) filter (where conformed_measure = 'litigation_after_review_corrected')
            as after_review_corrected

    from table_cells
    where table_id = 't4'
    group by document_id

),

named_reports as (

    select
        reports.agency_key,
        reports.report_year,
        reports.document_id,
        reports.published_on,
        {%- for measure in measures %}
        report_figures.{{ measure }},
        {%- endfor %}
        report_figures.applications_new + report_figures.applications_carried_over as applications_handled,
        {%- for reason in denial_reasons() %}
        denial_reasons.denied_{{ reason }},
        {%- endfor %}
        corrections.reconsideration_corrected,
        corrections.direct_corrected + corrections.after_review_corrected as litigation_corrected,
        report_figures.conflict_count,
        (
            {%- for measure in measures %}
            cast(report_figures.{{ measure }} is not null as integer){{ ' +' if not loop.last }}
            {%- endfor %}
        ) as figures_stated,
        (
            {%- for measure in measures %}
            cast(coalesce(starts_with(report_figures.{{ measure }}_source, 'prose'), false) as integer){{ ' +' if not loop.last }}
            {%- endfor %}
        ) as figures_from_prose

    from reports
    inner join report_figures
        on reports.document_id = report_figures.document_id
    left join denial_reasons
        on reports.document_id = denial_reasons.document_id
    left join corrections
        on reports.document_id = corrections.document_id
    where reports.agency_key is not null
        and reports.report_year is not null
        and not reports.is_quarantined

),

final as (

    select
        *,
        cast(count(*) over (partition by agency_key, report_year) as integer) as report_count,
        row_number() over (
            partition by agency_key, report_year
            order by figures_stated desc, published_on desc nulls last, document_id
        ) = 1 as is_chosen

    from named_reports

)

select * from final {{ in_build_batch() }}
order by agency_key, report_year, document_id
