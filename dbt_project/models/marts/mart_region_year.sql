{#-
  Sums and medians by division and year (mart_agency_year rolled up to each division a body lies in: its
  province, prefecture and county), per administrative level of the bodies and for all levels ('all'). Each
  figure has the number of reports behind it (bodies stating it); coverage = bodies reporting that year /
  bodies known in the division and level (any year in the warehouse). Unmatched bodies count in their
  province when the report names it.
-#}

{%- set figures = ['applications_new', 'responded_total', 'granted', 'denied', 'reconsideration_total',
                   'litigation_total'] %}

with

agency_years as (

    select * from {{ ref('mart_agency_year') }}

),

agencies as (

    select * from {{ ref('dim_agency') }}

),

divisions as (

    select * from {{ ref('dim_division') }}

),

agency_regions as (

    select agency_key, province_code as region_code, coalesce(admin_level, 'unknown') as admin_level
    from agencies
    where province_code is not null

    union all

    select agency_key, prefecture_code, coalesce(admin_level, 'unknown')
    from agencies
    where prefecture_code is not null

    union all

    select agency_key, county_code, coalesce(admin_level, 'unknown')
    from agencies
    where county_code is not null

),

agency_region_levels as (

    select agency_key, region_code, admin_level from agency_regions
    union all
    select agency_key, region_code, 'all' from agency_regions

),

bodies_known as (

    select
        region_code,
        admin_level,
        count(distinct agency_key) as bodies_known

    from agency_region_levels
    group by region_code, admin_level

),

region_figures as (

    select
        agency_region_levels.region_code,
        agency_years.report_year,
        agency_region_levels.admin_level,
        count(distinct agency_years.agency_key) as bodies_reporting,
        sum(agency_years.report_count) as reports,
        {%- for figure in figures %}
        sum(agency_years.{{ figure }}_value) as {{ figure }}_sum,
        median(agency_years.{{ figure }}_value) as {{ figure }}_median,
        count(agency_years.{{ figure }}_value) as {{ figure }}_reports{{ ',' if not loop.last }}
        {%- endfor %}

    from agency_region_levels
    inner join (
        select
            agency_key,
            report_year,
            report_count,
            applications_new as applications_new_value,
            responded_total as responded_total_value,
            grant_rate_numerator as granted_value,
            denial_rate_numerator as denied_value,
            reconsideration_total as reconsideration_total_value,
            litigation_total as litigation_total_value
        from agency_years
    ) as agency_years
        on agency_region_levels.agency_key = agency_years.agency_key
    group by agency_region_levels.region_code, agency_years.report_year, agency_region_levels.admin_level

),

final as (

    select
        region_figures.region_code,
        divisions.name as region_name,
        divisions.level as region_level,
        region_figures.report_year,
        region_figures.admin_level,
        cast(region_figures.bodies_reporting as integer) as bodies_reporting,
        cast(bodies_known.bodies_known as integer) as bodies_known,
        region_figures.bodies_reporting / bodies_known.bodies_known as coverage,
        cast(region_figures.reports as integer) as reports,
        {%- for figure in figures %}
        region_figures.{{ figure }}_sum,
        region_figures.{{ figure }}_median,
        cast(region_figures.{{ figure }}_reports as integer) as {{ figure }}_reports{{ ',' if not loop.last }}
        {%- endfor %}

    from region_figures
    inner join bodies_known
        on region_figures.region_code = bodies_known.region_code
        and region_figures.admin_level = bodies_known.admin_level
    left join divisions
        on region_figures.region_code = divisions.division_code

)

select * from final
order by region_code, report_year, admin_level
