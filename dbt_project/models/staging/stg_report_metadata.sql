with

source as (

    select * from {{ source('staging', 'report_metadata') }}

),

renamed as (

    select
        cast(document_id as varchar) as document_id,
        cast(title as varchar) as title,
        cast(agency as varchar) as agency,
        cast(agency_rule as varchar) as agency_rule,
        cast(admin_level as varchar) as admin_level,
        cast(province as varchar) as province,
        cast(province_rule as varchar) as province_rule,
        cast(report_year as integer) as report_year,
        cast(report_year_rule as varchar) as report_year_rule,
        cast(report_year_evidence as varchar) as report_year_evidence,
        cast(published_on as date) as published_on,
        cast(published_on_rule as varchar) as published_on_rule,
        cast(format_era as varchar) as format_era,
        cast(parser_version as varchar) as parser_version

    from source

)

select * from renamed
