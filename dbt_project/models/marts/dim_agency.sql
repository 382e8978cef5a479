{#-
  One row per issuing body (agency + province). Reports that never name their
  agency have no row here (dim_report.agency_key is null for them).
  admin_level: the level most of the body's reports give, ties alphabetical.
-#}

with

report_metadata as (

    select * from {{ ref('stg_report_metadata') }}

),

named_agency_reports as (

    select
        document_id,
        agency,
        province,
        admin_level,
        report_year

    from report_metadata
    where agency is not null

),

agency_level_votes as (

    select
        agency,
        province,
        admin_level,
        count(*) as report_count

    from named_agency_reports
    where admin_level is not null
    group by agency, province, admin_level

),

agency_levels as (

    select
        agency,
        province,
        admin_level

    from agency_level_votes
    qualify row_number() over (
        partition by agency, province
        order by report_count desc, admin_level
    ) = 1

),

agency_reports as (

    select
        agency,
        province,
        count(distinct document_id) as report_count,
        min(report_year) as first_report_year,
        max(report_year) as last_report_year

    from named_agency_reports
    group by agency, province

),

final as (

    select
        {{ agency_key('agency_reports.agency', 'agency_reports.province') }} as agency_key,
        agency_reports.agency,
        agency_reports.province,
        agency_levels.admin_level,
        cast(agency_reports.report_count as integer) as report_count,
        agency_reports.first_report_year,
        agency_reports.last_report_year

    from agency_reports
    left join agency_levels
        on agency_reports.agency = agency_levels.agency
        and agency_reports.province is not distinct from agency_levels.province

)

select * from final
order by agency_key
