{#-
  One row per body and year (int_agency_reports, the report chosen for the year): the headline figures and
  the rates, each with its numerator and denominator and, when null, why (macro rate_columns; never a
  division by zero). Rates are shares of responded_total (办理结果总计) except carry_forward_rate (结转下年度
  / (本年新收 + 上年结转)), review_correction_rate (复议 纠正 / 复议 总计) and suit_loss_rate (诉讼 纠正, direct
  and after review / 诉讼 总计).
-#}

with

agency_reports as (

    select * from {{ ref('int_agency_reports') }}
    where is_chosen

),

agencies as (

    select * from {{ ref('dim_agency') }}

),

final as (

    select
        agency_reports.agency_key,
        agency_reports.report_year,
        agency_reports.document_id,
        agency_reports.report_count,
        agencies.agency,
        agencies.province,
        agencies.admin_level,
        agencies.division_code,
        agency_reports.proactive_total,
        agency_reports.applications_new,
        agency_reports.applications_carried_over,
        agency_reports.applications_handled,
        agency_reports.responded_total,
        agency_reports.carried_forward,
        agency_reports.reconsideration_total,
        agency_reports.litigation_total,
        agency_reports.fees_yuan,
        {%- for name, parts in agency_rates().items() %}
        {{ rate_columns(name, 'agency_reports.' ~ parts[0], 'agency_reports.' ~ parts[1]) }}{{ ',' if not loop.last }}
        {%- endfor %}

    from agency_reports
    inner join agencies
        on agency_reports.agency_key = agencies.agency_key

)

select * from final
order by agency_key, report_year
