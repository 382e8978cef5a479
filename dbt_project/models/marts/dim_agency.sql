{#-
  One row per issuing body (agency_key of int_agency_divisions: the division it is matched to plus the body
  within it, so 洪泽区政府, 淮安市洪泽区人民政府 and 洪泽县人民政府 are one body). Reports that never name
  their agency have no row here (dim_report.agency_key is null for them).
  agency: the spelling most of the body's reports use, ties the latest year, then alphabetical.
  admin_level: the level most of the body's reports give, ties alphabetical.
-#}

with

report_metadata as (

    select * from {{ ref('stg_report_metadata') }}

),

agency_divisions as (

    select * from {{ ref('int_agency_divisions') }}

),

named_agency_reports as (

    select
        report_metadata.document_id,
        report_metadata.agency,
        report_metadata.admin_level,
        report_metadata.report_year,
        agency_divisions.agency_key

    from report_metadata
    inner join agency_divisions
        on report_metadata.agency = agency_divisions.agency
        and report_metadata.province is not distinct from agency_divisions.province

),

spellings as (

    select
        agency_key,
        agency,
        count(*) as report_count,
        max(report_year) as last_year

    from named_agency_reports
    group by agency_key, agency

),

chosen_spelling as (

    select
        agency_key,
        agency

    from spellings
    qualify row_number() over (
        partition by agency_key
        order by report_count desc, last_year desc nulls last, agency
    ) = 1

),

agency_level_votes as (

    select
        agency_key,
        admin_level,
        count(*) as report_count

    from named_agency_reports
    where admin_level is not null
    group by agency_key, admin_level

),

agency_levels as (

    select
        agency_key,
        admin_level

    from agency_level_votes
    qualify row_number() over (partition by agency_key order by report_count desc, admin_level) = 1

),

agency_reports as (

    select
        agency_key,
        count(distinct document_id) as report_count,
        count(distinct agency) as spelling_count,
        string_agg(distinct agency, ', ' order by agency) as spellings,
        min(report_year) as first_report_year,
        max(report_year) as last_report_year

    from named_agency_reports
    group by agency_key

),

agency_match as (

    select
        agency_key,
        any_value(division_code) as division_code,
        any_value(body) as body,
        any_value(province_code) as province_code,
        any_value(division_province) as province,
        any_value(prefecture_code) as prefecture_code,
        any_value(county_code) as county_code,
        -- the strongest rule among the spellings (a full name over a renamed suffix)
        min(match_confidence) as match_confidence,
        arg_min(match_rule, match_confidence) as match_rule

    from agency_divisions
    group by agency_key

),

final as (

    select
        agency_reports.agency_key,
        chosen_spelling.agency,
        agency_match.province,
        agency_levels.admin_level,
        cast(agency_reports.report_count as integer) as report_count,
        agency_reports.first_report_year,
        agency_reports.last_report_year,
        cast(agency_reports.spelling_count as integer) as spelling_count,
        agency_reports.spellings,
        agency_match.division_code,
        agency_match.body,
        agency_match.match_rule,
        agency_match.match_confidence,
        agency_match.province_code,
        agency_match.prefecture_code,
        agency_match.county_code

    from agency_reports
    inner join chosen_spelling
        on agency_reports.agency_key = chosen_spelling.agency_key
    inner join agency_match
        on agency_reports.agency_key = agency_match.agency_key
    left join agency_levels
        on agency_reports.agency_key = agency_levels.agency_key

)

select * from final
order by agency_key
