{#-
  Year-over-year change per body (mart_agency_year): each year that has an earlier report of the same body,
  against the latest earlier one, with the gap in years (2 when a year is missing). A change is null when
  either side is unknown; grant_rate_change is in rate points (0.05 = 5 points).
-#}

with

agency_years as (

    select * from {{ ref('mart_agency_year') }}

),

with_previous as (

    select
        agency_key,
        report_year,
        agency,
        applications_new,
        grant_rate,
        reconsideration_total,
        lag(report_year) over w as previous_year,
        lag(applications_new) over w as previous_applications_new,
        lag(grant_rate) over w as previous_grant_rate,
        lag(reconsideration_total) over w as previous_reconsideration_total

    from agency_years
    window w as (partition by agency_key order by report_year)

),

final as (

    select
        agency_key,
        report_year,
        agency,
        previous_year,
        report_year - previous_year as year_gap,
        applications_new,
        previous_applications_new,
        applications_new - previous_applications_new as applications_new_change,
        grant_rate,
        previous_grant_rate,
        grant_rate - previous_grant_rate as grant_rate_change,
        reconsideration_total,
        previous_reconsideration_total,
        reconsideration_total - previous_reconsideration_total as reconsideration_total_change

    from with_previous
    where previous_year is not null

)

select * from final
order by agency_key, report_year
