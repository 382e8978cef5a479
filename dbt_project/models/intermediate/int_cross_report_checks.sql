{#-
  Checks across the reports of one body (int_agency_reports), one row per (check, document) for every
  document of int_report_figures (as the other checks of check_results), so nothing is skipped silently:

  cross_year_carry_over         this year's 上年结转 (applications_carried_over) = the 结转下年度
                                (carried_forward) of the body's report for the year before (its chosen
                                report); NOT_EVALUABLE when there is none or either figure is not stated
  same_year_<measure>           the other reports of the same body and year state the same figure
                                (applications_new, responded_total); right_value is the other value
                                furthest from this one; NOT_EVALUABLE with no other report or no figure

  A report with no named body or year gets every check, NOT_EVALUABLE. Bodies are compared with themselves,
  never with peers.
-#}

{%- set same_year_measures = ['applications_new', 'responded_total'] %}

with

reports as (

    select document_id from {{ ref('int_report_figures') }}

),

agency_reports as (

    select * from {{ ref('int_agency_reports') }}

),

carry_over_sides as (

    select
        reports.document_id,
        this_year.applications_carried_over as left_value,
        last_year.carried_forward as right_value,
        case
            when this_year.document_id is null then 'no named body or year'
            when last_year.document_id is null then 'no report of the body for ' || (this_year.report_year - 1)
            when this_year.applications_carried_over is null then 'not stated: applications_carried_over'
            when last_year.carried_forward is null
                then 'not stated: carried_forward of ' || (this_year.report_year - 1)
        end as unknown_reason,
        last_year.document_id as other_document_id

    from reports
    left join agency_reports as this_year
        on reports.document_id = this_year.document_id
    left join agency_reports as last_year
        on this_year.agency_key = last_year.agency_key
        and this_year.report_year - 1 = last_year.report_year
        and last_year.is_chosen

),

carry_over_results as (

    select
        'cross_year_carry_over' as check_name,
        document_id,
        left_value,
        right_value,
        {{ check_status('left_value', 'right_value', 'unknown_reason is not null') }} as status,
        coalesce(
            unknown_reason,
            'applications_carried_over = carried_forward of the year before (' || other_document_id || '): '
            || {{ format_number('left_value') }}
            || case when {{ values_agree('left_value', 'right_value') }} then ' = ' else ' <> ' end
            || {{ format_number('right_value') }}
        ) as detail

    from carry_over_sides

),

{%- for measure in same_year_measures %}

same_year_{{ measure }}_others as (

    select
        this_report.document_id,
        this_report.{{ measure }} as left_value,
        arg_max(other.{{ measure }}, abs(other.{{ measure }} - this_report.{{ measure }})) as right_value,
        count(other.document_id) as other_reports,
        count(other.{{ measure }}) as other_figures,
        string_agg(distinct other.document_id, ', ' order by other.document_id) as other_documents

    from agency_reports as this_report
    left join agency_reports as other
        on this_report.agency_key = other.agency_key
        and this_report.report_year = other.report_year
        and this_report.document_id <> other.document_id
    group by this_report.document_id, this_report.{{ measure }}

),

same_year_{{ measure }}_sides as (

    select
        reports.document_id,
        others.left_value,
        others.right_value,
        others.other_documents,
        case
            when others.document_id is null then 'no named body or year'
            when others.other_reports = 0 then 'no other report of the body for the year'
            when others.left_value is null then 'not stated: {{ measure }}'
            when others.other_figures = 0 then 'not stated in the other reports: {{ measure }}'
        end as unknown_reason

    from reports
    left join same_year_{{ measure }}_others as others
        on reports.document_id = others.document_id

),

same_year_{{ measure }}_results as (

    select
        'same_year_{{ measure }}' as check_name,
        document_id,
        left_value,
        right_value,
        {{ check_status('left_value', 'right_value', 'unknown_reason is not null') }} as status,
        coalesce(
            unknown_reason,
            '{{ measure }} against the other reports of the year (' || other_documents || '): '
            || {{ format_number('left_value') }}
            || case when {{ values_agree('left_value', 'right_value') }} then ' = ' else ' <> ' end
            || {{ format_number('right_value') }}
        ) as detail

    from same_year_{{ measure }}_sides

),

{%- endfor %}

final as (

    select * from carry_over_results
    {%- for measure in same_year_measures %}
    union all
    select * from same_year_{{ measure }}_results
    {%- endfor %}

)

select * from final {{ in_build_batch() }}
order by document_id, check_name
